"""``near-tui chair``: the projector view, in this terminal or served to browsers."""

from __future__ import annotations

import os
import select
import shlex
import sys
import threading
from pathlib import Path

import click

from .support import DB_HELP, friendly

LOOPBACK = "127.0.0.1"
# textual-serve's page with its Google Fonts link replaced by the font it ships (see the file).
SERVE_TEMPLATES = Path(__file__).resolve().parent.parent / "chair" / "serve_templates"


@click.command("chair")
@click.option("--db", required=True, help=DB_HELP)
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True,
              help="light: black on white, for a lit hall; dark: white on black, for a dimmed one.")
@click.option("--lang", "language", type=click.Choice(["en", "zh", "ja", "ko", "mn", "ru"]), default="en",
              show_default=True,
              help="Show every fixed word in this language beside English, and the agenda's texts in it where "
                   "the agenda gives them (docs/languages.md); the l key steps through the session's languages.")
@click.option("--serve", is_flag=True, help="Serve the view to browsers (textual-serve) instead of this terminal.")
@click.option("--host", default=LOOPBACK, show_default=True,
              help="With --serve: the address to listen on. Give the laptop's address on the venue network to let other machines in.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="With --serve: the port.")
@click.option("--public-url", default=None,
              help="With --serve: the address browsers use, when it differs from http://HOST:PORT (e.g. when HOST is 0.0.0.0).")
@click.option("--max-viewers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="With --serve: at most this many browsers at once (each runs a whole chair, about 65 MiB); "
                   "the next one is shown a page that points to `near-tui board`.")
@click.option("--served", is_flag=True, hidden=True,
              help="Run for one browser of --serve: end when the server's pipe closes.")
@friendly
def chair(db: str, theme: str, language: str, serve: bool, host: str, port: int, public_url: str | None,
          max_viewers: int, served: bool) -> None:
    """Show the session large for the chair and the hall, following the clerk live (read-only)."""
    from near_tui.chair.app import build_app

    if "://" not in db:
        from near_tui.storage.locations import resolve_path

        db = str(resolve_path(db))  # a loop of links is one line
    app = build_app(db, theme, language=language)  # opens the log now: a wrong --db is one line, before any screen
    if not serve:
        if served:
            exit_when_stdin_closes(app)
        app.run()
        return
    app.follower.close()
    # Each browser gets its own chair process, started with this same command. `exec`: the shell
    # textual-serve starts it with is replaced by the chair, so no shell stays behind it.
    command = "exec " + shlex.join([sys.executable, "-m", "near_tui", "chair", "--db", db, "--theme", theme,
                                    "--lang", language, "--served"])
    serve_chairs(command, host=host, port=port, title=f"NEAR chair · {app.board.title}", public_url=public_url,
                 max_viewers=max_viewers, db=db)


FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>All chair views are in use</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>All {limit} chair views are in use</h1>
<p>This server runs a whole chair program for each browser, so it takes at most {limit} at once.
Try again when one of them closes.</p>
<p>For many viewers (phones, laptops, a wall screen), ask the Secretariat to serve the web board,
which one process serves to any number of browsers:</p>
<pre>near-tui board --db {db}</pre>
</body></html>
"""


def serve_chairs(command: str, max_viewers: int = 4, db: str = "DB", **options) -> None:
    """textual-serve's server, with the page's font served locally, at most ``max_viewers`` chairs at
    once (each browser gets a whole chair process) and a stop that ends every chair."""
    import asyncio
    import html

    from aiohttp import web
    from textual_serve.server import Server

    full = FULL_PAGE.format(limit=max_viewers, db=html.escape(db)).encode()

    def busy() -> web.Response:
        return web.Response(status=503, body=full, content_type="text/html", charset="utf-8",
                            headers={"Retry-After": "30", "Cache-Control": "no-store"})

    class ChairServer(Server):
        # textual-serve lets each browser's websocket run until its shutdown timeout (a minute)
        # after ctrl+c; ending those sessions at once asks each chair to quit right away.
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.sessions: set[asyncio.Task] = set()

        async def handle_index(self, request):
            if len(self.sessions) >= max_viewers:
                return busy()  # the page would open a websocket that is refused
            return await super().handle_index(request)

        async def handle_websocket(self, request):
            if len(self.sessions) >= max_viewers:
                return busy()  # refused before the upgrade: no chair process is started
            task = asyncio.current_task()
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def on_shutdown(self, app) -> None:
            for task in list(self.sessions):
                task.cancel()

    ChairServer(command, templates_path=SERVE_TEMPLATES, **options).serve()


def exit_when_stdin_closes(app, grace: float = 3.0) -> None:
    """End this chair when textual-serve's end of its stdin pipe closes.

    textual-serve asks a chair to quit when its browser disconnects; but if the server itself
    stops or dies, that request never comes, and the chair (whose input thread simply ends at
    end of file) would run on with nobody to see it. A hang-up on stdin means the server is
    gone: exit the app, and the process too if the app does not end within ``grace`` seconds.
    """
    if not hasattr(select, "poll"):
        return

    def watch() -> None:
        poller = select.poll()
        poller.register(sys.stdin.fileno(), select.POLLHUP | select.POLLERR)
        while True:
            # Polling for the hang-up alone reads nothing, so the app's input thread still gets every byte.
            if any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in poller.poll()):
                break
        deadline = threading.Timer(grace, os._exit, (0,))
        deadline.daemon = True
        deadline.start()
        try:
            app.call_from_thread(app.exit)
        except Exception:
            pass  # not running yet, or already ending: the deadline settles it

    threading.Thread(target=watch, name="chair-served-watchdog", daemon=True).start()
