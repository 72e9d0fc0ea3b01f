"""A figure (or a few words) drawn as large as the widget's space allows."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from . import big_font


class BigFigure(Widget):
    """Draws ``text`` with the block font at the largest scale that fits.

    Figures that stand side by side share a ``group``: they all draw at the
    scale the tightest of them allows, sized for ``sizing`` (e.g. "88", two
    digits), so 7 and 45 in one row look the same size. When even the
    smallest scale would be clipped, the plain text is shown in bold instead,
    so a figure is never cut off whatever the terminal size.
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
                 fallback: bool = True, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.fallback = fallback  # False: show nothing rather than plain text (when it repeats a line above)
        self.set_reactive(BigFigure.text, text)
        self.group = group
        self.sizing = sizing

    def _own_scale(self) -> int:
        width, height = self.content_size
        wanted = self.sizing if len(self.sizing) >= len(self.text) else self.text
        return big_font.best_scale(wanted, width, height)

    @property
    def scale(self) -> int:
        """The scale it draws at now (0: plain text)."""
        if not big_font.can_draw(self.text):
            return 0
        scale = self._own_scale()
        if self.group is not None and self.is_attached:
            for other in self.screen.query(BigFigure):
                if other.group == self.group and other is not self and other.display:
                    scale = min(scale, other._own_scale())
        if scale == 0 and big_font.best_scale(self.text, *self.content_size):
            scale = 1  # the sizing text is wider than this one needs
        return scale

    def render(self) -> Text:
        scale = self.scale
        if scale == 0:
            return Text(self.text if self.fallback else "", justify="center")
        return Text("\n".join(big_font.render(self.text, scale)), no_wrap=True, overflow="crop")
