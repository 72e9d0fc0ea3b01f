"""The append-only, hash-chained session log: its reads and its writes.

A ``SessionLog`` is one session's events in one database: SQLite (the default, one file) or any
other SQLAlchemy URL (PostgreSQL for multi-seat venues), which works the same way: the same
statements (tables.py) in the same transactions, through the connections engines.py opens.
Rows are only ever inserted: a correction is a new event.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from near_tui.core import events as ev
from near_tui.core.errors import LogReplaced, LogRewritten, LogVanished, StorageError

from . import tables as sql
from .connection_abort import ConnectionAbort
from .engines import SqliteConnections, Transaction, UnusableUrl, connections_for
from .errors import no_log_table, storage_error
from .follow_reads import FollowReads
from .locations import SqliteFile, database_url, identity, settle_hot_journal, shown, sqlite_file, unwritable
from .tables import SCHEMA_VERSION, event_row as event_row, events_from_rows, seal_row

Clock = Callable[[], str]


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SessionLog:
    """One session's events in one database."""

    def __init__(self, db: str, readonly: bool = False, clock: Clock = utc_now, follow: bool = False,
                 create: bool = False) -> None:
        """``create``: may make the database file (``near-tui new``, a mirror, a backup); every other
        writer needs a session database that is already there, so a mistyped ``--db`` is refused
        rather than turned into a new, empty file (or an empty file into a database)."""
        self.db = db
        self.shown = shown(db)
        self.readonly = readonly
        self.clock = clock
        where = database_url(db, readonly, follow, create)
        path = sqlite_file(db, where)
        self._path = path
        if path is not None:
            if path.is_dir():
                raise StorageError(f"{db}: is a folder, not a session database — give the database file's path")
            if readonly and not path.exists():
                raise StorageError(f"{db}: no such session database — check the path or create it with `near-tui new`")
            if not readonly and not create and (not path.exists() or path.stat().st_size == 0):
                raise StorageError(f"no session database at {db} — create it with near-tui new AGENDA --db {db}")
            if readonly:
                settle_hot_journal(path.resolve())
            if not readonly and not path.parent.exists():
                raise StorageError(f"{db}: folder {path.parent} does not exist — create it first")
            if not readonly and unwritable(path.resolve()):
                raise StorageError(
                    f"{db}: the database is read-only (its file or folder cannot be written) — "
                    "copy it to a writable folder or fix the permissions; nothing was recorded"
                )
        # The file this writer opened, as (device, inode) at its first connection: a write is
        # acknowledged only once it is in the file that stands at the path (``check_file``).
        sqlite = isinstance(where, SqliteFile)
        self._own_file = path.resolve() if path is not None and not readonly and sqlite else None
        self._own_id: tuple[int, int] | None = None
        self._wal_id: tuple[int, int] | None = None  # its -wal, once this writer has committed into it
        # Watches every connection from the first, so a seat can end a call stuck on a database
        # that stopped answering (connection_abort.py).
        self.hang_up = ConnectionAbort()
        try:
            self.connections = connections_for(where, readonly, self.hang_up, self._on_connect)
        except UnusableUrl as exc:
            raise StorageError(f"{self.shown}: cannot use this database URL ({exc}) — give a file path or a SQLAlchemy URL") from None
        self.sqlite = sqlite
        # What the driver raises for a database error, and for a row a constraint refused.
        self._errors = self.connections.errors
        # A follower of an SQLite file polls through one kept connection (follow_reads.py).
        self._follow: FollowReads | None = None
        if follow and readonly and isinstance(self.connections, SqliteConnections) and path is not None:
            self._follow = FollowReads(path.resolve(), self.connections, db, self.shown, self._storage_error)
        self.seat = None  # the SeatKey that signs what this log appends (set by the writing Session)
        self._has_seals: bool | None = None  # whether the database has near_seals (schema 2), once asked

    def _on_connect(self) -> None:
        if self._own_file is not None:
            if self._own_id is None:
                self._own_id = identity(self._own_file)
            self._wal_id = None  # a new connection may find a new -wal: noted at its first commit

    # ------------------------------------------------------------ structure
    def create_schema(self) -> None:
        try:
            with self.connections.transaction() as tx:
                for statement in sql.SCHEMA:
                    tx.run(statement)
                if tx.scalar(sql.SCHEMA_VERSION_AT) is None:
                    tx.run_many(sql.WRITE_META, [
                        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                        {"key": "application", "value": "near_tui"},
                    ])
        except self._errors as exc:
            raise self._storage_error(exc) from None

    def check_schema(self) -> None:
        """Refuse a database that is not ours, or was written by a newer near_tui."""
        try:
            with self.connections.transaction() as tx:
                version = tx.scalar(sql.SCHEMA_VERSION_AT)
        except self._errors as exc:
            if no_log_table(exc):
                raise StorageError(f"{self.shown}: not a near_tui session database — create one with `near-tui new AGENDA --db {self.shown}`") from None
            raise self._storage_error(exc) from None
        if version is None or not version.isdigit():
            raise StorageError(f"{self.shown}: not a near_tui session database (no schema version)")
        if int(version) > SCHEMA_VERSION:
            raise StorageError(
                f"{self.db}: written by a newer near_tui (schema {version}; this one reads up to {SCHEMA_VERSION}) — upgrade near_tui; nothing was changed"
            )
        self._has_seals = int(version) >= 2

    def upgrade_schema(self) -> None:
        """Bring a version-1 database (from before seats signed) to version 2: add its tables.

        Its earlier events stay unsigned; the first seat to join says so in its own event."""
        if self.readonly or self._has_seals:
            return
        try:
            with self.connections.transaction() as tx:
                for statement in sql.SCHEMA_2_TABLES:
                    tx.run(statement)
                tx.run(sql.SET_SCHEMA_VERSION, {"value": str(SCHEMA_VERSION)})
        except self._errors as exc:
            raise self._storage_error(exc) from None
        self._has_seals = True

    def _storage_error(self, exc: Exception) -> StorageError:
        return storage_error(exc, self.shown, self._path)

    # --------------------------------------------------------------- reading
    def head_seq(self) -> int:
        try:
            with self.connections.transaction() as tx:
                return int(tx.scalar(sql.HEAD_SEQ))
        except self._errors as exc:
            raise self._storage_error(exc) from None

    def read_events(self, after_seq: int = 0, head: str | None = None) -> list[ev.Event]:
        """The events after ``after_seq``; with ``head``, first check the log still ends there.

        ``head`` is the hash the caller holds for event ``after_seq``: if the log has another
        event there, or none, it was rewritten under the caller (``LogRewritten``).
        """
        if self._follow is not None:
            return self._follow.read(after_seq, head)
        try:
            with self.connections.transaction() as tx:
                if head is not None:
                    self._check_head(tx, after_seq, head)
                return self._read(tx, after_seq)
        except self._errors as exc:
            raise self._storage_error(exc) from None

    def _check_head(self, tx: Transaction, seq: int, head: str) -> None:
        """The log's hash of event ``seq`` must be ``head`` (no such event: rewritten too)."""
        if seq == 0:
            return
        found = tx.scalar(sql.HASH_AT, {"seq": seq})
        if found != head:
            raise LogRewritten(self.db, seq, head, found)

    def read_summary(self) -> list[ev.Event]:
        """Every event except the votes of closed roll calls.

        Only one roll call is open at a time, so every vote recorded before the
        last vote-closed event belongs to a closed item, whose close event
        carries its frozen tally. A report on a long session reads a few
        thousand rows instead of every vote.
        """
        try:
            with self.connections.transaction() as tx:
                return events_from_rows(tx.all(sql.SUMMARY))
        except self._errors as exc:
            raise self._storage_error(exc) from None

    def _read(self, tx: Transaction, after_seq: int) -> list[ev.Event]:
        events = events_from_rows(tx.all(sql.EVENTS_AFTER, {"after": after_seq}))
        return self._sealed(tx, events, after_seq)

    def _sealed(self, tx: Transaction, events: list[ev.Event], after_seq: int) -> list[ev.Event]:
        """``events`` with the seals stored for them (read in the same transaction)."""
        if not events or not self._seals_present(tx):
            return events
        rows = tx.all(sql.SEALS_AFTER, {"after": after_seq})
        found = {seq: ev.Seal(seat, signature) for seq, seat, signature in rows}
        return [dataclasses.replace(e, seal=found[e.seq]) if e.seq in found else e for e in events]

    def _seals_present(self, tx: Transaction) -> bool:
        if self._has_seals is None:
            version = tx.scalar(sql.SCHEMA_VERSION_AT)
            self._has_seals = version is not None and version.isdigit() and int(version) >= 2
        return self._has_seals

    def keep_checkpoint(self, seq: int, body: str, signature: str) -> None:
        """Store a signed checkpoint (once per close: a second write of the same one is a no-op)."""
        try:
            with self.connections.transaction() as tx:
                if not self._seals_present(tx):
                    return
                if tx.first(sql.CHECKPOINT_AT, {"seq": seq}) is None:
                    tx.run(sql.INSERT_CHECKPOINT, {"seq": seq, "body": body, "signature": signature})
        except self._errors as exc:
            raise self._storage_error(exc) from None

    def read_checkpoints(self, after_seq: int = 0) -> list[dict[str, Any]]:
        """The signed checkpoints kept in the log after ``after_seq``, each as the board publishes it
        and a witness file keeps it: ``{"seq": N, "checkpoint": TEXT, "signature": TEXT}`` (the
        checkpoint file's text and its ``.minisig`` file's text; read by ``declaration.witness``)."""
        try:
            with self.connections.transaction() as tx:
                if not self._seals_present(tx):
                    return []
                rows = tx.all(sql.CHECKPOINTS_AFTER, {"after": after_seq})
                return [{"seq": seq, "checkpoint": body, "signature": signature} for seq, body, signature in rows]
        except self._errors as exc:
            raise self._storage_error(exc) from None

    def read_seals(self, events: list[ev.Event]) -> list[ev.Event]:
        """``events`` (read by a follower) with their seals, read now: a seal commits with its event."""
        if not events:
            return events
        try:
            with self.connections.transaction() as tx:
                return self._sealed(tx, events, events[0].seq - 1)
        except self._errors as exc:
            raise self._storage_error(exc) from None

    # --------------------------------------------------------------- writing
    def transact(self, known_seq: int, catch_up: Callable[[list[ev.Event]], None],
                 produce: Callable[[int, str], list[ev.Event]], known_head: str | None = None) -> list[ev.Event]:
        """Append events atomically and durably; return them once committed.

        Inside one write transaction: hand the events other writers added
        since ``known_seq`` to ``catch_up``, then ask ``produce(last_seq,
        head_hash)`` for the new events (it checks them against the now
        current state). Nothing is written if ``produce`` raises. With
        ``known_head`` the log must still hold it at ``known_seq`` (else ``LogRewritten``).
        """
        if self.readonly:
            raise StorageError(f"{self.db}: opened read-only")
        self.check_file()
        try:
            with self.connections.transaction() as tx:
                if self.connections.dialect == "postgresql":
                    # Serialise writers; readers (ACCESS SHARE) are never blocked.
                    tx.run("LOCK TABLE near_events IN SHARE ROW EXCLUSIVE MODE")
                if known_head is not None:
                    self._check_head(tx, known_seq, known_head)
                last = tx.first(sql.LAST_EVENT)
                last_seq, head = (last[0], last[1]) if last else (0, ev.GENESIS)
                if known_head is not None and last_seq < known_seq:
                    raise LogRewritten(self.db, known_seq, known_head, None,
                                       f"it ends at event {last_seq}, but event {known_seq} was already read here")
                if last_seq > known_seq:
                    catch_up(self._read(tx, known_seq))
                new = produce(last_seq, head)
                if new and self.seat is not None:
                    new = [dataclasses.replace(e, seal=self.seat.seal(e.hash)) for e in new]
                if new:
                    tx.run_many(sql.INSERT_EVENT, [event_row(e) for e in new])
                    sealed = [seal_row(e) for e in new if e.seal is not None]
                    if sealed and self._seals_present(tx):
                        tx.run_many(sql.INSERT_SEAL, sealed)
                    self.check_file()  # gone or replaced under the open connection: roll back
            if new:
                # Between that check and the commit it could still vanish: the event would be in
                # a file no one can open. Caught here, so it is never acknowledged.
                self.check_file(committed=True)
            return new
        except self.connections.integrity_errors:
            raise StorageError(f"{self.db}: another writer recorded at the same moment — retry") from None
        except self._errors as exc:
            raise self._storage_error(exc) from None

    def check_file(self, committed: bool = False) -> None:
        """A writer's SQLite file must still be the one it opened, at its path, with its -wal.

        SQLite writes on, without a word, into a database file (or a -wal) deleted while open:
        such a write is in no file anyone can open again, and a new writer at the path would
        start another log. Raises ``LogVanished`` (nothing at the path, or the -wal gone) or
        ``LogReplaced`` (another file there). ``committed``: the check after a commit, which
        also notes the -wal the commit went into. A few stat calls, no query.
        """
        if self._own_file is None or self._own_id is None:
            return
        shown, continuing = self.shown, ("Nothing more is recorded here. Carry on from the mirror "
                                         "(docs/laptop-died.md) or from a copy of the database")
        try:
            now = identity(self._own_file)
        except FileNotFoundError:
            raise LogVanished(shown, f"{shown}: the session database is gone from its folder (deleted, or its disk "
                                     f"unmounted) — what this seat records would be in no file. {continuing}") from None
        except OSError as exc:
            raise StorageError(f"{shown}: cannot check the session database ({exc.strerror}) — "
                               "nothing was recorded; check the disk") from None
        if now != self._own_id:
            raise LogReplaced(shown, f"{shown}: another file now stands at the session database's path (it was "
                                     f"replaced or copied over) — this seat does not write into it. {continuing}")
        wal = Path(f"{self._own_file}-wal")
        try:
            wal_now = identity(wal)
        except FileNotFoundError:
            wal_now = None
        except OSError:
            return  # the database file itself is in place; the write's own error (if any) says the rest
        if self._wal_id is not None and wal_now != self._wal_id:
            raise LogVanished(shown, f"{shown}: the session database's -wal file was deleted or replaced — the "
                                     f"latest events are in no file anyone can open. {continuing}")
        if committed and self._wal_id is None:
            self._wal_id = wal_now

    @contextlib.contextmanager
    def sqlite_connection(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own to this log's SQLite database (for its online backup)."""
        if not isinstance(self.connections, SqliteConnections):
            raise StorageError(f"{self.db}: not an SQLite database")
        try:
            conn = self.connections.connect()
        except sqlite3.Error as exc:
            raise self._storage_error(exc) from None
        try:
            yield conn
        finally:
            self.connections.close(conn)

    def dispose(self) -> None:
        if self._follow is not None:
            self._follow.dispose()
        self.connections.dispose()


def chain(events: Iterable[tuple[str, dict]], last_seq: int, head: str, recorded_at: str) -> list[ev.Event]:
    """Link new (kind, payload) pairs onto the chain after ``last_seq``/``head``."""
    out = []
    for offset, (kind, payload) in enumerate(events, start=1):
        seq = last_seq + offset
        digest = ev.event_hash(seq, kind, payload, recorded_at, head)
        out.append(ev.Event(seq, kind, payload, recorded_at, head, digest))
        head = digest
    return out
