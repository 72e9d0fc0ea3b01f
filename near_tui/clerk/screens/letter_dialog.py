"""Recording a written decision letter: a position (yes/no/abstain) per decision item."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from near_tui.core.state import SessionState
from near_tui.ui.display_text import cell, content

from ..widgets.names import shorten
from .member_table import ListTable

LABEL = {"yes": "YES", "no": "NO", "abstain": "ABSTAIN", None: "— (not covered)"}
POSITION_CELLS = 16  # "— (not covered)" and a cell to spare
# What the Item column cannot have of the dialog's width (dialogs.tcss: #box is 90 columns at most,
# its thick border and padding take 4): both columns' padding (2 each), the Position column, and
# the vertical scroll bar's 2 cells, kept free so the cut does not depend on how many items there are.
BOX_CELLS = 90
ITEM_REST = 4 + 2 * 2 + POSITION_CELLS + 2


def item_cells(width: int) -> int:
    """The Item column's width, in terminal cells, in a dialog on a screen ``width`` columns wide."""
    return min(width, BOX_CELLS) - ITEM_REST


class LetterDialog(ModalScreen[dict[str, str] | None]):
    """Dismisses with {item_id: position} to record, or None.

    The letters screen opens it only for a member who may send a letter (``SessionState.letter_refusal``).
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "set('yes')", "Yes"),
        Binding("n", "set('no')", "No"),
        Binding("a", "set('abstain')", "Abstain"),
        Binding("space,delete", "set(None)", "Not covered"),
        # Not priority: enter saves after the positions typed before it (member_table.ListTable).
        Binding("enter,ctrl+s", "save", "Save letter"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, state: SessionState, member_id: str) -> None:
        super().__init__()
        self.member = state.members[member_id]
        letter = state.letters.get(member_id)
        held = state.letter_in_effect(member_id)
        self.positions: dict[str, str | None] = {}
        self.titles: dict[str, str] = {}
        for item_id in state.item_order:
            item = state.items[item_id]
            if item.item.kind == "decision" and item.status != "closed":
                self.positions[item_id] = letter.positions.get(item_id) if letter else None
                self.titles[item_id] = item.item.title
        # The letter in effect as this dialog shows it: saving it unchanged records nothing.
        self.on_record = ({i: p for i, p in held.positions.items() if i in self.positions}
                          if held is not None else None)

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(content("Letter of decision from $name", name=self.member.full_name), id="title")
            yield ListTable(id="positions", cursor_type="row", zebra_stripes=True)
            yield Static("[b]y[/] yes  [b]n[/] no  [b]a[/] abstain  [b]space[/] not covered  "
                         "[b]enter[/] save  [b]esc[/] cancel", id="keys")

    def on_mount(self) -> None:
        self.item_cells = 0  # the width the rows were drawn for
        self._fill()
        self.query_one(DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        if item_cells(self.app.size.width) != self.item_cells:
            self._fill()

    def _fill(self) -> None:
        """The rows, each title cut with "…" to the Item column (counted in cells: a CJK character
        takes two), so the clerk sees that a title goes on; the Position column always in view."""
        self.item_cells = item_cells(self.app.size.width)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Item", key="item", width=self.item_cells)
        table.add_column("Position", key="position", width=POSITION_CELLS)
        for item_id, title in self.titles.items():
            table.add_row(cell(shorten(f"{item_id}. {title}", self.item_cells)),
                          cell(LABEL[self.positions[item_id]]), key=item_id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def action_set(self, position: str | None) -> None:
        table = self.query_one(DataTable)
        if not self.positions:
            return
        item_id = list(self.positions)[table.cursor_row]
        self.positions[item_id] = position
        table.update_cell(item_id, "position", cell(LABEL[position]))
        table.move_cursor(row=min(table.cursor_row + 1, table.row_count - 1))

    def action_save(self) -> None:
        chosen = {i: p for i, p in self.positions.items() if p is not None}
        if not chosen:
            self.notify("Give a position on at least one item (y, n or a), or press esc.", severity="warning")
            return
        if chosen == self.on_record:
            self.notify(f"Nothing recorded: {self.member.name}'s letter is already on record as shown.", timeout=4)
            self.dismiss(None)
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
