"""Where things are: the checkout, the 12th GA sample, the bad-input corpus, the worker scripts."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AGENDA_DIR = ROOT / "agenda"
GA12 = AGENDA_DIR / "ga12-2018.yaml"
GA12_ATTENDANCE = AGENDA_DIR / "ga12-2018-attendance.csv"
GA12_LETTERS = AGENDA_DIR / "ga12-2018-letters.csv"
GA12_VOTES = AGENDA_DIR / "ga12-2018-votes.csv"
GA12_RESULTS = AGENDA_DIR / "ga12-2018-results.csv"
GA12_ADDENDA_VOTES = AGENDA_DIR / "ga12-2018-addenda-votes.csv"
BAD_INPUTS = ROOT / "tests" / "bad_inputs"
# The scripts the tests run in child processes (crash_writer.py, concurrency_worker.py ...) sit here.
HERE = Path(__file__).resolve().parent

# bench/synthetic.py builds rosters of any size; the tests use it too.
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))
