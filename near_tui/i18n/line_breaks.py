"""Where a line of text in any of the Charter's languages may break.

Latin, Cyrillic and Hangul text breaks at spaces only: a word, a hyphenated name (Jeollanam-do,
Darkhan-Uul) or a number is never cut. Chinese and Japanese, written without spaces, may also break
beside any wide character (a Han character, kana, a full-width mark), as their typesetting does, so
a Latin name inside a Chinese sentence keeps its words whole while the Chinese around it fills the
line. In a document in any other language, a Chinese or Japanese name (a member's native name) is
printed whole. Over both, the rule of CJK typesetting (kinsoku): a line never starts with a closing
mark ("，", "。", "）"…) nor ends with an opening one ("（", "「"…); the same holds for the Latin
ones (")" and "," never start a line, "(" never ends one).

This is the part of the Unicode line-breaking algorithm (UAX #14) that the Charter's six languages
need, written out: the uniseg library implements all of it but took 0.2 ms a character, a second
and a half for one English declaration, on a machine where the close runs in front of the assembly.

Both the chair (cells of a terminal) and the declaration's PDF (millimetres of a page) fit lines
with these rules; each measures width in its own unit.
"""

from __future__ import annotations

import unicodedata

# Marks that close a phrase (may not start a line) and that open one (may not end a line).
CLOSING = frozenset("，。、；：！？）」』】〕》〉”’．・ー々…‥" ")]},.;:!?%")
OPENING = frozenset("（「『【〔《〈“‘" "([{")
# The languages written without spaces between words: a line may break between two characters.
UNSPACED = frozenset({"zh", "ja"})


def may_break(before: str, after: str) -> bool:
    """Whether a line may end with ``before`` and the next start with ``after`` by kinsoku alone
    (``break_units`` adds where a break may fall at all)."""
    return not (after[:1] in CLOSING or before[-1:] in OPENING)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def break_units(text: str, language: str) -> list[str]:
    """``text``, in a document in ``language``, cut at every place a line may break; each piece
    keeps the spaces that follow it, and ``"".join`` gives ``text`` back."""
    unspaced = language in UNSPACED
    units: list[str] = []
    start = 0
    for index in range(1, len(text)):
        before, after = text[index - 1], text[index]
        if after == " ":
            continue  # spaces stay with what they follow
        if before == " " or (unspaced and (_wide(before) or _wide(after))):
            if may_break(text[start:index].rstrip(" "), after):
                units.append(text[start:index])
                start = index
    if text:
        units.append(text[start:])
    return units
