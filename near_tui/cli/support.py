"""What every ``near-tui`` command shares, in a module of its own so that the
command modules of each area can import it without importing ``near_tui.cli.main``
(which imports them to register their commands)."""

from __future__ import annotations

import functools
import os
import sys

import click

from near_tui.core.errors import NearError

DB_HELP = "Session database: a file path (SQLite) or a SQLAlchemy URL such as postgresql+psycopg://host/db."


def _use_seat_key(ctx, param, value):
    # Through the environment, so that every session this process opens (the clerk's close
    # worker too) signs with the same seat key.
    if value is not None:
        os.environ["NEAR_TUI_SEAT_KEY"] = value
    return value


seat_key_option = click.option(
    "--seat-key", default=None, metavar="FILE", expose_value=False, callback=_use_seat_key,
    help="This seat's own signing key, made there at first use (default: $NEAR_TUI_SEAT_KEY, else "
         "~/.config/near-tui/seat.key). Every event this command records is signed with it (docs/seats.md).")

# ``backup`` records no event, so it signs nothing; it takes the flag all the same, so that a venue's
# script can hand one set of seat flags to every command that opens the session database.
backup_seat_key_option = click.option(
    "--seat-key", default=None, metavar="FILE", expose_value=False, callback=_use_seat_key,
    help="Accepted as on the commands that record (default: $NEAR_TUI_SEAT_KEY, else "
         "~/.config/near-tui/seat.key). A backup records no event: it copies the events with their "
         "seats' signatures, signs nothing and makes no key (docs/seats.md).")


AT_HELP = ("When this happened, in ISO 8601 with its offset (2018-10-29T10:30:00+08:00): recorded in each "
           "event beside the log's own clock, and used by the minutes, the record and the declaration "
           "(replaying a past session from its papers).")


def _parse_at(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    from near_tui.core.events import parse_stated_time
    try:
        return parse_stated_time(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc) if "offset" in str(exc) else
                                 f"{value!r} is not an ISO 8601 time — write it as 2018-10-29T10:30:00+08:00") from None


# ``--at TIME`` on every command that records from papers (imports, agenda changes, new, close).
at_option = click.option("--at", "at", default=None, metavar="TIME", callback=_parse_at, help=AT_HELP)


def one_line(text: str) -> str:
    """``text`` with every character a terminal would act on or hide written as an escape.

    The one boundary where errors reach the terminal: a file name is the user's data and may hold
    a line break, ESC or a bidi override, which would forge a second line or rewrite this one.
    """
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def say_error(message: str, exit_code: int = 2) -> None:
    click.echo(f"near-tui: {one_line(message)}", err=True)
    sys.exit(exit_code)


def friendly(func):
    """Turn the user's errors into one line on stderr and exit status 2."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NearError as exc:
            say_error(str(exc), exc.exit_code)
    return wrapper


class OneLineGroup(click.Group):
    """A click group whose usage errors (a missing option, a folder given for a file...) are one line.

    click prints usage, a hint and the error on four lines; the contract is one line and exit 2.
    """

    def main(self, *args, **kwargs):
        if kwargs.get("standalone_mode", True):
            try:
                done = super().main(*args, **{**kwargs, "standalone_mode": False})
            except click.exceptions.Exit as stop:
                sys.exit(stop.exit_code)
            except _NO_ARGS_IS_HELP as exc:  # `near-tui` alone: the help, as click prints it
                exc.show()
                sys.exit(exc.exit_code)
            except click.Abort:
                click.echo("Aborted!", err=True)
                sys.exit(1)
            except click.UsageError as exc:
                command = exc.ctx.command_path if exc.ctx is not None else "near-tui"
                say_error(f"{exc.format_message()} — see {command} --help", exc.exit_code)
            except click.ClickException as exc:
                say_error(exc.format_message(), exc.exit_code)
            # Without standalone mode click returns an Exit's code (--help, --version) instead of exiting.
            sys.exit(done if isinstance(done, int) else 0)
        return super().main(*args, **kwargs)


_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
