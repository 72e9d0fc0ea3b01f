"""The board's HTTP server (aiohttp): the page, ``/state.json`` and ``/events``.

Everything the page needs is served from this package (``static/``); the
Content-Security-Policy also tells browsers to load nothing from elsewhere, so
no request leaves the venue's network. One asyncio process holds every viewer:
an idle Server-Sent Events stream is a socket and a handler waiting for its end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import signal
import sys
from collections.abc import Callable
from importlib.resources import files

from aiohttp import HttpVersion11, web

from near_tui.i18n import LANGUAGES, SOURCE

from . import guard
from .feed import Feed
from .page import chosen_language, page
from .witnesses import INTERVAL as CHECKPOINT_INTERVAL, Checkpoints, sse_event

log = logging.getLogger("near_tui.board")

HEARTBEAT = 15.0  # seconds between keep-alive comments on every stream (proxies close silent ones)
KEEP_ALIVE = b": keep-alive\n\n"  # an SSE comment: browsers ignore it
RETRY_MS = 2000  # how soon a browser reconnects after losing the stream

# The only files served, by name (nothing else is read from disk on a request).
ASSETS = {
    "board.css": "text/css; charset=utf-8",
    "board.js": "text/javascript; charset=utf-8",
}
SECURITY = {
    # Nothing from anywhere but this server: no fonts, scripts, styles or requests from outside.
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                                "form-action 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

def _static(name: str) -> bytes:
    return files(__package__).joinpath("static", name).read_bytes()


def make_app(feed: Feed) -> web.Application:
    app = web.Application()
    kept = Checkpoints(feed.db)
    template = _static("index.html").decode("utf-8")
    # The page in each language, made once: a request only picks one.
    pages = {code: page(template, code) for code in LANGUAGES}
    # A browser that asks for none of ours gets the record's language.
    record_language = feed.follower.state.definition.session.languages[0] \
        if feed.follower.state.definition is not None else SOURCE
    assets = {name: _static(name) for name in ASSETS}

    async def index(request: web.Request) -> web.Response:
        language = chosen_language(request.query.get("lang"), request.headers.get("Accept-Language"),
                                   record_language)
        # The page differs by the query and by Accept-Language: caches must keep them apart.
        return web.Response(body=pages[language], content_type="text/html", charset="utf-8",
                            headers={**SECURITY, "Cache-Control": "no-cache", "Vary": "Accept-Language",
                                     "Content-Language": language})

    async def asset(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        return web.Response(body=assets[name], headers={**SECURITY, "Content-Type": ASSETS[name],
                                                         "Cache-Control": "no-cache"})

    async def state(request: web.Request) -> web.Response:
        return web.Response(body=feed.snapshot.state_json, headers={
            **SECURITY, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store",
            "X-Near-Live": "yes" if feed.snapshot.live else "no"})

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={
            **SECURITY, "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store",
            "X-Accel-Buffering": "no"})
        # The feed frames each message once for everybody and writes it to each socket itself (one
        # write per viewer, no task per viewer): HTTP/1.1 streams in chunks, HTTP/1.0 until close.
        chunked = request.version >= HttpVersion11
        if chunked:
            response.enable_chunked_encoding()
        await response.prepare(request)
        transport = request.transport
        if transport is None or transport.is_closing():
            return response
        asked = request.query.get("lang", SOURCE)
        viewer = feed.join(transport, chunked, first=f"retry: {RETRY_MS}\n\n".encode(),
                           language=asked if asked in LANGUAGES else SOURCE)
        try:
            await viewer.done  # until the browser goes away (seen at the next write) or the board stops
        finally:
            feed.leave(viewer)
        return response

    async def checkpoints(request: web.Request) -> web.Response:
        return web.Response(body=kept.body, headers={
            **SECURITY, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"})

    app.router.add_get("/", index)
    app.router.add_get("/checkpoints", checkpoints)
    app.router.add_get("/state.json", state)
    app.router.add_get("/events", events)
    app.router.add_get("/static/{name}", asset)

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT)
            feed.broadcast(KEEP_ALIVE)

    async def publish_checkpoints() -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                new = await loop.run_in_executor(None, kept.poll)
            except Exception as exc:  # noqa: BLE001 — the board goes on; the next read tries again
                log.warning("near-tui board: cannot read the signed checkpoints (%s)", exc)
                new = []
            for entry in new:
                feed.broadcast(sse_event("checkpoint", entry))
            await asyncio.sleep(CHECKPOINT_INTERVAL)

    async def start_feed(app: web.Application) -> None:
        loop = asyncio.get_running_loop()
        tasks = [loop.create_task(feed.run(), name="near-board-follower"),
                 loop.create_task(heartbeat(), name="near-board-heartbeat"),
                 loop.create_task(publish_checkpoints(), name="near-board-checkpoints")]
        yield
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await loop.run_in_executor(None, feed.close)
        await loop.run_in_executor(None, kept.close)

    async def end_streams(app: web.Application) -> None:
        feed.close_viewers()  # open streams end now instead of holding the shutdown

    app.cleanup_ctx.append(start_feed)
    app.on_shutdown.append(end_streams)
    return app


def raise_open_files_limit() -> None:
    """Each viewer holds a socket: lift the soft limit on open files to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


async def run(feed: Feed, host: str, port: int, on_ready: Callable[[str], None]) -> None:
    """Serve until SIGINT or SIGTERM; ``OSError`` if the address cannot be bound."""
    runner = web.AppRunner(make_app(feed), access_log=None, handle_signals=False, shutdown_timeout=2.0,
                           keepalive_timeout=guard.KEEP_ALIVE_TIMEOUT, logger=guard.ServerLog())
    await runner.setup()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    # Out of file descriptors and the like: one line each (and nothing once stopping).
    loop.set_exception_handler(guard.LoopProblems(stop.is_set))
    try:
        site = guard.GuardedSite(runner, host, port, backlog=4096)
        await site.start()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        where = f"[{host}]" if ":" in host else host
        on_ready(f"http://{where}:{port}/")
        await stop.wait()
    finally:
        await runner.cleanup()


def serve(db: str, host: str, port: int, echo: Callable[[str], None] = print) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    for handler in logging.getLogger().handlers:
        guard.quiet_logging(handler)  # one line per kind of problem per minute, never a traceback
    raise_open_files_limit()
    feed = Feed(db)
    title = feed.snapshot.report["session"]["title"]
    try:
        asyncio.run(run(feed, host, port, lambda url: echo(
            f"near-tui board: {title} — live on {url} (read-only; ctrl+c stops)")))
    except BaseException:
        feed.close()
        raise
