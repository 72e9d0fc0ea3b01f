"""The roll call's list: a DataTable that keeps the highlighted row in the upper part of the view.

DataTable scrolls the least distance needed to show its cursor, so while the
clerk calls member after member the current row sits on the bottom line and the
members to come are hidden. Here the highlighted row is kept between a quarter
and a half of the way down: when a key takes it past that band, the table scrolls
so that the row stands a third of the way down again. The last few answers stay
visible above it and more members still to call below it, and most keys do not
scroll at all: a scroll redraws every visible row (and the scroll bar), an answer
without one only the rows that changed.
"""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

READING_LINE = 1 / 3  # where the highlighted row stands after a scroll, as a fraction of the visible rows
BAND = (1 / 4, 1 / 2)  # the part of the view it may move in before the table scrolls
ELSEWHERE = Coordinate(-2, -2)  # "the cursor is on another row" (-1 is the header's row)


def cell_width(value: object) -> int:
    """Terminal cells a one-line cell value takes."""
    return value.cell_len if isinstance(value, Text) else Text(str(value)).cell_len


class CallList(DataTable):
    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        # Replaces DataTable's minimal scroll (Textual 8.2 calls this on every cursor move, after the
        # row heights have settled). Every row of the call list is one line high.
        if self.cursor_type != "row" or not self.row_count:
            super()._scroll_cursor_into_view(animate)
            return
        header = self.header_height if self.show_header else 0
        visible = max(1, self.scrollable_content_region.height - header)
        where = self.cursor_row - round(self.scroll_y)
        if int(visible * BAND[0]) <= where <= int(visible * BAND[1]):
            return  # still in the band: no scroll, so only the changed rows are drawn again
        above = int(visible * READING_LINE)
        self.scroll_to(y=max(0, self.cursor_row - above), animate=False, force=True, immediate=True)

    def _on_resize(self, event) -> None:
        # DataTable counts every resize as an update, which keys every render cache: after the
        # screen's first layout (the list's height settles) every row was drawn again on the
        # first scroll. A row's look depends on the column widths, not on the list's height.
        if event.size.width == getattr(self, "_drawn_width", None):
            event.prevent_default()  # DataTable's own handler would bump the update count
        self._drawn_width = event.size.width

    # DataTable keys its line and row render caches on the cursor's coordinate, so every cursor
    # move (one per answer) redraws every visible row. With a row cursor only the cursor's own
    # row (and the hovered one) looks different: the others are keyed as "cursor elsewhere" and
    # drawn from the cache. Both are private methods of Textual 8.2's DataTable (as above); the
    # call-list tests fail if what is drawn stops matching the cursor.
    def _render_line_in_row(self, row_key, line_no, base_style, cursor_location, hover_location):
        if self.cursor_type == "row":
            row = self._row_locations.get(row_key) if row_key in self._row_locations else -1
            if cursor_location.row != row:
                cursor_location = ELSEWHERE
            if hover_location.row != row:
                hover_location = ELSEWHERE
        return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)

    def _render_line(self, y: int, x1: int, x2: int, base_style) -> Strip:
        if self.cursor_type != "row":
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, _ = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        row = self._row_locations.get(row_key) if row_key in self._row_locations else -1
        key = ("row-cursor", y, x1, x2, self.size.width, self.cursor_coordinate.row == row,
               self.hover_coordinate.row == row, base_style, self._show_hover_cursor, self._update_count,
               self._pseudo_class_state)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._line_cache[key] = super()._render_line(y, x1, x2, base_style)
        return strip

    def update_rows(self, rows: dict[str, dict[str, object]]) -> None:
        """Set new values in some cells, {row key: {column key: value}}; column widths stay.

        ``update_cell`` would bump the table's update count, which keys every render cache,
        so one answer would re-render every visible cell (most of a roll-call key's time).
        Here only the changed rows' cached renders are dropped.
        """
        if not rows:
            return
        caches = ("_data", "_cell_render_cache", "_row_render_cache", "_row_renderable_cache", "_line_cache")
        if not all(hasattr(self, name) for name in caches):  # another Textual: the documented way
            for row_key, cells in rows.items():
                for column_key, value in cells.items():
                    self.update_cell(row_key, column_key, value)
            return
        keys = {RowKey(row_key) for row_key in rows}
        indices = {self.get_row_index(key) for key in keys}  # raises RowDoesNotExist for a stranger
        widen = []
        for row_key, cells in rows.items():
            for column_key, value in cells.items():
                column = self.columns[ColumnKey(column_key)]
                if column.auto_width and cell_width(value) > column.content_width:
                    widen.append((row_key, column_key, value))  # e.g. the first ABSTAIN: not cut short
                else:
                    self._data[RowKey(row_key)][ColumnKey(column_key)] = value
        for row_key, column_key, value in widen:  # rare: the whole table is measured and redrawn
            self.update_cell(row_key, column_key, value, update_width=True)
        for cache, hit in ((self._cell_render_cache, lambda key: key[0] in keys),  # (row key, column key, ...)
                           (self._row_render_cache, lambda key: key[0] in keys),  # (row key, line, ...)
                           (self._row_renderable_cache, lambda key: key[1] in indices)):  # (update count, row index)
            for key in [key for key in cache.keys() if hit(key)]:
                cache.discard(key)
        header = self.header_height if self.show_header else 0
        lines = {index + header for index in indices}  # every row of the call list is one line
        for key in [key for key in self._line_cache.keys()
                    if (key[1] if key[0] == "row-cursor" else key[0]) in lines]:
            self._line_cache.discard(key)
        for index in sorted(indices):
            self.refresh_row(index)
