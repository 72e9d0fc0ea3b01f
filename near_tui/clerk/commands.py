"""`near-tui clerk` and `near-tui demo`: open the clerk's console on a session database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..cli_support import DB_HELP, friendly
from ..errors import StorageError

AGENDA_DIR = "agenda"
SAMPLE = "ga12-2018"


def sessions_dir() -> Path:
    """sessions/ at the root of the checkout, else under the current directory."""
    import near_tui

    root = Path(near_tui.__file__).resolve().parent.parent
    if (root / "pyproject.toml").exists() and (root / AGENDA_DIR).is_dir():
        return root / "sessions"
    return Path.cwd() / "sessions"


def sample_dir() -> Path:
    import near_tui

    root = Path(near_tui.__file__).resolve().parent.parent / AGENDA_DIR
    if (root / f"{SAMPLE}.yaml").exists():
        return root
    raise StorageError(f"the 12th GA sample ({AGENDA_DIR}/{SAMPLE}.yaml) is not installed — run from a checkout")


def run_clerk(db: str, item: str | None = None, order: str = "roster") -> None:
    from .app import build_app

    if "://" not in db and not Path(db).exists():
        raise StorageError(f"{db}: no such session database — create one with `near-tui new AGENDA --db {db}`")
    build_app(db, item=item, order=order).run()


@click.command("clerk")
@click.option("--db", required=True, help=DB_HELP)
@click.option("--item", default=None, help="Open straight onto this agenda item (a decision: its roll call).")
@click.option("--order", type=click.Choice(["roster", "alphabetical"]), default="roster", show_default=True,
              help="Call order when --item opens a pending vote (alphabetical draws the first member by lot).")
@friendly
def clerk(db: str, item: str | None, order: str) -> None:
    """Run the session from the clerk's keyboard (full screen); reopens where the clerk was."""
    run_clerk(db, item, order)


@click.command("demo")
@click.option("--empty", is_flag=True, help="Skip the sample attendance and letters: start from nobody present.")
@friendly
def demo(empty: bool) -> None:
    """Open the clerk's console on a fresh copy of the 12th GA (2018) sample session."""
    from ..agenda_file import load_agenda
    from ..imports import import_file
    from ..session import Session

    folder = sample_dir()
    target = sessions_dir()
    target.mkdir(parents=True, exist_ok=True)
    db = str(target / f"demo-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite")
    session = Session.create(load_agenda(folder / f"{SAMPLE}.yaml"), db)
    try:
        if not empty:
            import_file(session, "attendance", folder / f"{SAMPLE}-attendance.csv")
            import_file(session, "letters", folder / f"{SAMPLE}-letters.csv")
    finally:
        session.close_log()
    click.echo(db)
    run_clerk(db)
    click.echo(f"session saved in {db} — reopen it with: near-tui clerk --db {db}")
