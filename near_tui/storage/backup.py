"""``near-tui backup``: a consistent copy of a session database while the session runs."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from near_tui.core import events as ev
from near_tui.core.errors import StorageError

from .mirror import write_events
from .session_log import SessionLog


def backup(db: str, out: str) -> tuple[int, str]:
    """Write a consistent copy of the session database ``db`` to the new file ``out``.

    SQLite: the online backup (votes still in the WAL are copied). Any other database: its
    events, read in one transaction, written into a new SQLite session database. Either way the
    copy is written beside ``out`` and renamed into place once on disk, so ``out`` is never half
    a database. Returns (events, chain head) of the copy, read back from it.
    """
    target = Path(out).expanduser()
    if target.exists():
        raise StorageError(f"{out}: already exists — give a new file name for the backup")
    if not target.parent.is_dir():
        raise StorageError(f"{out}: folder {target.parent} does not exist — create it first")
    source = SessionLog(db, readonly=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        source.check_schema()
        if source.sqlite:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                backup_into(source, conn)
                conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                conn.close()
        else:
            events = source.read_events()
            log = SessionLog(str(tmp), create=True)
            try:
                log.create_schema()
            finally:
                log.dispose()
            write_events(tmp, events)
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync(target.parent)
    except sqlite3.Error as exc:
        raise StorageError(f"{out}: cannot write the backup ({exc})") from None
    except OSError as exc:
        raise StorageError(f"{out}: cannot write the backup ({exc.strerror or exc})") from None
    finally:
        source.dispose()
        for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    check = SessionLog(str(target), readonly=True)
    try:
        events = check.read_events()
    finally:
        check.dispose()
    return len(events), events[-1].hash if events else ev.GENESIS


def backup_into(log: SessionLog, target: sqlite3.Connection) -> None:
    """Copy ``log``'s SQLite database, as one consistent snapshot, into the connection ``target``.

    SQLite's online backup reads through the database's own pager, so votes still in the
    WAL file (not yet checkpointed into the main file) are in the copy; a plain file copy of
    a running session's database misses them. One step (``pages=-1``) holds one read
    transaction for the whole copy: writers go on, the copy is of one moment.
    """
    with log.sqlite_connection() as raw:
        try:
            raw.backup(target, pages=-1)
        except sqlite3.Error as exc:
            raise StorageError(f"{log.db}: cannot copy the database ({exc})") from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
