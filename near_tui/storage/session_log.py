"""The append-only, hash-chained session log, stored through SQLAlchemy.

SQLite (the default, one file) runs in WAL mode with ``synchronous=FULL``, so an
event is on disk when ``append`` returns; writers take the lock up front
(``BEGIN IMMEDIATE``) and readers never block them. Any other SQLAlchemy URL
(PostgreSQL for multi-seat venues) works the same way. Rows are only ever
inserted: a correction is a new event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import (
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from near_tui.core import events as ev
from near_tui.core.errors import LogReplaced, LogRewritten, LogVanished, StorageError

# 2: the seats' signatures (near_seals) and the signed checkpoints (near_checkpoints). A writer adds
# the tables to a version-1 database it opens.
SCHEMA_VERSION = 2
# Seconds a PostgreSQL connection may take to open: a venue's server answers in well under one;
# without a bound, libpq waits on an unreachable host for the system's TCP timeout (minutes).
CONNECT_TIMEOUT = 5
# Seconds a writer waits for another program's write lock (SQLite's busy timeout, PostgreSQL's
# lock_timeout) before it gives up with one message and records nothing. A vote's write holds the
# lock for milliseconds, so another seat never comes near it; a program that holds the lock
# longer is stuck, and the clerk must hear so rather than wait with a frozen key.
WRITE_WAIT = 5.0
# Seconds one PostgreSQL statement may run (statement_timeout): a log read or a vote's insert takes
# milliseconds, a report's read of a long session a second or two on a loaded machine; beyond this
# the server is stuck and the write is given up, nothing recorded.
STATEMENT_WAIT = 30.0
# TCP settings for a PostgreSQL server that stops answering (its host gone, a cable pulled): the
# connection is found dead in about TCP_DEAD seconds instead of the system's minutes.
TCP_DEAD = 10

metadata = MetaData()
meta_table = Table(
    "near_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
events_table = Table(
    "near_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    # Lets a summary read pick the few non-vote events out of a long log without scanning it.
    Index("near_events_by_kind", "kind", "seq"),
)
# Each event's seat signature (near_tui.core.seats), beside the event: it signs the event's hash,
# so it cannot be inside what is hashed. Written in the same transaction as its event.
seals_table = Table(
    "near_seals", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("seat", String(16), nullable=False),
    Column("signature", Text, nullable=False),
)
# Each signed checkpoint (declaration/checkpoints.py) as the clerk wrote it beside the declaration,
# kept in the log too so that the board, on any machine, can publish it as it is made.
checkpoints_table = Table(
    "near_checkpoints", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),  # the signed file's text
    Column("signature", Text, nullable=False),  # its .minisig file's text
)

Clock = Callable[[], str]

# A follower's two reads (``SessionLog._follow_read``), on SQLite only, from the table's own names.
_EVENT_COLUMNS = ", ".join(column.name for column in events_table.columns)  # Event's field order
_HASH_AT = f"SELECT hash FROM {events_table.name} WHERE seq = ?"
_EVENTS_AFTER = f"SELECT {_EVENT_COLUMNS} FROM {events_table.name} WHERE seq > ? ORDER BY seq"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def database_url(db: str, readonly: bool = False, follow: bool = False, create: bool = False) -> URL:
    """``--db`` takes a file path (SQLite) or any SQLAlchemy URL.

    A path is never pasted into a URL string: ``?``, ``#``, ``%`` and spaces are legal in file
    names and would be read as URL syntax (another file, or query options), so the URL is built
    from its parts. A writer that must not create the file (every command but ``new``) opens it
    with ``mode=rw``, so SQLite itself refuses a file that vanished after the check.
    A reader that ``follow``s a live session (the chair, the board, a second seat) never opens
    the file ``immutable``: SQLite would then ignore the WAL, where the latest votes are.
    """
    if "://" in db:
        return _given_url(db)
    path = resolve_path(db)
    if readonly:
        # A one-shot reader on a read-only medium cannot make the WAL's shared-memory file. When
        # no WAL file exists every event is in the database file itself, and nothing can write
        # there, so the file may be read as immutable (no locks, no journal).
        wal_holds = _size(Path(f"{path}-wal")) > 0  # an empty WAL (left by an open that failed) holds no event
        settled = not _hot_journal(path)  # immutable would read a commit cut short as if it were whole
        # On a full disk SQLite cannot make the -shm a WAL reader needs; with nothing in the WAL, nothing
        # can be committed there either (it has no room to grow), so the file alone is the whole log.
        immutable = not follow and not wal_holds and settled and (unwritable(path) or disk_full(path.parent))
        return _sqlite_uri(path, {"mode": "ro", **({"immutable": "1"} if immutable else {})})
    if not create:
        return _sqlite_uri(path, {"mode": "rw"})
    return URL.create("sqlite", database=str(path))


def resolve_path(db: str) -> Path:
    """``--db`` as an absolute path, links followed; a loop of symbolic links is the user's to fix."""
    try:
        return Path(db).expanduser().resolve()
    except (RuntimeError, OSError) as exc:  # Python raises RuntimeError for a loop (OSError ELOOP from 3.13)
        raise StorageError(f"{db}: a loop of symbolic links (the link leads back to itself: {exc}) — "
                           "give the session database's own path") from None


