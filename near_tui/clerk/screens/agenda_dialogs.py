"""Changing the agenda during the session: withdraw or postpone an item, move it.

A set-aside item is never voted at this session, and a slip must not set one aside, so
each dialog confirms the way closing a vote does (``close_vote_dialog``): the clerk types
the item's number into its box (``ItemNumberBox``) and presses enter. No button exists, so
none has the focus; the answer keys (y n a x c) are only letters typed into a box; enter
in an empty or wrong box says what to type and does nothing else, so a double enter gives
nothing. Esc goes back and changes nothing.

The dialogs dismiss with the clerk's answer (a reason, an item to go after) or None; the
agenda screen records it through ``app.record`` (the core checks it again, and says why
when it refuses). Titles and reasons are data: passed as ``$values``, never as markup.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from near_tui.core.state import SessionState
from near_tui.ui.display_text import cell, show

from ..widgets.item_number import ItemNumberBox, item_number_row
from .member_table import ListTable


class TypedConfirm(ModalScreen):
    """A box whose one way to confirm is the item number typed into ``#item-number`` and enter.

    Subclasses give ``compose_fields`` (what the clerk fills in first), ``ready`` (None when the
    answer is complete, else what is missing) and ``answer`` (what the dialog dismisses with).
    """

    CSS_PATH = ["dialogs.tcss", "agenda_dialogs.tcss"]
    BINDINGS = [
        Binding("escape", "cancel", "Go back, nothing changes"),
        # enter is taken before the key reaches the box: Input's own enter posts a message, and
        # keys typed in the same burst (a paste, a fast typist) would reach the old box first.
        Binding("enter", "enter", "Next field", show=False, priority=True),
    ]
    VERB = "confirm"  # "withdraw", "postpone"... said in the prompt and the hint

    def __init__(self, confirm_id: str) -> None:
        super().__init__()
        self.confirm_id = confirm_id  # what must be typed to confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(id="title")
            yield Static(id="body")
            yield from self.compose_fields()
            yield from item_number_row()
            yield Static(id="hint")
            yield Static(id="keys")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        show(self.query_one("#prompt", Static), f"Type [b]$id[/] and press [b]enter[/] to {self.VERB}: ",
             id=self.confirm_id)
        show(self.query_one("#keys", Static),
             f"[b]$id[/] [b]enter[/] {self.VERB}    [b]esc[/] go back, nothing changes", id=self.confirm_id)
        self.prepare()
        self.first_field().focus()  # a box to type into: no button ever has the focus

    # Textual calls every class's on_mount (the MRO), so subclasses fill in these instead.
    def prepare(self) -> None:
        """Fill in the title, the body and the fields."""

    def first_field(self) -> Input:
        return self.query_one("#item-number", Input)

    def say(self, template: str, **values: Any) -> None:
        """One line under the prompt: what is missing, or why nothing was done."""
        show(self.query_one("#hint", Static), template, layout=True, **values)

    def ready(self) -> tuple[str, Input | None] | None:
        """None when the answer is complete; else (markup saying what is missing, the field to fill)."""
        return None

    def answer(self) -> Any:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":
            return isinstance(self.focused, Input)  # else enter goes on to what has the focus
        return True

    def action_enter(self) -> None:
        if isinstance(self.focused, Input):
            self.submit(self.focused)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.input)

    def submit(self, box: Input) -> None:
        """enter in ``box``: on to the next box, or, in the item-number box, confirm."""
        if box.id != "item-number":
            self.field_submitted(box)
            return
        if not self.query_one(ItemNumberBox).take(self.confirm_id):
            self.say(f"[b $error]Nothing done:[/] type [b]$id[/] and press enter to {self.VERB}, or esc to go back.",
                     id=self.confirm_id)
            return
        missing = self.ready()
        if missing is not None:
            words, field = missing
            self.say(words)
            if field is not None:
                field.focus()
            return
        self.confirmed()

    def field_submitted(self, field: Input) -> None:
        """Enter in a field goes on to the next box (never confirms)."""
        self.focus_next()

    def confirmed(self) -> None:
        self.dismiss(self.answer())

    def action_cancel(self) -> None:
        self.dismiss(None)


class SetAsideDialog(TypedConfirm):
    """Withdraw or postpone one item: the reason (required), then its number and enter."""

    WORDS = {
        "withdraw": ("Withdraw item $item from the agenda?",
                     "$title\nA withdrawn item is not voted or recorded at this session; the minutes give the "
                     "reason."),
        "postpone": ("Postpone item $item to a later session?",
                     "$title\nA postponed item is not voted or recorded at this session; the minutes give the "
                     "reason."),
    }

    def __init__(self, item_id: str, title: str, action: str) -> None:
        super().__init__(item_id)
        self.item_title = title
        self.action = action
        self.VERB = action

    def compose_fields(self) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label("Reason", classes="label")
            yield Input(id="reason", compact=True, max_length=300,
                        placeholder="why, as the minutes will say it (required)")

    def prepare(self) -> None:
        title, body = self.WORDS[self.action]
        show(self.query_one("#title", Static), title, item=self.confirm_id)
        show(self.query_one("#body", Static), body, layout=True, title=self.item_title)
        self.say("[dim]Type the reason, press enter, then type the item number.[/]")

    def first_field(self) -> Input:
        return self.query_one("#reason", Input)

    def field_submitted(self, field: Input) -> None:
        if not field.value.strip():
            self.say("[b $error]Give the reason first[/] (it goes into the minutes).")
            return
        self.query_one("#item-number", Input).focus()

    def ready(self) -> tuple[str, Input | None] | None:
        reason = self.query_one("#reason", Input)
        if not reason.value.strip():
            done = {"withdraw": "withdrawn", "postpone": "postponed"}[self.action]
            return f"[b $error]Not {done}:[/] give the reason first (it goes into the minutes).", reason
        return None

    def answer(self) -> str:
        return self.query_one("#reason", Input).value.strip()


class MoveDialog(TypedConfirm):
    """Move one item still to come after another item: ↑↓ choose which, then its number and enter.

    The list never takes the focus: ↑↓ are the dialog's, so every key still goes to the one box.
    """

    VERB = "move it"
    BINDINGS = [
        Binding("up", "choose(-1)", "Choose the item above", show=False),
        Binding("down", "choose(1)", "Choose the item below", show=False),
    ]

    def __init__(self, state: SessionState, item_id: str) -> None:
        super().__init__(item_id)
        order = state.item_order
        self.item_title = state.items[item_id].item.title
        self.targets = [(i, state.items[i].item.title) for i in order if i != item_id]
        at = order.index(item_id)
        # The cursor starts on the item it follows now: moving it there changes nothing.
        self.start = max(0, at - 1)

    def compose_fields(self) -> ComposeResult:
        yield Label("After which item? (↑↓)", id="after-label")
        yield ListTable(id="targets", cursor_type="row", show_header=False)
        yield Static(id="choice")

    def prepare(self) -> None:
        show(self.query_one("#title", Static), "Move item $item", item=self.confirm_id)
        show(self.query_one("#body", Static), "$title", layout=True, title=self.item_title)
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_column("#", key="id")
        table.add_column("Item", key="title")
        for item_id, title in self.targets:
            table.add_row(cell(item_id), cell(title), key=item_id)
        table.move_cursor(row=self.start, animate=False)
        self._show_choice()
        show(self.query_one("#keys", Static),
             "[b]↑↓[/] after which item    [b]$id[/] [b]enter[/] move it    [b]esc[/] go back", id=self.confirm_id)

    def action_choose(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))
        self._show_choice()

    def chosen(self) -> str:
        table = self.query_one(DataTable)
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _show_choice(self) -> None:
        after = self.chosen()
        show(self.query_one("#choice", Static), "Item [b]$item[/] will come right after item [b]$after[/].",
             item=self.confirm_id, after=after)

    def answer(self) -> str:
        return self.chosen()


class RecordResultDialog(TypedConfirm):
    """Record a result no key undoes (a report noted, a consensus): its number and enter.

    A recorded result is final in the log, so "enter enter" or "a y" typed by a slip gives nothing.
    """

    VERB = "record it"

    def __init__(self, item_id: str, title: str, result: str) -> None:
        super().__init__(item_id)
        self.item_title = title
        self.result = result  # plain words, e.g. "NOTED", "ADOPTED by consensus"

    def prepare(self) -> None:
        show(self.query_one("#title", Static), "Item $item: $title", item=self.confirm_id, title=self.item_title)
        show(self.query_one("#body", Static), "Record it as [b]$result[/]? A recorded result cannot be undone.",
             layout=True, result=self.result)

    def answer(self) -> bool:
        return True
