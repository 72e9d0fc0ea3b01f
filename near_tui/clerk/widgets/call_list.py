"""The roll call's list of members: a line-API ``ScrollView`` that keeps its own rendered rows.

One row per member (number, name, country, answer, note), one line each, under a header line
that stays put when the list scrolls. The list keeps each row's rendered line (a ``Strip``)
for as long as the row's cells, the column widths and the styles stay the same, as drawn
plainly and as drawn under the cursor, so that

- an answer renders its own row again and nothing else (``update_rows``);
- a cursor move repaints two lines, usually both from the cache;
- a scroll repaints the visible lines from the cache.

It uses only Textual's public line API (``render_line``, ``refresh_lines``, component
classes, ``notify_style_update``), so a Textual upgrade does not reach into it, and it draws
what a ``DataTable`` with a row cursor drew: the same padding, header, cursor and hover looks,
so the clerk's screens look as they did.

The highlighted row is kept between a quarter and a half of the way down the visible rows:
when a key takes it past that band, the list scrolls so that the row stands a third of the
way down again. The last few answers stay in view above it and the members still to call
below it, and most keys do not scroll at all: a scroll repaints every visible line (and the
scroll bar), an answer without one only the lines that changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

READING_LINE = 1 / 3  # where the highlighted row stands after a scroll, as a fraction of the visible rows
BAND = (1 / 4, 1 / 2)  # the part of the view it may move in before the list scrolls
HEADER = 1  # lines of the header
PADDING = 1  # blank cells on each side of a cell's text
LOOKS = ("call-list--header", "call-list--cursor", "call-list--hover")
NO_ROW = -1  # the mouse is over no row
HEADER_ROW = -1  # the header's row number in a segment's meta (a click on it selects nothing)
PLAIN = Style()  # a cell's blank cells, styled as Rich's Padding styles them (by the row's look alone)


def cell_segments(text: Text, width: int, console: Console) -> list[Segment]:
    """One cell: ``text`` from the left of a column ``width`` cells wide, between PADDING blank cells.

    What Rich's ``Padding(text, (0, PADDING))`` draws for a one-line text no wider than its
    column (a column is as wide as its widest text, so nothing is ever cut), without its
    measuring and line-splitting passes: those were most of the time to draw a roll call's
    first screen (bench/RESULTS.md, start-up). ``tests/clerk/test_clerk_call_list.py`` holds the two
    drawings equal.
    """
    drawn: Iterable[Segment] = text.render(console) if text else ()
    if text.style:  # a text's own style (``Text(..., style=...)``), which ``render`` leaves to its spans
        drawn = Segment.apply_style(drawn, style=console.get_style(text.style))
    return [Segment(" " * PADDING, PLAIN), *drawn, Segment(" " * (width - text.cell_len + PADDING), PLAIN)]


@dataclass
class Column:
    key: str
    label: Text
    width: int  # terminal cells of its widest text (label or value), padding not counted


class CallList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of ``Text`` cells under a header, a row cursor (``cursor_row``) and its own line cache."""

    # The keys a DataTable with a row cursor answers, doing what it did.
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("ctrl+home", "first", "First row", show=False),
        Binding("ctrl+end", "last", "Last row", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("home", "scroll_home_x", "Scroll to the left edge", show=False),
        Binding("end", "scroll_end_x", "Scroll to the right edge", show=False),
    ]
    COMPONENT_CLASSES = set(LOOKS)
    DEFAULT_CSS = """
    CallList {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .call-list--header { background-tint: $foreground 5%; }
        }
        & > .call-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .call-list--cursor { background: $primary; color: $text; text-style: bold; }
        & > .call-list--hover { background: $block-hover-background; }
    }
    """

    cursor_row: var[int] = var(0, init=False)
    """The highlighted row (0 when the list is empty); watch it to follow the clerk's moves."""
    hover_row: var[int] = var(NO_ROW, init=False)
    """The row under the mouse pointer, shown only after the mouse moved (keys hide it)."""

    def __init__(self, columns: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        """``columns``: (key, label) of each column, left to right; labels are plain text."""
        super().__init__(id=id)
        self._columns = [Column(key, Text(label), Text(label).cell_len) for key, label in columns]
        self._column_at = {column.key: i for i, column in enumerate(self._columns)}
        self._keys: list[str] = []  # row -> its key
        self._rows: dict[str, int] = {}  # key -> its row
        self._cells: dict[str, list[Text]] = {}  # key -> its cells, in column order
        # (row key, under the cursor, under the mouse) -> the row's line, uncropped. Dropped
        # whole when what every line depends on changes (_lines_for), per row on an update.
        self._lines: LRUCache[tuple[str, bool, bool], Strip] = LRUCache(1024)
        self._lines_for: tuple[object, ...] | None = None  # (width, styles...) the cached lines were drawn for

    # ------------------------------------------------------------------ content
    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row (None when the list is empty)."""
        return self._keys[self.cursor_row] if self._keys else None

    def row_index(self, key: str) -> int:
        """The row of ``key`` (KeyError for a key not on the list)."""
        return self._rows[key]

    def get_cell(self, key: str, column: str) -> Text:
        """The value shown in row ``key``, column ``column``."""
        return self._cells[key][self._column_at[column]]

    def set_rows(self, rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
        """Replace every row with ``rows``, (key, cells in column order); the cursor and the
        scroll go back to the top, and each column takes the width of its widest text."""
        self._keys, self._cells = [], {}
        for key, cells in rows:
            self._keys.append(key)
            self._cells[key] = list(cells)
        self._rows = {key: row for row, key in enumerate(self._keys)}
        for i, column in enumerate(self._columns):
            column.width = max([column.label.cell_len, *(cells[i].cell_len for cells in self._cells.values())])
        self._lines.clear()
        self._resize_virtually()
        self.hover_row = NO_ROW
        self.cursor_row = 0
        self.scroll_to(0, 0, animate=False, force=True, immediate=True)
        self.refresh()

    def clear(self) -> None:
        """No rows (the columns stay)."""
        self.set_rows([])

    def update_rows(self, rows: Mapping[str, Mapping[str, Text]]) -> None:
        """Set new values in some cells, {row key: {column key: value}}: only those rows are
        rendered again. A column widens for a value wider than it (every row is then rendered
        again, e.g. the first NOT VOTING); it never narrows, so the rows do not shift as answers come."""
        widened = False
        for key, cells in rows.items():
            row = self._cells[key]  # KeyError for a key not on the list: nothing is changed silently
            for column_key, value in cells.items():
                i = self._column_at[column_key]
                row[i] = value
                column = self._columns[i]
                if value.cell_len > column.width:
                    column.width, widened = value.cell_len, True
        if widened:
            self._lines.clear()
            self._resize_virtually()
            self.refresh()
            return
        for key in rows:
            for under_cursor in (False, True):
                for under_mouse in (False, True):
                    self._lines.discard((key, under_cursor, under_mouse))
            self.refresh_lines(HEADER + self._rows[key])

    @property
    def _table_width(self) -> int:
        return sum(column.width + 2 * PADDING for column in self._columns)

    def _resize_virtually(self) -> None:
        self.virtual_size = Size(self._table_width, HEADER + len(self._keys))

    # ------------------------------------------------------------------ cursor
    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._keys) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_lines(HEADER + old)
        self.refresh_lines(HEADER + new)
        self._keep_in_view()

    def watch_hover_row(self, old: int, new: int) -> None:
        for row in (old, new):
            if row != NO_ROW:
                self.refresh_lines(HEADER + row)

    def move_cursor(self, row: int) -> None:
        """Highlight ``row`` and scroll it into the reading band (even when it is highlighted already)."""
        self.cursor_row = row
        self._keep_in_view()

    def _keep_in_view(self) -> None:
        """Scroll the highlighted row back to the reading line when it has left the band."""
        if not self._keys:
            return
        visible = max(1, self.scrollable_content_region.height - HEADER)
        where = self.cursor_row - round(self.scroll_y)
        if int(visible * BAND[0]) <= where <= int(visible * BAND[1]):
            return  # still in the band: no scroll, so only the changed lines are painted again
        above = int(visible * READING_LINE)
        self.scroll_to(y=max(0, self.cursor_row - above), animate=False, force=True, immediate=True)

    def on_resize(self) -> None:
        # Also the first layout: the rows may have been set and the cursor placed before the
        # list had a height to place them in.
        self._keep_in_view()

    def action_move(self, rows: int) -> None:
        self.hover_row = NO_ROW
        self.cursor_row += rows

    def action_page(self, direction: int) -> None:
        """A page of rows up or down: the list scrolls by a page and the cursor moves as far."""
        self.hover_row = NO_ROW
        page = max(1, self.scrollable_content_region.height - HEADER)
        self.scroll_to(y=self.scroll_y + direction * page, animate=False, force=True, immediate=True)
        self.cursor_row += direction * page

    def action_first(self) -> None:
        self.hover_row = NO_ROW
        self.cursor_row = 0

    def action_last(self) -> None:
        self.hover_row = NO_ROW
        self.cursor_row = len(self._keys) - 1

    def action_scroll_home_x(self) -> None:
        self.scroll_to(x=0, animate=False)

    def action_scroll_end_x(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)

    # ------------------------------------------------------------------ mouse
    def _row_at(self, event: events.MouseEvent) -> int:
        row = event.style.meta.get("row", NO_ROW)
        return row if isinstance(row, int) and 0 <= row < len(self._keys) else NO_ROW

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover_row = self._row_at(event)

    def on_leave(self) -> None:
        self.hover_row = NO_ROW

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row != NO_ROW:
            event.stop()
            self.cursor_row = row

    # ------------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        # What every line's look depends on besides its cells: the filler's width and the styles
        # (a theme switch, focus). Textual re-applies styles often without changing them, so the
        # cache is kept until one of them really changes.
        drawn_for = (width, base, *(self.get_component_rich_style(name) for name in LOOKS))
        if drawn_for != self._lines_for:
            self._lines.clear()
            self._lines_for = drawn_for
        scroll_x, scroll_y = self.scroll_offset
        if y < HEADER:
            line = self._header_line()
        else:
            row = y - HEADER + scroll_y
            if row >= len(self._keys):
                return Strip.blank(width, base)
            line = self._row_line(row, base)
        return line.crop_extend(scroll_x, scroll_x + width, base)

    def _header_line(self) -> Strip:
        line = self._lines.get(("", False, False))  # no row has the empty key (the screen keys rows by member)
        if line is None:
            style = self.get_component_rich_style("call-list--header")
            line = self._lines[("", False, False)] = self._render(
                HEADER_ROW, [column.label for column in self._columns], style, Style())
        return line

    def _row_line(self, row: int, base: Style) -> Strip:
        key = self._keys[row]
        under_cursor, under_mouse = row == self.cursor_row, row == self.hover_row
        line = self._lines.get((key, under_cursor, under_mouse))
        if line is None:
            look = Style()
            if under_mouse:
                look += self.get_component_rich_style("call-list--hover")
            if under_cursor:
                look += self.get_component_rich_style("call-list--cursor")
            line = self._lines[(key, under_cursor, under_mouse)] = self._render(row, self._cells[key], base, look)
        return line

    def _render(self, row: int, cells: Sequence[Text], style: Style, look: Style) -> Strip:
        """One row's line: each cell padded to its column's width, then filler to the widget's edge.

        ``look`` (cursor or hover) goes under the cells' own styles and its colours over them, so
        a highlighted row reads in one colour whatever its cells say (as a DataTable's cursor did).
        """
        console = self.app.console
        over = Style.from_color(look.color, look.bgcolor)
        segments: list[Segment] = []
        for i, (column, text) in enumerate(zip(self._columns, cells, strict=True)):
            # The row and column in each segment's meta: a click says which row it hit.
            under = style + look + Style.from_meta({"row": row, "column": i})
            segments += Segment.apply_style(cell_segments(text, column.width, console), style=under, post_style=over)
        filler = self.size.width - self._table_width
        if filler > 0:
            segments.append(Segment(" " * filler, style + look + Style.from_meta({"row": row, "column": 0})))
        return Strip(segments).simplify()
