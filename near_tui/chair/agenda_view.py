"""Between items: the agenda with the outcomes so far, and the session's attendance.

Titles and names are data: the table's cells are Rich ``Text`` (never parsed as
markup) and the labels go through ``near_tui.ui.display_text``.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from near_tui.ui.display_text import show
from near_tui.views.view_model import Board
from near_tui.views.words import N_, _

from .vote_view import FigureCell

# Rich styles per tone for the table rows; they read the theme through the app's CSS variables.
_TONE_VARIABLE = {"good": "success", "bad": "error", "warn": "warning", "live": "primary", "plain": "foreground"}


class AgendaView(Vertical):
    def compose(self) -> ComposeResult:
        with Horizontal(id="attendance-row"):
            yield FigureCell(N_("QUORUM"), id="session-quorum", note=True)
            with Vertical(id="attendance-words"):
                yield Label(id="attendance-caption", classes="caption")
                yield Static(id="attendance")
        with VerticalScroll(id="agenda-scroll"):
            yield Static(id="agenda")

    def show(self, board: Board) -> None:
        q = board.quorum
        self.query_one("#session-quorum", FigureCell).show(
            q.figure, lambda: q.words, q.tone, note=_("taking part/needed"))
        show(self.query_one("#attendance-caption", Label), "$text", layout=True, text=_("ATTENDANCE"))
        show(self.query_one("#attendance", Static), "$attendance\n$status$admitted", layout=True,
             attendance=board.attendance, status=board.status,
             admitted="".join("\n" + a.words for a in board.admissions))
        variables = self.app.get_css_variables()
        table = Table(expand=True, show_edge=False, box=None, pad_edge=False, padding=(0, 1),
                      header_style="bold")
        item_header = _("ITEM")
        table.add_column(item_header, no_wrap=True, width=max(4, cell_len(item_header)))
        # One line per item, so the whole agenda stays on the screen.
        table.add_column(_("AGENDA"), ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column(_("OUTCOME"), ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column(_("YES·NO·ABST"), no_wrap=True, justify="right")
        for line in board.agenda:
            colour = variables.get(_TONE_VARIABLE[line.tone], "")
            marker = "▶" if line.current else " "
            style = "bold reverse" if line.current else ""
            # An addendum says so in words before its title; a set-aside item's outcome holds its reason.
            title = Text.assemble((_("ADDENDUM · "), f"bold {variables.get('accent', '')}"), line.title,
                                  style=style) if line.added else Text(line.title, style=style)
            table.add_row(Text(f"{marker}{line.item_id}", style=style),
                          title,
                          Text(line.result, style=f"bold {colour}"),
                          Text(line.figures, style=style))
        self.query_one("#agenda", Static).update(table)
