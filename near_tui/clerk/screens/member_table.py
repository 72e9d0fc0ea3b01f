"""A member list with a type-to-filter box: shared by the attendance and letters screens.

The table keeps the focus; letters typed go to the filter line (so typing a
name finds a member at once), backspace takes one back, escape clears it; the
screen's other keys (digits, enter, delete, F-keys) act on the highlighted member.

Each screen has its own filter, and leaving the screen for another one (F2-F5)
clears it: the clerk always comes back to the full list (docs/clerk.md, "Filters").
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from near_tui.core.schema import Member
from near_tui.ui.display_text import show
from near_tui.views.view_model import vote_panel

from ..widgets.cells import Painter
from ..widgets.footer import SteadyFooter
from ..widgets.indicators import ItemIndicators, SessionBar
from ..widgets.names import budget

SEPARATOR = "--not-counted--"
FILTER_PUNCTUATION = frozenset(" -'.")


def is_filter_character(character: str | None) -> bool:
    """Letters of any script (names are Chinese, Japanese, Korean, Mongolian, Russian, English) and - ' . space.

    Digits are not: they are the attendance screen's keys.
    """
    return bool(character) and len(character) == 1 and (character.isalpha() or character in FILTER_PUNCTUATION)


class ListTable(DataTable):
    """A table whose enter belongs to its screen: DataTable's own enter ("select") is switched off.

    The screen's enter binding is then not a priority binding, which would act as soon as the key
    is read, before the keys typed just before it (a filter, a position) have been applied: enter
    comes up through the table like them, in the order typed.
    """

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return False
        return super().check_action(action, parameters)


class TypeToFilter:
    """Type-to-filter for a screen whose table keeps the focus: ``filter_text`` and its keys.

    Mixed into the member lists and the election dialog. A screen using it sets
    ``filter_text`` in ``__init__`` and implements ``_filter_changed``.
    """

    filter_text: str

    def on_key(self, event: events.Key) -> None:
        # Letters filter here, before the app's one-letter keys see them.
        if not (is_filter_character(event.character) or event.key == "backspace"):
            return
        event.stop()
        event.prevent_default()
        # A key reaches this screen through its table's queue. A key typed just after a key that
        # changes screens (F3, F4, enter...) can be queued here before that key has done so (it
        # acts when it comes back up to the app), so the key is handed to the app's queue, behind
        # it, and goes to the screen on view then: typing on one screen never changes another.
        self.app.call_later(_deliver, self.app, event.key, event.character)

    def type_key(self, key: str, character: str | None) -> None:
        """One filter key: a letter adds to the filter, backspace takes one back.

        A space only counts inside a filter ("inner mon"): on an empty filter it does nothing.
        """
        if key == "backspace":
            if not self.filter_text:
                return
            self.filter_text = self.filter_text[:-1]
        elif key == "space" and not self.filter_text:
            return
        else:
            self.filter_text += character
        self._filter_changed()

    def _filter_changed(self) -> None:
        raise NotImplementedError


def member_matches(member: Member, text: str) -> bool:
    """The filter's rule: part of the name or the native name, part of the id, or the country code (JP)."""
    needle = text.casefold().strip()
    if not needle:
        return True
    return (needle in member.name.casefold() or needle in (member.native_name or "").casefold()
            or needle in member.id or needle == member.country.casefold())


