"""The board under hostile or careless clients: bounded waits, and one line per kind of problem.

- **Out of file descriptors.** When ``accept`` fails with EMFILE, asyncio stops accepting for a
  second and tries again (its own back-off); ``loop_problem`` turns its report into one line.
- **Idle and slow clients.** A connection must send a whole request head within
  ``HEADER_TIMEOUT`` seconds of connecting, or it is closed (a socket that never sends a
  request, or sends its head a byte at a time, holds a file descriptor for nothing). Between two
  requests on one connection, aiohttp's keep-alive timeout (``KEEP_ALIVE_TIMEOUT``) closes it.
- **Malformed requests** are one line, not aiohttp's traceback (``ServerLog``).
- **Rate-limited logging.** ``OncePerInterval`` lets through one line per kind of problem per
  ``INTERVAL`` seconds, and says how many like it it held back, so a fault that repeats a
  thousand times a second writes a line a minute, not megabytes.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger("near_tui.board")

INTERVAL = 60.0  # seconds: at most one line per kind of problem in this long
HEADER_TIMEOUT = 10.0  # seconds a new connection has to send its request head
KEEP_ALIVE_TIMEOUT = 15.0  # seconds an idle connection is kept between two requests
OUT_OF_FDS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


class OncePerInterval(logging.Filter):
    """A handler's filter: one record per kind (logger, message template, exception type) per interval.

    A record let through loses its traceback (its exception is named on the same line) and tells
    how many records of its kind were held back since the last one.
    """

    def __init__(self, interval: float = INTERVAL, clock=time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        self.seen: dict[tuple, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        kind = (record.name, str(record.msg).split("\n", 1)[0], type(exc).__name__ if exc else None)
        now = self.clock()
        last, held = self.seen.get(kind, (None, 0))
        if last is not None and now - last < self.interval:
            self.seen[kind] = (last, held + 1)
            return False
        self.seen[kind] = (now, 0)
        text = one_line(record.getMessage().split("\n", 1)[0])
        if exc is not None:
            text += f" ({type(exc).__name__}: {one_line(exc)})"
        if held:
            text += f" [and {held} more like it in the last {int(now - last)} s]"
        record.msg, record.args = text, ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def quiet_logging(handler: logging.Handler, interval: float = INTERVAL) -> None:
    handler.addFilter(OncePerInterval(interval))


class LoopProblems:
    """The event loop's exception handler: each problem one line (rate-limited by the log handler).

    Once the board is stopping (``stopping()``), nothing: asyncio's accept retry, due a second
    after running out of descriptors, then meets a listening socket already closed."""

    def __init__(self, stopping) -> None:
        self.stopping = stopping

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if not self.stopping():
            loop_problem(loop, context)


def loop_problem(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    exc = context.get("exception")
    if isinstance(exc, OSError) and exc.errno in OUT_OF_FDS:
        log.error("near-tui board: out of file descriptors (%s) — new viewers wait; asyncio tries again "
                  "in a second. Raise the limit (ulimit -n) or let idle connections close", exc.strerror)
        return
    what = one_line(context.get("message") or "problem in the event loop")
    if exc is not None:
        log.error("near-tui board: %s (%s: %s)", what, type(exc).__name__, one_line(exc))
    else:
        log.error("near-tui board: %s", what)


class ServerLog:
    """aiohttp's request-handler logger: a bad request is one line (rate-limited), never a traceback."""

    def debug(self, *args: Any, **kwargs: Any) -> None:
        pass

    def info(self, *args: Any, **kwargs: Any) -> None:
        pass

    def _line(self, msg: str, *args: Any, exc_info: Any = None, **kwargs: Any) -> None:
        exc = exc_info if isinstance(exc_info, BaseException) else None
        why = f" ({type(exc).__name__}: {one_line(getattr(exc, 'message', None) or exc)})" if exc else ""
        text = (msg % args) if args else msg
        log.warning("near-tui board: %s%s", one_line(text), why)

    warning = error = exception = _line


class GuardedHandler(RequestHandler):
    """aiohttp's request handler, closing a connection that sends no whole request head in time."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._near_deadline: asyncio.TimerHandle | None = self._loop.call_later(HEADER_TIMEOUT, self._near_too_slow)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._request_count and self._near_deadline is not None:
            self._near_deadline.cancel()  # a whole request head arrived in time
            self._near_deadline = None

    def connection_lost(self, exc: BaseException | None) -> None:
        if getattr(self, "_near_deadline", None) is not None:
            self._near_deadline.cancel()
            self._near_deadline = None
        super().connection_lost(exc)

    def _near_too_slow(self) -> None:
        self._near_deadline = None
        if not self._request_count:
            self.force_close()


class GuardedSite(web.TCPSite):
    """``web.TCPSite`` whose connections are ``GuardedHandler``s."""

    async def start(self) -> None:
        await web.BaseSite.start(self)
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()

        def handler() -> RequestHandler:
            return GuardedHandler(server, loop=loop, **server._kwargs)

        self._server = await loop.create_server(handler, self._host, self._port, backlog=self._backlog,
                                                reuse_address=self._reuse_address, reuse_port=self._reuse_port)
        self._bound_port = self._server.sockets[0].getsockname()[1] if self._server.sockets else self._port
