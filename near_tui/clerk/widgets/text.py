"""Put markup in a Static only when it changed, and without a layout pass when its size cannot.

``Static.update`` re-parses the markup and, by default, asks for a layout of the
whole screen, which repaints every widget on it. The clerk's panels are redrawn
after every key, mostly with the same text; their heights are fixed by CSS.
"""

from __future__ import annotations

from textual.widgets import Static


def show(widget: Static, markup: str, *, layout: bool = False) -> None:
    """Show ``markup`` in ``widget``; ``layout=True`` only if its size follows its text."""
    if widget.content != markup:
        widget.update(markup, layout=layout)