class MemberListScreen(TypeToFilter, Screen):
    """Base of a screen whose body is a filterable table of members."""

    # At 80 columns the footer holds the screen's own keys and the F-keys to the other screens,
    # no more (a binding cut short leaves a stray letter): the filter line says "esc to clear",
    # the F-key of the screen on view is left out (own_mode), and so is the palette hint below
    # PALETTE_HINT_WIDTH (ctrl+p still opens it). F1 help and the palette list every key.
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("f3,t", "own_mode('attendance')", "Attendance", show=False),
        Binding("f4,l", "own_mode('letters')", "Letters", show=False),
    ]
    PALETTE_HINT_WIDTH = 90  # the widest footer (attendance) and "^p palette" take 84 columns
    # The line above the filter (its id) and the table's columns (label, key), per screen.
    SUMMARY_ID = "summary"
    COLUMNS: tuple[tuple[str, str], ...] = (
        ("Ctry", "country"), ("Member", "name"), ("Attendance", "mode"), ("Letter", "letter"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""  # this screen's own: typing on another screen never changes it
        self.name_cells: int | None = None  # the Member column's width the rows were drawn for

    def compose(self) -> ComposeResult:
        yield SessionBar()
        yield Static(id=self.SUMMARY_ID)
        yield from self.filter_box()
        yield ListTable(id="members", cursor_type="row", zebra_stripes=True)
        yield from self.below_table()
        yield ItemIndicators(id="item-indicators")
        yield SteadyFooter(compact=True, show_command_palette=False)  # see on_resize

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in self.COLUMNS:
            table.add_column(label, key=key)
        self._show_filter()
        self.refresh_view()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(Footer).show_command_palette = event.size.width >= self.PALETTE_HINT_WIDTH
        if budget(self.app.size.width) != self.name_cells:
            self.refresh_view()  # the Member column changes width (widgets/names.py)

    def show_open_item(self, state) -> None:
        """The live indicators of the roll call in progress, shown only while one is open."""
        indicators = self.query_one(ItemIndicators)
        open_item = state.open_item
        indicators.display = open_item is not None
        if open_item is not None:
            indicators.picture = vote_panel(state, open_item)

    def filter_box(self) -> ComposeResult:
        yield Static(id="filter")

    def below_table(self) -> ComposeResult:
        """What a screen shows under its list (the letters screen: the highlighted member's letter)."""
        yield from ()

    def _show_filter(self) -> None:
        box = self.query_one("#filter", Static)
        if self.filter_text:
            show(box, "Filter: [b]$filter[/]▏  [dim](backspace / esc to clear)[/]", filter=self.filter_text)
        else:
            show(box, "[dim]Type a name, id or country code (JP) to filter[/]")

    def _filter_changed(self) -> None:
        self._show_filter()
        self.refresh_view()
        self.query_one(DataTable).move_cursor(row=0)

    def members_shown(self) -> list[Member]:
        raise NotImplementedError

    def matches(self, member: Member) -> bool:
        return member_matches(member, self.filter_text)

    def on_screen_resume(self) -> None:
        self.query_one(DataTable).focus()
        self._show_filter()
        self.refresh_view()

    def on_screen_suspend(self) -> None:
        # Leaving for another screen clears the filter; a dialog over this screen (a letter,
        # a confirmation, help) keeps it: this screen is then still on the mode's stack.
        if self not in self.app.screen_stack and self.filter_text:
            self.filter_text = ""
            self._show_filter()
            self.refresh_view()  # the cursor stays on the member last worked on

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "own_mode":
            # Only this screen's own F-key is taken (and hidden); the other one is the app's, shown.
            return parameters[0] == self.app.current_mode
        return True

    def action_own_mode(self, mode: str) -> None:
        """The F-key of the screen on view: nothing to do."""

    def action_clear_filter(self) -> None:
        if self.filter_text:
            self.filter_text = ""
            self._filter_changed()

    def fill(self, table: DataTable, rows: list[tuple[str, tuple]]) -> None:
        """Replace the rows, keeping the cursor on the same member when it is still shown.

        A cell is a ``Text`` (data: ``display_text.cell`` or a ``Painter`` with ``$values``), or a
        ``str`` that is a literal markup template with no data in it (theme colours resolved here).
        """
        keep = self.highlighted()
        row = table.cursor_row
        table.clear()
        paint = Painter.of(self.app)
        for key, cells in rows:
            table.add_row(*(c if isinstance(c, Text) else paint(c) for c in cells), key=key)
        keys = [k for k, _ in rows]
        if keep in keys:
            table.move_cursor(row=keys.index(keep), animate=False, scroll=True)
        elif rows:
            table.move_cursor(row=min(row, len(rows) - 1), animate=False)


async def _deliver(app, key: str, character: str | None) -> None:
    """Give a filter key to the screen on view: to its filter, or else to its binding for that key.

    The key was typed after a key that changed screens (F5, enter on a letter) and before that
    change was made. It acts on the screen on view, at once, so that it keeps its place among the
    keys typed: re-sent as a new key it would come after keys typed later (an enter saving a letter
    before the positions typed ahead of it); dropped, the next keys would shift onto the wrong
    item or member. A key with no binding there does nothing.
    """
    screen = app.screen
    if isinstance(screen, TypeToFilter):
        screen.type_key(key, character)
        return
    active = screen.active_bindings.get(key)
    if active is not None and active.enabled:
        await app.run_action(active.binding.action, active.node)
