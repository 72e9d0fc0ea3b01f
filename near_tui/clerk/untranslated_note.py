"""The end-of-session dialog's note on the texts a declaration will give in the record's language.

Which texts they are is core's answer (``core.untranslated.missing_in``, the list `near-tui close`
prints one line each); this only words it in two lines of the dialog: how many and which
declarations, then the first texts named and the rest counted. Widths are counted in terminal
cells, so that an item id or a signatory's name in Chinese cannot wrap the dialog past 24 rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from near_tui.core.schema import LANGUAGE_NAMES
from near_tui.core.untranslated import Missing
from near_tui.i18n import english_list

from .widgets.names import shorten

NOTE_CELLS = 76  # inside the dialog's border and padding at 80 columns
INDENT = "  "  # the names sit under the heading as the pending items do


def heading(missing: Sequence[Missing], cells: int = NOTE_CELLS) -> tuple[str, str]:
    """("3 texts untranslated:", "the Chinese declaration will use the English ones"): the count,
    to show in bold, and what follows. The declarations are named by language while the line fits
    in ``cells``, else by code ("the zh and ja declarations"), else counted ("3 declarations"):
    the names line gives each text's code anyway."""
    many = len(missing) != 1
    count = f"{len(missing)} text{'s' if many else ''} untranslated:"
    codes = sorted({m.code for m in missing}, key=list(LANGUAGE_NAMES).index)
    declarations = "declarations" if len(codes) > 1 else "declaration"
    follows = f"{declarations} will use the {LANGUAGE_NAMES[missing[0].record]} {'ones' if many else 'one'}"
    for which in (f"the {english_list([LANGUAGE_NAMES[c] for c in codes])}", f"the {english_list(codes)}"):
        if cell_len(f"{count} {which} {follows}") <= cells:
            return count, f"{which} {follows}"
    return count, f"{len(codes)} {follows}"


def names(missing: Sequence[Missing], cells: int = NOTE_CELLS) -> str:
    """The texts, in the session's order, one holder named once ("item A9: zh title, zh noted
    text; the session: zh venue"), as many whole as fit in ``cells`` with the indent, the rest
    counted ("; … and 2 more")."""
    room = cells - cell_len(INDENT)
    shown, holder = "", None
    for index, text in enumerate(missing):
        if text.who == holder:
            candidate = f"{shown}, {text.code} {text.text}"
        else:
            candidate = f"{shown}{'; ' if shown else ''}{text.who}: {text.code} {text.text}"
        left = len(missing) - index - 1
        tail = f"; … and {left} more" if left else ""
        if cell_len(candidate + tail) <= room:
            shown, holder = candidate, text.who
            continue
        if not shown:  # even the first does not fit whole (a long name): cut it, count the rest
            shown = shorten(candidate, room - cell_len(tail))
            return INDENT + shown + tail
        return INDENT + shown + f"; … and {len(missing) - index} more"
    return INDENT + shown
