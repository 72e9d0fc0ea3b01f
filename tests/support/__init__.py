"""Paths and helpers shared by the hardening tests (the sample session, the corpus, the real CLI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AGENDA_DIR = ROOT / "agenda"
GA12 = AGENDA_DIR / "ga12-2018.yaml"
GA12_ATTENDANCE = AGENDA_DIR / "ga12-2018-attendance.csv"
GA12_LETTERS = AGENDA_DIR / "ga12-2018-letters.csv"
GA12_VOTES = AGENDA_DIR / "ga12-2018-votes.csv"
BAD_INPUTS = ROOT / "tests" / "bad_inputs"
HERE = Path(__file__).resolve().parent

# bench/synthetic.py builds rosters of any size; the tests use it too.
sys.path.insert(0, str(ROOT / "bench"))


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the real ``near-tui`` command in a child process, as a user would."""
    return subprocess.run([sys.executable, "-m", "near_tui", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=child_env(), timeout=timeout, stdin=subprocess.DEVNULL)
