"""A database error is worded by the code its driver gives, whatever the message says.

SQLite's messages and PostgreSQL's (translated with the server's locale) are not a contract;
SQLite's result codes and PostgreSQL's SQLSTATEs are. The first tests give errors whose code
and message disagree, as a translated or reworded message would; the last ones meet the two
PostgreSQL timeouts on the tests' own server.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import psycopg
import pytest
from sqlalchemy.engine import make_url

from near_tui.core.errors import StorageError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.storage import engines
from near_tui.storage.errors import no_log_table, storage_error
from support import GA12, GA12_ATTENDANCE


def sqlite_error(code: int, message: str) -> sqlite3.Error:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code
    return exc


@pytest.mark.parametrize(("code", "said"), [
    (sqlite3.SQLITE_BUSY, f"held the database for over {engines.WRITE_WAIT:g} s"),
    (sqlite3.SQLITE_LOCKED, f"held the database for over {engines.WRITE_WAIT:g} s"),
    (sqlite3.SQLITE_READONLY, "the database is read-only"),
    (sqlite3.SQLITE_READONLY | (5 << 8), "the database is read-only"),  # SQLITE_READONLY_DBMOVED
    (sqlite3.SQLITE_FULL, "the disk holding"),
    (sqlite3.SQLITE_CANTOPEN, "cannot open the database file"),
])
def test_sqlite_errors_are_worded_by_their_code(code, said, tmp_path):
    # A message that names another fault, as a reworded SQLite might: the code decides.
    error = storage_error(sqlite_error(code, "database is locked; disk is full; readonly"),
                          "s.sqlite", tmp_path / "s.sqlite")
    assert said in str(error), error
    assert str(error).startswith("s.sqlite: ")


def test_a_sqlite_code_with_no_advice_keeps_the_drivers_first_line(tmp_path):
    error = storage_error(sqlite_error(sqlite3.SQLITE_NOTADB, "file is not a database\nmore"),
                          "s.sqlite", tmp_path / "s.sqlite")
    assert str(error) == "s.sqlite: database error (file is not a database) — nothing was recorded"


def test_an_io_error_is_a_full_disk_only_when_the_disk_is_full(tmp_path):
    # SQLITE_IOERR_WRITE (10 | 3 << 8): on a disk with room it is not called full.
    error = storage_error(sqlite_error(10 | (3 << 8), "disk I/O error"), "s.sqlite", tmp_path / "s.sqlite")
    assert "full" not in str(error) and "disk I/O error" in str(error)


class ServerError(Exception):
    """Stands for a psycopg error: only its ``sqlstate`` is read."""

    def __init__(self, sqlstate: str | None, message: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("sqlstate", "said"), [
    ("55P03", f"held the database for over {engines.WRITE_WAIT:g} s"),
    ("57014", f"did not answer within {engines.STATEMENT_WAIT:g} s"),
    ("25006", "the database is read-only"),
    ("53100", "the database server's disk is full"),
    ("28P01", "refused the user name or password"),
    ("3D000", "has no database of that name"),
    ("08006", "cannot reach the database server"),
    ("57P01", "cannot reach the database server"),
])
def test_server_errors_are_worded_by_their_sqlstate(sqlstate, said):
    error = storage_error(ServerError(sqlstate, "FEHLER:  Sperre nicht verfügbar"), "pg", None)
    assert said in str(error), error


def test_an_unknown_sqlstate_keeps_the_servers_first_line():
    error = storage_error(ServerError("22012", "division by zero\nHINT: none"), "pg", None)
    assert str(error) == "pg: database error (division by zero) — nothing was recorded"


def test_a_missing_table_is_known_by_its_code():
    assert no_log_table(ServerError("42P01", "Relation existiert nicht"))
    assert not no_log_table(ServerError("55P03", "relation near_meta does not exist"))
    conn = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.Error) as missing:
        conn.execute("SELECT value FROM near_meta")
    assert no_log_table(missing.value)
    assert not no_log_table(sqlite_error(sqlite3.SQLITE_BUSY, "no such table: near_meta"))


def hold_table(url: str, seconds: float) -> threading.Thread:
    """Another client takes an exclusive lock on the events table for ``seconds``."""
    u = make_url(url)
    locked = threading.Event()

    def hold() -> None:
        with psycopg.connect(host=u.query["host"], port=int(u.query["port"]), user=u.username,
                             dbname=u.database) as conn:
            conn.execute("LOCK TABLE near_events IN ACCESS EXCLUSIVE MODE")
            locked.set()
            time.sleep(seconds)
            conn.rollback()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(30)
    return thread


def test_a_postgresql_statement_past_its_bound_is_one_message(pg_server, monkeypatch):
    # The lock wait is longer than the statement's bound: the server cancels the statement (57014).
    monkeypatch.setattr(engines, "WRITE_WAIT", 20.0)
    monkeypatch.setattr(engines, "STATEMENT_WAIT", 0.5)
    url = pg_server.new_database()
    session = Session.create(load_agenda(GA12), url)
    try:
        holder = hold_table(url, 3)
        try:
            with pytest.raises(StorageError, match=r"did not answer within 0\.5 s — nothing was recorded"):
                import_file(session, "attendance", GA12_ATTENDANCE)
        finally:
            holder.join()
    finally:
        session.close_log()
