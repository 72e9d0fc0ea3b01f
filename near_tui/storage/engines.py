"""How a session log connects: SQLite's pragmas and locking, PostgreSQL's bounded waits.

SQLite (the default, one file) runs in WAL mode with ``synchronous=FULL``, so an event is on
disk when its commit returns; writers take the lock up front (``BEGIN IMMEDIATE``) and readers
never block them. Every wait on a database is bounded by the figures below, so a stuck lock or
server ends in one message instead of a frozen key.

Two kinds of connections, one interface (``transaction()`` gives a ``Transaction`` that runs the
statements of tables.py): an SQLite file goes through the standard library's ``sqlite3``
(``SqliteConnections``), a server through SQLAlchemy (``ServerConnections``), which is imported
only then. The log's reads and writes (session_log.py) are the same code for both.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .connection_abort import ConnectionAbort
from .locations import ServerUrl, SqliteFile

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

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

Params = Mapping[str, Any]


class UnusableUrl(Exception):
    """A URL SQLAlchemy cannot use (no such dialect, its driver not installed)."""


class Transaction(Protocol):
    """The statements of one transaction; parameters are named (``:seq``)."""

    def all(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]: ...

    def first(self, sql: str, params: Params | None = None) -> Sequence[Any] | None: ...

    def scalar(self, sql: str, params: Params | None = None) -> Any: ...

    def run(self, sql: str, params: Params | None = None) -> None: ...

    def run_many(self, sql: str, rows: list[dict[str, Any]]) -> None: ...


class Connections(Protocol):
    """Where a log's transactions come from."""

    dialect: str  # "sqlite", "postgresql", ...
    errors: tuple[type[BaseException], ...]  # what the driver raises for a database error
    integrity_errors: tuple[type[BaseException], ...]  # a constraint refused a row

    def transaction(self) -> contextlib.AbstractContextManager[Transaction]: ...

    def dispose(self) -> None: ...


def connections_for(where: SqliteFile | ServerUrl, readonly: bool, hang_up: ConnectionAbort,
                    on_connect: Callable[[], None] | None = None) -> SqliteConnections | ServerConnections:
    """The connections a log at ``where`` uses; ``on_connect`` runs at each new SQLite connection."""
    if isinstance(where, SqliteFile):
        return SqliteConnections(where.uri, readonly, hang_up, on_connect)
    return ServerConnections(where.url, hang_up)


# ---------------------------------------------------------------- SQLite
class _SqliteTransaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def all(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        return self.conn.execute(sql, params or {}).fetchall()

    def first(self, sql: str, params: Params | None = None) -> Sequence[Any] | None:
        return self.conn.execute(sql, params or {}).fetchone()

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        row = self.first(sql, params)
        return None if row is None else row[0]

    def run(self, sql: str, params: Params | None = None) -> None:
        self.conn.execute(sql, params or {})

    def run_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        self.conn.executemany(sql, rows)


class SqliteConnections:
    """Connections to an SQLite file through the standard library.

    A reader takes a fresh connection per transaction, so its snapshots stay fresh and files
    closed. A writer keeps one connection between transactions (and opens more only while that
    one is in use): closing the last connection to a WAL database checkpoints and deletes the
    WAL, which made every vote pay an extra sync (7x a bare commit).
    """

    dialect = "sqlite"
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
    integrity_errors: tuple[type[BaseException], ...] = (sqlite3.IntegrityError,)

    def __init__(self, uri: str, readonly: bool, hang_up: ConnectionAbort,
                 on_connect: Callable[[], None] | None = None) -> None:
        self.uri = uri
        self.readonly = readonly
        self.wait = WRITE_WAIT  # read now, so a test may lower it before the log is opened
        self._hang_up = hang_up
        self._on_connect = on_connect
        self._idle: list[sqlite3.Connection] = []  # a writer's kept connection
        self._lock = threading.Lock()
        # Bumped by dispose(): a connection checked out before it is closed on its return, not kept.
        self._generation = 0
        hang_up.watch(self.dispose)

    def connect(self) -> sqlite3.Connection:
        """A new connection with the log's pragmas; BEGIN and COMMIT are the caller's."""
        self._hang_up.connecting()
        conn = sqlite3.connect(self.uri, uri=True, timeout=self.wait, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout={int(self.wait * 1000)}")
            if not self.readonly:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            if self._on_connect is not None:
                self._on_connect()
        except BaseException:
            conn.close()
            raise
        self._hang_up.opened(conn)
        return conn

    def close(self, conn: sqlite3.Connection) -> None:
        self._hang_up.closed(conn)
        conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        generation = self._generation
        conn = self._checkout()
        healthy = True
        try:
            conn.execute("BEGIN" if self.readonly else "BEGIN IMMEDIATE")
            try:
                yield _SqliteTransaction(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite ends it itself on some errors
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        healthy = False  # a connection that cannot end its transaction is not kept
                raise
        finally:
            self._checkin(conn, healthy and generation == self._generation)

    def _checkout(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self.connect()

    def _checkin(self, conn: sqlite3.Connection, healthy: bool) -> None:
        # Kept as SQLAlchemy's pool kept it, after a refused or failed write too; not once the log
        # was hung up on (connection_abort.py), nor when its transaction could not be ended.
        if healthy and not self.readonly and not self._hang_up.aborted:
            with self._lock:
                if not self._idle:
                    self._idle.append(conn)
                    return
        with contextlib.suppress(sqlite3.Error):
            self.close(conn)

    def dispose(self) -> None:
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(sqlite3.Error):
                self.close(conn)


# ---------------------------------------------------------------- a server
def postgresql_bounds(url: URL) -> dict[str, object]:
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


class _ServerTransaction:
    def __init__(self, conn: Any) -> None:
        from sqlalchemy import text

        self.conn = conn
        self._text = text

    def all(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        return list(self.conn.execute(self._text(sql), dict(params or {})).all())

    def first(self, sql: str, params: Params | None = None) -> Sequence[Any] | None:
        return self.conn.execute(self._text(sql), dict(params or {})).first()

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        return self.conn.execute(self._text(sql), dict(params or {})).scalar()

    def run(self, sql: str, params: Params | None = None) -> None:
        self.conn.execute(self._text(sql), dict(params or {}))

    def run_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        self.conn.execute(self._text(sql), rows)


class ServerConnections:
    """Connections to a database server (PostgreSQL) through a SQLAlchemy engine and its pool."""

    def __init__(self, url: URL, hang_up: ConnectionAbort) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError

        args = postgresql_bounds(url) if url.get_backend_name() == "postgresql" else {}
        try:
            self.engine = create_engine(url, pool_pre_ping=True, connect_args=args)
        except (ArgumentError, ImportError) as exc:
            raise UnusableUrl(str(exc)) from None
        self.dialect = self.engine.dialect.name
        self.errors: tuple[type[BaseException], ...] = (DBAPIError,)
        self.integrity_errors: tuple[type[BaseException], ...] = (IntegrityError,)
        hang_up.watch_engine(self.engine)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self.engine.begin() as conn:
            yield _ServerTransaction(conn)

    def dispose(self) -> None:
        self.engine.dispose()
