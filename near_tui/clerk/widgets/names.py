"""A member's name as the clerk's lists show it: ``name`` with ``native_name`` beside it.

Layout (docs/clerk.md, "Names in every script"): one Member column, the English name
first (the clerk calls and filters by it), two spaces, then the name in the member's
own script. Below ``WIDE`` columns the cell is held to ``NARROW_CELLS`` terminal cells so
the answer and note columns stay in view at 80 columns: the native name is cut with "…"
(it is shown whole on the NOW CALLING panel), the English name never. Widths are counted
in cells (Rich's ``cell_len``): a Chinese, Japanese or Korean character takes two.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from ...schema import Member

GAP = "  "  # between the name and the native name
WIDE = 110  # the roll call's wide layout starts here (RollCallScreen.HORIZONTAL_BREAKPOINTS)
NARROW_CELLS = 36  # the Member column below WIDE: the longest English name of the 2018 roster


def name_cell(member: Member, cells: int | None = None, note: str = "") -> Text:
    """A plain Text cell (names are data, never markup): name (and ``note``), then native name,
    at most ``cells`` wide."""
    name = member.name + note
    text = Text(name)
    native = member.native_name
    if not native:
        return text
    if cells is not None and cell_len(name) + len(GAP) + 2 > cells:
        return text  # no room for even one character of it: the name alone, whole
    room = None if cells is None else cells - cell_len(name) - len(GAP)
    text.append(GAP + (native if room is None else shorten(native, room)))
    return text


def shorten(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` terminal cells, cut with "…" between whole characters."""
    if cell_len(text) <= cells:
        return text
    kept, used = [], 1  # the ellipsis takes one cell
    for character in text:
        used += cell_len(character)
        if used > cells:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"


def budget(width: int) -> int | None:
    """The Member column's width for a terminal ``width`` columns wide (None: as wide as it needs)."""
    return None if width >= WIDE else NARROW_CELLS


def full_name(member: Member) -> str:
    """How a member is named in running text (toasts, dialogs, panels): name and native name."""
    return member.full_name