def _sqlite_uri(path: Path, options: dict[str, str]) -> URL:
    # SQLite's URI form (file:PATH?mode=ro): the path is percent-encoded, as RFC 3986 wants, so
    # a file named "a?b#c%d e" is that file; SQLAlchemy appends the options after "?".
    return URL.create("sqlite", database=f"file:{quote(str(path))}", query={**options, "uri": "true"})


def _given_url(db: str) -> URL:
    try:
        url = make_url(db)
    except ArgumentError as exc:
        raise StorageError(f"{db}: cannot use this database URL ({exc}) — give a file path or a SQLAlchemy URL") from None
    if url.get_backend_name() == "sqlite":
        memory = (url.database or "") in ("", ":memory:") or url.query.get("mode") == "memory"
        if memory:
            raise StorageError(f"{db}: an in-memory database keeps nothing once the command ends — "
                               "give a file path, e.g. --db sessions/ga12.sqlite")
    return url


def _shown(db: str) -> str:
    """``db`` as messages show it: a URL's password hidden."""
    if "://" not in db:
        return db
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db


def unwritable(path: Path) -> bool:
    """True when no process can write this SQLite file now (read-only medium or permissions)."""
    if path.exists() and not os.access(path, os.W_OK):
        return True
    # WAL mode creates its -wal and -shm files beside the database.
    journal_missing = not Path(f"{path}-wal").exists()
    return journal_missing and not os.access(path.parent, os.W_OK)


FULL_BELOW = 64 * 1024  # bytes free under which a disk counts as full (the -shm alone needs 32 KiB)


def disk_full(folder: Path) -> bool:
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < FULL_BELOW


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _hot_journal(path: Path) -> bool:
    journal = Path(f"{path}-journal")
    return journal.exists() and journal.stat().st_size > 0


def _settle_hot_journal(path: Path) -> None:
    """Roll back a commit that was cut short in a rollback-journal database (a mirror, a backup).

    A writer killed inside a commit leaves a hot journal beside the file; a read-only connection
    cannot roll it back and fails ("attempt to write a readonly database"). One read through a
    read-write connection rolls it back, as the next writer would; SQLite leaves the journal
    alone while a live writer holds its lock, so this never touches a transaction under way.
    """
    if not _hot_journal(path) or unwritable(path):
        return
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=30)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # the read-only open that follows says what is wrong


def _sqlite_file(db: str, url: URL) -> Path | None:
    """The SQLite file ``--db`` names: a path, or ``sqlite:///PATH`` (not a URI form, not a server)."""
    if "://" not in db:
        return Path(db).expanduser()
    if _is_sqlite(url) and url.database and "uri" not in url.query:
        return Path(url.database).expanduser()
    return None


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _postgresql_bounds(url: URL) -> dict[str, object]:
    """libpq settings that bound every wait on a PostgreSQL server; the URL's own win.

    A connection opens in CONNECT_TIMEOUT seconds or fails; another client's lock is waited
    for WRITE_WAIT seconds (lock_timeout), a statement runs STATEMENT_WAIT at most
    (statement_timeout); a TCP peer that stops acknowledging is given up after TCP_DEAD
    (keepalives, tcp_user_timeout; unix sockets ignore these). Without them a ``LOCK TABLE``
    held by another client, or a server that stopped answering, froze a seat for minutes.
    """
    given = set(url.query)
    bounds: dict[str, object] = {
        "connect_timeout": CONNECT_TIMEOUT,
        "keepalives": 1, "keepalives_idle": 3, "keepalives_interval": 2, "keepalives_count": 3,
        "tcp_user_timeout": TCP_DEAD * 1000,
    }
    args = {key: value for key, value in bounds.items() if key not in given}
    waits = f"-c lock_timeout={int(WRITE_WAIT * 1000)} -c statement_timeout={int(STATEMENT_WAIT * 1000)}"
    options = url.query.get("options")
    args["options"] = f"{waits} {options}" if isinstance(options, str) else waits  # the URL's come last: they win
    return args


