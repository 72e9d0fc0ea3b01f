"""Reopening a closed session (ctrl+o once it is closed): a reason, then the word typed out.

A reopen is recorded in the log for good and the signed declaration then no longer
covers the log (``near-tui verify`` reports the events after the signed close), so no
single key does it: the clerk writes why, then types ``reopen`` in the second box and
presses enter. An empty reason is refused; y/n/enter alone do nothing but type or move
between the boxes; esc goes back. Dismisses with the reason, or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..widgets.text import content, show

WORD = "reopen"  # what the clerk types to confirm


class ReopenDialog(ModalScreen[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Go back, the session stays closed")]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(content("Reopen the closed session $id?", id=self.session_id), id="title")
            yield Static("The reopening is recorded in the log with its reason. The declaration already "
                         "signed no longer covers the log ([b]near-tui verify[/] says so); close the session "
                         "again (ctrl+e) to sign new files.", id="body")
            with Horizontal(classes="field"):
                yield Label("Reason", classes="label")
                yield Input(id="reason", compact=True, placeholder="why the session is reopened")
            with Horizontal(classes="field", id="confirm-row"):
                yield Label("Confirm", classes="label")
                yield Input(id="confirm", compact=True, placeholder=f"type {WORD}", max_length=20)
            yield Static(id="hint")  # shown when enter is refused
            yield Static(f"[b]{WORD}[/] [b]enter[/] reopen    [b]tab[/] next box    [b]esc[/] go back", id="keys")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        hint = self.query_one("#hint", Static)
        reason = self.query_one("#reason", Input).value.strip()
        if event.input.id == "reason":
            self.query_one("#confirm", Input).focus()  # enter moves on; it never reopens from here
            return
        typed = event.value.strip()
        event.input.value = ""
        hint.display = True  # from here on, enter is refused unless it reopens
        if not reason:
            show(hint, "[b $error]Not reopened:[/] write the reason first (it is recorded in the log).",
                 layout=True)
            self.query_one("#reason", Input).focus()
            return
        if typed.casefold() != WORD:
            show(hint, f"[b $error]Not reopened:[/] type [b]{WORD}[/] and press enter, or esc to go back.",
                 layout=True)
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
