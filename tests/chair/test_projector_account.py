"""The chair under another account than the clerk's (a projector account), on a SQLite file.

The clerk (root here) writes; the chair's follower, or `near-tui chair`, runs in a child
process that drops to the ``nobody`` account (``as_account.py``). Found by these tests
(docs/chair.md, "The projector account"):

- database, -wal and -shm readable, folder not writable: the chair follows live, and goes on
  following when the clerk quits and comes back (its open connection keeps the two files);
- -wal and -shm not readable (0600): SQLite cannot open the session at all — the chair
  refuses to start, or says NOT LIVE, naming the files and the fix;
- no -wal/-shm (no clerk has the session open) and a folder it cannot write: SQLite cannot
  open it either ("attempt to write a readonly database") — same, telling to start the clerk;
- no -wal/-shm and a folder it CAN write: opening would create them owned by the projector
  account, and a clerk under another account could then no longer record — the chair
  refuses rather than create them.

Needs root to switch accounts; CI runs as root.
"""

from __future__ import annotations

import json
import os
import pwd
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from chair import scenes
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, FixedClock

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="switching to the projector's account needs root (CI runs as root)")

AS_ACCOUNT = Path(__file__).with_name("as_account.py")


def projector() -> tuple[int, int]:
    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


@pytest.fixture
def hall():
    """A folder the projector account can enter and read but not write, like a clerk's home folder."""
    folder = Path(tempfile.mkdtemp(prefix="near-projector-", dir="/tmp"))
    folder.chmod(0o755)
    old = os.umask(0o022)  # the clerk's usual umask: new files readable by all
    try:
        yield folder
    finally:
        os.umask(old)
        shutil.rmtree(folder)


def session_in(folder: Path) -> tuple[Session, str]:
    db = str(folder / "ga12.sqlite")
    session = Session.create(load_agenda(GA12), db, clock=FixedClock())
    import_file(session, "attendance", GA12_ATTENDANCE)
    import_file(session, "letters", GA12_LETTERS)
    Path(db).chmod(0o644)
    return session, db


def side_files(db: str) -> list[Path]:
    return [Path(db + "-wal"), Path(db + "-shm")]


