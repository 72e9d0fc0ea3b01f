"""Agenda: every item with kind, rule and status; enter opens the highlighted item.

The agenda changes here too (docs/rules.md, "Agenda changes during the session"): + adds an
addendum, w withdraws and p postpones the highlighted item, m moves it. Each opens a dialog
that confirms only with the item's number typed and enter (``agenda_dialogs``); what it
records goes through ``app.record``, so a refusal is the core's one line.

Keys are handled in the order typed: enter is not a priority binding (it would act as soon as
it is read, before the ↓ typed just ahead of it had moved the cursor). The table is a
``ListTable`` (DataTable's own enter switched off), so enter comes up through the table's
queue behind those keys and acts on the row the cursor is on then.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from near_tui.core import events as ev
from near_tui.core.errors import RuleError
from near_tui.core.state import SET_ASIDE
from near_tui.views.verdict import BAD, GOOD, LIVE, WARN, article_words, item_verdict
from near_tui.views.view_model import AgendaLine, agenda_line, item_panel, session_now

from .. import figures
from ..widgets.cells import Painter, cell
from ..widgets.footer import SteadyFooter
from ..widgets.indicators import ItemIndicators, SessionBar
from ..widgets.names import shorten
from ..widgets.text import show
from .member_table import ListTable

# The status cell's colour follows the verdict's tone (the words beside it say the same).
TONE_COLOUR = {GOOD: "$success", BAD: "$error", WARN: "$warning", LIVE: "$accent"}
# What enter records for an item that is not a roll call (``ClerkApp.open_item``).
ENTER_RECORDS = {"report": "mark it noted", "presentation": "mark it noted", "consensus": "record adopted or not",
                 "election": "record who is elected"}


class AgendaScreen(Screen):
    _built_width = 0
    _built_order: list[str] = []
    _finished: set[str] = set()  # items closed as of the last refresh (the cursor leaves one just finished)
    CSS_PATH = "agenda.tcss"
    BINDINGS = [
        Binding("enter", "open_item", "Open", tooltip="Open the highlighted item: its roll call or its result"),
        Binding("plus,insert", "add_item", "Addendum", key_display="+",
                tooltip="Add an addendum to the agenda (a form, confirmed by typing its id)"),
        Binding("w", "set_aside('withdraw')", "Withdraw",
                tooltip="Withdraw the highlighted item, with a reason (confirmed by typing its number)"),
        Binding("p", "set_aside('postpone')", "Postpone",
                tooltip="Postpone the highlighted item to a later session, with a reason"),
        Binding("m", "move_item", "Move", tooltip="Move the highlighted item after another item"),
        # The screen's own action, so that once the session is closed it leaves the footer while the
        # app's ctrl+e (not shown) still writes the files again.
        Binding("ctrl+e", "end_session", "End session"),
        # The agenda's own keys take its footer at 80 columns: F2 (here already), F3, F4 and F5 work
        # as everywhere but are not shown; F1 help and the palette (ctrl+p) list them.
        Binding("f5,r", "app.roll_call", "Roll call", show=False),
        Binding("f2,g", "stay", "Agenda", show=False),
        Binding("f3,t", "app.goto('attendance')", "Attendance", show=False),
        Binding("f4,l", "app.goto('letters')", "Letters", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A closed session's agenda is final: its change keys leave the footer (and do nothing).
        if action in ("add_item", "set_aside", "move_item", "end_session"):
            return not self.app.state.closed
        return True

    def compose(self) -> ComposeResult:
        yield SessionBar()
        yield ListTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Static(id="description")
        yield ItemIndicators()
        yield SteadyFooter(compact=True, show_command_palette=False)  # see on_resize

    def on_mount(self) -> None:
        self._build()
        state = self.app.state
        # The item the clerk comes from counts as just finished if it is: the cursor goes on from it.
        self._finished = _finished_items(state) - {self.app.item_id}
        if self.app.item_id in state.items:
            self.query_one(DataTable).move_cursor(row=state.item_order.index(self.app.item_id))
        self.query_one(DataTable).focus()
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def _palette_hint(self) -> None:
        # The footer's keys (^o Reopen once closed) take the 80 columns; "^p palette" only where
        # it fits (ctrl+p always opens it).
        self.query_one(Footer).show_command_palette = self.app.size.width >= PALETTE_HINT_WIDTH

    def on_resize(self) -> None:
        self._palette_hint()
        if self._title_width() != self._built_width:
            self._build()
            self.refresh_view()

    def action_end_session(self) -> None:
        self.app.action_end_session()

    def action_stay(self) -> None:
        """F2 on the agenda: already here."""

    def _title_width(self) -> int:
        # Kind, rule and a status like "✔ CARRIED 49–0–0" take about 50 columns.
        return max(16, self.app.size.width - 54)

    def _build(self) -> None:
        state = self.app.state
        table = self.query_one(DataTable)
        keep = self._highlighted()
        row = table.cursor_row
        width = self._built_width = self._title_width()
        self._built_order = list(state.item_order)
        table.clear(columns=True)
        table.add_column("#", key="id")
        table.add_column("Item", key="title", width=width)
        table.add_column("Kind", key="kind")
        table.add_column("Rule", key="rule")
        table.add_column("Status", key="status")
        paint = Painter.of(self.app)
        for item_id in state.item_order:
            item = state.items[item_id].item
            added = state.items[item_id].added
            room = width - len(ADDENDUM) if added else width
            title = shorten(item.title, room)  # in cells: a Chinese title is cut with its "…" in view
            # Ids and titles are data: Text cells (a str cell would be parsed as markup), titles as values.
            title_cell = paint(f"[b $accent]{ADDENDUM}[/]$title", title=title) if added else cell(title)
            table.add_row(cell(item_id), title_cell, cell(item.kind),
                          cell(figures.item_rule_label(state, item_id)), cell(""), key=item_id)
        # The cursor stays on the same item when items were added or moved (another seat, a dialog).
        if keep in state.items:
            row = state.item_order.index(keep)
        table.move_cursor(row=min(row, max(0, table.row_count - 1)), animate=False)

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        state = self.app.state
        self._palette_hint()
        if state.item_order != self._built_order:
            self._build()  # an addendum, or a move, recorded here or by another seat
        table = self.query_one(DataTable)
        paint = Painter.of(self.app)
        for item_id in state.item_order:
            line = agenda_line(state, item_id, False)  # the item's row as the board's agenda has it
            colour = TONE_COLOUR.get(line.tone)
            bold = "b " if state.items[item_id].status in ("open",) + SET_ASIDE else ""
            template = f"[{bold}{colour}]$status[/]" if colour else "[b]$status[/]" if bold else "$status"
            # The status may hold names (elected) or a reason: a value, never markup.
            table.update_cell(item_id, "status", paint(template, status=status_words(line)), update_width=True)
        self.query_one(SessionBar).now = session_now(state)
        self._move_past_finished(state)
        self._show_selected()

    def _move_past_finished(self, state) -> None:
        """An item just finished (its vote closed, its result recorded): the cursor goes on to the next
        item to take up, so that enter does not open the finished one again."""
        finished = _finished_items(state)
        newly, self._finished = finished - self._finished, finished
        here = self._highlighted()
        if here is None or here not in newly:
            return
        nxt = next_to_take_up(state, here)
        if nxt is not None:
            self.query_one(DataTable).move_cursor(row=state.item_order.index(nxt), animate=False)
            self.app.select_item(nxt)

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _show_selected(self) -> None:
        item_id = self._highlighted()
        state = self.app.state
        indicators = self.query_one(ItemIndicators)
        indicators.hint = self._enter_hint(item_id)
        picture = indicators.picture = item_panel(state, item_id) if item_id is not None else session_now(state)
        if item_id is not None:
            item = state.items[item_id].item
            parts = (("$article", item.article), ("$description", item.description))
            line = " · ".join(part for part, present in parts if present)
            # A set-aside item: its status and reason in full (the status column may cut the reason short).
            aside = isinstance(picture, AgendaLine) and picture.status in SET_ASIDE
            added = "[b $accent]Addendum[/] (added during the session) · " if state.items[item_id].added else ""
            show(self.query_one("#description", Static),
                 "[b]$item. $title[/]\n" + ("[b]$status[/] — $reason\n" if aside else "") + added + line,
                 layout=True, item=item_id, title=item.title, article=article_words(item.article, state.rules),
                 description=item.description or "", status=picture.label if aside else "",
                 reason=picture.reason if aside else "")

    def _enter_hint(self, item_id: str | None) -> str:
        """What enter records for the highlighted item, said only while it can: the item still to
        come, the session open and the seat recording."""
        if item_id is None:
            return ""
        state = self.app.state
        item = state.items[item_id]
        if item.status != "pending" or state.closed or self.app.stopped is not None:
            return ""
        action = ENTER_RECORDS.get(item.item.kind)
        return f"enter: {action}" if action else ""

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.app.select_item(event.row_key.value)
        self._show_selected()

    def action_open_item(self) -> None:
        item_id = self._highlighted()
        if item_id is not None:
            self.app.open_item(item_id)

    # ------------------------------------------------------- agenda changes
    def action_add_item(self) -> None:
        from .addendum_dialog import AddendumDialog

        def added(item_id: str | None) -> None:
            if item_id is not None and item_id in self.app.state.items:
                table = self.query_one(DataTable)
                table.move_cursor(row=self.app.state.item_order.index(item_id), animate=False)
                self.app.notify(f"Item {item_id} added to the agenda.")
        self.app.push_screen(AddendumDialog(after=self._highlighted()), added)

    def _refused(self, kind: str, payload: dict) -> bool:
        """Say at once (one toast) when the core would refuse this change now, before any dialog."""
        try:
            self.app.state.check(kind, payload)
        except RuleError as exc:
            self.app.notify(str(exc), title="Not possible", severity="warning", timeout=8)
            return True
        return False

    def action_set_aside(self, action: str) -> None:
        from .agenda_dialogs import SetAsideDialog

        item_id = self._highlighted()
        if item_id is None:
            return
        kind, intent = {"withdraw": (ev.ITEM_WITHDRAWN, self.app.session.withdraw_item),
                        "postpone": (ev.ITEM_POSTPONED, self.app.session.postpone_item)}[action]
        # Only the item's state is asked about here (a placeholder reason); the dialog asks for the real one.
        if self._refused(kind, {"item_id": item_id, "reason": "?"}):
            return

        def set_aside(recorded: bool) -> None:
            if recorded:
                said = item_verdict(self.app.state, item_id)
                self.app.notify(f"Item {item_id}: {said.label} — {said.reason}")

        def answered(reason: str | None) -> None:
            if reason is not None:
                self.app.record(intent, item_id, reason, then=set_aside)
        self.app.push_screen(SetAsideDialog(item_id, self.app.state.items[item_id].item.title, action), answered)

    def action_move_item(self) -> None:
        from .agenda_dialogs import MoveDialog

        item_id = self._highlighted()
        state = self.app.state
        if item_id is None or len(state.item_order) < 2:
            return
        other = next(i for i in state.item_order if i != item_id)  # any valid place: the state is what is asked
        if self._refused(ev.ITEM_MOVED, {"item_id": item_id, "after": other}):
            return

        def answered(after: str | None) -> None:
            if after is not None:
                self.app.record(self.app.session.move_item, item_id, after,
                                then=lambda ok: ok and self.app.notify(f"Item {item_id} now comes after item {after}."))
        self.app.push_screen(MoveDialog(state, item_id), answered)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Add an addendum", "A new item on the agenda, checked as the agenda file's items (+)",
                            self.action_add_item)
        yield SystemCommand("Withdraw the highlighted item", "With a reason; confirmed by typing its number (w)",
                            lambda: self.action_set_aside("withdraw"))
        yield SystemCommand("Postpone the highlighted item", "To a later session, with a reason; confirmed by "
                            "typing its number (p)", lambda: self.action_set_aside("postpone"))
        yield SystemCommand("Move the highlighted item", "After another item; confirmed by typing its number (m)",
                            self.action_move_item)


PALETTE_HINT_WIDTH = 90
ADDENDUM = "addendum · "  # before an added item's title: it was not on the agenda file
STATUS_CELLS = 26  # a reason is cut to the status column's room (see _title_width); the panel below shows it whole


def _finished_items(state) -> set[str]:
    return {i for i in state.item_order if state.items[i].status == "closed"}


def next_to_take_up(state, after: str) -> str | None:
    """The first item still pending after ``after`` in agenda order, else the first one still pending."""
    pending = state.pending_items()
    order = state.item_order
    later = [i for i in pending if order.index(i) > order.index(after)]
    return (later or pending or [None])[0]


def status_words(line: AgendaLine) -> str:
    """The status cell: the line's verdict with its figures (``figures.status_phrase``); for a
    set-aside item its verdict's words and the reason, no figures.

    Cut with "…" to the column's room (an elected member's names can be long); the panel below
    gives the whole verdict."""
    return shorten(figures.status_phrase(line), STATUS_CELLS)
