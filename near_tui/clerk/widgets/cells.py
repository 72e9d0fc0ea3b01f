"""DataTable cells are Rich text: this resolves theme variables ($success...) for them."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import App

_VARIABLE = re.compile(r"\$([a-z][a-z0-9-]*)")


class Painter:
    """Turns Textual-style markup with theme variables into Rich ``Text`` for table cells."""

    def __init__(self, app: App) -> None:
        self.colours = app.get_css_variables()

    @classmethod
    def of(cls, app: App) -> "Painter":
        """The app's painter for its current theme (the CSS variables are built once per theme)."""
        cached = getattr(app, "_clerk_painter", None)
        if cached is None or cached[0] != app.theme:
            cached = (app.theme, cls(app))
            app._clerk_painter = cached
        return cached[1]

    def __call__(self, markup: str) -> Text:
        return Text.from_markup(_VARIABLE.sub(lambda m: self.colours.get(m.group(1), "default"), markup))