class Follower:
    """The follower running as the projector account, read line by line."""

    def __init__(self, db: str, seconds: float = 60) -> None:
        uid, gid = projector()
        self.proc = subprocess.Popen([sys.executable, str(AS_ACCOUNT), str(uid), str(gid), "follow", db, str(seconds)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.account = self.next(60)["account"]  # Python start-up and imports: slow on a busy machine
        self.opened = self.next(60)  # the first board it read (or why it refused)
        assert "seq" in self.opened, self.opened

    def next(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            ended = self.proc.poll() is not None
            raise AssertionError(f"the follower said nothing for {timeout:.1f} s"
                                 + (f"; it ended: {self.proc.stderr.read()}" if ended else ""))
        return json.loads(line)

    def quiet(self, seconds: float) -> bool:
        """Nothing said for ``seconds`` (the follower prints a line only when what it shows changes)."""
        ready, _, _ = select.select([self.proc.stdout], [], [], seconds)
        return not ready

    def until(self, condition, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        state = None
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"never seen; last seen: {state}"
            state = self.next(left)
            if condition(state):
                return state

    def stop(self) -> str:
        _, err = self.proc.communicate(input="", timeout=30)  # closing its stdin ends it
        return err


def chair_command(db: str) -> subprocess.CompletedProcess:
    uid, gid = projector()
    return subprocess.run([sys.executable, str(AS_ACCOUNT), str(uid), str(gid), "chair", db],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_a_projector_account_with_read_access_follows_the_clerks_votes_live(hall):
    clerk, db = session_in(hall)
    clerk.open_vote("2")  # the clerk has the session open: its -wal and -shm are there, 0644 like the database
    assert all(p.exists() and p.stat().st_mode & 0o777 == 0o644 for p in side_files(db))
    follower = Follower(db)
    try:
        assert follower.account == pwd.getpwuid(projector()[0]).pw_name != "root"
        answers = []
        for member_id, vote in scenes.sample_votes("2")[:10]:
            (event,) = clerk.record_vote("2", member_id, vote)
            answers.append((member_id, vote))
            mine = dict(scenes.recount("2", answers))
            seen = follower.until(lambda s: s.get("seq") == event.seq)
            assert {k: seen[k] for k in mine} == mine and seen["problem"] is None
        # The clerk quits (a restart of its laptop's app): the chair's open connection keeps the -wal
        # and -shm files (SQLite leaves them to the last connection), so the chair goes on reading
        # and follows the clerk again once it is back, with no NOT LIVE in between.
        clerk.close_log()
        assert all(p.exists() for p in side_files(db))
        assert follower.quiet(1.5)  # it says every change it sees: no NOT LIVE, no new figures
        back = Session.open(db, clock=FixedClock())
        try:
            member_id, vote = scenes.sample_votes("2")[10]
            (event,) = back.record_vote("2", member_id, vote)
            answers.append((member_id, vote))
            seen = follower.until(lambda s: s.get("seq") == event.seq)
            mine = dict(scenes.recount("2", answers))
            assert {k: seen[k] for k in mine} == mine and seen["problem"] is None
        finally:
            back.close_log()
    finally:
        assert "Traceback" not in follower.stop()
        clerk.close_log()
    # The chair, last to leave, could not fold the WAL back (it may not write): the next clerk does.
    again = Session.open(db, clock=FixedClock())
    assert again.state.items["2"].votes == dict(answers)
    again.close_log()
    assert not any(p.exists() for p in side_files(db))


def test_unreadable_wal_and_shm_files_are_said_not_shown_as_old_figures(hall):
    clerk, db = session_in(hall)
    clerk.open_vote("2")
    follower = Follower(db)
    try:
        for path in side_files(db):
            path.chmod(0o600)  # e.g. a clerk whose umask is 077
        clerk.record_vote("2", *scenes.sample_votes("2")[0])
        stale = follower.until(lambda s: s["problem"] is not None)
        assert stale["problem"].startswith("cannot read the clerk's latest votes: this account (")
        assert "ga12.sqlite-wal and ga12.sqlite-shm" in stale["problem"]
        assert stale["problem"].endswith("give the projector account read access to the database folder "
                                         "and its -wal and -shm files")
        refused = chair_command(db)
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1
        assert refused.stderr.startswith(f"near-tui: {db}: cannot read the clerk's latest votes")
        for path in side_files(db):
            path.chmod(0o644)
        back = follower.until(lambda s: s["problem"] is None)
        assert back["yes"] == scenes.recount("2", scenes.sample_votes("2")[:1])["yes"]
    finally:
        follower.stop()
        clerk.close_log()


def test_without_the_clerk_and_a_folder_it_cannot_write_the_chair_refuses_in_one_line(hall):
    clerk, db = session_in(hall)
    clerk.close_log()  # no clerk: no -wal, no -shm
    assert not any(p.exists() for p in side_files(db))
    refused = chair_command(db)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    missing = "ga12.sqlite-wal and ga12.sqlite-shm are missing (the clerk does not have the session open)"
    assert missing in refused.stderr
    assert f"cannot create them in {hall}" in refused.stderr and "start the clerk first" in refused.stderr
    assert not any(p.exists() for p in side_files(db))


def test_the_chair_never_creates_the_sessions_files_as_another_account(hall):
    clerk, db = session_in(hall)
    clerk.close_log()
    hall.chmod(0o777)  # a folder everybody may write (a shared or careless setup)
    refused = chair_command(db)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "would keep the clerk's account from writing the session" in refused.stderr
    assert not any(p.exists() for p in side_files(db))  # nothing was created as the projector account
