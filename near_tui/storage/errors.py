"""What a database error means for the person at the seat, in one sentence each.

An error is read by the code its driver gives: SQLite's result code (``sqlite_errorcode``) and
PostgreSQL's SQLSTATE (psycopg's ``sqlstate``), never by the words of the message, which change
with versions and languages. One case has no code: libpq refuses a connection (unknown role or
database, wrong password, no server) before the server sends a result, so psycopg's error carries
no SQLSTATE; only then is libpq's own message read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from near_tui.core.errors import StorageError

from . import engines
from .locations import disk_full

# SQLSTATEs (PostgreSQL's appendix "Error Codes") that a seat can act on.
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout ran out: another client holds the lock
QUERY_CANCELED = "57014"  # statement_timeout ran out
READ_ONLY = "25006"  # a read-only transaction or a hot standby
DISK_FULL = "53100"
BAD_PASSWORD = "28P01"
NOT_AUTHORISED = "28000"  # no such role, or pg_hba.conf refuses it
NO_SUCH_DATABASE = "3D000"
UNDEFINED_TABLE = "42P01"
UNDEFINED_COLUMN = "42703"
# Class 08 (connection exception) and the server going away under a connection.
CONNECTION_LOST = ("57P01", "57P02", "57P03")

_HELD = ("another program has held the database for over {wait:g} s — "
         "nothing was recorded; retry once it lets go")
_REFUSED_LOGIN = "the database server refused the user name or password — check them in the URL"
_NO_ROLE = "the database server has no such user — check the user name in the URL"
_NO_DATABASE = "the database server has no database of that name — create it (createdb NAME) or check the URL"
_READ_ONLY = "the database is read-only — check the file's permissions; nothing was recorded"


def storage_error(exc: Exception, shown: str, path: Path | None) -> StorageError:
    """``exc`` (SQLAlchemy's wrapper or the driver's own) as one ``StorageError`` for ``shown``;
    ``path``: the SQLite file, whose disk is asked whether it is full."""
    driver = getattr(exc, "orig", None) or exc
    text = str(driver)
    # The driver's text runs over several lines (libpq adds hints); the first says what failed.
    first = next((line.strip() for line in text.splitlines() if line.strip()), "no detail")
    if isinstance(driver, sqlite3.Error):
        hint = _sqlite_hint(driver, path)
    else:
        hint = _server_hint(driver, first)
    return StorageError(f"{shown}: {hint or f'database error ({first}) — nothing was recorded'}")


def _sqlite_hint(exc: sqlite3.Error, path: Path | None) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # raised by Python's module itself (a closed connection, a misuse)
        return None
    primary = code & 0xFF  # an extended code (SQLITE_IOERR_WRITE, ...) keeps its primary in the low byte
    folder = path.expanduser().parent if path is not None else None
    if primary == sqlite3.SQLITE_READONLY:
        return _READ_ONLY
    # SQLite says "disk I/O error" when it cannot make the WAL's files on a full disk.
    if primary == sqlite3.SQLITE_FULL or (primary == sqlite3.SQLITE_IOERR and folder is not None
                                          and disk_full(folder)):
        where = f"the disk holding {folder}" if folder is not None else "the disk"
        return f"{where} is full — free space and retry; nothing was recorded"
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):  # the busy timeout ran out
        return _HELD.format(wait=engines.WRITE_WAIT)
    if primary == sqlite3.SQLITE_CANTOPEN:
        return "cannot open the database file — check the path and permissions"
    return None


def _server_hint(exc: BaseException, first: str) -> str | None:
    state = getattr(exc, "sqlstate", None)
    if state == LOCK_NOT_AVAILABLE:
        return _HELD.format(wait=engines.WRITE_WAIT)
    if state == QUERY_CANCELED:
        return (f"the database server did not answer within {engines.STATEMENT_WAIT:g} s — "
                "nothing was recorded; check the server, then retry")
    if state == READ_ONLY:
        return _READ_ONLY
    if state == DISK_FULL:
        return "the database server's disk is full — free space and retry; nothing was recorded"
    if state == BAD_PASSWORD:
        return _REFUSED_LOGIN
    if state == NOT_AUTHORISED:
        return _NO_ROLE
    if state == NO_SUCH_DATABASE:
        return _NO_DATABASE
    unreachable = f"cannot reach the database server ({first}) — check the host and port in the URL and that the server runs"
    if state is not None and (state.startswith("08") or state in CONNECTION_LOST):
        return unreachable
    if state is None and _is_psycopg_operational(exc):
        return _refused_connection(str(exc).lower()) or unreachable
    return None


def _is_psycopg_operational(exc: BaseException) -> bool:
    # By name, so that this module loads no PostgreSQL driver for an SQLite log.
    return any(cls.__module__.startswith("psycopg") and cls.__name__ == "OperationalError"
               for cls in type(exc).__mro__)


def _refused_connection(low: str) -> str | None:
    """A connection libpq could not open: the server's FATAL line, relayed without its SQLSTATE."""
    if "password authentication failed" in low or "no password supplied" in low:
        return _REFUSED_LOGIN
    if "role" in low and "does not exist" in low:
        return _NO_ROLE
    if "database" in low and "does not exist" in low:
        return _NO_DATABASE
    return None


def no_log_table(exc: Exception) -> bool:
    """The log's tables are not there: a database, role and server were reached, but it is not ours.

    SQLite has no code of its own for a missing table or column (both are SQLITE_ERROR, the code of
    any statement it cannot prepare); a fixed read of near_meta fails that way only when the table
    or its columns are missing."""
    driver = getattr(exc, "orig", None) or exc
    if isinstance(driver, sqlite3.Error):
        return getattr(driver, "sqlite_errorcode", None) == sqlite3.SQLITE_ERROR
    return getattr(driver, "sqlstate", None) in (UNDEFINED_TABLE, UNDEFINED_COLUMN)
