"""Every wait on the database is bounded, and a write counts only in the file at the path.

A write that waits on another client's lock gives up after WRITE_WAIT with one message and
records nothing (SQLite's busy timeout, PostgreSQL's lock_timeout); a database deleted or
replaced under a writer is refused (``LogVanished``, ``LogReplaced``), with nothing
acknowledged that is in no file anyone can open.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from near_tui.core import events as ev
from near_tui.core.errors import LogReplaced, LogVanished, StorageError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.storage import engines
from support import GA12, GA12_ATTENDANCE, toast_messages


def ga12_with_attendance(db: str) -> None:
    session = Session.create(load_agenda(GA12), db)
    import_file(session, "attendance", GA12_ATTENDANCE)
    session.open_vote("2")
    session.close_log()


def vote_events(db: str) -> list[ev.Event]:
    reader = Session.open(db, readonly=True)
    try:
        return [e for e in reader.log.read_events() if e.kind in (ev.VOTE_RECORDED, ev.VOTE_CORRECTED)]
    finally:
        reader.close_log()


def other_client(url: str) -> psycopg.Connection:
    """A second PostgreSQL client, as psql would be, on the same database."""
    u = make_url(url)
    return psycopg.connect(host=u.query["host"], port=int(u.query["port"]), user=u.username, dbname=u.database)


def test_postgresql_connections_carry_their_bounds(pg_server):
    url = pg_server.new_database()
    ga12_with_attendance(url)
    session = Session.open(url)
    try:
        with session.log.connections.transaction() as tx:
            shown = {name: tx.scalar(f"SHOW {name}") for name in ("lock_timeout", "statement_timeout")}
    finally:
        session.close_log()
    assert shown == {"lock_timeout": f"{engines.WRITE_WAIT:g}s", "statement_timeout": f"{engines.STATEMENT_WAIT:g}s"}


async def test_a_postgresql_lock_table_by_another_client_is_one_message_after_a_bounded_wait(pg_server, monkeypatch):
    monkeypatch.setattr(engines, "WRITE_WAIT", 1.0)  # read when the seat's engine is made
    url = pg_server.new_database()
    ga12_with_attendance(url)
    from near_tui.clerk import build_app

    app = build_app(url, item="2")

    async def run() -> tuple[float, list[str], str]:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            member = app.screen.now
            locker = other_client(url)
            try:
                locker.execute("LOCK TABLE near_events IN EXCLUSIVE MODE")  # inside its transaction
                started = time.monotonic()
                await pilot.press("a")
                await asyncio.wait_for(app.writes_settled(), 10)
                waited = time.monotonic() - started
            finally:
                locker.rollback()
                locker.close()
            await pilot.pause()
            return waited, toast_messages(app), member

    waited, toasts, member = await run()
    assert 0.9 < waited < 4, waited
    said = [t for t in toasts if "held the database for over 1 s — nothing was recorded" in t]
    assert len(said) == 1, toasts
    assert vote_events(url) == []
    assert member is not None


def test_sqlite_busy_timeout_is_the_bound(db_path, monkeypatch):
    monkeypatch.setattr(engines, "WRITE_WAIT", 0.5)
    ga12_with_attendance(db_path)
    import sqlite3

    session = Session.open(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        member = session.state.now_calling("2")
        started = time.monotonic()
        with pytest.raises(StorageError, match="held the database for over 0.5 s — nothing was recorded"):
            session.record_vote("2", member, "yes", expected=None)
        assert time.monotonic() - started < 3
        assert member not in session.state.items["2"].votes
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        session.close_log()
    assert vote_events(db_path) == []


@pytest.mark.parametrize("gone", [("",), ("", "-wal", "-shm"), ("-wal", "-shm")],
                         ids=["db", "db-wal-shm", "wal-shm"])
def test_a_database_deleted_under_a_writer_is_refused(db_path, gone):
    ga12_with_attendance(db_path)
    session = Session.open(db_path)
    try:
        first = session.state.now_calling("2")
        session.record_vote("2", first, "yes")  # into the file while it is there
        for suffix in gone:
            Path(db_path + suffix).unlink()
        member = session.state.now_calling("2")
        with pytest.raises(LogVanished) as raised:
            session.record_vote("2", member, "no")
        assert raised.value.path == db_path
        assert member not in session.state.items["2"].votes
    finally:
        session.close_log()


def test_a_database_replaced_under_a_writer_is_refused(db_path, tmp_path):
    ga12_with_attendance(db_path)
    session = Session.open(db_path)
    try:
        member = session.state.now_calling("2")
        data = Path(db_path).read_bytes()
        os.replace(db_path, tmp_path / "moved.sqlite")
        Path(db_path).write_bytes(data)
        with pytest.raises(LogReplaced) as raised:
            session.record_vote("2", member, "no")
        assert raised.value.path == db_path
        assert member not in session.state.items["2"].votes
    finally:
        session.close_log()
    assert vote_events(db_path) == []


def test_a_write_committed_into_a_file_that_vanished_at_that_moment_is_not_acknowledged(db_path, monkeypatch):
    """The file can go between the last check and the commit: the check after the commit catches it,
    and the state goes back to what it held (the event is in no file anyone can open)."""
    ga12_with_attendance(db_path)
    session = Session.open(db_path)
    log = session.log
    real = log.check_file

    def vanish_at_commit(committed: bool = False) -> None:
        if committed:
            for suffix in ("", "-wal", "-shm"):
                Path(db_path + suffix).unlink(missing_ok=True)
        real(committed)

    monkeypatch.setattr(log, "check_file", vanish_at_commit)
    try:
        member = session.state.now_calling("2")
        held = session.state.last_seq
        with pytest.raises(LogVanished):
            session.record_vote("2", member, "abstain")
        assert session.state.last_seq == held
        assert member not in session.state.items["2"].votes
    finally:
        session.close_log()
