"""The roll call's list: a DataTable that keeps the highlighted row near the top third.

DataTable scrolls the least distance needed to show its cursor, so while the
clerk calls member after member the current row sits on the bottom line and the
members to come are hidden. Here every cursor move scrolls the table so that the
row stands a third of the way down: the last few answers stay visible above it
and about twice as many members still to call below it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

READING_LINE = 1 / 3  # where the highlighted row stands, as a fraction of the visible rows


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
        above = int(visible * READING_LINE)
        self.scroll_to(y=max(0, self.cursor_row - above), animate=False, force=True, immediate=True)

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
        self._line_cache.clear()  # keyed by line, rebuilt from the row caches
        for index in sorted(indices):
            self.refresh_row(index)
