"""``near-tui board``: the live web board for an online assembly (many viewers, read-only)."""

from __future__ import annotations

import sys

import click

from .support import DB_HELP, friendly

LOOPBACK = "127.0.0.1"


@click.command("board")
@click.option("--db", required=True, help=DB_HELP)
@click.option("--host", default=LOOPBACK, show_default=True,
              help="The address to listen on. Give the laptop's address on the venue network to let other machines in.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="The port.")
@friendly
def board(db: str, host: str, port: int) -> None:
    """Serve the session live to browsers: one page, /state.json and /events (one reader for every viewer)."""
    from near_tui.board.server import serve

    if "://" not in db:
        from near_tui.storage.locations import resolve_path

        db = str(resolve_path(db))  # a loop of links is one line
    try:
        serve(db, host, port, echo=lambda line: click.echo(line))
    except OSError as exc:  # the address is taken, or not this machine's
        click.echo(f"near-tui: cannot listen on {host}:{port} ({exc.strerror or exc}) — "
                   "choose another --port, or a --host this machine has", err=True)
        sys.exit(2)
