"""Recording an election: pick the elected member(s) from the roster.

Letters typed filter the list (part of a name, an id, or a country code), spaces
included: names hold spaces ("Sakha Republic (Yakutia)"), so space is only ever
part of the filter and never marks. enter marks or unmarks the highlighted member,
as enter acts on the highlighted row of every list. After a mark the filter is
cleared for the next name, with the cursor left on the member just marked: a
second enter unmarks that same member. The enter that opened the dialog, pressed
twice, marks nothing: an enter within ``DOUBLE_PRESS`` of the opening, with nothing
typed, moved to or marked yet, is refused with a word, rather than marking whoever heads the list.

An election recorded is not undone, so neither enter nor a double press records it:
ctrl+r shows who would be recorded and asks for the item's number, typed into its box
(``ItemNumberBox``, as when closing a vote), then enter. A double enter, or y n a x c,
records nothing; esc goes back to the marking.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from near_tui.core import charter
from near_tui.core.state import SessionState
from near_tui.ui.display_text import cell, content, show

from ..widgets.item_number import ItemNumberBox, item_number_row
from ..widgets.names import name_cell
from .member_table import ListTable, TypeToFilter, member_matches

MARK = "✓"
NAME_CELLS = 60  # the dialog is at most 90 columns wide: the mark and country columns keep their room
DOUBLE_PRESS = 1.0  # seconds: an enter this soon after the dialog opened is the opening key again


class ElectionDialog(TypeToFilter, ModalScreen[list[str] | None]):
    """Type to filter, enter to mark, ctrl+r then the item number to record; dismisses with the member
    ids, in marking order."""

    CSS_PATH = ["dialogs.tcss", "election_dialog.tcss"]
    BINDINGS = [
        # Not priority: they act after the letters typed before them (member_table.ListTable).
        Binding("enter", "toggle", "Mark / unmark the highlighted member"),
        Binding("ctrl+r", "save", "Record elected (then type the item number)"),
        Binding("escape", "back", "Clear filter / back / cancel"),
    ]

    def __init__(self, state: SessionState, item_id: str) -> None:
        super().__init__()
        self.item_id = item_id
        self.confirming = False  # True once enter asked for the item number
        item = state.items[item_id].item
        self.seats = item.seats
        self.item_title = item.title
        self.members = [m for m in state.members.values() if charter.is_member(m)]
        self.names = {m.id: m.full_name for m in self.members}
        self.chosen: list[str] = []
        self.filter_text = ""
        self.opened_at = time.monotonic()

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(content("Election: $title ($seats to elect)", title=self.item_title, seats=self.seats),
                         id="title")
            yield Static(id="filter")
            yield ListTable(id="candidates", cursor_type="row")
            yield Static(id="marked")
            yield from item_number_row()
            yield Static(id="hint")
            yield Static(id="keys")

    def on_mount(self) -> None:
        self.opened_at = time.monotonic()
        table = self.query_one(DataTable)
        table.add_column("", key="mark", width=2)
        table.add_column("Member", key="name")
        table.add_column("Ctry", key="country")
        self._filter_changed()
        self._show_stage()
        table.focus()

    def _show_stage(self) -> None:
        """Marking (the list has the focus) or confirming (the item-number box has it)."""
        self.query_one("#prompt-row").display = self.query_one("#hint").display = self.confirming
        keys = self.query_one("#keys", Static)
        if self.confirming:
            show(self.query_one("#prompt", Static), "Type [b]$item[/] and press [b]enter[/] to record: ",
                 item=self.item_id)
            show(self.query_one("#hint", Static), "[dim]An election recorded is not undone.[/]")
            show(keys, "[b]$item[/] [b]enter[/] record as elected    [b]esc[/] back to the marking", item=self.item_id)
        else:
            show(keys, "[b]type[/] filter  [b]↑↓[/] move  [b]enter[/] mark/unmark  [b]^r[/] record…  "
                       "[b]esc[/] clear/cancel")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the number is asked for, enter belongs to its box, never to the marking.
        if self.confirming and action in ("toggle", "save"):
            return False
        return True

    # ------------------------------------------------------------- showing
    def _filter_changed(self) -> None:
        self._show_filter()
        self._fill()
        self._show_marked()

    def _show_filter(self) -> None:
        filter_box = self.query_one("#filter", Static)
        if self.filter_text:
            show(filter_box, "Filter: [b]$filter[/]▏", filter=self.filter_text)
        else:
            show(filter_box, "[dim]Type part of a name, or a country code (JP), to filter[/]")

    def _fill(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        shown = [m for m in self.members if member_matches(m, self.filter_text)]
        for m in shown:
            table.add_row(cell(MARK if m.id in self.chosen else ""), name_cell(m, NAME_CELLS), cell(m.country),
                          key=m.id)
        ids = [m.id for m in shown]
        table.move_cursor(row=ids.index(keep) if keep in ids else 0, animate=False, scroll=True)

    def _show_marked(self) -> None:
        marked = self.query_one("#marked", Static)
        if self.chosen:
            show(marked, "Marked [b]$count[/] of $seats: [b]$names[/]", count=len(self.chosen), seats=self.seats,
                 names=", ".join(self.names[m] for m in self.chosen))
        else:
            show(marked, "Marked 0 of $seats: [dim]enter marks the highlighted member[/]", seats=self.seats)

    def _current(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # ------------------------------------------------------------- actions
    def action_toggle(self) -> None:
        member_id = self._current()
        if member_id is None:
            return
        moved = self.query_one(DataTable).cursor_row != 0  # ↑↓ before enter: a choice, not a double press
        if not (self.filter_text or self.chosen or moved) and time.monotonic() - self.opened_at < DOUBLE_PRESS:
            self.notify("enter came at once after the one that opened this dialog: nothing marked. "
                        "Type part of a name, then enter marks the highlighted member.", severity="warning")
            return
        if member_id in self.chosen:
            self.chosen.remove(member_id)
        elif len(self.chosen) >= self.seats:
            self.notify(f"Only {self.seats} to elect — unmark one first (enter on a marked member).",
                        severity="warning")
            return
        else:
            self.chosen.append(member_id)
        # The filter has done its job: clear it for the next name, the cursor staying on this member.
        self.filter_text = ""
        self._show_filter()
        self._fill(keep=member_id)
        self._show_marked()

    def action_save(self) -> None:
        if not self.chosen:
            self.notify(f"Mark the elected member{'s' if self.seats > 1 else ''} with enter first "
                        f"({self.seats} to elect).", severity="warning")
            return
        self.confirming = True
        self._show_stage()
        self.query_one(ItemNumberBox).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        matches = self.query_one(ItemNumberBox).take(self.item_id)
        if not self.confirming or not self.chosen:
            return
        if not matches:
            show(self.query_one("#hint", Static), "[b $error]Not recorded:[/] type [b]$item[/] and press enter, "
                 "or esc to go back to the marking.", item=self.item_id)
            return
        self.dismiss(list(self.chosen))

    def action_back(self) -> None:
        if self.confirming:
            self.confirming = False
            self.query_one(ItemNumberBox).value = ""
            self._show_stage()
            self.query_one(DataTable).focus()
            return
        if self.filter_text:
            self.filter_text = ""
            self._filter_changed()
        else:
            self.dismiss(None)
