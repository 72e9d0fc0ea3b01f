"""How a session log connects: SQLite's pragmas and locking, PostgreSQL's bounded waits.

SQLite (the default, one file) runs in WAL mode with ``synchronous=FULL``, so an event is on
disk when its commit returns; writers take the lock up front (``BEGIN IMMEDIATE``) and readers
never block them. Every wait on a database is bounded by the figures below, so a stuck lock or
server ends in one message instead of a frozen key.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import NullPool, QueuePool

from .locations import is_sqlite

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


def make_engine(url: URL, readonly: bool, on_connect: Callable[[], None] | None = None) -> Engine:
    """The engine a log reads and writes through; ``on_connect`` runs at each new SQLite connection."""
    if not is_sqlite(url):
        args = postgresql_bounds(url) if url.get_backend_name() == "postgresql" else {}
        return create_engine(url, pool_pre_ping=True, connect_args=args)
    # A reader takes a fresh connection per checkout, so its snapshots stay fresh and files closed.
    # A writer keeps its connection: closing the last connection to a WAL database checkpoints
    # and deletes the WAL, which made every vote pay an extra sync (7x a bare commit).
    wait = WRITE_WAIT
    args = {"timeout": wait, "check_same_thread": False}
    if readonly:
        engine = create_engine(url, poolclass=NullPool, connect_args=args)
    else:
        engine = create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=4, connect_args=args)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()
        if on_connect is not None:
            on_connect()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine
