"""The roll-call screen: the figures of one item, large enough to read across a hall.

Titles, names and reasons come from the agenda file and the log: they go on screen
through ``near_tui.ui.display_text`` as ``$values``, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Label, Static

from near_tui.i18n import ENGLISH, current, speaking
from near_tui.ui.display_text import show
from near_tui.views.view_model import VotePanel
from near_tui.views.words import N_, _

from .big_figure import BigFigure
from .line_breaks import wrap

TONES = ("good", "bad", "warn", "live", "plain")


def set_tone(widget, tone: str) -> None:
    """Colour follows meaning (CSS classes tone-*); the text beside it says the same in words."""
    for name in TONES:
        widget.set_class(name == tone, f"tone-{name}")


def by_language(text: str, width: int, lead: str = "") -> str:
    """``lead`` and ``text`` on one line where they fit ``width``; else, for a text in two
    languages, each language on a line of its own, so that no line breaks inside the second."""
    whole = f"{lead}{text}"
    parts = getattr(text, "parts", None)
    if width <= 0 or cell_len(whole) <= width:
        return whole
    # Broken here rather than by the widget, so that no line starts with a closing mark (kinsoku).
    pieces = (whole,) if parts is None else (f"{lead}{parts[0]}", parts[1])
    return "\n".join(line for piece in pieces for line in wrap(piece, width))


def in_each_language(say: Callable[[], str]) -> tuple[str, ...]:
    """What ``say`` gives in English and in the chair's second language (one part when the same)."""
    both = current()
    if both.also is None:
        return (say(),)
    with speaking(ENGLISH):
        first = say()
    with speaking(both.also):
        second = say()
    return (first,) if first == second else (first, second)


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

    def show(self, figure: str, caption: Callable[[], str] | None = None, tone: str | None = None,
             note: str | None = None) -> None:
        """``caption``: says the caption (called in each language); the cell's own word if None."""
        self._figure.text = figure
        self._caption_parts = in_each_language(caption or (lambda: _(self._caption)))
        self._fit_caption()
        if note is not None:
            show(self.query_one(".note", Label), "$text", layout=True, text=note)
        if tone is not None:
            set_tone(self, tone)

    def on_resize(self) -> None:
        self._fit_caption()

    def _fit_caption(self) -> None:
        """The caption on one line where it fits, else each language on a line of its own: a
        line never breaks inside the second language's words when it need not."""
        parts = getattr(self, "_caption_parts", None)
        if parts is None:
            return
        one = " ".join(parts)
        width = self.content_size.width
        text = one if width <= 0 or cell_len(one) <= width else "\n".join(parts)
        show(self.query_one(".caption", Label), "$text", layout=True, text=text)


def lines_of(widget: Widget, width: int) -> int:
    """How many lines ``widget`` takes in ``width`` columns (0 when hidden), by its own wrapping,
    inside its own padding."""
    inner = width - widget.styles.gutter.width
    if not widget.display or inner <= 0:
        return 0
    return widget.get_content_height(Size(inner, 1000), Size(inner, 1000), inner) + widget.styles.gutter.height


class VoteView(Vertical):
    def on_resize(self) -> None:
        self._lay_out_words()
        self.call_after_refresh(self.fit_rows)

    def _lay_out_words(self) -> None:
        """The rule and the outcome's reason, by language where one line does not hold both."""
        words = getattr(self, "_words", None)
        if words is None:
            return
        lead, rule, reason = words
        rule_box = self.query_one("#item-rule", Static)
        show(rule_box, "$said", layout=True, said=by_language(rule, rule_box.content_size.width, lead))
        note = self.query_one("#outcome .note", Label)
        show(note, "$said", layout=True, said=by_language(reason, note.content_size.width))

    def fit_rows(self) -> None:
        """Give the rows of words the lines their words need, so that nothing is cut (a second
        language doubles them); the tally's figures give way, down to plain bold if need be."""
        # The tally's captions take the same lines, so that its figures stand level.
        tally = self.query_one("#tally", Horizontal)
        captions = [cell.query_one(".caption", Label) for cell in tally.query(FigureCell)]
        lines = max(lines_of(c, c.parent.content_size.width) for c in captions)
        for caption in captions:
            if caption.styles.height is None or caption.styles.height.value != lines:
                caption.styles.height = lines
        decision = self.query_one("#decision", Horizontal)
        needed = 0
        for cell in decision.query(FigureCell):
            width = cell.content_size.width
            figure = cell.query_one(BigFigure)
            # The figure takes one line at least; plain words (scale 0) take what they wrap to.
            shown = lines_of(figure, width) if figure.scale == 0 else 1
            if figure.scale == 0 and (figure.styles.min_height is None or figure.styles.min_height.value != shown):
                # The figure's own lines before its note's: where the row is short of lines, a
                # long verdict ("✔ ТОДОРХОЙ БОЛСОН: БАТЛАГДСАН") keeps its last word and the
                # reason under it gives way.
                figure.styles.min_height = shown
            words = sum(lines_of(part, width) for part in cell.query(".caption, .note"))
            needed = max(needed, words + max(1, shown))
        calling_row = self.query_one("#calling-row", Vertical)
        width = calling_row.content_size.width
        name = self.query_one("#calling-name", BigFigure)
        calling = (lines_of(self.query_one("#calling", Static), width)
                   + ((max(1, lines_of(name, width)) if name.scale == 0 else 1) if name.text else 0)
                   + lines_of(self.query_one("#calling-native", Static), width))
        # Never more than the screen has once the words above and the tally's least are drawn: a
        # row pushed below the screen would hide everything under it.
        above = sum(self.query_one(f"#{name}").outer_size.height for name in ("item-position", "item-title", "item-rule"))
        room = self.content_size.height - above - self.query_one("#tally").styles.min_height.value - (calling + 1)
        for widget, rows in ((decision, min(needed + 1, max(room, 5))), (calling_row, calling + 1)):  # + the rule above
            if widget.styles.min_height is None or widget.styles.min_height.value != rows:
                widget.styles.min_height = rows

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
        self._words = (f"{_('RULE:')} ", vote.rule, vote.outcome_note)
        self._lay_out_words()
        for cell_id, value in (("yes", vote.yes), ("no", vote.no), ("abstain", vote.abstain),
                               ("not-voting", vote.not_voting), ("uncalled", vote.uncalled)):
            self.query_one(f"#{cell_id}", FigureCell).show(str(value))
        q = vote.quorum
        self.query_one("#quorum", FigureCell).show(
            q.figure, lambda: q.words, q.tone, note=_("taking part/needed"))
        self.query_one("#needed", FigureCell).show(
            str(vote.required_yes), note=vote.needed_of)
        self.query_one("#outcome", FigureCell).show(vote.outcome, tone=vote.outcome_tone)
        self._lay_out_words()
        calling = self.query_one("#calling", Static)
        # The member called is named once, under the bar: large where the block font has room, in
        # plain bold where it has none (80x24) or lacks a letter, the name in its own script under
        # it. The bar only says that a call is on, so the hall reads one name, never two.
        said = vote.calling if vote.calling_member is None else _("▶ NOW CALLING")
        show(calling, "$calling", layout=True, calling=said)
        calling.set_class(vote.open, "live")
        self.query_one("#calling-name", BigFigure).text = vote.calling_name
        native = self.query_one("#calling-native", Static)
        native.display = bool(vote.calling_native)
        show(native, "$native", layout=True, native=vote.calling_native)
        self.call_after_refresh(self.fit_rows)
