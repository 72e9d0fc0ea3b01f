"""The ``near-tui`` command line (click). Every user error is one line and exit status 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .agenda import agenda as _agenda
from .board import board as _board
from .chair import chair as _chair
from .clerk import clerk as _clerk, demo as _demo
from .declaration import close as _close, keygen as _keygen, reopen as _reopen, verify as _verify
from .sample import sample as _sample
from .support import DB_HELP, OneLineGroup, at_option, backup_seat_key_option, friendly, seat_key_option


@click.group(cls=OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="near-tui")
def main() -> None:
    """Run NEAR General Assembly and Working Committee sessions: attendance, letters, roll calls, declaration."""


@main.command()
@click.argument("agenda", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True,
              help="A text missing in one of session.languages is an error (exit 2), not a warning.")
@friendly
def check(agenda: Path, strict: bool) -> None:
    """Validate an AGENDA file and its roster; print a one-line summary.

    A text given in the record's language but not in another of session.languages is a warning
    (one line each, to stderr; the documents in that language then use the record's text).
    """
    from near_tui.inputs.agenda_file import load_agenda, untranslated_texts

    definition = load_agenda(agenda)
    missing = untranslated_texts(agenda, definition)
    for line in missing:
        click.echo(line, err=True)
    if strict and missing:
        raise SystemExit(2)
    counts = {s: 0 for s in ("member", "applicant", "associate", "observer")}
    for member in definition.members:
        counts[member.status] += 1
    restricted = sum(1 for m in definition.members if m.status == "member" and m.voting == "restricted")
    decisions = sum(1 for i in definition.items if i.kind == "decision")
    click.echo(
        f"{agenda}: ok — {definition.session.id}: {len(definition.items)} items ({decisions} decisions), "
        f"{counts['member']} members ({restricted} restricted), {counts['applicant']} applicants, "
        f"{counts['associate']} associates, {counts['observer']} observers"
    )


@main.command()
@click.argument("agenda", type=click.Path(path_type=Path))
@click.option("--db", required=True, help=DB_HELP)
@seat_key_option
@at_option
@friendly
def new(agenda: Path, db: str, at: str | None) -> None:
    """Create a session in DB from AGENDA (refuses a DB that already holds one)."""
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.session import Session

    definition = load_agenda(agenda)
    session = Session.create(definition, db, stated_at=at)
    click.echo(f"created session {definition.session.id} in {db} (chain head {session.state.head[:16]}…)")
    seat = session.log.seat
    if seat is not None and seat.made:
        click.echo(f"seat key: made {seat.path} (this seat signs what it records; keep it private)")
    session.close_log()


@main.group("import")
def import_group() -> None:
    """Import attendance, letters, votes or results from a CSV file (all or nothing)."""


def _import_command(what: str, header: str, *extra):
    @import_group.command(what, help=f"Import {what} from FILE (header: {header}). "
                                     "The whole file is checked first; on any error nothing is written.")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option("--db", required=True, help=DB_HELP)
    @seat_key_option
    @at_option
    @friendly
    def command(file: Path, db: str, at: str | None, **options) -> None:
        from near_tui.service.imports import import_file
        from near_tui.service.session import Session

        session = Session.open(db)
        session.stated_at = at
        try:
            written = import_file(session, what, file, **options)
        finally:
            session.close_log()
        click.echo(f"{file}: imported {what} — {written} events recorded")
    for option in extra:
        command = option(command)
    return command


_import_command("attendance", "member_id,mode")
_import_command("letters", "member_id,item_id,position")
_import_command("votes", "item_id,member_id,vote", click.option(
    "--uncalled-not-voting", "uncalled_not_voting", is_flag=True,
    help="Close each item although present members have no row: they count as not voting "
         "(the minutes say they were not called). Without it such a file is refused."))
_import_command("results", "item_id,result,elected — result noted, adopted, not_adopted or elected; "
                           "elected: member ids separated by ;")


@main.command()
@click.option("--db", required=True, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the machine-readable report.")
@friendly
def report(db: str, as_json: bool) -> None:
    """Print the session's figures: attendance and every item's tally and outcome."""
    from near_tui.service.session import Session
    from near_tui.views.report import build_report, report_view

    session = Session.open(db, readonly=True, summary=True)
    try:
        data = build_report(session.state)
    finally:
        session.close_log()
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console

        console = Console()
        console.print(report_view(session.state, data, width=console.width))


@main.command()
@click.option("--db", required=True, help=DB_HELP)
@click.option("--checkpoints", "checkpoints", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also check the signed checkpoints in this folder (the declaration folder, or its "
                   "checkpoints/ subfolder); needs --pub.")
@click.option("--pub", "pub", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Public key file (KEYFILE.pub) that signed the checkpoints.")
@friendly
def audit(db: str, checkpoints: Path | None, pub: Path | None) -> None:
    """Check a session's log: its hash chain and every rule.

    The log, open or closed, is replayed from the first event; needs no key and no closed
    session. Exit status 0 when everything holds, 1 with one line per problem when anything
    does not, 2 for unusable input.
    """
    from near_tui.core.errors import NearError
    from near_tui.declaration.audit import audit_log

    if (checkpoints is None) != (pub is None):
        given, missing = ("--checkpoints", "--pub") if pub is None else ("--pub", "--checkpoints")
        raise NearError(f"{given} needs {missing} as well")
    if checkpoints is not None and not checkpoints.is_dir():
        raise NearError(f"{checkpoints}: no such folder — give the declaration folder or its checkpoints/")
    done = audit_log(db, checkpoints, pub)
    found = done.findings
    for line in found.problems:
        click.echo(line if line.startswith("  ") else f"audit: {line}")
    if not done.holds:
        click.echo(f"audit: {db}: NOT sound — {len(found.problems)} problem(s)", err=True)
        sys.exit(1)
    marks = done.checkpoints
    click.echo(f"audit: {done.events} events, chain head {done.head}, every rule holds"
               + (f", {len(marks)} signed checkpoint{'s hold' if len(marks) > 1 else ' holds'} "
                  f"(the last at event {max(marks)})" if marks else ""))


@main.command()
@click.option("--db", required=True, help=DB_HELP)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@backup_seat_key_option
@friendly
def backup(db: str, out: Path) -> None:
    """Copy DB into a new file OUT, even while recording.

    SQLite's online backup: votes still in the WAL file are in the copy (a plain copy of a
    running session's file misses them). OUT is a session database of its own.
    """
    from near_tui.storage.backup import backup as take_backup

    events, head = take_backup(db, str(out))
    click.echo(f"backup: {events} events, chain head {head} -> {out}")


# Commands of the other areas, each defined beside its code (one line each).
# --- registered commands ---
main.add_command(_keygen)
main.add_command(_close)
main.add_command(_reopen)
main.add_command(_verify)
main.add_command(_chair)
main.add_command(_clerk)
main.add_command(_demo)
main.add_command(_sample)
main.add_command(_board)
main.add_command(_agenda)


if __name__ == "__main__":  # pragma: no cover
    main()
