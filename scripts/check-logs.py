#!/usr/bin/env python3
"""Greps server logs for personal data and secrets that must never be written there: mobile phone
numbers, passwords, API tokens and any value given with --secret (the CI sends a sign-in with a
phone-number user name and a bait password before it looks). The demo's start-up banner, which
prints the demo accounts' shared password for the operator on purpose, is not counted.

    python3 scripts/check-logs.py LOG... [--secret VALUE]...
"""

import argparse
import re
import sys

PATTERNS = {
    "mobile phone number": re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"),
    "API token": re.compile(r"bd_[A-Za-z0-9_-]{16,}"),
    "demo password": re.compile(re.escape("Bangdu@2025")),
}
BANNER = "演示账号（密码均为"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--secret", action="append", default=[])
    args = ap.parse_args()
    patterns = dict(PATTERNS)
    for i, secret in enumerate(args.secret):
        patterns[f"secret #{i + 1}"] = re.compile(re.escape(secret))
    lines, found = 0, []
    for path in args.logs:
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                lines += 1
                if BANNER in line:
                    continue
                for name, pattern in patterns.items():
                    if pattern.search(line):
                        found.append(f"{path}:{number}: {name}")
    print(f"log check: {lines} lines in {len(args.logs)} file(s), {len(patterns)} patterns, {len(found)} findings")
    if found:
        print("\n".join(found[:50]), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
