"""The clerk's widgets put text on screen through the one markup boundary (``near_tui.ui.display_text``)."""

from near_tui.ui.display_text import content, show

__all__ = ["content", "show"]
