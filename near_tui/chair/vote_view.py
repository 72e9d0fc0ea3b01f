"""The roll-call screen: the figures of one item, large enough to read across a hall.

Titles, names and reasons come from the agenda file and the log: they go on screen
through ``near_tui.ui.display_text`` as ``$values``, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from near_tui.i18n import ENGLISH, current, speaking
from near_tui.ui.display_text import show
from near_tui.views.view_model import VotePanel
from near_tui.views.words import N_, _

from .big_figure import BigFigure
from .follower import Beside
from .line_breaks import by_language, widest_part, widest_word

TONES = ("good", "bad", "warn", "live", "plain")


def set_tone(widget, tone: str) -> None:
    """Colour follows meaning (CSS classes tone-*); the text beside it says the same in words."""
    for name in TONES:
        widget.set_class(name == tone, f"tone-{name}")


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


def beside_itself(say: Callable[[], str]) -> str:
    """What ``say`` gives, as one text that keeps its two languages apart (``Beside``)."""
    parts = in_each_language(say)
    return parts[0] if len(parts) == 1 else Beside(*parts)


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
        self.caption_words = ""
        self.note_words: str | None = None  # the cell's own note (the outcome's is VoteView's)
        self.stacked = False

    def compose(self) -> ComposeResult:
        yield Label(self._caption, classes="caption")
        yield self._figure
        if self._note:
            yield Label(classes="note")

    def show(self, figure: str, caption: Callable[[], str] | None = None, tone: str | None = None,
             note: str | None = None) -> None:
        """``caption``: says the caption (called in each language); the cell's own word if None."""
        self._figure.text = figure
        self.caption_words = beside_itself(caption or (lambda: _(self._caption)))
        if note is not None:
            self.note_words = note
        self.fit_words()
        if tone is not None:
            set_tone(self, tone)

    class Resized(Message):
        """A cell's size changed: the row may lay its words out again (the outcome's reason)."""

    def on_resize(self) -> None:
        self.fit_words()
        self.post_message(self.Resized())

    def fit_words(self) -> None:
        """The caption (and the cell's own note) on one line where it fits, else each language on
        a line of its own: a line never breaks inside a language when it need not. ``stacked``
        (set by the row) puts each language on its own line even where both would fit."""
        caption = self.query_one(".caption", Label)
        if self.caption_words:
            show(caption, "$text", layout=True,
                 text=by_language(self.caption_words, caption.content_size.width, stacked=self.stacked))
        if self.note_words is not None:
            note = self.query_one(".note", Label)
            show(note, "$text", layout=True, text=by_language(self.note_words, note.content_size.width))

    def caption_fits_one_line(self) -> bool:
        width = self.query_one(".caption", Label).content_size.width
        return width <= 0 or cell_len(self.caption_words) <= width

    @property
    def least_width(self) -> int:
        """The columns under which a caption would wrap inside a language or a note inside a word."""
        return max(widest_part(self.caption_words), widest_word(self.note_words or "")) + 1  # + the blank column


def lines_of(widget: Widget, width: int) -> int:
    """How many lines ``widget`` takes in ``width`` columns (0 when hidden), by its own wrapping,
    inside its own padding."""
    inner = width - widget.styles.gutter.width
    if not widget.display or inner <= 0:
        return 0
    return widget.get_content_height(Size(inner, 1000), Size(inner, 1000), inner) + widget.styles.gutter.height


