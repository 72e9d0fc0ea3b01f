"""``near-tui audit``: the log checks itself, at any moment, with no closed session and no key.

It reads the whole log (read-only, a live session too), recomputes the hash chain from the
first event and replays every event under the session's rules, asking before each whether
the rules allowed it then (a close must carry the tally of the votes before it, and so on):
the very check ``verify --db`` makes (``verification.check_events``). Given the checkpoint
folder and the public key, it also compares every signed checkpoint with the log.

What it catches without a key: an edited event (its hash no longer matches), a deleted or
inserted one (the chain or the numbering breaks), and a re-hashed rewrite that breaks a rule
(an edited vote under a close whose tally it no longer matches). A careful rewrite that
re-hashes the chain and keeps every rule is caught only by a signature: the checkpoints
signed at each vote close, or the declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from near_tui.core import events as ev

from .minutes_text import utc
from .verification import Findings, check_events, read_log


@dataclass
class Audit:
    findings: Findings
    events: int
    head: str
    checkpoints: list[int] | None = None  # the sequence numbers of the checkpoints that hold, if checked

    @property
    def holds(self) -> bool:
        return self.findings.holds


def audit_log(db: str, checkpoints: str | Path | None = None, pub: str | Path | None = None) -> Audit:
    """Check the log of ``db``; with ``checkpoints`` and ``pub``, also every checkpoint in that folder."""
    found = Findings()
    public = None
    if checkpoints is not None:
        from .keys import load_public_key

        public = load_public_key(Path(pub))  # an unusable key is the user's to fix (exit 2), before any reading
    events = read_log(db, found)
    if events is None:
        return Audit(found, 0, ev.GENESIS)
    check_events(events, found)
    for earlier, later in ev.clock_steps_back(events):
        found.problems.append(f"log: event {later.seq} ({later.kind}) is dated {utc(later.recorded_at)}, before event "
                              f"{earlier.seq} ({utc(earlier.recorded_at)}) — the recording clock went back; the "
                              "times from there on are as that clock gave them (the minutes say so)")
    if public is not None:
        from .checkpoints import FOLDER, check_checkpoints

        folder = Path(checkpoints)
        if (folder / FOLDER).is_dir():
            folder = folder / FOLDER  # the declaration folder was given
        opened = next((e.payload.get("session") for e in events if e.kind == ev.SESSION_OPENED), None)
        session_id = opened.get("id") if isinstance(opened, dict) else None
        held = check_checkpoints(folder, public, events, session_id, found)
    else:
        held = None
    head = events[-1].hash if events else ev.GENESIS
    return Audit(found, len(events), head, held)
