"""Faults a venue can throw at the database: a read-only file, a full disk, a newer near_tui's file.

Each must give one clear line (exit 2 from the CLI, a StorageError in the
app), lose nothing already recorded and leave no half-written state: the same
session carries on once the fault is gone.

As root (CI) the faults are real: a small tmpfs is mounted, filled, or
remounted read-only. Without the right to mount, a read-only file is made with
chmod and a full disk with SQLite's max_page_count, which fails the same way
(SQLITE_FULL).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import synthetic  # noqa: E402 — from bench/, put on the path by support

from near_tui.core import events as ev
from near_tui.core.errors import StorageError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from support import GA12, GA12_ATTENDANCE, near, run_cli


def _mount(folder: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


@contextmanager
def small_disk(size: str = "2m"):
    """A folder on a filesystem of its own; yields (folder, mounted?)."""
    folder = Path(tempfile.mkdtemp(prefix="near-fault-"))
    mounted = _mount(folder, f"size={size},mode=0755")
    try:
        yield folder, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)
        subprocess.run(["rm", "-rf", str(folder)], check=True)


def one_line_refusal(done, says: str) -> None:
    """``done``: a command run in this process (click's Result) or in a child (CompletedProcess)."""
    status = done.returncode if isinstance(done, subprocess.CompletedProcess) else done.exit_code
    assert status == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert says in done.stderr, done.stderr


def events_of(db: str) -> list[ev.Event]:
    reader = Session.open(db, readonly=True)
    try:
        return reader.log.read_events()
    finally:
        reader.close_log()


def test_read_only_database_refuses_writes_clearly_and_still_reads():
    with small_disk() as (folder, mounted):
        db = str(folder / "session.sqlite")
        session = Session.create(load_agenda(GA12), db)
        import_file(session, "attendance", GA12_ATTENDANCE)
        session.close_log()
        before = events_of(db)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            os.chmod(db, 0o444)
            os.chmod(folder, 0o555)
        try:
            one_line_refusal(near("import", "attendance", GA12_ATTENDANCE, "--db", db), "read-only")
            with pytest.raises(StorageError, match="read-only"):
                Session.open(db).set_attendance("cn-henan", "absent")
            # The record can still be read (a session archived on a write-protected stick).
            report = near("report", "--json", "--db", db)
            assert report.exit_code == 0 and '"in_person": 29' in report.stdout, report.stderr
        finally:
            if mounted:
                subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
            else:
                os.chmod(folder, 0o755)
                os.chmod(db, 0o644)
        after = events_of(db)
        assert after == before and ev.chain_problems(after) == []
        # Writable again: the same session carries on.
        Session.open(db).set_attendance("cn-henan", "absent")
        assert len(events_of(db)) == len(before) + 1


def test_disk_full_loses_nothing_and_the_session_carries_on():
    with small_disk("2m") as (folder, mounted):
        db = str(folder / "session.sqlite")
        session = Session.create(synthetic.definition(200, 2), db)
        session.record(synthetic.attendance_actions(200))
        session.open_vote("1")
        for n in range(1, 11):
            session.record_vote("1", synthetic.member_id(n), "yes")
        before = events_of(db)

        filler = folder / "filler"
        if mounted:
            with open(filler, "wb", buffering=0) as out:
                try:
                    while True:
                        out.write(b"\0" * 65536)
                except OSError:
                    pass  # the disk is full now
        else:
            with session.log.connections.transaction() as tx:  # the writer's kept connection
                pages = tx.scalar("PRAGMA page_count")
                tx.run(f"PRAGMA max_page_count = {pages}")

        refused = 0
        for n in range(11, 200):
            try:
                session.record_vote("1", synthetic.member_id(n), "yes")
            except StorageError as exc:
                assert "is full — free space" in str(exc) and "nothing was recorded" in str(exc)
                refused = n
                break
        assert refused, "the disk never filled"
        # What was acknowledged is all there; the refused vote is not, not even in part.
        on_disk = events_of(db)
        assert on_disk[: len(before)] == before and ev.chain_problems(on_disk) == []
        assert synthetic.member_id(refused) not in session.state.items["1"].votes
        assert [e.seq for e in on_disk] == list(range(1, session.state.last_seq + 1))
        if mounted:
            # The command line says the same in one line.
            one_line_refusal(near("import", "attendance", _one_row_csv(folder), "--db", db), "is full — free space")
            filler.unlink()
        else:
            with session.log.connections.transaction() as tx:
                tx.run("PRAGMA max_page_count = 1073741823")

        # Space is back: the same open session records the vote it was refused.
        session.record_vote("1", synthetic.member_id(refused), "yes")
        state = Session.open(db, readonly=True).state
        assert len(state.items["1"].votes) == refused
        assert ev.chain_problems(events_of(db)) == []
        session.close_log()


def _one_row_csv(folder: Path) -> Path:
    """A valid one-row attendance file, kept off the (possibly full) session disk."""
    path = Path(tempfile.mkdtemp()) / "attendance.csv"
    path.write_text("member_id,mode\nm-00001,online\n")
    return path


def test_database_from_a_newer_near_tui_is_refused_untouched(tmp_path):
    db = str(tmp_path / "session.sqlite")
    Session.create(synthetic.definition(5, 1), db).close_log()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE near_meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    before = Path(db).read_bytes()
    for args in (["import", "attendance", str(_one_row_csv(tmp_path))], ["report"]):
        one_line_refusal(near(*args, "--db", db), "newer near_tui")
    with pytest.raises(StorageError, match="newer near_tui"):
        Session.open(db)
    assert Path(db).read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\0" + b"\xff" * 200, b"member_id,mode\n"])
def test_a_file_that_is_not_a_session_database_is_refused(tmp_path, content):
    db = tmp_path / "session.sqlite"
    db.write_bytes(content)
    one_line_refusal(near("report", "--db", db), str(db))
    if content:
        assert db.read_bytes() == content


def test_a_full_disk_at_start_up_says_so_and_the_record_still_reads():
    """The session database on a disk that filled up while no program had it open: every writer
    says the disk is full (SQLite's own words are "disk I/O error"), and `report` and `audit` read."""
    with small_disk("1m") as (folder, mounted):
        db = str(folder / "session.sqlite")
        assert near("new", GA12, "--db", db).exit_code == 0
        assert near("import", "attendance", GA12_ATTENDANCE, "--db", db).exit_code == 0
        before = events_of(db)
        if not mounted:  # without a disk of its own the test cannot fill one: it cannot pass either
            pytest.fail("needs root to mount a small tmpfs (as CI runs)")
        with open(folder / "filler", "wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
            except OSError:
                pass  # the disk is full now
        full = f"the disk holding {folder} is full — free space"
        for command in (["import", "attendance", str(GA12_ATTENDANCE)], ["agenda", "withdraw", "--item", "8", "--reason", "x"]):
            one_line_refusal(near(*command, "--db", db), full)
        # The clerk's console in a real process: were it not refused, it would start, not hang this one.
        one_line_refusal(run_cli("clerk", "--db", db), full)
        report = near("report", "--json", "--db", db)
        assert report.exit_code == 0 and '"in_person": 29' in report.stdout, report.stderr
        audit = near("audit", "--db", db)
        assert audit.exit_code == 0 and audit.stdout.startswith(f"audit: {len(before)} events"), audit.stderr
        (folder / "filler").unlink()
        assert events_of(db) == before
