#!/usr/bin/env python3
"""Measures how long `bangdu serve` takes from process start to its first `200` on /healthz.

Each run starts from an empty database (a new SQLite file, or a new PostgreSQL database when
--postgres names a server), so migrations and the built-in calendar load are included; a second
start on the same database is measured too. Prints the median and the worst of N runs.

Usage: python3 scripts/measure-startup.py BINARY [--runs N] [--postgres postgres://root@127.0.0.1:5432/postgres]
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request


def wait_healthy(url, deadline):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=0.2) as response:
                if response.status == 200:
                    return True
        except Exception:
            time.sleep(0.002)
    return False


def start_once(binary, database, port):
    env = dict(os.environ, BANGDU_DATABASE_URL=database, BANGDU_LOG="warn")
    began = time.monotonic()
    server = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_healthy(f"http://127.0.0.1:{port}/healthz", began + 30):
            raise SystemExit("the server did not become healthy within 30 s")
        return (time.monotonic() - began) * 1000
    finally:
        server.terminate()
        server.wait(timeout=10)


def psql(server, sql):
    subprocess.run(["psql", server, "-qc", sql], check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    first, second = [], []
    for run in range(args.runs):
        port = 18500 + run
        if args.postgres:
            name = f"bangdu_startup_{os.getpid()}_{run}"
            psql(args.postgres, f"CREATE DATABASE {name}")
            database = args.postgres.rsplit("/", 1)[0] + "/" + name
        else:
            directory = tempfile.mkdtemp()
            database = f"sqlite://{directory}/bangdu.sqlite3"
        first.append(start_once(args.binary, database, port))
        second.append(start_once(args.binary, database, port))
        if args.postgres:
            psql(args.postgres, f"DROP DATABASE {name} WITH (FORCE)")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{backend}, {args.runs} runs: empty database median {statistics.median(first):.0f} ms, "
          f"worst {max(first):.0f} ms; existing database median {statistics.median(second):.0f} ms, "
          f"worst {max(second):.0f} ms")


if __name__ == "__main__":
    main()
