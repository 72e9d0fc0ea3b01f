"""The benchmarks' short mode runs in CI and prints every figure (speed itself is never asserted here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import ROOT, child_env

FIGURES = [
    "key→painted p95, clerk / one-Static floor",
    "keypress→commit→repaint p95 / bare insert",
    "durable commit alone (record_vote) p95 / bare",
    "per-vote median, 79 / 1,000 / 10,000",
    "report --json, ",
    "start-up to first frame, clerk / hello",
    "peak RSS, clerk / hello",
    "near-tui --help / python -c pass",
]


@pytest.mark.slow
def test_quick_bench_prints_every_figure():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"], capture_output=True,
                          text=True, cwd=ROOT, env=child_env(), timeout=600, stdin=subprocess.DEVNULL)
    print(done.stdout)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("machine: ")
    for figure in FIGURES:
        assert any(text.startswith(figure) and " target " in text for text in done.stdout.splitlines()), figure
    assert done.stdout.rstrip().endswith("bench: done")
