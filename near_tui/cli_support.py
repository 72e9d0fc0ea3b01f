"""What every ``near-tui`` command shares, in a module of its own so that the
command modules of each area can import it without importing ``near_tui.cli``
(which imports them to register their commands)."""

from __future__ import annotations

import functools
import sys

import click

from .errors import NearError

DB_HELP = "Session database: a file path (SQLite) or a SQLAlchemy URL such as postgresql+psycopg://host/db."


def friendly(func):
    """Turn the user's errors into one line on stderr and exit status 2."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NearError as exc:
            click.echo(f"near-tui: {exc}", err=True)
            sys.exit(exc.exit_code)
    return wrapper
