"""DataTable cells come from the one markup boundary (``near_tui.ui.display_text``)."""

from near_tui.ui.display_text import Painter, cell

__all__ = ["Painter", "cell"]
