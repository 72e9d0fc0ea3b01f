"""A member's name as the clerk's lists show it: ``name`` with ``native_name`` beside it.

Layout (docs/clerk.md, "Names in every script"): one Member column, the English name
first (the clerk calls and filters by it), two spaces, then the name in the member's
own script. The cell is held to what the row leaves it (``budget``) so the answer and note
columns stay in view at any width: the native name is cut with "…" (it is shown whole on the
NOW CALLING panel), the English name never. Widths are counted
in cells (Rich's ``cell_len``): a Chinese, Japanese or Korean character takes two.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from near_tui.core.schema import Member

GAP = "  "  # between the name and the native name
WIDE = 110  # the roll call's wide layout starts here (RollCallScreen.HORIZONTAL_BREAKPOINTS)
SIDE = 45  # the roll call's side panel from WIDE on (roll_call.tcss #side: 44 and its border)
# The rest of a row: number, country, answer ("NOT VOTING"), a usual note ("corrected") and the
# cells' padding and scroll bar. 80 columns leave 36 cells: the longest English name of 2018.
ROW_REST = 44
FLOOR = 20  # below this the native name is left out rather than cut to a character or two


def name_cell(member: Member, cells: int | None = None, note: str = "") -> Text:
    """A plain Text cell (names are data, never markup): name (and ``note``), then native name,
    at most ``cells`` wide."""
    name = member.name + note
    text = Text(name)
    native = member.native_name
    if not native:
        return text
    shown = native if cells is None else shorten(native, cells - cell_len(name) - len(GAP))
    if shown.rstrip("…"):
        text.append(GAP + shown)
    # else no room for even one character of it (a CJK one takes two cells): the name alone, whole
    return text


def shorten(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` terminal cells, cut with "…" between whole characters
    ("…" alone, or "", when not one character fits)."""
    if cell_len(text) <= cells:
        return text
    if cells < 1:
        return ""
    kept, used = [], 1  # the ellipsis takes one cell
    for character in text:
        used += cell_len(character)
        if used > cells:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"


def budget(width: int, beside: int = 0) -> int:
    """The Member column's width in a list ``width`` columns wide with ``beside`` columns of
    panel next to it: what the row's other columns leave."""
    return max(width - beside - ROW_REST, FLOOR)


def roll_call_budget(width: int) -> int:
    """``budget`` for the roll call, whose side panel takes ``SIDE`` columns from ``WIDE`` on."""
    return budget(width, SIDE if width >= WIDE else 0)


def full_name(member: Member) -> str:
    """How a member is named in running text (toasts, dialogs, panels): name and native name."""
    return member.full_name
