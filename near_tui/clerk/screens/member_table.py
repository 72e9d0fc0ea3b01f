"""A member list with a type-to-filter box: shared by the attendance and letters screens.

The table keeps the focus; letters typed go to the filter line (so typing a
name finds a member at once), backspace takes one back, escape clears it; the
screen's other keys (digits, enter, delete, F-keys) act on the highlighted member.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...schema import Member
from ..widgets.cells import Painter
from ..widgets.indicators import ItemIndicators, SessionBar

SEPARATOR = "--not-counted--"


class MemberListScreen(Screen):
    """Base of a screen whose body is a filterable table of members."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter")]
    # The line above the filter (its id) and the table's columns (label, key), per screen.
    SUMMARY_ID = "summary"
    COLUMNS: tuple[tuple[str, str], ...] = (
        ("Ctry", "country"), ("Member", "name"), ("Attendance", "mode"), ("Letter", "letter"),
    )
    FILTER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -'.")

    filter_text = ""

    def compose(self) -> ComposeResult:
        yield SessionBar()
        yield Static(id=self.SUMMARY_ID)
        yield from self.filter_box()
        yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield ItemIndicators(id="item-indicators")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in self.COLUMNS:
            table.add_column(label, key=key)
        self.refresh_view()

    def show_open_item(self, state) -> None:
        """The live indicators of the roll call in progress, shown only while one is open."""
        indicators = self.query_one(ItemIndicators)
        open_item = state.open_item
        indicators.display = open_item is not None
        if open_item is not None:
            indicators.show_item(state, open_item)

    def filter_box(self) -> ComposeResult:
        yield Static(id="filter")

    def _show_filter(self) -> None:
        box = self.query_one("#filter", Static)
        if self.filter_text:
            box.update(f"Filter: [b]{self.filter_text}[/]▏  [dim](backspace / esc to clear)[/]")
        else:
            box.update("[dim]Type a name, id or country code (JP) to filter[/]")

    def on_key(self, event: events.Key) -> None:
        # Letters filter here, before the app's one-letter keys see them.
        if event.character and event.character in self.FILTER_CHARS and event.key != "space" or \
                (event.key == "space" and self.filter_text):
            self.filter_text += event.character
        elif event.key == "backspace" and self.filter_text:
            self.filter_text = self.filter_text[:-1]
        else:
            return
        event.stop()
        event.prevent_default()
        self._filter_changed()

    def _filter_changed(self) -> None:
        self._show_filter()
        self.refresh_view()
        self.query_one(DataTable).move_cursor(row=0)

    def members_shown(self) -> list[Member]:
        raise NotImplementedError

    def matches(self, member: Member) -> bool:
        needle = self.filter_text.casefold().strip()
        if not needle:
            return True
        return (needle in member.name.casefold() or needle in member.id
                or needle == member.country.casefold())

    def on_screen_resume(self) -> None:
        self.query_one(DataTable).focus()
        self._show_filter()
        self.refresh_view()

    def refresh_view(self) -> None:
        raise NotImplementedError

    def highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key == SEPARATOR else key

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_clear_filter(self) -> None:
        if self.filter_text:
            self.filter_text = ""
            self._filter_changed()

    def fill(self, table: DataTable, rows: list[tuple[str, tuple]]) -> None:
        """Replace the rows, keeping the cursor on the same member when it is still shown."""
        keep = self.highlighted()
        row = table.cursor_row
        table.clear()
        paint = Painter.of(self.app)
        for key, cells in rows:
            # A str cell is markup written in the code; data arrives as Text (display_text.cell) and stays as is.
            table.add_row(*(paint(c) if isinstance(c, str) else c for c in cells), key=key)
        keys = [k for k, _ in rows]
        if keep in keys:
            table.move_cursor(row=keys.index(keep), animate=False, scroll=True)
        elif rows:
            table.move_cursor(row=min(row, len(rows) - 1), animate=False)
