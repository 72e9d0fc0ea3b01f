"""The one boundary where text from files or the log meets Textual and Rich markup.

Names, titles, descriptions and reasons are data. Every markup template is a
literal in the code, and every value from outside is passed as a variable
(``$name``) that is substituted as plain text, so "Hubei [/] Province" or
"[North-East China]" is shown as written and never parsed:

- ``content(template, **values)`` — a Textual ``Content`` for a widget;
- ``show(widget, template, **values)`` — update a ``Static`` with it (only when changed);
- ``Painter(app)(template, **values)`` — a Rich ``Text`` for a DataTable cell (DataTable
  would parse a plain ``str`` cell as markup, so cells are never plain strings of data);
- ``cell(text)`` — a data cell with no markup at all.

Notifications are plain text: the clerk's app turns markup off for every toast.
Control characters and bidi overrides never get this far: the agenda loader
refuses them (docs/decisions.md, "Text from files").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.widgets import Static

_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_-]*)")


def content(template: str, **values: Any) -> Content:
    """``template`` parsed as markup, each ``$value`` substituted as plain text."""
    return Content.from_markup(template, **{k: str(v) for k, v in values.items()})


def show(widget: Static, template: str, *, layout: bool = False, **values: Any) -> None:
    """Show ``template`` with ``values`` in ``widget``, skipping the update when nothing changed.

    ``Static.update`` re-parses and, by default, lays out the whole screen; the clerk's panels
    are redrawn after every key, mostly with the same text, and their heights are fixed by CSS,
    so ``layout=True`` is only for a widget whose size follows its text.
    """
    key = (template, tuple(sorted((k, str(v)) for k, v in values.items())))
    if getattr(widget, "_shown_key", None) == key:
        return
    widget._shown_key = key
    widget.update(content(template, **values), layout=layout)


def cell(text: Any) -> Text:
    """A DataTable cell showing ``text`` exactly as written."""
    return Text(str(text))


class Painter:
    """Rich ``Text`` for DataTable cells from a markup template with theme colours ($success...)."""

    def __init__(self, app: App) -> None:
        self.colours = app.get_css_variables()

    @classmethod
    def of(cls, app: App) -> Painter:
        """The app's painter for its current theme (the CSS variables are built once per theme)."""
        cached = getattr(app, "_display_painter", None)
        if cached is None or cached[0] != app.theme:
            cached = (app.theme, cls(app))
            app._display_painter = cached
        return cached[1]

    def __call__(self, template: str, **values: Any) -> Text:
        def substitute(match: re.Match) -> str:
            name = match.group(1)
            if name in values:
                return escape(str(values[name]))
            return self.colours.get(name, "default")
        return _parsed(_VARIABLE.sub(substitute, template)).copy()


@lru_cache(maxsize=1024)
def _parsed(markup: str) -> Text:
    """``markup`` parsed once: a roll call paints the same few answer and note cells for every
    member (a copy goes out, so a caller that changes its Text changes only its own)."""
    # No emoji codes: ":flag_jp:" in a name is text, which ``escape`` leaves alone (and Rich's
    # table of codes is a megabyte the first frame does without).
    return Text.from_markup(markup, emoji=False)
