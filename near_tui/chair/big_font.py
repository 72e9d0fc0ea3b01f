"""Large figures and words drawn from a 3x5 pixel font with block characters.

Textual's ``Digits`` has one fixed size; a projector needs figures that grow
with the terminal. Each pixel becomes ``scale`` columns by ``scale`` half-rows
(half-block characters), so a pixel stays roughly square on a terminal whose
cells are twice as tall as wide, and any integer scale draws cleanly.
No Textual here: the widget in ``big_figure.py`` only picks the scale.
"""

from __future__ import annotations

GLYPH_HEIGHT = 5

# "#" is ink. Every glyph is GLYPH_HEIGHT rows; widths may differ.
_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
    " ": ("..", "..", "..", "..", ".."),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    "-": ("...", "...", "###", "...", "..."),
    "!": ("#", "#", "#", ".", "#"),
    "(": (".#", "#.", "#.", "#.", ".#"),
    ")": ("#.", ".#", ".#", ".#", "#."),
    ".": (".", ".", ".", ".", "#"),
    ",": ("..", "..", "..", ".#", "#."),
    "'": ("#", "#", ".", ".", "."),
    "&": (".#.", "#.#", ".#.", "#.#", ".##"),
    "▶": ("#..", "##.", "###", "##.", "#.."),
    "■": ("...", "###", "###", "###", "..."),
    "✔": (".....", "....#", "...#.", "#.#..", ".#..."),
    "✘": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    "⚠": ("..#..", ".#.#.", ".#.#.", "#...#", "#####"),
}

_HALVES = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def can_draw(text: str) -> bool:
    return bool(text) and all(ch in _GLYPHS for ch in text.upper())


def _pixels(text: str) -> list[str]:
    """The text as rows of pixels, one blank column between glyphs."""
    glyphs = [_GLYPHS[ch] for ch in text.upper()]
    return [".".join(glyph[row] for glyph in glyphs) for row in range(GLYPH_HEIGHT)]


def size(text: str, scale: int) -> tuple[int, int]:
    """(columns, rows) that ``text`` takes at ``scale``."""
    width = len(_pixels(text)[0]) * scale
    return width, -(-GLYPH_HEIGHT * scale // 2)


def best_scale(text: str, width: int, height: int, limit: int = 12) -> int:
    """The largest scale at which ``text`` fits in width x height; 0 when none does."""
    if not can_draw(text):
        return 0
    scale = 0
    for candidate in range(1, limit + 1):
        w, h = size(text, candidate)
        if w > width or h > height:
            break
        scale = candidate
    return scale


def render(text: str, scale: int) -> list[str]:
    """The lines that draw ``text`` at ``scale`` (all of equal length)."""
    rows = []
    for row in _pixels(text):
        wide = "".join(px * scale for px in row)
        rows.extend([wide] * scale)
    if len(rows) % 2:
        rows.append("." * len(rows[0]))
    return [
        "".join(_HALVES[(t == "#", b == "#")] for t, b in zip(top, bottom))
        for top, bottom in zip(rows[0::2], rows[1::2])
    ]