class VoteView(Vertical):
    _reason_room: int | None = None  # the lines the outcome's reason may take (None: not measured yet)
    _why = ""

    def on_resize(self) -> None:
        self._lay_out_words()
        self.call_after_refresh(self.fit_rows)

    def on_figure_cell_resized(self) -> None:
        self.call_after_refresh(self.fit_rows)

    def _lay_out_words(self) -> None:
        """The rule, the tally's captions and the outcome's reason, by language where one line
        does not hold both."""
        words = getattr(self, "_words", None)
        if words is None:
            return
        lead, rule, _reason = words
        rule_box = self.query_one("#item-rule", Static)
        show(rule_box, "$said", layout=True, said=by_language(rule, rule_box.content_size.width, lead))
        # The five captions over the tally are laid out alike: where one does not hold both
        # languages on a line, each puts the language's word under the English one, so that no
        # caption looks wrapped beside the others and the figures under them stand level.
        cells = list(self.query_one("#tally", Horizontal).query(FigureCell))
        stacked = not all(cell.caption_fits_one_line() for cell in cells)
        for cell in cells:
            if cell.stacked != stacked:
                cell.stacked = stacked
                cell.fit_words()
        self._lay_out_reason()

    def _lay_out_reason(self) -> None:
        """The outcome's reason whole where the row has the lines for it; else its short form, the
        reason without the figures the cells above show (``VotePanel.outcome_why``: why it cannot
        change, who was admitted); else as many lines of that as fit, the last ending in "…"."""
        words = getattr(self, "_words", None)
        if words is None:
            return
        reason, why = words[2], self._why
        note = self.query_one("#outcome .note", Label)
        width = note.content_size.width
        said = by_language(reason, width)
        room = self._reason_room
        if room is not None and said.count("\n") + 1 > room:
            said = by_language(why, width)
            if said and said.count("\n") + 1 > room:
                kept = said.split("\n")[:max(room, 1)]
                kept[-1] = set_cell_size(kept[-1], max(width - 1, 0)).rstrip() + "…"  # in cells: 秋田県 takes 6
                said = "\n".join(kept)
        show(note, "$said", layout=True, said=said)

    def fit_rows(self) -> None:
        """Give the rows of words the lines their words need, so that nothing is cut (a second
        language doubles them); the tally's figures give way, down to plain bold if need be."""
        self._lay_out_words()
        decision = self.query_one("#decision", Horizontal)
        # The quorum and yes-needed cells are at least as wide as a caption's language and a
        # note's word ("ШААРДЛАГАТАЙ ДЭМЖЛЭГ", yes needed): no caption wraps inside a language,
        # no note inside a word. The outcome gives way.
        widened = False
        for cell in (self.query_one("#quorum", FigureCell), self.query_one("#needed", FigureCell)):
            least = cell.least_width
            if cell.styles.min_width is None or cell.styles.min_width.value != least:
                cell.styles.min_width = least
                widened = True
        if widened:
            self.call_after_refresh(self.fit_rows)
            return
        # The tally's captions take the same lines, so that its figures stand level.
        tally = self.query_one("#tally", Horizontal)
        captions = [cell.query_one(".caption", Label) for cell in tally.query(FigureCell)]
        lines = max(lines_of(c, c.parent.content_size.width) for c in captions)
        for caption in captions:
            if caption.styles.height is None or caption.styles.height.value != lines:
                caption.styles.height = lines
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
        # The lines the outcome's reason may take: the row's, less its rule, caption and verdict.
        outcome = self.query_one("#outcome", FigureCell)
        verdict = outcome.query_one(BigFigure)
        reason_room = int(max(room, 5) - 1 - lines_of(outcome.query_one(".caption"), outcome.content_size.width)
                       - (max(1, lines_of(verdict, outcome.content_size.width)) if verdict.scale == 0 else 1))
        self._reason_room = reason_room
        self._lay_out_reason()  # again: the outcome's width may have changed since it was laid out
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
        self._why = vote.outcome_why
        self._lay_out_words()
        for cell_id, value in (("yes", vote.yes), ("no", vote.no), ("abstain", vote.abstain),
                               ("not-voting", vote.not_voting), ("uncalled", vote.uncalled)):
            self.query_one(f"#{cell_id}", FigureCell).show(str(value))
        q = vote.quorum
        self.query_one("#quorum", FigureCell).show(
            q.figure, lambda: q.words, q.tone, note=beside_itself(lambda: _("taking part/needed")))
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
