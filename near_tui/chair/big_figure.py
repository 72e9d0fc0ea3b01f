"""A figure (or a few words) drawn as large as the widget's space allows."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from . import big_font
from .line_breaks import by_language


class BigFigure(Widget):
    """Draws ``text`` with the block font at the largest scale that fits.

    Figures that stand side by side share a ``group``: they all draw at the
    scale the tightest of them allows, sized for ``sizing`` (e.g. "88", two
    digits), so 7 and 45 in one row look the same size. Each keeps blank columns on
    both sides (``big_font.side_margin``): two figures in cells side by side are
    always at least ``big_font.figure_gap`` apart, never run together. Words may be broken
    onto two or three lines when that draws them larger. When even the smallest
    scale would be clipped, or the font lacks a character, the plain text is
    shown in bold instead: never cut off, never blank.
    """

    DEFAULT_CSS = """
    BigFigure {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-style: bold;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, text: str = "", *, group: str | None = None, sizing: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(BigFigure.text, text)
        self.group = group
        self.sizing = sizing

    def _own_layout(self) -> tuple[int, str]:
        width, height = self.content_size
        if len(self.sizing) >= len(self.text):
            return big_font.best_scale(self.sizing, width, height, apart=True), self.text
        return big_font.best_layout(self.text, width, height, apart=True)

    def _own_scale(self) -> int:
        return self._own_layout()[0]

    @property
    def scale(self) -> int:
        """The scale it draws at now (0: plain text)."""
        return self.arrangement[0]

    @property
    def arrangement(self) -> tuple[int, str]:
        """(scale, the text broken into the lines it is drawn on); scale 0: plain text."""
        if not big_font.can_draw(self.text):
            return 0, self.text
        scale, arranged = self._own_layout()
        if self.group is not None and self.is_attached:
            for other in self.screen.query(BigFigure):
                if other.group == self.group and other is not self and other.display:
                    scale = min(scale, other._own_scale())
        if scale == 0 and big_font.best_scale(self.text, *self.content_size, apart=True):
            scale = 1  # the sizing text is wider than this one needs
        return scale, arranged

    def render(self) -> Text:
        scale, arranged = self.arrangement
        if scale == 0:  # too long for the space, or a character the font lacks (a name in Hangul...)
            # Words in two languages: each on a line of its own where one line holds not both.
            return Text(by_language(self.text, self.content_size.width), justify="center")
        return Text("\n".join(big_font.render(arranged, scale)), no_wrap=True, overflow="crop")
