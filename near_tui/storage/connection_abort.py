"""Ending, from another thread, a database call that never returns.

A PostgreSQL server that stops answering altogether (its processes stopped, its host frozen)
still has its kernel acknowledge every packet: TCP keepalives, ``tcp_user_timeout`` and the
server's own ``statement_timeout`` never fire, and the thread that sent a write waits in the
driver for ever. A seat gives up on such a write after a bound of its own (the clerk's
``writes.NO_ANSWER``) and then hangs up here (``SessionLog.hang_up``, which watches every
connection the log opens, from its first): the socket of every open connection is shut down, so the driver's wait returns with an error and the thread ends (a
thread left waiting would also keep the program from exiting). On SQLite the connection is
interrupted (``sqlite3.Connection.interrupt``), which ends a wait for a lock or a long statement.

Once aborted, the log makes no new connection and keeps no idle one: the seat has stopped
recording, and a connection to a server that does not answer would only wait out its connect
timeout (or, pooled, wait on its ping).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from near_tui.core.errors import StorageError


class ConnectionAbort:
    """Watches every open connection of a log; ``abort()`` (any thread) ends the calls on them.

    Every connection, not only those checked out: a call can be stuck before the checkout ends
    (the pool's ping of a kept connection is a query too). An SQLite log's connections report
    themselves (``opened``, ``closed``, ``connecting``); a server's SQLAlchemy engine is watched
    through its pool's events (``watch_engine``)."""

    def __init__(self) -> None:
        self.why = ""  # the refusal of every connection asked for after the abort
        self.aborted = False
        self._lock = threading.Lock()
        self._open: dict[int, Any] = {}  # id -> each DBAPI connection opened and not yet closed
        self._dispose: Callable[[], None] | None = None  # closes the idle connections

    def watch(self, dispose: Callable[[], None]) -> None:
        """``dispose``: closes the log's idle connections once it is aborted."""
        self._dispose = dispose

    def watch_engine(self, engine: Any) -> None:
        """Watch a SQLAlchemy engine's connections through its pool's events."""
        from sqlalchemy import event

        event.listen(engine, "connect", self.opened)
        event.listen(engine, "close", self.closed)
        event.listen(engine, "close_detached", self.closed)
        event.listen(engine, "invalidate", self.closed)  # an invalidated connection is closed by the pool
        event.listen(engine, "do_connect", self.connecting)
        self.watch(engine.dispose)

    def opened(self, dbapi_connection: Any, *_record: Any) -> None:
        with self._lock:
            self._open[id(dbapi_connection)] = dbapi_connection

    def closed(self, dbapi_connection: Any, *_rest: Any) -> None:
        with self._lock:
            self._open.pop(id(dbapi_connection), None)

    def connecting(self, *_args: Any) -> None:
        """Refuses a new connection once aborted."""
        if self.aborted:
            raise StorageError(self.why)

    def abort(self, why: str) -> int:
        """End every call under way on the engine's connections; return how many were cut. ``why``:
        the refusal of every connection asked for afterwards.

        May wait on the disk (closing an idle SQLite connection can checkpoint): call it from a
        thread of its own, never from the screen's."""
        with self._lock:
            self.why = why
            self.aborted = True
            stuck = list(self._open.values())
        for connection in stuck:
            _cut(connection)
        if self._dispose is not None:
            self._dispose()  # the idle ones are closed; none is made again (``connecting``)
        return len(stuck)


def _cut(connection: Any) -> None:
    """Shut down a driver connection's socket (the driver then fails its call), or interrupt SQLite."""
    if isinstance(connection, sqlite3.Connection):
        try:
            connection.interrupt()
        except sqlite3.Error:
            pass  # already closed
        return
    fileno = getattr(connection, "fileno", None)  # psycopg: the libpq socket
    if fileno is None:
        return
    try:
        # A duplicate of the descriptor: shutting it down ends the connection for both, and closing
        # the duplicate leaves the driver's own descriptor for the driver to close.
        with socket.socket(fileno=os.dup(fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # noqa: BLE001 — a connection already closed has nothing left to cut
        pass
