"""bench/board_latency.py's short run: it runs end to end and prints every figure (speed is not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "board_latency.py"


def test_the_board_benchmark_runs_and_prints_its_figures():
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--viewers", "50"], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)
    print(done.stdout)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for start in ("machine: ", "board: one process · 50 viewers", "clerk: 50 votes", "commit → event received",
                  "votes never seen by a viewer: ", "viewers dropped: ", "board RSS: ", "CPU while"):
        assert any(line.startswith(start) for line in lines), start
    assert "viewers dropped: 0 " in done.stdout  # on loopback nobody may be dropped, however slow the machine
