"""A follower's reads of an SQLite log, ten times a second, through one kept connection.

A poll first asks SQLite whether anything was committed since the last read (``PRAGMA
data_version`` changes whenever another connection commits) and whether the file at the path is
still the one opened, unchanged (``file_id``). When neither changed and the caller asks from
where that read ended, the log is exactly as read then, so it still ends at the held head:
"nothing new", without a query. Anything else (a commit by any writer, an edit, a file replaced
or written over) takes a full read with the head check, on a new connection when the file
changed outside SQLite (the kept connection's cached pages may be stale).

The reads go through one kept connection with two fixed statements: through SQLAlchemy's Core,
with a new connection each time, a poll cost about 0.5 ms of CPU, 50 times this, ten times a
second, in the process that draws the clerk's screen (bench/RESULTS.md).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from near_tui.core import events as ev
from near_tui.core.errors import LogRewritten, StorageError

from .engines import SqliteConnections
from .locations import file_id
from .tables import EVENTS_AFTER, HASH_AT, events_from_rows


class FollowReads:
    """``SessionLog.read_events`` for a follower of the SQLite file ``path``."""

    def __init__(self, path: Path, connections: SqliteConnections, db: str, shown: str,
                 failure: Callable[[Exception], StorageError]) -> None:
        self.path = path
        self._connections = connections  # a new connection from there: BEGIN is this reader's
        self.db, self.shown = db, shown
        self._failure = failure  # what an error opening the connection means, in words
        self._conn: sqlite3.Connection | None = None  # the kept connection, and the file as it was when opened
        self._file_id: tuple[int, int, int, int] | None = None
        self._quiet: tuple[int, int, str | None] | None = None  # (data_version, seq, hash) the log ended at
        # The poller's thread reads through the kept connection while another may dispose of the
        # log (the chair's app at exit): closing a connection in use would crash the process.
        self._lock = threading.Lock()
        self._disposed = False

    @property
    def connection(self) -> sqlite3.Connection | None:
        """The kept sqlite3 connection, once a read has opened it."""
        return self._conn

    def read(self, after_seq: int, head: str | None) -> list[ev.Event]:
        with self._lock:
            try:
                return self._read_locked(after_seq, head)
            finally:
                if self._disposed:  # disposed of during this read: the connection is closed here
                    self._close_connection()

    def _read_locked(self, after_seq: int, head: str | None) -> list[ev.Event]:
        if self._disposed:
            raise StorageError(f"{self.shown}: the session log was closed")
        try:
            now = file_id(self.path)
            if self._conn is None or now != self._file_id:
                self._close_connection()
                try:
                    self._conn = self._connections.connect()
                except sqlite3.Error as exc:
                    raise self._failure(exc) from None
                self._file_id = now
            raw = self._conn
            if self._quiet is not None and self._quiet == (_data_version(raw), after_seq, head):
                return []
            raw.execute("BEGIN")
            try:
                if head is not None and after_seq:
                    found = raw.execute(HASH_AT, {"seq": after_seq}).fetchone()
                    if (found[0] if found else None) != head:
                        raise LogRewritten(self.db, after_seq, head, found[0] if found else None)
                rows = raw.execute(EVENTS_AFTER, {"after": after_seq}).fetchall()
                version = _data_version(raw)  # inside the read: the version of what was just read
            finally:
                if raw.in_transaction:  # SQLite ends it itself on some errors
                    raw.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            self._close_connection()
            raise StorageError(f"{self.shown}: cannot read the session log ({exc}) — check the path and permissions") from None
        except LogRewritten:
            self._quiet = None
            raise
        events = events_from_rows(rows)
        self._quiet = (version, events[-1].seq, events[-1].hash) if events else (version, after_seq, head)
        return events

    def _close_connection(self) -> None:
        self._quiet = None
        if self._conn is not None:
            try:
                self._connections.close(self._conn)
            except Exception:  # a connection to a file that is gone: nothing left to release
                pass
            self._conn = None

    def dispose(self) -> None:
        self._disposed = True
        # A read takes microseconds; one stuck on a dead disk closes the connection itself as it ends.
        if self._lock.acquire(timeout=1.0):
            try:
                self._close_connection()
            finally:
                self._lock.release()


def _data_version(raw: sqlite3.Connection) -> int:
    return raw.execute("PRAGMA data_version").fetchone()[0]
