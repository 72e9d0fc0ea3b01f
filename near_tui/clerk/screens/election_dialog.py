"""Recording an election: pick the elected member(s) from the roster."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from ... import charter
from ...state import SessionState


class ElectionDialog(ModalScreen[list[str] | None]):
    """Type to filter, space to mark, enter to record; dismisses with the member ids."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("space", "toggle", "Mark / unmark", priority=True),
        Binding("enter", "save", "Record elected", priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, state: SessionState, item_id: str) -> None:
        super().__init__()
        item = state.items[item_id].item
        self.seats = item.seats
        self.item_title = item.title
        self.members = [m for m in state.members.values() if charter.is_member(m)]
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(f"Election: {self.item_title} ({self.seats} to elect)", id="title")
            yield Input(placeholder="type to filter by name or country", id="filter")
            yield DataTable(id="candidates", cursor_type="row")
            yield Static("[b]↑↓[/] move  [b]space[/] mark  [b]enter[/] record  [b]esc[/] cancel", id="keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.styles.height = 10
        table.add_column("", key="mark", width=2)
        table.add_column("Member", key="name")
        table.add_column("Ctry", key="country")
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        needle = text.casefold().strip()
        for m in self.members:
            if needle and needle not in m.name.casefold() and needle != m.country.casefold():
                continue
            table.add_row("✓" if m.id in self.chosen else "", m.name, m.country, key=m.id)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _current(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_toggle(self) -> None:
        member_id = self._current()
        if member_id is None:
            return
        if member_id in self.chosen:
            self.chosen.remove(member_id)
        elif len(self.chosen) >= self.seats:
            self.notify(f"Only {self.seats} to elect — unmark one first.", severity="warning")
            return
        else:
            self.chosen.append(member_id)
        self.query_one(DataTable).update_cell(member_id, "mark", "✓" if member_id in self.chosen else "")

    def action_save(self) -> None:
        if not self.chosen:
            member_id = self._current()
            if member_id is None:
                return
            self.chosen = [member_id]
        self.dismiss(list(self.chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
