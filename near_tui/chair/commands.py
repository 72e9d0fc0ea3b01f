"""``near-tui chair``: the projector view, in this terminal or served to browsers."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from ..cli_support import DB_HELP, friendly

LOOPBACK = "127.0.0.1"


@click.command("chair")
@click.option("--db", required=True, help=DB_HELP)
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True,
              help="light: black on white, for a lit hall; dark: white on black, for a dimmed one.")
@click.option("--serve", is_flag=True, help="Serve the view to browsers (textual-serve) instead of this terminal.")
@click.option("--host", default=LOOPBACK, show_default=True,
              help="With --serve: the address to listen on. Give the laptop's address on the venue network to let other machines in.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="With --serve: the port.")
@click.option("--public-url", default=None,
              help="With --serve: the address browsers use, when it differs from http://HOST:PORT (e.g. when HOST is 0.0.0.0).")
@friendly
def chair(db: str, theme: str, serve: bool, host: str, port: int, public_url: str | None) -> None:
    """Show the session large for the chair and the hall, following the clerk live (read-only)."""
    from .app import build_app

    if "://" not in db:
        db = str(Path(db).expanduser().resolve())
    app = build_app(db, theme)  # opens the log now: a wrong --db is one line, before any screen
    if not serve:
        app.run()
        return
    app.follower.close()
    from textual_serve.server import Server

    # Each browser gets its own chair process, started with this same command.
    command = shlex.join([sys.executable, "-m", "near_tui", "chair", "--db", db, "--theme", theme])
    Server(command, host=host, port=port, title=f"NEAR chair · {app.board.title}",
           public_url=public_url).serve()
