"""`near-tui clerk` and `near-tui demo`: open the clerk's console on a session database."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass
from pathlib import Path

import click

from near_tui.core.errors import StorageError

from .support import DB_HELP, friendly, seat_key_option


def sessions_dir() -> Path:
    """Where the demo writes: sessions/ under the current directory, whatever the install (scripts/demo
    runs from the checkout's root, so there it is the checkout's sessions/)."""
    return Path.cwd() / "sessions"


def run_clerk(db: str, item: str | None = None, order: str = "roster", key: str | None = None,
              out: str | None = None, mirror: str | None = None) -> None:
    from near_tui.clerk import pause_collector

    pause_collector()  # until the first frame, which resumes it; or until this returns, whatever happens
    try:
        _run_clerk(db, item, order, key, out, mirror)
    finally:
        gc.enable()


def _run_clerk(db: str, item: str | None, order: str, key: str | None, out: str | None,
               mirror: str | None) -> None:
    from near_tui.clerk.app import build_app
    from near_tui.storage.locations import disk_full, resolve_path

    if "://" not in db:
        where = resolve_path(db).parent  # a loop of symbolic links is said as such, not as a missing file
        if Path(db).exists() and disk_full(where):
            # The clerk's first answer would be refused: say it now, before the assembly waits on the screen.
            raise StorageError(f"{db}: the disk holding {where} is full — free space, then start the clerk; "
                               "nothing was recorded")
    if "://" not in db and not Path(db).exists():
        raise StorageError(f"{db}: no such session database — create one with `near-tui new AGENDA --db {db}`")
    app = build_app(db, item=item, order=order, key_path=key, out_dir=out, mirror=mirror,
                    passphrase=_checkpoint_passphrase(key))
    app.run()
    if app.stopped is not None:
        # The seat stopped recording (its database gone, replaced or rewritten): never say "saved".
        raise StorageError(f"{db}: {app.stopped}")


def _checkpoint_passphrase(key: str | None) -> str | None:
    """Ask, on a terminal, for a protected key's passphrase, so vote closes can be signed as checkpoints.

    Only with --key and a terminal (nothing is read from a pipe: the console needs its input);
    an empty answer starts without checkpoints.
    """
    import sys

    if key is None or sys.stdin is None or not sys.stdin.isatty() or not Path(key).is_file():
        return None
    from near_tui.declaration.keys import is_protected, read_secret_key

    secret = read_secret_key(Path(key))
    protected = is_protected(secret)
    secret.wipe()
    if not protected:
        return None
    answer = click.prompt(f"Passphrase for {key} (signs a checkpoint at every vote close; "
                          "empty: no checkpoints)", hide_input=True, default="", show_default=False)
    return answer or None


KEY_HELP = "Secret key that signs the declaration when the session is ended (ctrl+e)"
OUT_HELP = "Folder for the declaration files when the session is ended (default: sessions/<session id>/)."
MIRROR_HELP = ("Also write every event to this SQLite file (on a USB stick) before the clerk sees it recorded; "
               "`near-tui clerk --db MIRROR` continues from it on another laptop (docs/laptop-died.md).")


@click.command("clerk")
@click.option("--db", required=True, help=DB_HELP)
@click.option("--item", default=None, help="Open straight onto this agenda item (a decision: its roll call).")
@click.option("--order", type=click.Choice(["roster", "alphabetical"]), default="roster", show_default=True,
              help="Call order when --item opens a pending vote (alphabetical draws the first member by lot).")
@click.option("--key", default=None, help=KEY_HELP + " (default: keys/<session id>.key).")
@click.option("--out", default=None, help=OUT_HELP)
@click.option("--mirror", default=None, help=MIRROR_HELP)
@seat_key_option
@friendly
def clerk(db: str, item: str | None, order: str, key: str | None, out: str | None, mirror: str | None) -> None:
    """Run the session from the clerk's keyboard (full screen); reopens where the clerk was.

    With --key, each vote close also signs a checkpoint of the log into the declaration
    folder's checkpoints/ (a protected key's passphrase is asked for at start).
    """
    run_clerk(db, item, order, key, out, mirror)


@dataclass(frozen=True)
class Demo:
    """A demo session made by `prepare_demo`: its database, signing key and declaration folder."""

    db: str
    key: str
    folder: Path


def prepare_demo(target: Path | None = None, empty: bool = False, key: str | None = None) -> Demo:
    """Create a fresh 12th GA session in ``target`` (default: `sessions_dir()`), as `near-tui demo` does.

    The sample's attendance and letters are imported unless ``empty``; without ``key``, an
    unprotected demo key is written into the demo's own folder. Prints what it made.
    """
    from near_tui.declaration.keys import generate
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.imports import import_file
    from near_tui.service.session import Session

    from .sample import SAMPLE, sample_folder

    target = sessions_dir() if target is None else target
    target.mkdir(parents=True, exist_ok=True)
    name = f"demo-{dt.datetime.now():%Y%m%d-%H%M%S}"
    db = str(target / f"{name}.sqlite")
    demo_folder = target / name
    with sample_folder() as folder:
        session = Session.create(load_agenda(folder / f"{SAMPLE}.yaml"), db)
        try:
            if not empty:
                import_file(session, "attendance", folder / f"{SAMPLE}-attendance.csv")
                import_file(session, "letters", folder / f"{SAMPLE}-letters.csv")
        finally:
            session.close_log()
    click.echo(db)
    demo_folder.mkdir(exist_ok=True)
    if key is None:
        # Unprotected, for the demo only: a real session's key comes from `near-tui keygen`.
        key = str(demo_folder / "demo.key")
        generate(Path(key))
        click.echo(f"demo signing key: {key} (ctrl+e ends the session and signs its declaration)")
    return Demo(db, key, demo_folder)


@click.command("demo")
@click.option("--empty", is_flag=True, help="Skip the sample attendance and letters: start from nobody present.")
@click.option("--key", default=None, help=KEY_HELP + " (default: a new unprotected demo key beside the demo).")
@click.option("--mirror", default=None, help=MIRROR_HELP)
@seat_key_option
@friendly
def demo(empty: bool, key: str | None, mirror: str | None) -> None:
    """Open the clerk's console on a fresh copy of the 12th GA (2018) sample session.

    The demo gets its own folder, sessions/demo-<time>/, holding a demo signing key
    (unless --key is given) and, once the session is ended, the declaration files.
    sessions/ is under the current directory.
    """
    from near_tui.storage.mirror import check_mirror_path

    if mirror is not None:
        # Refused before the demo is made: a new demo is a new log, which no used file can mirror.
        where = check_mirror_path(mirror)
        if where.exists() and where.stat().st_size > 0:
            raise StorageError(f"{mirror}: already exists — give a new file for the demo's mirror")
    made = prepare_demo(empty=empty, key=key)
    run_clerk(made.db, key=made.key, out=str(made.folder), mirror=mirror)
    again = f" --mirror {mirror}" if mirror else ""
    click.echo(f"session saved in {made.db} — reopen it with: near-tui clerk --db {made.db} --key {made.key} "
               f"--out {made.folder}{again}")
