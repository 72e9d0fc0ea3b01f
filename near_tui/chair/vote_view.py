"""The roll-call screen: the figures of one item, large enough to read across a hall.

Titles, names and reasons come from the agenda file and the log: they go on screen
through ``near_tui.ui.display_text`` as ``$values``, never parsed as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from near_tui.ui.display_text import show
from near_tui.views.view_model import VotePanel
from near_tui.views.words import N_, _

from .big_figure import BigFigure

TONES = ("good", "bad", "warn", "live", "plain")


def set_tone(widget, tone: str) -> None:
    """Colour follows meaning (CSS classes tone-*); the text beside it says the same in words."""
    for name in TONES:
        widget.set_class(name == tone, f"tone-{name}")


class FigureCell(Vertical):
    """A caption over a big figure, with an optional note under it.

    ``caption`` is the English word, translated each time the cell is shown (the chair may
    switch language while it runs)."""

    def __init__(self, caption: str, *, id: str, group: str | None = None, sizing: str = "",
                 note: bool = False) -> None:
        super().__init__(id=id, classes="cell")
        self._caption = caption
        self._figure = BigFigure(group=group, sizing=sizing, classes="figure")
        self._note = note

    def compose(self) -> ComposeResult:
        yield Label(self._caption, classes="caption")
        yield self._figure
        if self._note:
            yield Label(classes="note")

    def show(self, figure: str, caption: str | None = None, tone: str | None = None,
             note: str | None = None) -> None:
        self._figure.text = figure
        show(self.query_one(".caption", Label), "$text", layout=True,
             text=caption if caption is not None else _(self._caption))
        if note is not None:
            show(self.query_one(".note", Label), "$text", layout=True, text=note)
        if tone is not None:
            set_tone(self, tone)


class VoteView(Vertical):
    def compose(self) -> ComposeResult:
        yield Label(id="item-position")
        yield Static(id="item-title")
        yield Static(id="item-rule")
        with Horizontal(id="tally"):
            for caption, cell_id in ((N_("YES"), "yes"), (N_("NO"), "no"), (N_("ABSTAIN"), "abstain"),
                                     (N_("NOT VOTING"), "not-voting"), (N_("UNCALLED"), "uncalled")):
                yield FigureCell(caption, id=cell_id, group="tally", sizing="88")
        with Horizontal(id="decision"):
            yield FigureCell(N_("QUORUM"), id="quorum", note=True)
            yield FigureCell(N_("YES NEEDED"), id="needed", note=True, group="tally", sizing="88")
            yield FigureCell(N_("OUTCOME"), id="outcome", note=True)
        with Vertical(id="calling-row"):
            yield Static(id="calling")
            # A name the block font cannot draw (most names in Chinese, Japanese, Korean,
            # Mongolian or Russian) is shown in plain bold instead: never blank.
            yield BigFigure(id="calling-name", classes="figure")
            # The name in the member's own script, plain bold under the large one (no block glyphs for it).
            yield Static(id="calling-native")

    def show(self, vote: VotePanel) -> None:
        show(self.query_one("#item-position", Label), "$position · $state", layout=True,
             position=vote.position, state=vote.state_words)
        show(self.query_one("#item-title", Static), "$title", layout=True, title=vote.title)
        show(self.query_one("#item-rule", Static), "$said", layout=True, said=f"{_('RULE:')} {vote.rule}")
        for cell_id, value in (("yes", vote.yes), ("no", vote.no), ("abstain", vote.abstain),
                               ("not-voting", vote.not_voting), ("uncalled", vote.uncalled)):
            self.query_one(f"#{cell_id}", FigureCell).show(str(value))
        q = vote.quorum
        self.query_one("#quorum", FigureCell).show(
            q.figure, q.words, q.tone, note=_("taking part/needed"))
        self.query_one("#needed", FigureCell).show(
            str(vote.required_yes), note=vote.needed_of)
        self.query_one("#outcome", FigureCell).show(vote.outcome, tone=vote.outcome_tone, note=vote.outcome_note)
        calling = self.query_one("#calling", Static)
        show(calling, "$calling", layout=True, calling=vote.calling)
        calling.set_class(vote.open, "live")
        # The name again, large, where the screen has room for it.
        self.query_one("#calling-name", BigFigure).text = vote.calling_name
        native = self.query_one("#calling-native", Static)
        native.display = bool(vote.calling_native)
        show(native, "$native", layout=True, native=vote.calling_native)
