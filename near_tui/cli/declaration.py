"""``near-tui keygen``, ``close`` and ``verify``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from near_tui.core.errors import InputError

from .support import DB_HELP, at_option, friendly, seat_key_option


def read_passphrase(what: str, confirm: bool) -> str:
    """Ask on a terminal (hidden); from a pipe, read one line without asking."""
    if sys.stdin is not None and sys.stdin.isatty():
        return click.prompt(what, hide_input=True, confirmation_prompt=confirm)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


@click.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Secret key file to write (mode 0600); the public key goes to OUT.pub (mode 0644).")
@click.option("--passphrase-prompt", is_flag=True,
              help="Protect the secret key with a passphrase (asked on the terminal; "
                   "without a terminal, read from the first line of standard input).")
@click.option("--force", is_flag=True, help="Replace an existing key pair at OUT.")
@friendly
def keygen(out: Path, passphrase_prompt: bool, force: bool) -> None:
    """Create an Ed25519 signing key pair in minisign's format."""
    from near_tui.declaration.keys import generate, public_key_id

    passphrase = None
    if passphrase_prompt:
        passphrase = read_passphrase("Passphrase for the new key", confirm=True)
        if not passphrase:
            raise InputError(str(out), None, "empty passphrase — type one, or leave out --passphrase-prompt")
    pub_path, public_line = generate(out, passphrase, force=force)
    click.echo(f"secret key: {out} ({'passphrase-protected' if passphrase else 'not protected'}; keep it private)")
    click.echo(f"public key: {pub_path} (key id {public_key_id(public_line)}, as minisign and verify name it)")
    click.echo(public_line)


@click.command()
@click.option("--db", required=True, help=DB_HELP)
@click.option("--key", "key", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Secret key file from `near-tui keygen`.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the files (default: sessions/<session id>/).")
@click.option("--leave-pending", is_flag=True,
              help="Close although some items are still pending: the documents say they were not taken up.")
@seat_key_option
@at_option
@friendly
def close(db: str, key: Path, out: Path | None, leave_pending: bool, at: str | None) -> None:
    """Close the session and write its signed declaration and record.

    Writes declaration.md, declaration.pdf, minutes.md, minutes.pdf, record.json
    and record.csv, each with its minisign signature (.minisig).
    The files appear in the folder all together or not at all. A session
    that is already closed is not closed again: its files are written if
    they are not all there (an interrupted close is finished), never over
    a complete signed set.
    """
    from near_tui.core.untranslated import untranslated_in
    from near_tui.declaration.closing import close_and_write
    from near_tui.declaration.keys import is_protected, read_secret_key
    from near_tui.service.session import Session

    passphrase = None
    if is_protected(read_secret_key(key)):
        passphrase = read_passphrase(f"Passphrase for {key}", confirm=False)
    session = Session.open(db)
    session.stated_at = at
    try:
        was_closed = session.state.closed
        written = close_and_write(session, key, out, passphrase, leave_pending=leave_pending)
        state = session.state
    finally:
        session.close_log()
    # A text missing in one of the session's languages (an addendum's, most often: the agenda file's
    # were listed by `check`) is said, not refused: that declaration shows the record's text.
    for missing in untranslated_in(state):
        click.echo(f"{db}: {missing}", err=True)
    verb = "was already closed" if was_closed else "closed"
    click.echo(f"session {state.definition.session.id} {verb} (event {state.last_seq}, chain head {state.head})")
    for path in written.written:
        click.echo(f"  wrote {path}")
    if not written.written and not written.lost:
        click.echo(f"  the signed files are already all in {written.folder}: nothing written over them")
    elif len(written.written) < len(written):
        click.echo(f"  the other signed files are already in {written.folder}: nothing written over them")
    for path in written.lost:
        click.echo(f"{path}: missing, and its signature beside it is of bytes a new rendering does not give "
                   "— copy it back from a copy of the folder", err=True)


@click.command()
@click.option("--db", required=True, help=DB_HELP)
@click.option("--reason", required=True, help="Why the session is reopened (recorded in the log).")
@seat_key_option
@at_option
@friendly
def reopen(db: str, reason: str, at: str | None) -> None:
    """Reopen a closed session, recording why; its signed files then no longer match the log.

    After a reopen, `near-tui verify` reports that the log goes on past the signed close,
    until the session is closed (and signed) again.
    """
    from near_tui.core.errors import RuleError
    from near_tui.service.session import Session

    if not reason.strip():
        raise RuleError("--reason is empty — say why the session is reopened")
    session = Session.open(db)
    session.stated_at = at
    try:
        session.reopen_session(reason.strip())
        state = session.state
    finally:
        session.close_log()
    click.echo(f"session {state.definition.session.id} reopened (event {state.last_seq}): {reason.strip()}")


@click.command()
# No exists=True: a folder not there yet may be a close under way, which verify names (closing_folder).
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--pub", "pub", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Public key file (KEYFILE.pub).")
@click.option("--db", default=None, help="Also check the files against this session database. " + DB_HELP)
@click.option("--witness", "witnesses", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Signed checkpoints kept from the board (its /checkpoints, saved as JSON): the record must "
                   "agree with every one. Several files may follow one --witness.")
@click.argument("more_witnesses", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@friendly
def verify(folder: Path, pub: Path, db: str | None, witnesses: tuple[Path, ...],
           more_witnesses: tuple[Path, ...]) -> None:
    """Check a closed session's FOLDER: signatures and, with --db, the log behind them.

    With --witness FILE…, also against checkpoints viewers kept from the board: a record
    rewritten and signed again after the session contradicts them.
    Exit status 0 when everything holds, 1 when anything differs.
    """
    from near_tui.declaration.verification import verify_folder

    if more_witnesses and not witnesses:
        raise click.UsageError(f"unexpected argument {str(more_witnesses[0])!r} — witness files follow --witness")
    found = verify_folder(folder, pub, db, witnesses + more_witnesses)
    for line in found.ok:
        click.echo(f"ok    {line}")
    for line in found.problems:
        click.echo(line if line.startswith("  ") else f"FAIL  {line}")
    if found.holds:
        click.echo(f"verified: {folder}" + (f" against {db}" if db else ""))
        return
    failures = sum(1 for line in found.problems if not line.startswith("  "))
    click.echo(f"NOT verified: {failures} problem(s)", err=True)
    sys.exit(1)
