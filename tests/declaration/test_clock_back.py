"""A recording clock that goes back between two events: `audit` flags it, and the minutes say where."""

from __future__ import annotations

import subprocess
import sys

from near_tui.declaration.closing import close_and_write
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import GA12, ROOT, FixedClock


class JumpingClock:
    """A clock that runs in 2027 and, after ``jump_after`` stamps, in 2016 (ten years back)."""

    def __init__(self, jump_after: int) -> None:
        self.before, self.after, self.left = FixedClock("2027-01-06T09:00:00"), FixedClock("2016-12-09T09:00:00"), jump_after

    def __call__(self) -> str:
        self.left -= 1
        return self.before() if self.left >= 0 else self.after()


def test_a_clock_going_back_is_flagged_by_audit_and_told_in_the_minutes(tmp_path, key_pair):
    db = str(tmp_path / "s.sqlite")
    session = Session.create(load_agenda(GA12), db, clock=JumpingClock(jump_after=2))
    session.set_attendance("cn-hunan", "in_person")  # events 1-2: opened, seat joined; 3: attendance (2027)
    session.set_attendance("cn-hubei", "in_person")  # event 4: dated 2016
    steps = [(e.seq, e.recorded_at[:4]) for e in session.log.read_events()]
    assert steps[2:] == [(3, "2027"), (4, "2016")]
    done = subprocess.run([sys.executable, "-m", "near_tui", "audit", "--db", db], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert ("audit: log: event 4 (attendance_set) is dated 2016-12-09 09:00:00 UTC, before event 3 "
            "(2027-01-06 09:00:01 UTC) — the recording clock went back") in done.stdout
    key, _pub = key_pair
    close_and_write(session, key, tmp_path / "out", leave_pending=True)
    session.close_log()
    minutes = (tmp_path / "out" / "minutes.md").read_text(encoding="utf-8")
    assert "## Recording clock" in minutes
    assert ("Event 4 (attendance set) is dated 2016-12-09 09:00:00 UTC, before event 3, dated "
            "2027-01-06 09:00:01 UTC") in minutes


def test_a_clock_that_only_goes_forward_adds_nothing(tmp_path, key_pair):
    db = str(tmp_path / "s.sqlite")
    session = Session.create(load_agenda(GA12), db, clock=FixedClock())
    session.set_attendance("cn-hunan", "in_person")
    key, _pub = key_pair
    close_and_write(session, key, tmp_path / "out", leave_pending=True)
    session.close_log()
    assert "Recording clock" not in (tmp_path / "out" / "minutes.md").read_text(encoding="utf-8")
