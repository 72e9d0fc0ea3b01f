"""Crash test: a real writer process is killed with SIGKILL at 100 random moments.

After every kill the log is reopened and checked: each vote whose commit the
writer acknowledged is there exactly once with the value it was given, no vote
is recorded twice, and the hash chain verifies. A new writer then carries on
from where the log stands; at the end one finishes the session and every member
has exactly one vote on the roll call it closed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import synthetic  # noqa: E402 — from bench/, put on the path by support

from near_tui.core import events as ev
from near_tui.service.session import Session
from near_tui.storage.session_log import SessionLog
from support import HERE, ROOT, child_env

KILLS = 100
MEMBERS = 100
ITEMS = 250  # 25,000 votes: more than 100 writers reach at today's speed (about 1 ms a vote)


class Writers:
    """Forks writer processes from one loaded parent (see crash_writer.py)."""

    def __init__(self, db: str, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.parent = subprocess.Popen([sys.executable, str(HERE / "crash_writer.py"), db],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                       cwd=ROOT, env=child_env())
        assert self.parent.stdout.readline() == "LOADED\n"

    def start(self) -> tuple[int, Path]:
        """Start a writer; return once it has opened the session."""
        self.count += 1
        acks = self.folder / f"acks-{self.count}.txt"
        self.parent.stdin.write(f"go {acks}\n")
        self.parent.stdin.flush()
        pid = ready = None
        while ready is None or ready != pid:
            line = self.parent.stdout.readline()
            assert line, "the writer parent died"
            word, number = line.split()
            if word == "PID":
                pid = int(number)
            elif word == "READY":
                ready = int(number)
        return pid, acks

    def close(self) -> None:
        self.parent.stdin.close()
        self.parent.wait(timeout=30)


def wait_gone(pid: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)
    raise AssertionError(f"writer {pid} did not end")


def read_acks(path: Path, acked: dict) -> str:
    text = path.read_text() if path.exists() else ""
    for line in text.splitlines():
        if line.startswith("ACK "):
            _, item_id, member_id, vote = line.split()
            acked[item_id, member_id] = vote
    return text


def read_log(db: str) -> list[ev.Event]:
    log = SessionLog(db, readonly=True)
    try:
        return log.read_events()
    finally:
        log.dispose()


def check_log(events: list[ev.Event], acked: dict) -> int:
    """Assert the log holds every acknowledged vote once, unaltered; return the votes recorded."""
    assert ev.chain_problems(events) == []
    counts: Counter = Counter()
    values = {}
    for e in events:
        if e.kind in (ev.VOTE_RECORDED, ev.VOTE_CORRECTED):
            key = (e.payload["item_id"], e.payload["member_id"])
            counts[key] += 1
            values[key] = e.payload["vote"]
    duplicated = [key for key, n in counts.items() if n > 1]
    assert duplicated == [], f"votes recorded more than once: {duplicated[:5]}"
    lost = [key for key in acked if key not in values]
    assert lost == [], f"acknowledged votes missing after a kill: {lost[:5]}"
    assert [key for key, vote in acked.items() if values[key] != vote] == []
    kinds = Counter(e.kind for e in events)
    assert kinds[ev.VOTE_OPENED] <= ITEMS and kinds[ev.VOTE_CLOSED] <= ITEMS
    return len(values)


@pytest.mark.slow
@pytest.mark.timeout(900)  # a hundred kills and restarts; minutes on a loaded machine
def test_sigkill_at_100_random_moments_loses_and_duplicates_nothing(tmp_path):
    db = str(tmp_path / "crash.sqlite")
    session = Session.create(synthetic.definition(MEMBERS, ITEMS), db)
    session.record(synthetic.attendance_actions(MEMBERS))
    session.close_log()

    rng = random.Random(20181029)
    acked: dict[tuple[str, str], str] = {}
    in_flight = 0  # kills that fell after a commit but before its ACK was written
    writers = Writers(db, tmp_path)
    try:
        for _ in range(KILLS):
            pid, acks = writers.start()
            time.sleep(rng.uniform(0.0, 0.15))
            os.kill(pid, signal.SIGKILL)
            wait_gone(pid)
            assert "DONE" not in read_acks(acks, acked), "the session ended before the kills did — enlarge it"
            events = read_log(db)  # no writer runs now: one read serves both steps
            votes = check_log(events, acked)
            # Only the one vote in flight may be committed without its ACK.
            assert votes - len(acked) <= 1
            in_flight += votes - len(acked)
            adopt_unacknowledged(events, acked)

        # One more writer, left alone until it has closed the roll call it resumed: every
        # member then has exactly one vote on that item, however many kills it took.
        pid, acks = writers.start()
        deadline = time.monotonic() + 120
        while "CLOSED" not in (acks.read_text() if acks.exists() else ""):
            assert time.monotonic() < deadline, "the resumed writer never closed its roll call"
            time.sleep(0.01)
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid)
        closed_item = read_acks(acks, acked).split("CLOSED ", 1)[1].split()[0]
    finally:
        writers.close()
    check_log(read_log(db), acked)
    final = Session.open(db, readonly=True)
    tally = final.state.tally(closed_item)
    assert tally.status == "closed" and tally.yes + tally.no + tally.abstain == MEMBERS
    closed = [i for i in final.state.item_order if final.state.items[i].status == "closed"]
    assert all(len(final.state.items[i].votes) == MEMBERS for i in closed)
    final.close_log()
    print(f"{KILLS} kills; {len(acked)} votes over {len(closed)} closed roll calls; "
          f"{in_flight} kills fell inside a commit (vote on disk, ACK not yet written)")


def adopt_unacknowledged(events: list[ev.Event], acked: dict) -> None:
    """Votes committed just before a kill (never acknowledged) must stay too: check them from now on."""
    for e in events:
        if e.kind == ev.VOTE_RECORDED:
            acked.setdefault((e.payload["item_id"], e.payload["member_id"]), e.payload["vote"])
