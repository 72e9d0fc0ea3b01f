"""End of session: confirm, then close the log and write the signed declaration (ctrl+e).

The dialog shows what the close will record (items dealt with, items still pending),
which texts a declaration in another of the session's languages will give in the record's
language (said, never refused, as `near-tui close` says them), and refuses while a roll call
is open. It asks for the signing key (and its passphrase
when the key is protected) and the folder for the files. ctrl+e confirms; enter only
moves between fields, and a ctrl+e within ``DOUBLE_PRESS`` seconds of the dialog opening
(the key that opened it, pressed twice or held) is refused, so no stray keystroke closes
a session. While items are pending the close is refused (as ``near-tui close`` refuses)
until the clerk ticks "leave these items pending" with space: the close then records
them as not taken up (``Session.close_session(left_pending=...)``), and only if the pending
items are still the ones the box named (another seat may have recorded one meanwhile). The work (about two seconds: rendering,
PDF, signatures) runs in a thread worker on its own Session, so the app's
session is never touched from another thread; the app folds the new event in
when the worker reports back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from near_tui.core.errors import InputError, NearError
from near_tui.ui.display_text import content, show

from .. import figures, untranslated_note
from ..widgets.names import shorten
from ..widgets.tick_box import TickBox

SHOWN_ITEMS = 4  # at 80x24 the dialog must still fit: longer lists end with "and N more"
TITLE_CELLS = 56  # "  4. " and a title in the 76 cells the dialog has inside at 80 columns
KEY_NOTE_CELLS = 64  # the line under the key file at 80 columns: the dialog's 76 less the label column
DOUBLE_PRESS = 1.0  # seconds: a ctrl+e this soon after the dialog opened is the opening key again


class LeavePendingTick(TickBox):
    """"Leave these items pending": the deliberate step before a close that leaves items not taken up.

    It takes the focus (the other fields are text boxes, where space is typed); space or a click ticks it.
    """

    can_focus = True
    BINDINGS = [Binding("space", "toggle", "Tick / untick", show=False)]

    def _what(self) -> str:
        return "this item" if self.count == 1 else f"these {self.count} items"

    def ticked_text(self) -> Content:
        return content(f"[b $success]☑ Ticked:[/] close with {self._what()} not taken up  [dim]space unticks[/]")

    def unticked_text(self) -> Content:
        return content(f"[b]☐[/] Leave {self._what()} pending (not taken up)  [dim]space ticks[/]")

    def action_toggle(self) -> None:
        self.toggle()


@dataclass(frozen=True)
class SessionClosed:
    """What the worker reports when the files are written."""

    session_id: str
    folder: Path
    files: list[Path]
    last_seq: int
    head: str
    was_closed: bool
    key_path: Path
    fresh: bool = True  # False: the set was already whole in the folder, and nothing was written


def summary_content(summary: figures.CloseSummary) -> Content:
    """The dialog's body: what is recorded, what is not taken up, which texts a declaration gives
    in the record's language, what blocks the close.

    Titles are data: each goes into the template as a ``$variable`` (display_text), never as markup.
    """
    lines: list[str] = []
    values: dict[str, object] = {}
    if summary.already_closed:
        lines.append("[b]The session is already closed.[/] Confirming writes its declaration files again "
                     "from the log (no new event).")
    else:
        # recorded + voting now + not taken up = every item on the agenda (figures.close_summary).
        open_now = f"; vote still open: [b]{len(summary.in_progress)}[/]" if summary.in_progress else ""
        lines.append(f"Items dealt with: [b]{len(summary.recorded)}[/] of {summary.total}{open_now}. "
                     "After the close nothing more can be recorded.")
    if summary.not_taken_up and summary.already_closed:
        lines.append(f"[b]Not taken up[/] ({len(summary.not_taken_up)}; the declaration says so):")
    elif summary.not_taken_up:
        lines.append(f"[b $warning]Still pending[/] ({len(summary.not_taken_up)}): the close leaves them "
                     "not taken up:")
    # The note on untranslated texts takes two lines: one pending item fewer keeps the dialog
    # within 24 rows with a protected key and a refusal shown.
    shown = SHOWN_ITEMS - 1 if summary.untranslated else SHOWN_ITEMS
    if summary.not_taken_up:
        # Listed either way: a heading ending in ":" with nothing under it reads as a fault.
        for n, (item_id, title) in enumerate(summary.not_taken_up[:shown]):
            lines.append(f"  $id{n}. $title{n}")
            # Cut in terminal cells: a Chinese title takes two a character (widgets/names.py).
            values[f"id{n}"], values[f"title{n}"] = item_id, shorten(title, TITLE_CELLS)
        if len(summary.not_taken_up) > shown:
            lines.append(f"  … and {len(summary.not_taken_up) - shown} more")
    if summary.untranslated:
        # Two lines, so the dialog still fits 80x24: the count and the declarations, then the texts.
        lines.append("[b $warning]$untranslated_count[/] $untranslated_then")
        lines.append("$untranslated_names")
        values["untranslated_count"], values["untranslated_then"] = untranslated_note.heading(summary.untranslated)
        values["untranslated_names"] = untranslated_note.names(summary.untranslated)
    if summary.blocking:
        lines.append("[b $error]$blocking[/]")
        values["blocking"] = summary.blocking
    return content("\n".join(lines), **values)


class CloseSessionDialog(ModalScreen[SessionClosed | None]):
    """Dismisses with ``SessionClosed`` once the files are written, or None on esc."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        # priority: the Input widgets bind ctrl+e to "end of line" themselves.
        Binding("ctrl+e", "confirm", "End session and sign", priority=True),
        Binding("escape", "cancel", "Go back"),
    ]

    def __init__(self, summary: figures.CloseSummary, key_path: str, out_dir: str) -> None:
        super().__init__()
        self.summary = summary
        self._key_path = key_path
        self._out_dir = out_dir
        self.working = False
        self.opened_at = time.monotonic()
        # The items a close would leave pending (the box names them); none: no box.
        self.pending = ([item_id for item_id, _ in summary.not_taken_up]
                        if not summary.already_closed and not summary.blocking else [])

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(content("End the session $id and sign its declaration?", id=self.summary.session_id),
                         id="title")
            yield Static(summary_content(self.summary), id="body")
            if self.pending:
                tick = LeavePendingTick(id="leave-pending")
                tick.count = len(self.pending)
                yield tick
            yield Static(id="hint")
            with Horizontal(classes="field"):
                yield Label("Key file", classes="label")
                # Not selected on focus: a key typed by mistake adds to the path instead of replacing it.
                yield Input(self._key_path, id="key", compact=True, placeholder="keys/SESSION.key",
                            select_on_focus=False, disabled=bool(self.summary.blocking))
            yield Static(id="key-note")
            with Horizontal(classes="field", id="pass-row"):
                yield Label("Passphrase", classes="label")
                yield Input(id="passphrase", password=True, compact=True, disabled=bool(self.summary.blocking))
            with Horizontal(classes="field", id="out-row"):
                yield Label("Folder", classes="label")
                yield Input(self._out_dir, id="out", compact=True, select_on_focus=False,
                            disabled=bool(self.summary.blocking))
            yield Static(id="keys")

    def on_mount(self) -> None:
        self.opened_at = time.monotonic()
        self._check_key()
        self._show_keys()
        if self.summary.blocking:
            # A vote is open: nothing here can be done but going back, and the answer keys the clerk
            # may type next must not land in a text box (they record nothing here either).
            self.set_focus(None)
            return
        # The box first: space there is the step the clerk has to take before ctrl+e.
        (self.query_one(LeavePendingTick) if self.pending else self.query_one("#key", Input)).focus()

    # ------------------------------------------------------------ the form
    def _show_keys(self) -> None:
        if self.working:
            text = "[b]Closing and signing…[/] (a few seconds; the files are written one by one)"
        elif self.summary.blocking:
            text = "[b]esc[/] go back (close the open vote first)"
        elif self.pending:
            text = "[b]space[/] tick  [b]ctrl+e[/] end and sign    [b]tab[/] next field    [b]esc[/] go back"
        else:
            text = "[b]ctrl+e[/] end the session and sign    [b]tab[/]/[b]enter[/] next field    [b]esc[/] go back"
        self.query_one("#keys", Static).update(text)

    def _check_key(self) -> None:
        """Say whether the key file is usable, and ask for a passphrase only when it is protected."""
        from ...declaration import keys

        note = self.query_one("#key-note", Static)
        value = self.query_one("#key", Input).value.strip()
        protected = False
        if not value:
            note.update("[$error]Give the secret key file (from `near-tui keygen --out FILE`).[/]")
        else:
            try:
                secret = keys.read_secret_key(Path(value))
            except InputError as exc:
                note.update(content("[$error]$message[/]", message=exc.message))
            else:
                protected = keys.is_protected(secret)
                secret.wipe()
                pub = keys.public_key_path(Path(value))
                # The .pub sits beside the key: its name is enough (a full path wraps at 80 columns),
                # cut in cells so the note keeps one line and the dialog its 24 rows.
                said = "protected: passphrase below" if protected else "key not protected"
                note.update(content(said + " · public key $pub",
                                    pub=shorten(pub.name, KEY_NOTE_CELLS - cell_len(said + " · public key "))))
        self.query_one("#pass-row").display = protected

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "key":
            self._check_key()

    def on_key(self, event: events.Key) -> None:
        # Opened during a vote, the dialog has no focus: an answer typed next would vanish without a
        # word. Say there that it recorded nothing, as the close-vote dialog does.
        if self.summary.blocking and event.key in ("y", "n", "a", "x"):
            event.stop()
            hint = self.query_one("#hint", Static)
            hint.display = True
            show(hint, "[b $error]Answer keys record nothing here:[/] [b]esc[/] goes back to the roll call.",
                 layout=True)

    def on_tick_box_toggled(self) -> None:
        show(self.query_one("#hint", Static), "", layout=True)

    def _refuse(self, template: str, **values: object) -> None:
        hint = self.query_one("#hint", Static)
        hint.display = True
        show(hint, "[b $error]Not closed:[/] " + template, layout=True, **values)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # enter moves on; only ctrl+e closes the session.
        self.focus_next()

    def action_cancel(self) -> None:
        if self.working:
            self.notify("The close is being written; wait a moment.", severity="warning")
            return
        self.dismiss(None)

    def action_confirm(self) -> None:
        if self.working:
            return
        if self.summary.blocking:
            self.notify(self.summary.blocking, title="Not closed", severity="error", timeout=8)
            return
        if time.monotonic() - self.opened_at < DOUBLE_PRESS:
            self._refuse("ctrl+e came at once after the one that opened this dialog.")
            return
        if self.pending and not self.query_one(LeavePendingTick).value:
            self._refuse("items are pending: tick the box with [b]space[/] first, or esc.")
            return
        key = self.query_one("#key", Input).value.strip()
        out = self.query_one("#out", Input).value.strip()
        if not key:
            self.notify("Give the secret key file first.", title="Not closed", severity="error")
            return
        passphrase = self.query_one("#passphrase", Input).value if self.query_one("#pass-row").display else None
        self._set_working(True)
        session = self.app.session
        self._close(session.log.db, session.log.clock, Path(key), Path(out) if out else None, passphrase,
                    list(self.pending))

    def _set_working(self, working: bool) -> None:
        self.working = working
        if working:
            # A refusal shown before (a ctrl+e too soon, the box not ticked) no longer holds: the
            # close is under way, and a stale "Not closed" beside "Closing and signing…" misleads.
            show(self.query_one("#hint", Static), "", layout=True)
        for field in self.query(Input):
            field.disabled = working
        self._show_keys()
        if not working:
            self.query_one("#key", Input).focus()

    # -------------------------------------------------------------- worker
    @work(thread=True, exclusive=True, exit_on_error=False, group="close-session")
    def _close(self, db: str, clock, key: Path, out: Path | None, passphrase: str | None,
               pending: list[str]) -> SessionClosed:
        from near_tui.service.session import Session

        from ...declaration.closing import close_and_write

        session = Session.open(db, clock=clock)
        try:
            was_closed = session.state.closed
            # Only the items the ticked box named are left pending: the close refuses any other list.
            written = close_and_write(session, key, out, passphrase, left_pending=pending)
            state = session.state
            return SessionClosed(state.definition.session.id, written.folder, list(written),
                                 state.last_seq, state.head, was_closed, key, written.fresh)
        finally:
            session.close_log()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "close-session":
            return
        if event.state == WorkerState.SUCCESS:
            self.working = False
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self._set_working(False)
            if isinstance(error, NearError):
                self.notify(str(error), title="Session not closed", severity="error", timeout=12)
            else:
                self.notify(f"{type(error).__name__}: {error}", title="Session not closed (internal error)",
                            severity="error", timeout=12)
            # A failure after the close event (e.g. an unwritable folder) still closed the log.
            self.app.read_log(then=lambda _read: self._after_failure())

    def _after_failure(self) -> None:
        if not self.is_attached:
            return  # dismissed meanwhile
        self.summary = figures.close_summary(self.app.state)
        self.query_one("#body", Static).update(summary_content(self.summary))
        pending = ([item_id for item_id, _ in self.summary.not_taken_up]
                   if not self.summary.already_closed and not self.summary.blocking else [])
        if pending != self.pending:
            # Another seat recorded (or added) an item: the dialog must be opened again to name them.
            self.dismiss(None)
            self.app.notify("The pending items changed: nothing was closed. Press ctrl+e to see them again.",
                            title="Session not closed", severity="warning", timeout=10)
