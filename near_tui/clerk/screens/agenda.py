"""Agenda: every item with kind, rule and status; enter opens the highlighted item."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...verdict import BAD, GOOD, LIVE, WARN, article_words, item_verdict
from .. import figures
from ..widgets.cells import Painter, cell
from ..widgets.indicators import ItemIndicators, SessionBar
from ..widgets.text import show

# The status cell's colour follows the verdict's tone (the words beside it say the same).
TONE_COLOUR = {GOOD: "$success", BAD: "$error", WARN: "$warning", LIVE: "$accent"}


class AgendaScreen(Screen):
    _built_width = 0
    CSS_PATH = "agenda.tcss"
    BINDINGS = [
        Binding("enter", "open_item", "Open item", priority=True),
        Binding("ctrl+e", "app.end_session", "End session"),
        # enter opens the item here, so F5 leaves the footer to fit 80 columns.
        Binding("f5,r", "app.roll_call", "Roll call", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield SessionBar()
        yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Static(id="description")
        yield ItemIndicators()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._build()
        state = self.app.state
        if self.app.item_id in state.items:
            self.query_one(DataTable).move_cursor(row=state.item_order.index(self.app.item_id))
        self.query_one(DataTable).focus()
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        if self._title_width() != self._built_width:
            self._build()
            self.refresh_view()

    def _title_width(self) -> int:
        # Kind, rule and a status like "✔ CARRIED 49–0–0" take about 50 columns.
        return max(16, self.app.size.width - 54)

    def _build(self) -> None:
        state = self.app.state
        table = self.query_one(DataTable)
        row = table.cursor_row
        width = self._built_width = self._title_width()
        table.clear(columns=True)
        table.add_column("#", key="id")
        table.add_column("Item", key="title", width=width)
        table.add_column("Kind", key="kind")
        table.add_column("Rule", key="rule")
        table.add_column("Status", key="status")
        for item_id in state.item_order:
            item = state.items[item_id].item
            title = item.title if len(item.title) <= width else item.title[: width - 1] + "…"
            # Ids and titles are data: plain Text cells (a str cell would be parsed as markup).
            table.add_row(cell(item_id), cell(title), cell(item.kind),
                          cell(figures.RULE_LABEL[figures.item_rule(state, item_id)]), cell(""), key=item_id)
        table.move_cursor(row=row, animate=False)

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        state = self.app.state
        # Once closed the footer offers ^o Reopen: below 90 columns it takes the palette hint's place.
        self.query_one(Footer).show_command_palette = not state.closed or self.app.size.width >= 90
        table = self.query_one(DataTable)
        paint = Painter.of(self.app)
        for item_id in state.item_order:
            colour = TONE_COLOUR.get(item_verdict(state, item_id).tone)
            bold = "b " if state.items[item_id].status == "open" else ""
            template = f"[{bold}{colour}]$status[/]" if colour else "$status"
            # The status may hold names (elected): a value, never markup.
            table.update_cell(item_id, "status", paint(template, status=figures.item_status(state, item_id)),
                              update_width=True)
        self.query_one(SessionBar).show_state(state)
        self._show_selected()

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _show_selected(self) -> None:
        item_id = self._highlighted()
        state = self.app.state
        self.query_one(ItemIndicators).show_item(state, item_id)
        if item_id is not None:
            item = state.items[item_id].item
            article = "$article · " if item.article else ""
            show(self.query_one("#description", Static), "[b]$item. $title[/]\n" + article + "$description",
                 layout=True, item=item_id, title=item.title, article=article_words(item.article, state.rules),
                 description=item.description or "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.app.select_item(event.row_key.value)
        self._show_selected()

    def action_open_item(self) -> None:
        item_id = self._highlighted()
        if item_id is not None:
            self.app.open_item(item_id)