class SessionLog:
    """One session's events in one database."""

    def __init__(self, db: str, readonly: bool = False, clock: Clock = utc_now, follow: bool = False,
                 create: bool = False) -> None:
        """``create``: may make the database file (``near-tui new``, a mirror, a backup); every other
        writer needs a session database that is already there, so a mistyped ``--db`` is refused
        rather than turned into a new, empty file (or an empty file into a database)."""
        self.db = db
        self.shown = _shown(db)
        self.readonly = readonly
        self.clock = clock
        url = database_url(db, readonly, follow, create)
        path = _sqlite_file(db, url)
        self._path = path
        if path is not None:
            if path.is_dir():
                raise StorageError(f"{db}: is a folder, not a session database — give the database file's path")
            if readonly and not path.exists():
                raise StorageError(f"{db}: no such session database — check the path or create it with `near-tui new`")
            if not readonly and not create and (not path.exists() or path.stat().st_size == 0):
                raise StorageError(f"no session database at {db} — create it with near-tui new AGENDA --db {db}")
            if readonly:
                _settle_hot_journal(path.resolve())
            if not readonly and not path.parent.exists():
                raise StorageError(f"{db}: folder {path.parent} does not exist — create it first")
            if not readonly and unwritable(path.resolve()):
                raise StorageError(
                    f"{db}: the database is read-only (its file or folder cannot be written) — "
                    "copy it to a writable folder or fix the permissions; nothing was recorded"
                )
        # The file this writer opened, as (device, inode) at its first connection: a write is
        # acknowledged only once it is in the file that stands at the path (``check_file``).
        self._own_file = path.resolve() if path is not None and not readonly and _is_sqlite(url) else None
        self._own_id: tuple[int, int] | None = None
        self._wal_id: tuple[int, int] | None = None  # its -wal, once this writer has committed into it
        try:
            self.engine = self._make_engine(url)
        except (ArgumentError, ImportError) as exc:
            raise StorageError(f"{_shown(db)}: cannot use this database URL ({exc}) — give a file path or a SQLAlchemy URL") from None
        self.sqlite = self.engine.dialect.name == "sqlite"
        # A follower of an SQLite file polls through one kept connection (``_follow_read``).
        self._follow_file = path.resolve() if follow and readonly and self.sqlite and path is not None else None
        self._follow_conn = None  # the kept connection, and the file as it was when opened (_file_id)
        self._follow_file_id: tuple[int, int, int, int] | None = None
        self._quiet: tuple[int, int, str | None] | None = None  # (data_version, seq, hash) the log ended at
        # The poller's thread reads through the kept connection while another may dispose of the
        # log (the chair's app at exit): closing a connection in use would crash the process.
        self._follow_lock = threading.Lock()
        self._disposed = False
        self.seat = None  # the SeatKey that signs what this log appends (set by the writing Session)
        self._has_seals: bool | None = None  # whether the database has near_seals (schema 2), once asked

    def _make_engine(self, url: URL) -> Engine:
        if not _is_sqlite(url):
            args = _postgresql_bounds(url) if url.get_backend_name() == "postgresql" else {}
            return create_engine(url, pool_pre_ping=True, connect_args=args)
        # A reader takes a fresh connection per checkout, so its snapshots stay fresh and files closed.
        # A writer keeps its connection: closing the last connection to a WAL database checkpoints
        # and deletes the WAL, which made every vote pay an extra sync (7x a bare commit).
        args = {"timeout": WRITE_WAIT, "check_same_thread": False}
        if self.readonly:
            engine = create_engine(url, poolclass=NullPool, connect_args=args)
        else:
            engine = create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=4, connect_args=args)
        readonly = self.readonly

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT * 1000)}")
            if not readonly:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
            cur.close()
            if self._own_file is not None:
                if self._own_id is None:
                    self._own_id = _identity(self._own_file)
                self._wal_id = None  # a new connection may find a new -wal: noted at its first commit

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        return engine

    # ------------------------------------------------------------ structure
    def create_schema(self) -> None:
        try:
            metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                have = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
                if have is None:
                    conn.execute(insert(meta_table), [
                        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                        {"key": "application", "value": "near_tui"},
                    ])
        except DBAPIError as exc:
            raise self._storage_error(exc) from None

    def check_schema(self) -> None:
        """Refuse a database that is not ours, or was written by a newer near_tui."""
        try:
            with self.engine.begin() as conn:
                version = conn.execute(
                    select(meta_table.c.value).where(meta_table.c.key == "schema_version")
                ).scalar()
        except DBAPIError as exc:
            low = str(exc).lower()
            # The table is missing (not a database, role or server: those are _storage_error's).
            if "no such table" in low or ("near_meta" in low and "does not exist" in low):
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
            seals_table.create(self.engine, checkfirst=True)
            checkpoints_table.create(self.engine, checkfirst=True)
            with self.engine.begin() as conn:
                conn.execute(update(meta_table).where(meta_table.c.key == "schema_version")
                             .values(value=str(SCHEMA_VERSION)))
        except DBAPIError as exc:
            raise self._storage_error(exc) from None
        self._has_seals = True

    def _storage_error(self, exc: Exception) -> StorageError:
        text = str(getattr(exc, "orig", exc))
        low = text.lower()
        code = getattr(getattr(exc, "orig", None), "sqlstate", None)  # psycopg's SQLSTATE
        # The driver's text runs over several lines (libpq adds hints); the first says what failed.
        first = next((line.strip() for line in text.splitlines() if line.strip()), "no detail")
        if "readonly" in low or "read-only" in low:
            hint = "the database is read-only — check the file's permissions; nothing was recorded"
        elif "disk is full" in low or "disk full" in low or "no space" in low or (
                # SQLite says "disk I/O error" when it cannot make the WAL's files on a full disk.
                "disk i/o error" in low and self._path is not None and disk_full(self._path.expanduser().parent)):
            where = f"the disk holding {self._path.expanduser().parent}" if self._path is not None else "the disk"
            hint = f"{where} is full — free space and retry; nothing was recorded"
        elif "locked" in low or code == "55P03":
            # SQLite's busy timeout or PostgreSQL's lock_timeout ran out: another program holds the lock.
            hint = (f"another program has held the database for over {WRITE_WAIT:g} s — "
                    "nothing was recorded; retry once it lets go")
        elif code == "57014" or "statement timeout" in low:
            hint = (f"the database server did not answer within {STATEMENT_WAIT:g} s — "
                    "nothing was recorded; check the server, then retry")
        elif "unable to open" in low:
            hint = "cannot open the database file — check the path and permissions"
        elif "password authentication failed" in low or "no password supplied" in low:
            hint = "the database server refused the user name or password — check them in the URL"
        elif "role" in low and "does not exist" in low:
            hint = "the database server has no such user — check the user name in the URL"
        elif "database" in low and "does not exist" in low:
            hint = "the database server has no database of that name — create it (createdb NAME) or check the URL"
        elif any(words in low for words in ("connection refused", "could not translate host", "name or service",
                                            "timeout expired", "timed out", "no route to host", "no such file or directory",
                                            "connection failed", "could not connect", "server closed the connection")):
            hint = f"cannot reach the database server ({first}) — check the host and port in the URL and that the server runs"
        else:
            hint = f"database error ({first}) — nothing was recorded"
        return StorageError(f"{self.shown}: {hint}")

    # --------------------------------------------------------------- reading
    def head_seq(self) -> int:
        try:
            with self.engine.begin() as conn:
                return conn.execute(select(func.coalesce(func.max(events_table.c.seq), 0))).scalar_one()
        except DBAPIError as exc:
            raise self._storage_error(exc) from None

    def read_events(self, after_seq: int = 0, head: str | None = None) -> list[ev.Event]:
        """The events after ``after_seq``; with ``head``, first check the log still ends there.

        ``head`` is the hash the caller holds for event ``after_seq``: if the log has another
        event there, or none, it was rewritten under the caller (``LogRewritten``).
        """
        if self._follow_file is not None:
            return self._follow_read(after_seq, head)
        try:
            with self.engine.begin() as conn:
                if head is not None:
                    self._check_head(conn, after_seq, head)
                return self._read(conn, after_seq)
        except DBAPIError as exc:
            raise self._storage_error(exc) from None

    def _follow_read(self, after_seq: int, head: str | None) -> list[ev.Event]:
        """``read_events`` for a follower of an SQLite file, which polls it ten times a second.

        A poll first asks SQLite whether anything was committed since the last read
        (``PRAGMA data_version`` changes whenever another connection commits) and whether the
        file at the path is still the one opened, unchanged (``_file_id``). When neither
        changed and the caller asks from where that read ended, the log is exactly as read
        then, so it still ends at the held head: "nothing new", without a query. Anything else
        (a commit by any writer, an edit, a file replaced or written over) takes a full read
        with the head check, as before, on a new connection when the file changed outside
        SQLite (the kept connection's cached pages may be stale).

        The reads go through one kept DBAPI connection with two fixed statements: through the
        Core, with a new connection each time, a poll cost about 0.5 ms of CPU, 50 times this,
        ten times a second, in the process that draws the clerk's screen (bench/RESULTS.md).
        """
        with self._follow_lock:
            try:
                return self._follow_read_locked(after_seq, head)
            finally:
                if self._disposed:  # disposed of during this read: the connection is closed here
                    self._close_follow_connection()

    def _follow_read_locked(self, after_seq: int, head: str | None) -> list[ev.Event]:
        if self._disposed:
            raise StorageError(f"{self.shown}: the session log was closed")
        try:
            file_id = _file_id(self._follow_file)
            if self._follow_conn is None or file_id != self._follow_file_id:
                self._close_follow_connection()
                self._follow_conn = self.engine.raw_connection()  # isolation_level None: BEGIN is ours
                self._follow_file_id = file_id
            raw = self._follow_conn.driver_connection
            if self._quiet is not None and self._quiet == (_data_version(raw), after_seq, head):
                return []
            raw.execute("BEGIN")
            try:
                if head is not None and after_seq:
                    found = raw.execute(_HASH_AT, (after_seq,)).fetchone()
                    self._head_must_be(after_seq, found[0] if found else None, head)
                rows = raw.execute(_EVENTS_AFTER, (after_seq,)).fetchall()
                version = _data_version(raw)  # inside the read: the version of what was just read
            finally:
                if raw.in_transaction:  # SQLite ends it itself on some errors
                    raw.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            self._close_follow_connection()
            raise StorageError(f"{self.shown}: cannot read the session log ({exc}) — check the path and permissions") from None
        except DBAPIError as exc:  # opening the connection
            self._close_follow_connection()
            raise self._storage_error(exc) from None
        except LogRewritten:
            self._quiet = None
            raise
        events = self._rows(rows)
        self._quiet = (version, events[-1].seq, events[-1].hash) if events else (version, after_seq, head)
        return events

    def _close_follow_connection(self) -> None:
        self._quiet = None
        if self._follow_conn is not None:
            try:
                self._follow_conn.close()
            except Exception:  # a connection to a file that is gone: nothing left to release
                pass
            self._follow_conn = None

    def _check_head(self, conn, seq: int, head: str) -> None:
        if seq == 0:
            return
        found = conn.execute(select(events_table.c.hash).where(events_table.c.seq == seq)).scalar()
        self._head_must_be(seq, found, head)

    def _head_must_be(self, seq: int, found: str | None, head: str) -> None:
        """``found``, the log's hash of event ``seq`` (None: no such event), must be ``head``."""
        if found != head:
            raise LogRewritten(self.db, seq, head, found)

    def read_summary(self) -> list[ev.Event]:
        """Every event except the votes of closed roll calls.

        Only one roll call is open at a time, so every vote recorded before the
        last vote-closed event belongs to a closed item, whose close event
        carries its frozen tally. A report on a long session reads a few
        thousand rows instead of every vote.
        """
        votes = (ev.VOTE_RECORDED, ev.VOTE_CORRECTED)
        last_close = (
            select(func.coalesce(func.max(events_table.c.seq), 0))
            .where(events_table.c.kind == ev.VOTE_CLOSED)
            .scalar_subquery()
        )
        # Two index-driven parts: the events that are not votes (by kind), and whatever came
        # after the last close (by sequence number).
        others = select(events_table).where(events_table.c.kind.in_(sorted(ev.KINDS - set(votes))))
        recent = select(events_table).where(events_table.c.seq > last_close, events_table.c.kind.in_(votes))
        query = others.union_all(recent).order_by("seq")
        try:
            with self.engine.begin() as conn:
                return self._rows(conn.execute(query).all())
        except DBAPIError as exc:
            raise self._storage_error(exc) from None

    def _read(self, conn, after_seq: int) -> list[ev.Event]:
        events = self._rows(conn.execute(
            select(events_table).where(events_table.c.seq > after_seq).order_by(events_table.c.seq)
        ).all())
        return self._sealed(conn, events, after_seq)

    def _sealed(self, conn, events: list[ev.Event], after_seq: int) -> list[ev.Event]:
        """``events`` with the seals stored for them (read in the same transaction)."""
        if not events or not self._seals_present(conn):
            return events
        rows = conn.execute(select(seals_table).where(seals_table.c.seq > after_seq)).all()
        found = {seq: ev.Seal(seat, signature) for seq, seat, signature in rows}
        return [dataclasses.replace(e, seal=found[e.seq]) if e.seq in found else e for e in events]

    def _seals_present(self, conn) -> bool:
        if self._has_seals is None:
            version = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
            self._has_seals = version is not None and version.isdigit() and int(version) >= 2
        return self._has_seals

    def keep_checkpoint(self, seq: int, body: str, signature: str) -> None:
        """Store a signed checkpoint (once per close: a second write of the same one is a no-op)."""
        try:
            with self.engine.begin() as conn:
                if not self._seals_present(conn):
                    return
                there = conn.execute(select(checkpoints_table.c.seq).where(checkpoints_table.c.seq == seq)).first()
                if there is None:
                    conn.execute(insert(checkpoints_table), [{"seq": seq, "body": body, "signature": signature}])
        except DBAPIError as exc:
            raise self._storage_error(exc) from None

    def read_checkpoints(self, after_seq: int = 0) -> list[dict[str, Any]]:
        """The signed checkpoints kept in the log after ``after_seq``, each as the board publishes it
        and a witness file keeps it: ``{"seq": N, "checkpoint": TEXT, "signature": TEXT}`` (the
        checkpoint file's text and its ``.minisig`` file's text; read by ``declaration.witness``)."""
        try:
            with self.engine.begin() as conn:
                if not self._seals_present(conn):
                    return []
                rows = conn.execute(select(checkpoints_table).where(checkpoints_table.c.seq > after_seq)
                                    .order_by(checkpoints_table.c.seq)).all()
                return [{"seq": seq, "checkpoint": body, "signature": signature} for seq, body, signature in rows]
        except DBAPIError as exc:
            raise self._storage_error(exc) from None

    def read_seals(self, events: list[ev.Event]) -> list[ev.Event]:
        """``events`` (read by a follower) with their seals, read now: a seal commits with its event."""
        if not events:
            return events
        try:
            with self.engine.begin() as conn:
                return self._sealed(conn, events, events[0].seq - 1)
        except DBAPIError as exc:
            raise self._storage_error(exc) from None

    @staticmethod
    def _rows(rows) -> list[ev.Event]:
        """Events from rows of the table's columns in their order (Core rows or the DBAPI's tuples)."""
        return [
            ev.Event(seq, kind, json.loads(payload), recorded_at, prev_hash, digest)
            for seq, kind, payload, recorded_at, prev_hash, digest in rows
        ]

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
            with self.engine.begin() as conn:
                if not self.sqlite and self.engine.dialect.name == "postgresql":
                    # Serialise writers; readers (ACCESS SHARE) are never blocked.
                    conn.exec_driver_sql("LOCK TABLE near_events IN SHARE ROW EXCLUSIVE MODE")
                if known_head is not None:
                    self._check_head(conn, known_seq, known_head)
                last = conn.execute(
                    select(events_table.c.seq, events_table.c.hash).order_by(events_table.c.seq.desc()).limit(1)
                ).first()
                last_seq, head = (last.seq, last.hash) if last else (0, ev.GENESIS)
                if known_head is not None and last_seq < known_seq:
                    raise LogRewritten(self.db, known_seq, known_head, None,
                                       f"it ends at event {last_seq}, but event {known_seq} was already read here")
                if last_seq > known_seq:
                    catch_up(self._read(conn, known_seq))
                new = produce(last_seq, head)
                if new and self.seat is not None:
                    new = [dataclasses.replace(e, seal=self.seat.seal(e.hash)) for e in new]
                if new:
                    conn.execute(insert(events_table), [event_row(e) for e in new])
                    sealed = [seal_row(e) for e in new if e.seal is not None]
                    if sealed and self._seals_present(conn):
                        conn.execute(insert(seals_table), sealed)
                    self.check_file()  # gone or replaced under the open connection: roll back
            if new:
                # Between that check and the commit it could still vanish: the event would be in
                # a file no one can open. Caught here, so it is never acknowledged.
                self.check_file(committed=True)
            return new
        except IntegrityError:
            raise StorageError(f"{self.db}: another writer recorded at the same moment — retry") from None
        except (OperationalError, DBAPIError) as exc:
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
            now = _identity(self._own_file)
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
            wal_now = _identity(wal)
        except FileNotFoundError:
            wal_now = None
        except OSError:
            return  # the database file itself is in place; the write's own error (if any) says the rest
        if self._wal_id is not None and wal_now != self._wal_id:
            raise LogVanished(shown, f"{shown}: the session database's -wal file was deleted or replaced — the "
                                     f"latest events are in no file anyone can open. {continuing}")
        if committed and self._wal_id is None:
            self._wal_id = wal_now

    def backup_into(self, target: sqlite3.Connection) -> None:
        """Copy this SQLite database, as one consistent snapshot, into the connection ``target``.

        SQLite's online backup reads through the database's own pager, so votes still in the
        WAL file (not yet checkpointed into the main file) are in the copy; a plain file copy of
        a running session's database misses them. One step (``pages=-1``) holds one read
        transaction for the whole copy: writers go on, the copy is of one moment.
        """
        if not self.sqlite:
            raise StorageError(f"{self.db}: not an SQLite database")
        try:
            raw = self.engine.raw_connection()
        except DBAPIError as exc:
            raise self._storage_error(exc) from None
        try:
            raw.driver_connection.backup(target, pages=-1)
        except sqlite3.Error as exc:
            raise StorageError(f"{self.db}: cannot copy the database ({exc})") from None
        finally:
            raw.close()

    def dispose(self) -> None:
        self._disposed = True
        # A read takes microseconds; one stuck on a dead disk closes the connection itself as it ends.
        if self._follow_lock.acquire(timeout=1.0):
            try:
                self._close_follow_connection()
            finally:
                self._follow_lock.release()
        self.engine.dispose()


