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

    def __call__(self, markup: str) -> Text:
        return Text.from_markup(_VARIABLE.sub(lambda m: self.colours.get(m.group(1), "default"), markup))
