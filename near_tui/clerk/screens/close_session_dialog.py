"""End of session: confirm, then close the log and write the signed declaration (ctrl+e).

The dialog shows what the close will record (items dealt with, items the
declaration will list as not taken up) and refuses while a roll call is open.
It asks for the signing key (and its passphrase when the key is protected) and
the folder for the files. ctrl+e confirms; enter only moves between fields, so
no stray keystroke closes a session. The work (about two seconds: rendering,
PDF, signatures) runs in a thread worker on its own Session, so the app's
session is never touched from another thread; the app folds the new event in
when the worker reports back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from ...display_text import content
from ...errors import InputError, NearError
from .. import figures

SHOWN_ITEMS = 4  # at 80x24 the dialog must still fit: longer lists end with "and N more"


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


def _short(text: str, width: int = 56) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_content(summary: figures.CloseSummary) -> Content:
    """The dialog's body: what is recorded, what is not taken up, what blocks the close.

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
    if summary.not_taken_up:
        lines.append(f"[b]Not taken up[/] ({len(summary.not_taken_up)}; the declaration says so):")
        for n, (item_id, title) in enumerate(summary.not_taken_up[:SHOWN_ITEMS]):
            lines.append(f"  $id{n}. $title{n}")
            values[f"id{n}"], values[f"title{n}"] = item_id, _short(title)
        if len(summary.not_taken_up) > SHOWN_ITEMS:
            lines.append(f"  … and {len(summary.not_taken_up) - SHOWN_ITEMS} more")
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

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(content("End the session $id and sign its declaration?", id=self.summary.session_id),
                         id="title")
            yield Static(summary_content(self.summary), id="body")
            with Horizontal(classes="field"):
                yield Label("Key file", classes="label")
                yield Input(self._key_path, id="key", compact=True, placeholder="keys/SESSION.key")
            yield Static(id="key-note")
            with Horizontal(classes="field", id="pass-row"):
                yield Label("Passphrase", classes="label")
                yield Input(id="passphrase", password=True, compact=True)
            with Horizontal(classes="field", id="out-row"):
                yield Label("Folder", classes="label")
                yield Input(self._out_dir, id="out", compact=True)
            yield Static(id="keys")

    def on_mount(self) -> None:
        self._check_key()
        self._show_keys()
        self.query_one("#key", Input).focus()

    # ------------------------------------------------------------ the form
    def _show_keys(self) -> None:
        if self.working:
            text = "[b]Closing and signing…[/] (a few seconds; the files are written one by one)"
        elif self.summary.blocking:
            text = "[b]esc[/] go back (close the open vote first)"
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
                # The .pub sits beside the key: its name is enough (a full path wraps at 80 columns).
                note.update(content(("protected key: type its passphrase" if protected else "key not protected")
                                    + " · public key $pub", pub=pub.name))
        self.query_one("#pass-row").display = protected

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "key":
            self._check_key()

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
        key = self.query_one("#key", Input).value.strip()
        out = self.query_one("#out", Input).value.strip()
        if not key:
            self.notify("Give the secret key file first.", title="Not closed", severity="error")
            return
        passphrase = self.query_one("#passphrase", Input).value if self.query_one("#pass-row").display else None
        self._set_working(True)
        session = self.app.session
        self._close(session.log.db, session.log.clock, Path(key), Path(out) if out else None, passphrase)

    def _set_working(self, working: bool) -> None:
        self.working = working
        for field in self.query(Input):
            field.disabled = working
        self._show_keys()
        if not working:
            self.query_one("#key", Input).focus()

    # -------------------------------------------------------------- worker
    @work(thread=True, exclusive=True, exit_on_error=False, group="close-session")
    def _close(self, db: str, clock, key: Path, out: Path | None, passphrase: str | None) -> SessionClosed:
        from ...declaration.closing import close_and_write
        from ...session import Session

        session = Session.open(db, clock=clock)
        try:
            was_closed = session.state.closed
            # The dialog lists the pending items and ctrl+e confirms leaving them not taken up.
            written = close_and_write(session, key, out, passphrase, leave_pending=True)
            state = session.state
            return SessionClosed(state.definition.session.id, written[0].parent, written,
                                 state.last_seq, state.head, was_closed, key)
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
            self.app.refresh_from_log()
            self.summary = figures.close_summary(self.app.state)
            self.query_one("#body", Static).update(summary_content(self.summary))
