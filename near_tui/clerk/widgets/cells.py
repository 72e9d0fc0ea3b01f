"""DataTable cells come from the one markup boundary (``near_tui.display_text``)."""

from ...display_text import Painter, cell

__all__ = ["Painter", "cell"]