def _file_id(path: Path) -> tuple[int, int, int, int]:
    """What tells a file changed outside SQLite: another file at the path (device, inode), or
    bytes written into it (modification time, size). In WAL mode SQLite itself writes the file
    only at a checkpoint, so a follower opens it afresh now and then, not at every poll."""
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def _identity(path: Path) -> tuple[int, int]:
    """Which file stands at ``path``: (device, inode)."""
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _data_version(raw: sqlite3.Connection) -> int:
    return raw.execute("PRAGMA data_version").fetchone()[0]


def event_row(event: ev.Event) -> dict:
    """The stored row of an event (the mirror and backups write the very same bytes)."""
    return {"seq": event.seq, "kind": event.kind, "payload": ev.canonical_json(event.payload),
            "recorded_at": event.recorded_at, "prev_hash": event.prev_hash, "hash": event.hash}


def seal_row(event: ev.Event) -> dict:
    """The stored row of an event's seal."""
    return {"seq": event.seq, "seat": event.seal.seat, "signature": event.seal.signature}


def chain(events: Iterable[tuple[str, dict]], last_seq: int, head: str, recorded_at: str) -> list[ev.Event]:
    """Link new (kind, payload) pairs onto the chain after ``last_seq``/``head``."""
    out = []
    for offset, (kind, payload) in enumerate(events, start=1):
        seq = last_seq + offset
        digest = ev.event_hash(seq, kind, payload, recorded_at, head)
        out.append(ev.Event(seq, kind, payload, recorded_at, head, digest))
        head = digest
    return out
