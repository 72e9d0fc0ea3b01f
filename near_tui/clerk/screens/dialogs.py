"""Small modal dialogs: confirm, call order, consensus. Each dismisses with the clerk's choice.

Titles and bodies are markup templates written in the code; text from the agenda or
the log (titles, names, folders) is passed as ``$variables`` and shown as written
(``near_tui.ui.display_text``). Nothing irreversible is confirmed here: closing a vote
has its own dialog (``close_vote_dialog``), ending the session too.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.text import content


class Dialog(ModalScreen):
    """A centred box with a title, a body and a line of keys."""

    CSS_PATH = "dialogs.tcss"

    def __init__(self, title: str, body: str, keys: str, /, **values: object) -> None:
        super().__init__()
        self._title, self._body, self._keys, self._values = title, body, keys, values

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(content(self._title, **self._values), id="title")
            yield Static(content(self._body, **self._values), id="body")
            yield Static(content(self._keys), id="keys")


class ConfirmDialog(Dialog):
    """Dismisses True on y/enter, False on n/escape: only for what can be recorded again or undone."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes, record it"),
        Binding("n,escape", "answer(False)", "No, go back"),
    ]

    def __init__(self, title: str, body: str, yes: str = "record it", /, **values: object) -> None:
        super().__init__(title, body, f"[b]y[/]/[b]enter[/] {yes}    [b]n[/]/[b]esc[/] go back", **values)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class OrderDialog(Dialog):
    """Opening a roll call: roster order, or alphabetical from a member drawn by lot."""

    BINDINGS = [
        Binding("r,enter", "choose('roster')", "Roster order"),
        Binding("d", "choose('alphabetical')", "Alphabetical, draw by lot"),
        Binding("escape", "choose(None)", "Cancel"),
    ]

    def __init__(self, item_id: str, item_title: str) -> None:
        super().__init__(
            "Open the roll call: $item. $title",
            "[b]r[/]  roster order, country by country (the usual NEAR order)\n"
            "[b]d[/]  English alphabetical order, starting from a member drawn by lot\n"
            "    (the draw is recorded in the session log)",
            "[b]r[/]/[b]enter[/] roster    [b]d[/] draw by lot    [b]esc[/] cancel",
            item=item_id, title=item_title,
        )

    def action_choose(self, order: str | None) -> None:
        self.dismiss(order)


class ConsensusDialog(Dialog):
    """A consensus item: adopted or not adopted (then confirmed)."""

    BINDINGS = [
        Binding("a", "choose(True)", "Adopted"),
        Binding("n", "choose(False)", "Not adopted"),
        Binding("escape", "choose(None)", "Cancel"),
    ]

    def __init__(self, item_id: str, item_title: str) -> None:
        super().__init__("Consensus: $item. $title", "Was the item adopted by consensus?",
                         "[b]a[/] adopted    [b]n[/] not adopted    [b]esc[/] cancel", item=item_id, title=item_title)

    def action_choose(self, adopted: bool | None) -> None:
        self.dismiss(adopted)


class InfoDialog(Dialog):
    """A message to read (e.g. where the declaration was written); enter or esc closes it."""

    BINDINGS = [Binding("enter,escape", "close", "Close")]

    def __init__(self, title: str, body: str, /, **values: object) -> None:
        super().__init__(title, body, "[b]enter[/]/[b]esc[/] close", **values)

    def action_close(self) -> None:
        self.dismiss(None)


class UndoAgainDialog(Dialog):
    """backspace when the latest entry is already an undo: one more undo only on ``u``.

    Neither an answer key (y n a x), nor backspace held down, nor enter confirms it: undoing
    a run of answers takes one deliberate ``u`` per answer past the first.
    """

    BINDINGS = [
        Binding("u", "answer(True)", "Undo it too"),
        Binding("escape,n", "answer(False)", "Keep it"),
    ]

    def __init__(self, name: str, was: str, back: str) -> None:
        super().__init__(
            "Undo another entry?",
            "The latest entry is already an undo. Undo the one before it too?\n[b]$name[/]: $was → back to $back",
            "[b]u[/] undo it too    [b]esc[/] keep it", name=name, was=was, back=back)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
