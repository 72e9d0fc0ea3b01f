"""Fonts for the printed declaration: every character of every name, or an error that says which.

The declaration names members in Latin, Cyrillic, Chinese, Japanese and Korean
script. The PDF embeds (subsets of) installed TrueType fonts: DejaVu Sans for
Latin with diacritics, Cyrillic and Greek, and WenQuanYi Micro Hei for Chinese,
Japanese and Korean (Debian: fonts-dejavu-core, fonts-wqy-microhei). Noto Sans
(fonts-noto-core: Latin, Cyrillic, traditional Mongolian script) and Noto Sans CJK
(fonts-noto-cjk, last) print what those lack, when installed. ``NEAR_TUI_FONT_PATH`` (paths separated by
``:``) adds fonts for a machine without those packages.

A character that no available font has is never dropped or replaced: closing
fails before anything is recorded, naming the character, where it is, and the
fix. TrueType outlines are preferred to CFF ones (Noto Sans CJK): text set in a
CFF font does not copy out of the PDF as written with common readers.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from near_tui.core.errors import NearError

FONT_PATH_VARIABLE = "NEAR_TUI_FONT_PATH"


@dataclass(frozen=True)
class Candidate:
    family: str
    regular: tuple[str, ...]  # file paths tried in order
    bold: tuple[str, ...] = ()
    collection_index: int = 0


# In order of preference: the first that has a character prints it.
CANDIDATES = (
    Candidate("dejavu", ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"),
              ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf")),
    Candidate("notosans", ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",),
              ("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",)),
    Candidate("wqy", ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)),
    Candidate("notomongolian", ("/usr/share/fonts/truetype/noto/NotoSansMongolian-Regular.ttf",)),
    # Last resort for the CJK characters WenQuanYi lacks (rarer ideographs, e.g. U+20B9F 𠮟):
    # printed right, but its CFF outlines copy out of the PDF less reliably (see above).
    Candidate("notocjk", ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
              ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",)),
)

INSTALL_HINT = ("install the fonts the declaration uses (Debian/Ubuntu: apt-get install fonts-dejavu-core "
                "fonts-wqy-microhei), or set NEAR_TUI_FONT_PATH to a TrueType font that has it")


class MissingGlyph(NearError):
    """A character of the declaration that no installed font can print."""


@dataclass
class Font:
    family: str
    regular: str
    bold: str | None
    collection_index: int
    _cmap: set[int] | None = field(default=None, repr=False)

    def covers(self, char: str) -> bool:
        if self._cmap is None:
            self._cmap = _codepoints(self.regular, self.collection_index)
        return ord(char) in self._cmap


def _codepoints(path: str, index: int) -> set[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        font = TTCollection(path, lazy=True).fonts[index]
    else:
        font = TTFont(path, lazy=True)
    return set(font.getBestCmap() or {})


def _first_file(paths: tuple[str, ...]) -> str | None:
    return next((p for p in paths if Path(p).is_file()), None)


def available_fonts() -> list[Font]:
    """The fonts found on this machine, in order of preference (NEAR_TUI_FONT_PATH first)."""
    fonts = []
    extra = [p for p in os.environ.get(FONT_PATH_VARIABLE, "").split(":") if p]
    for n, path in enumerate(extra):
        if Path(path).is_file():
            fonts.append(Font(f"extra{n}", path, None, 0))
    for candidate in CANDIDATES:
        regular = _first_file(candidate.regular)
        if regular is not None:
            fonts.append(Font(candidate.family, regular, _first_file(candidate.bold), candidate.collection_index))
    return fonts


def _printable(char: str) -> bool:
    # Spaces and line breaks are laid out, not drawn; the PDF never needs a glyph for them.
    return not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf"))


def fonts_for(texts: list[str], fonts: list[Font] | None = None) -> list[Font]:
    """The fonts needed to print ``texts``, body font first, or ``MissingGlyph``.

    With no font installed at all, text that is Latin-1 throughout prints in the PDF's own
    Helvetica (an empty list is returned); anything else needs a font that has it.
    """
    fonts = available_fonts() if fonts is None else fonts
    needed: list[Font] = []
    for text in texts:
        for char in text:
            if not _printable(char) or (not fonts and ord(char) <= 0xFF):
                continue
            font = next((f for f in needed if f.covers(char)), None) \
                or next((f for f in fonts if f.covers(char)), None)
            if font is None:
                name = unicodedata.name(char, "unnamed character")
                raise MissingGlyph(
                    f"declaration.pdf: no font here can print {char!r} (U+{ord(char):04X} {name}) in "
                    f"{text[:60]!r} — {INSTALL_HINT}; the session was not closed")
            if font not in needed:
                needed.append(font)
    if fonts and not needed:
        needed.append(fonts[0])
    return sorted(needed, key=fonts.index)


# Han characters are drawn differently in Japanese, Korean and Chinese: a declaration in Japanese
# or Korean takes Noto Sans CJK's face for its language (the collection's JP and KR faces) before
# WenQuanYi, whose forms are Chinese. The other declarations keep the default order.
_CJK_FACE = {"ja": 0, "ko": 1}


def fonts_for_language(language: str) -> list[Font]:
    """The installed fonts in the order a declaration in ``language`` prefers them."""
    fonts = available_fonts()
    face = _CJK_FACE.get(language)
    cjk = next((f for f in fonts if f.family == "notocjk"), None)
    if face is None or cjk is None:
        return fonts
    own = Font(f"notocjk{language}", cjk.regular, cjk.bold, face)
    at = next((i for i, f in enumerate(fonts) if f.family == "wqy"), len(fonts))
    return [*fonts[:at], own, *[f for f in fonts[at:] if f is not cjk]]
