"""The mirror: every event also durably in a second SQLite file (a USB stick) before anyone hears of it.

``Mirror.attach(session, path)`` brings the mirror up to the session's log (creating it with
the session schema, so it is a valid session database that ``near-tui clerk --db PATH``
continues from) and registers it as an after-commit hook of the ``Session``: after each
commit on the primary, and before ``Session.record`` returns, the same rows (same seq, hash,
payload bytes) are appended to the mirror in one transaction with ``synchronous=FULL``.

The mirror uses SQLite's rollback journal in TRUNCATE mode, not WAL: after each commit every
event is in the mirror's one file, so the file alone (copied off the stick, say) holds every
vote. Not DELETE mode: at ``synchronous=FULL`` SQLite does not sync the folder after deleting
the journal, so a power cut just after a commit could bring the journal back and roll the
acknowledged vote back; a truncated journal is synced (measured cost: docs/laptop-died.md).

A failed mirror write cannot undo the primary commit: ``MirrorFailed`` says the event is
recorded on this laptop and not on the mirror. The session goes on (the assembly is not
stopped by a pulled stick); every later write tries the mirror again, reopening it at the
same path, and copies whatever it missed. See docs/laptop-died.md.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from near_tui.core import events as ev
from near_tui.core.errors import StorageError

from .session_log import SessionLog
from .tables import (
    EVENT_COLUMNS as COLUMNS,
    INSERT_EVENT as INSERT,
    INSERT_SEAL,
    SCHEMA_2_TABLES,
    SCHEMA_VERSION,
    event_row,
    seal_row,
)


class Session(Protocol):
    """What the mirror needs of a session (service/session.py's ``Session``): its log, and the
    hooks called after each commit. A protocol, so that storage does not import the layer above it."""

    log: SessionLog
    after_commit: list[Any]

JOURNAL = "TRUNCATE"  # the file alone is complete after each commit (WAL would keep votes in PATH-wal)


class MirrorFailed(StorageError):
    """An event is committed in the session database but could not be copied to the mirror."""


def check_mirror_path(path: str, db: str | None = None) -> Path:
    """Refuse, up front, a mirror that cannot be one (a URL, the database itself, no such folder)."""
    if "://" in path:
        raise StorageError(f"{path}: the mirror must be an SQLite file path (on a USB stick), not a URL")
    where = Path(path).expanduser()
    if db is not None and "://" not in db and where.resolve() == Path(db).expanduser().resolve():
        raise StorageError(f"{path}: the mirror is the session database itself — give a file on another drive")
    if not where.parent.is_dir():
        raise StorageError(f"{path}: folder {where.parent} does not exist — is the USB stick mounted?")
    if where.is_dir():
        raise StorageError(f"{path}: is a folder — give a file name for the mirror, e.g. {where / 'session.sqlite'}")
    return where


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    # mode=rw after a failure: a pulled stick leaves its mount folder behind, and a new empty
    # file there would be on the laptop's own disk, not on the stick.
    uri = f"file:{quote(str(path.resolve()))}?mode={'rwc' if create else 'rw'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute(f"PRAGMA journal_mode={JOURNAL}")
        conn.execute("PRAGMA synchronous=FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def _row_event(row) -> ev.Event:
    return ev.Event(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5])


def _same(a: ev.Event, b: ev.Event) -> bool:
    return event_row(a) == event_row(b)


class Mirror:
    """An after-commit hook of a Session that copies every committed event to an SQLite file."""

    def __init__(self, path: str, db: str) -> None:
        self.path = Path(path).expanduser()
        self.db = db
        self.conn: sqlite3.Connection | None = None
        self.last_seq = 0
        self.head = ev.GENESIS
        self.failing = False  # the last write did not reach the mirror
        self.lock = threading.Lock()
        # Called with a sentence when the mirror holds every event again after a failure.
        self.notice: Callable[[str], None] | None = None

    # ------------------------------------------------------------ start-up
    @classmethod
    def attach(cls, session: Session, path: str) -> Mirror:
        """Open or create the mirror, copy what it lacks, and hook it onto ``session``.

        Refuses (``StorageError``, one line) a mirror holding another log, or more than the database.
        """
        check_mirror_path(path, session.log.db)
        mirror = cls(path, session.log.db)
        mirror._prepare()
        try:
            mirror.conn = _connect(mirror.path, create=False)
            mirror._catch_up(session.log)
        except sqlite3.Error as exc:
            mirror.close()
            raise StorageError(f"{path}: cannot write the mirror ({exc}) — check the USB stick") from None
        except BaseException:
            mirror.close()
            raise
        session.after_commit.append(mirror)
        return mirror

    def _prepare(self) -> None:
        """Give a new (or empty) file the session schema; check an existing one is a session database."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            log = SessionLog(str(self.path), create=True)
            try:
                log.create_schema()
            finally:
                log.dispose()
        probe = SessionLog(str(self.path), readonly=True)
        try:
            probe.check_schema()
        finally:
            probe.dispose()

    def _catch_up(self, log: SessionLog) -> None:
        """Compare the mirror with the whole primary log; append what it lacks in one transaction."""
        mine = [_row_event(r) for r in self.conn.execute(f"SELECT {COLUMNS} FROM near_events ORDER BY seq")]
        primary = log.read_events()
        for at, (m, p) in enumerate(zip(mine, primary, strict=False), start=1):
            if m.seq != at or not _same(m, p):
                raise StorageError(
                    f"{self.path}: the mirror holds another log (its event {at} differs from {self.db}'s) — "
                    "give a new file for the mirror, or continue from it with `near-tui clerk --db MIRROR`")
        if len(mine) > len(primary):
            raise StorageError(
                f"{self.path}: the mirror holds {len(mine) - len(primary)} event(s) more than {self.db} — "
                f"it is ahead: continue from it with `near-tui clerk --db {self.path}`")
        if mine:
            self.last_seq, self.head = mine[-1].seq, mine[-1].hash
        self._insert(primary[len(mine):])

    # ------------------------------------------------------------- writing
    def __call__(self, session: Session, events: list[ev.Event]) -> None:
        """The after-commit hook: the mirror holds every event up to ``events[-1]`` on return."""
        # One copy at a time: a refresh from a polling thread may meet a write from the app's thread.
        with self.lock:
            self._copy(session, events)

    def _copy(self, session: Session, events: list[ev.Event]) -> None:
        try:
            recovering = self.conn is None
            if recovering:
                # After a failure: the stick may be back (or another one put in). Compare again.
                self.conn = _connect(self.path, create=False)
                self._catch_up(session.log)
            todo = [e for e in events if e.seq > self.last_seq]
            if todo and (todo[0].seq != self.last_seq + 1 or todo[0].prev_hash != self.head):
                # Other writers' events came first (another seat, the close worker): copy them too.
                todo = [e for e in session.log.read_events(self.last_seq, head=self.head) if e.seq <= events[-1].seq]
            self._insert(todo)
        except Exception as exc:  # noqa: BLE001 — any failure is reported the same way
            self._drop()
            self.failing = True
            raise MirrorFailed(self._failure(exc)) from None
        if self.failing:
            self.failing = False
            if self.notice is not None:
                self.notice(f"The mirror {self.path} holds every event again (up to event {self.last_seq}).")

    def _insert(self, events: list[ev.Event]) -> None:
        if not events:
            return
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            tail = conn.execute("SELECT seq, hash FROM near_events ORDER BY seq DESC LIMIT 1").fetchone()
            if (tail or (0, ev.GENESIS)) != (self.last_seq, self.head):
                raise StorageError("another program changed the mirror")
            seq, head = self.last_seq, self.head
            for e in events:
                if e.seq != seq + 1 or e.prev_hash != head:
                    raise StorageError(f"event {e.seq} does not follow event {seq} on the mirror")
                seq, head = e.seq, e.hash
            conn.executemany(INSERT, [event_row(e) for e in events])
            sealed = [seal_row(e) for e in events if e.seal is not None]
            if sealed:
                for statement in SCHEMA_2_TABLES:
                    conn.execute(statement)
                conn.execute("UPDATE near_meta SET value = ? WHERE key = 'schema_version' AND value < ?",
                             (str(SCHEMA_VERSION), str(SCHEMA_VERSION)))
                conn.executemany(INSERT_SEAL, sealed)
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
        self.last_seq, self.head = seq, head

    def _failure(self, exc: Exception) -> str:
        where = "on this laptop" if "://" not in self.db else f"in {self.db}"
        if not self.path.exists():
            reason, fix = "the mirror file is gone — USB stick pulled?", "Put the stick back at the same path"
        else:
            reason = str(exc).split(" — ")[0] if isinstance(exc, StorageError) else f"{exc}"
            fix = "Fix the stick (space, write protection)"
        return (f"recorded {where}, NOT on the mirror {self.path} ({reason}). {fix}: the next action "
                "copies everything the mirror missed")

    def _drop(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass
            self.conn = None

    def close(self) -> None:
        self._drop()


def write_events(path: Path, events: list[ev.Event]) -> None:
    """Append ``events`` to the new, empty session database at ``path``, as the mirror writes them."""
    copy = Mirror(str(path), str(path))
    copy.conn = _connect(path, create=False)
    try:
        copy._insert(events)
    finally:
        copy.close()
