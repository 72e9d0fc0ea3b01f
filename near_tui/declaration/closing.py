"""Close a session and write its declaration, record and signatures.

``close_and_write`` is what both ``near-tui close`` and the clerk screen call.
It unlocks the key first (a wrong passphrase must not leave a closed session
without its files), appends the session-closed event unless the log already
ends closed (closed from another seat, or a crash between the event and the
files), then renders everything from the log and puts the signed set in its folder whole or not at all
(``closing_folder``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from near_tui.core import events as ev
from near_tui.core.errors import RuleError, StorageError
from near_tui.core.state import SessionState
from near_tui.service.session import Session

from . import keys, signing
from .closing_folder import COMMIT, ClosedSet, publish
from .declaration_pdf import block_texts, render_pdf
from .declaration_text import build_blocks, declaration_markdown
from .file_names import (  # noqa: F401 — SIGNED is also read from here
    DECLARATION_MD,
    DECLARATION_PDF,
    MINUTES_MD,
    MINUTES_PDF,
    RECORD_CSV,
    RECORD_JSON,
    SIGNED,
    declaration_names,
)
from .minutes_text import minutes_blocks, minutes_files
from .out_dir import default_out_dir
from .pdf_fonts import fonts_for
from .record import build_record, closed_folder, languages_of, record_csv, record_json


@dataclass(frozen=True)
class ClosedFiles:
    """The rendered files of one closed log, by name."""

    session_id: str
    chain_head: str
    events: int
    files: dict[str, bytes]
    reopened: int = 0  # reopenings before this close: its files go to ``closed_folder(reopened)``


def declaration_files(record: dict[str, Any], state: SessionState) -> dict[str, bytes]:
    """One declaration per language of the session, Markdown and PDF (docs/languages.md)."""
    languages = languages_of(state)
    files: dict[str, bytes] = {}
    for code in languages:
        md, pdf = declaration_names(code, languages[0])
        files[md] = declaration_markdown(record, state, code)
        files[pdf] = render_pdf(record, state, language=code)
    return files


def render_closed(log_events: list[ev.Event]) -> ClosedFiles:
    """Every file of the close, rendered from ``log_events`` (deterministic except the PDFs' bytes)."""
    record = build_record(log_events)
    state = SessionState.from_events(log_events)
    files = {RECORD_JSON: record_json(record), RECORD_CSV: record_csv(record)}
    files.update(declaration_files(record, state))
    log = record["log"]
    files.update(minutes_files(record, log_events, state))
    return ClosedFiles(record["session"]["id"], log["chain_head"], log["events"], files, log["reopened"])


def signed_set(closed: ClosedFiles, secret) -> list[tuple[str, bytes]]:
    """Every file of the close and its signature, in writing order: the files, then the signatures,
    ``record.json.minisig`` last (its presence is what says the set is whole: ``closing_folder``)."""
    first = (RECORD_CSV, RECORD_JSON, DECLARATION_MD, DECLARATION_PDF, MINUTES_MD, MINUTES_PDF)
    names = first + tuple(name for name in closed.files if name not in first)
    out = [(name, closed.files[name]) for name in names]
    signatures = []
    for name in names:
        comment = signing.trusted_comment(closed.session_id, closed.chain_head, closed.events, name)
        signatures.append((name + signing.SIG_SUFFIX, signing.sign(secret, closed.files[name], comment)))
    signatures.sort(key=lambda entry: entry[0] == COMMIT)
    return out + signatures


def _check_fonts(log_events: list[ev.Event]) -> None:
    """Every character of the declaration and the minutes (names, reasons typed in any script) must
    print in the PDFs: found out before the close is recorded, not after. The log as it stands is
    read, recorded and folded once for both."""
    record, state = build_record(log_events), SessionState.from_events(log_events)
    blocks = minutes_blocks(record, log_events, state)
    for code in languages_of(state):
        blocks += build_blocks(record, state, code)
    fonts_for(block_texts(blocks))


def close_and_write(session: Session, key_path: str | Path, out_dir: str | Path | None = None,
                    passphrase: str | None = None, leave_pending: bool = False,
                    left_pending: Sequence[str] | None = None) -> ClosedSet:
    """Close the session (once) and write its signed files; return their paths, in writing order.

    The set appears in its folder whole or not at all (``closing_folder``); a set already whole
    there is never written again (the result's ``fresh`` is then False).

    Refused while an item is pending, unless ``leave_pending`` (whatever is pending) or
    ``left_pending`` (exactly these items, as the clerk confirmed them: ``Session.close_session``)
    says so: the documents then say those items were not taken up.
    """
    secret = keys.load_signing_key(Path(key_path), passphrase)
    try:
        session.refresh()
        if not session.state.closed:
            _check_fonts(session.log.read_events())
            try:
                session.close_session(leave_pending, left_pending)
            except RuleError:
                # Another seat may have closed it a moment ago: that is as good as ours.
                session.refresh()
                if not session.state.closed:
                    raise
        log_events = session.log.read_events()
        if not log_events or log_events[-1].kind != ev.SESSION_CLOSED:
            raise RuleError("the session was reopened while closing — close it again")
        closed = render_closed(log_events)
        folder = Path(out_dir) if out_dir is not None else default_out_dir(closed.session_id)
        # A close after a reopening writes beside the first set, never over it (docs/declaration.md).
        folder = folder / closed_folder(closed.reopened) if closed.reopened else folder
        try:
            return publish(folder, signed_set(closed, secret))
        except OSError as exc:
            raise StorageError(
                f"{folder}: cannot write the declaration ({exc.strerror or exc}) — the session is closed; "
                "fix the folder or free space, then run the close again to write the files"
            ) from None
    finally:
        secret.wipe()
