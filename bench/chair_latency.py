"""Clerk-commit → chair-repaint latency, measured in one run.

A writer process (clerk-equivalent) records a roll call on a fresh 12th GA
session, one vote every ``--pace`` seconds, and prints the monotonic time at
which each vote was committed. The chair app runs headless in this process,
following the same SQLite file read-only; once a board showing a new vote has
been composited (``call_after_refresh``), the time is noted. The latency of a
vote is paint time − commit time (both CLOCK_MONOTONIC, shared by processes).

    .venv/bin/python bench/chair_latency.py [--quick] [--votes N] [--pace S]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from near_tui.chair.app import POLL_INTERVAL, ChairApp  # noqa: E402
from near_tui.chair.follower import LogFollower  # noqa: E402
from near_tui.inputs.agenda_file import load_agenda  # noqa: E402
from near_tui.service.imports import import_file  # noqa: E402
from near_tui.service.session import Session  # noqa: E402

AGENDA = ROOT / "agenda"
WRITER = ROOT / "tests" / "chair" / "clerk_writer.py"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def measure(db: str, pace: float, poll: float) -> list[float]:
    painted: list[tuple[int, float]] = []  # (last event seq on screen, when it was composited)

    def on_painted(board) -> None:
        painted.append((board.seq, time.monotonic()))

    app = ChairApp(LogFollower(db), poll_interval=poll, on_painted=on_painted)
    async with app.run_test(size=(160, 45)) as pilot:
        writer = subprocess.Popen(
            [sys.executable, str(WRITER), db, "2", "--pause", str(pace)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while writer.poll() is None:
            await pilot.pause(0.01)
        out, err = writer.communicate()
        if writer.returncode != 0:
            raise SystemExit(f"writer failed: {err.strip()}")
        await pilot.pause(0.5)
        if app.problems:
            raise SystemExit(f"the chair could not read the log: {app.problems[0]}")
    latencies = []
    for line in out.splitlines():
        if not line[:1].isdigit():
            continue
        committed, seq = float(line.split()[0]), int(line.split()[1])
        shown = next((t for s, t in painted if s >= seq), None)
        if shown is not None:
            latencies.append((shown - committed) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer votes (CI smoke run)")
    parser.add_argument("--pace", type=float, default=0.3, help="seconds between two votes (default 0.3)")
    parser.add_argument("--poll", type=float, default=POLL_INTERVAL, help="chair poll interval in seconds")
    args = parser.parse_args()
    votes = 29  # the sample roll call on item 2 (29 members present)
    pace = 0.15 if args.quick else args.pace
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "bench.sqlite")
        session = Session.create(load_agenda(AGENDA / "ga12-2018.yaml"), db)
        import_file(session, "attendance", AGENDA / "ga12-2018-attendance.csv")
        import_file(session, "letters", AGENDA / "ga12-2018-letters.csv")
        session.close_log()
        latencies = asyncio.run(measure(db, pace, args.poll))
    if not latencies:
        raise SystemExit("no repaint was observed")
    print(f"machine: {platform.platform()} · {platform.python_implementation()} {platform.python_version()}"
          f" · {os.cpu_count()} CPUs · {platform.processor() or platform.machine()}")
    print(f"chair poll interval {args.poll * 1000:.0f} ms · writer pace {pace * 1000:.0f} ms · SQLite WAL")
    print(f"votes committed {votes} · votes seen on the chair screen {len(latencies)}")
    print(f"clerk commit → chair repaint: p50 {statistics.median(latencies):.0f} ms · "
          f"p95 {percentile(latencies, 95):.0f} ms · max {max(latencies):.0f} ms")


if __name__ == "__main__":
    main()
