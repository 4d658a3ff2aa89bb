#!/usr/bin/env python3
"""Cross-check Bangdu's built-in holiday data against PyPI's `chinesecalendar`.

An independent source, maintained separately from ours: every date of 2020-2026 must have the same
working-day status in both, and where both name a holiday or a make-up day, the names must agree.
(chinesecalendar also labels a few weekend days next to a one-day holiday, e.g. 2023-12-30, which the
notice does not count as holiday days; those do not change any working-day status.)

It also checks the statutory holidays Bangdu computes for a provisional year (a year whose notice
is not loaded: 春节 from 除夕, 端午 and 中秋 by the lunar calendar, 清明 by the solar term), printed
by `bangdu calendar statutory YEAR`: each must be a day off in chinesecalendar, named alike — except
除夕 before 2025, which the law made a holiday only from its 2024 revision.

Usage: pip install chinesecalendar && python3 scripts/crosscheck-calendar.py [path/to/bangdu]
"""
import datetime
import glob
import os
import subprocess
import sys

import chinese_calendar

NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}
DATA = os.path.join(os.path.dirname(__file__), "..", "crates", "domain", "src", "calendar", "data")


def load_ours():
    holidays, workdays = {}, {}
    for path in sorted(glob.glob(os.path.join(DATA, "*.txt"))):
        for line in open(path, encoding="utf-8"):
            line = line.split("#")[0].strip()
            if not line or line.startswith("year"):
                continue
            kind, dates, name = line.split()
            first, _, last = dates.partition("..")
            day = datetime.date.fromisoformat(first)
            end = datetime.date.fromisoformat(last) if last else day
            while day <= end:
                (holidays if kind == "holiday" else workdays)[day] = name
                day += datetime.timedelta(days=1)
    return holidays, workdays


def main():
    holidays, workdays = load_ours()
    problems = 0
    day = datetime.date(2020, 1, 1)
    while day <= datetime.date(2026, 12, 31):
        ours = day in workdays or (day.weekday() < 5 and day not in holidays)
        theirs = chinese_calendar.is_workday(day)
        if ours != theirs:
            print(f"{day}: Bangdu says workday={ours}, chinesecalendar says {theirs}")
            problems += 1
        _, their_name = chinese_calendar.get_holiday_detail(day)
        our_name = holidays.get(day) or workdays.get(day)
        if our_name and their_name and NAMES[their_name] != our_name:
            print(f"{day}: Bangdu names it {our_name}, chinesecalendar {their_name}")
            problems += 1
        day += datetime.timedelta(days=1)
    print(f"checked 2020-2026: {len(holidays)} holiday days, {len(workdays)} make-up days, {problems} differences")
    problems += check_statutory(sys.argv[1] if len(sys.argv) > 1 else default_binary())
    return 1 if problems else 0


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(os.path.dirname(__file__), "..", "target")
    return os.path.join(target, "debug", "bangdu")


def check_statutory(binary):
    problems = checked = 0
    for year in range(2020, 2027):
        out = subprocess.run([binary, "calendar", "statutory", str(year)], check=True, capture_output=True, text=True)
        named = {}
        for line in out.stdout.splitlines():
            date, name = line.split("\t")
            named.setdefault(datetime.date.fromisoformat(date), set()).add(name)
        first_spring = min(d for d, n in named.items() if "春节" in n)
        for day, names in sorted(named.items()):
            if day == first_spring and year < 2025:
                continue  # 除夕 became a statutory holiday in 2025
            checked += 1
            if chinese_calendar.is_workday(day):
                print(f"{day}: Bangdu computes {'/'.join(sorted(names))} as a statutory holiday; chinesecalendar has a working day")
                problems += 1
                continue
            _, their_name = chinese_calendar.get_holiday_detail(day)
            if their_name and NAMES[their_name] not in names:
                print(f"{day}: Bangdu computes {'/'.join(sorted(names))}, chinesecalendar names it {their_name}")
                problems += 1
    print(f"checked the computed statutory holidays of 2020-2026: {checked} days, {problems} differences")
    return problems


if __name__ == "__main__":
    sys.exit(main())
