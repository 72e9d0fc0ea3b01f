"""The roll call's list: a DataTable that keeps the highlighted row near the top third.

DataTable scrolls the least distance needed to show its cursor, so while the
clerk calls member after member the current row sits on the bottom line and the
members to come are hidden. Here every cursor move scrolls the table so that the
row stands a third of the way down: the last few answers stay visible above it
and about twice as many members still to call below it.
"""

from __future__ import annotations

from textual.widgets import DataTable

READING_LINE = 1 / 3  # where the highlighted row stands, as a fraction of the visible rows


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
