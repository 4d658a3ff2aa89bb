#!/usr/bin/env python3
"""Crash test: `kill -9` the server in the middle of a write load, start it again, and check that
every write it acknowledged is there, the database is intact and the audit chain verifies.

    python3 scripts/crash-test.py BIN [--database URL] [--rounds 3] [--writers 8] [--seconds 4]

BIN is the bangdu binary. Without --database a fresh SQLite file is used (what CI runs); with a
PostgreSQL URL of an empty database the same rounds run there (integrity is then PostgreSQL's own;
the audit chain is still verified). Prints the figures: rounds, acknowledged writes, writes lost.
"""

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def start(bin_path, url, port, log):
    env = dict(os.environ, BANGDU_DATABASE_URL=url, BANGDU_LOG="warn")
    proc = subprocess.Popen(
        [bin_path, "serve", "--demo", "--listen", f"127.0.0.1:{port}"],
        env=env, stdout=log, stderr=log,
    )
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not start; see its log")


def call(port, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, json.loads(resp.read() or b"null")


def writer(port, token, unit, tag, acknowledged, lock, stop):
    n = 0
    while not stop.is_set():
        n += 1
        title = f"断电测试 {tag}-{n}"
        try:
            status, item = call(port, token, "POST", "/api/v1/items",
                                {"title": title, "responsible_unit": unit, "draft": True})
        except (OSError, urllib.error.HTTPError, ValueError):
            continue  # the server is gone: this write was never acknowledged
        if status == 201:
            with lock:
                acknowledged.append((item["id"], title))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--database")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--port", type=int, default=18099)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bangdu-crash-")
    sqlite_path = None
    url = args.database
    if not url:
        sqlite_path = os.path.join(work, "crash.sqlite3")
        url = f"sqlite://{sqlite_path}"
    log = open(os.path.join(work, "serve.log"), "ab")
    env = dict(os.environ, BANGDU_DATABASE_URL=url, BANGDU_LOG="warn")

    proc = start(args.bin, url, args.port, log)
    token = subprocess.run([args.bin, "admin", "token", "--username", "office", "--name", "断电测试"],
                           env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    _, units = call(args.port, token, "GET", "/api/v1/units?kind=department&per_page=1")
    unit = units["data"][0]["code"]

    acknowledged, lock = [], threading.Lock()
    rng = random.Random(2026)
    for round_no in range(1, args.rounds + 1):
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(args.port, token, unit, f"{round_no}.{w}", acknowledged, lock, stop))
                   for w in range(args.writers)]
        for t in threads:
            t.start()
        time.sleep(args.seconds * (0.5 + rng.random()))
        proc.send_signal(signal.SIGKILL)  # mid-write: no chance to finish anything
        proc.wait()
        stop.set()
        for t in threads:
            t.join()
        proc = start(args.bin, url, args.port, log)
        print(f"round {round_no}: killed with {len(acknowledged)} writes acknowledged so far", flush=True)

    lost = []
    for item_id, title in acknowledged:
        try:
            status, item = call(args.port, token, "GET", f"/api/v1/items/{item_id}")
            if status != 200 or item.get("title") != title:
                lost.append(item_id)
        except (OSError, urllib.error.HTTPError):
            lost.append(item_id)
    proc.send_signal(signal.SIGTERM)
    proc.wait()

    verify = subprocess.run([args.bin, "audit", "verify"], env=env, capture_output=True, text=True)
    integrity = "PostgreSQL (crash-safe by its write-ahead log)"
    if sqlite_path:
        with sqlite3.connect(sqlite_path) as db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    print(f"rounds: {args.rounds}, writers: {args.writers}, acknowledged writes: {len(acknowledged)}, "
          f"lost: {len(lost)}, integrity: {integrity}, audit verify: "
          f"{'ok' if verify.returncode == 0 else 'FAILED'}")
    broken = sqlite_path is not None and integrity != "ok"
    if lost or verify.returncode != 0 or broken:
        print(verify.stdout, verify.stderr, file=sys.stderr)
        print(f"lost ids: {lost[:20]}", file=sys.stderr)
        sys.exit(1)
    if not acknowledged:
        sys.exit("no write was acknowledged: the load did not run")


if __name__ == "__main__":
    main()
