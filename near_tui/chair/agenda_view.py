"""Between items: the agenda with the outcomes so far, and the session's attendance.

Titles and names are data: the table's cells are Rich ``Text`` (never parsed as
markup) and the labels go through ``near_tui.ui.display_text``.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from near_tui.i18n import speaking
from near_tui.ui.display_text import show
from near_tui.views.verdict import SET_ASIDE_WORDS
from near_tui.views.view_model import AgendaLine, Board
from near_tui.views.words import N_, _

from .line_breaks import KinsokuText
from .vote_view import FigureCell, in_each_language

# Rich styles per tone for the table rows; they read the theme through the app's CSS variables.
_TONE_VARIABLE = {"good": "success", "bad": "error", "warn": "warning", "live": "primary", "plain": "foreground"}


class LabelledTitle:
    """A title after its kind's label ("ADDENDUM · 增补议题 · title") in the agenda's title cell.

    The title is data and is never crowded out by the label: on one line where the label leaves
    it at least half the cell (or all it needs), else the label on a line of its own above it;
    each ends in "…" where the cell is too narrow."""

    def __init__(self, label: Text, title: Text) -> None:
        self.label = label
        self.title = title

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        # As wide as the title alone would ask: the label never widens the column.
        return Measurement.get(console, options, self.title)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        room = width - cell_len(self.label.plain) - 3  # the label, " · " and the space after
        if room >= min(self.title.cell_len, width // 2):
            lines = [Text.assemble(self.label, (" · ", self.label.style), self.title)]
        else:
            # The label over the title; one language a line where both do not fit in one.
            label = [self.label] if self.label.cell_len + 2 <= width else self.label.split(" · ")
            lines = [*(Text.assemble(part, (" ·", self.label.style)) for part in label), self.title.copy()]
        for line in lines:
            line.truncate(width, overflow="ellipsis")
            yield line


class AgendaView(Vertical):
    def compose(self) -> ComposeResult:
        with Horizontal(id="attendance-row"):
            yield FigureCell(N_("QUORUM"), id="session-quorum", note=True)
            with Vertical(id="attendance-words"):
                yield Label(id="attendance-caption", classes="caption")
                yield Static(id="attendance")
        with VerticalScroll(id="agenda-scroll"):
            yield Static(id="agenda")

    @staticmethod
    def _result(line: AgendaLine) -> str:
        # The members elected, or why an item was set aside, once, after the verdict's word in each
        # language: side by side, the whole sentence would say them twice.
        symbol = line.result.split(" ", 1)[0]
        if line.elected:
            said = " ".join(in_each_language(lambda: _("ELECTED")))
            return f"{symbol} {said}: {', '.join(name.full for name in line.elected)}"
        if line.set_aside_reason:
            words = SET_ASIDE_WORDS[line.status][0]
            said = " ".join(in_each_language(lambda: _(words)))
            return f"{symbol} {said}: {line.set_aside_reason}"
        return line.result

    def on_resize(self) -> None:
        board = getattr(self, "_board", None)
        if board is not None:
            with speaking(self.app.follower.words):  # the outcome column's width follows the screen's
                self.show(board)

    def show(self, board: Board) -> None:
        self._board = board
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
        # Headers in two languages stack, one language a line, to leave the width to the outcomes.
        item_header = "\n".join(in_each_language(lambda: _("ITEM")))
        table.add_column(item_header, no_wrap=True, width=max(4, *map(cell_len, item_header.split("\n"))))
        # One line per item where the width allows, so that the whole agenda stays on the screen:
        # a title too long ends in "…"; an outcome is never cut (the members an election elected
        # wrap onto the next lines), and takes at most half the width.
        table.add_column("\n".join(in_each_language(lambda: _("AGENDA"))), ratio=1, no_wrap=True,
                         overflow="ellipsis")
        results = [self._result(line) for line in board.agenda]
        widest = max(map(cell_len, results), default=12)
        room = max(16, (self.content_size.width or 80) // 2)
        # An outcome too wide for its column breaks as the vote view's words do (kinsoku).
        table.add_column("\n".join(in_each_language(lambda: _("OUTCOME"))), width=min(widest, room))
        table.add_column("\n".join(in_each_language(lambda: _("YES·NO·ABST"))), no_wrap=True, justify="right")
        for line, result in zip(board.agenda, results, strict=True):
            colour = variables.get(_TONE_VARIABLE[line.tone], "")
            marker = "▶" if line.current else " "
            style = "bold reverse" if line.current else ""
            # An addendum says so in words before its title; a set-aside item's outcome holds its reason.
            title = Text(line.title, style=style)
            if line.added:
                label = " · ".join(part.strip(" ·") for part in in_each_language(lambda: _("ADDENDUM · ")))
                title = LabelledTitle(Text(label, style=f"bold {variables.get('accent', '')} {style}"), title)
            table.add_row(Text(f"{marker}{line.item_id}", style=style),
                          title,
                          KinsokuText(result, style=f"bold {colour}"),
                          Text(line.figures, style=style))
        self.query_one("#agenda", Static).update(table)
