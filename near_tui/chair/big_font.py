"""Large figures and words drawn from a 3x5 pixel font with block characters.

Textual's ``Digits`` has one fixed size; a projector needs figures that grow
with the terminal. Each pixel becomes ``scale`` columns by ``scale`` half-rows
(half-block characters), so a pixel stays roughly square on a terminal whose
cells are twice as tall as wide, and any integer scale draws cleanly.
No Textual here: the widget in ``big_figure.py`` only picks the scale.
"""

from __future__ import annotations

from itertools import combinations, pairwise

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
    ":": (".", "#", ".", "#", "."),
    ",": ("..", "..", "..", ".#", "#."),
    "'": ("#", "#", ".", ".", "."),
    "&": (".#.", "#.#", ".#.", "#.#", ".##"),
    "▶": ("#..", "##.", "###", "##.", "#.."),
    "■": ("...", "###", "###", "###", "..."),
    "●": (".###.", "#####", "#####", "#####", ".###."),
    "✔": (".....", "....#", "...#.", "#.#..", ".#..."),
    "✘": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    "⚠": ("..#..", ".#.#.", ".#.#.", "#...#", "#####"),
}

_HALVES = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def can_draw(text: str) -> bool:
    return bool(text) and all(ch in _GLYPHS for ch in text.upper().replace("\n", ""))


def _pixels(text: str) -> list[str]:
    """One line of text as rows of pixels, one blank column between glyphs."""
    glyphs = [_GLYPHS[ch] for ch in text.upper()]
    return [".".join(glyph[row] for glyph in glyphs) for row in range(GLYPH_HEIGHT)]


def size(text: str, scale: int) -> tuple[int, int]:
    """(columns, rows) that ``text`` takes at ``scale``; lines ("\n") are one blank row apart."""
    lines = text.split("\n")
    width = max(len(_pixels(line)[0]) for line in lines) * scale
    return width, len(lines) * -(-GLYPH_HEIGHT * scale // 2) + len(lines) - 1


def figure_gap(scale: int) -> int:
    """Blank columns two large figures side by side need between them at ``scale``: at least 3,
    and twice the space between two digits of one figure (one pixel, ``scale`` columns), so
    that 30 beside 15 never reads as 3015 from the back of a hall."""
    return max(3, 2 * scale)


def side_margin(scale: int) -> int:
    """Blank columns kept on each side of a figure centred in its cell: two cells side by side
    then hold ``figure_gap`` between their figures, whatever they draw."""
    return -(-figure_gap(scale) // 2)


def best_scale(text: str, width: int, height: int, limit: int = 12, apart: bool = False) -> int:
    """The largest scale at which ``text`` fits in width x height; 0 when none does.

    ``apart``: keep ``side_margin`` blank columns on each side (a figure beside another).
    """
    if not can_draw(text):
        return 0
    scale = 0
    for candidate in range(1, limit + 1):
        w, h = size(text, candidate)
        if apart:
            w += 2 * side_margin(candidate)
        if w > width or h > height:
            break
        scale = candidate
    return scale


def arrangements(text: str, max_lines: int = 3) -> list[str]:
    """``text`` on one line, then broken at spaces into two or three lines (words stay whole)."""
    words = text.split()
    found = [text]
    for count in range(2, min(max_lines, len(words)) + 1):
        best = None
        for cuts in combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = [" ".join(words[a:b]) for a, b in pairwise(bounds)]
            widest = max(size(line, 1)[0] if can_draw(line) else len(line) for line in lines)
            if best is None or widest < best[0]:
                best = (widest, "\n".join(lines))
        found.append(best[1])
    return found


def best_layout(text: str, width: int, height: int, limit: int = 12, apart: bool = False) -> tuple[int, str]:
    """(scale, text with line breaks) that draws ``text`` largest in width x height (scale 0: none fits).

    Words such as "✔ DECIDED: CARRIED" grow larger on two lines than on one in a tall cell.
    """
    best = (0, text)
    for arranged in arrangements(text):
        scale = best_scale(arranged, width, height, limit, apart)
        if scale > best[0]:
            best = (scale, arranged)
    return best


def render(text: str, scale: int) -> list[str]:
    """The lines that draw ``text`` at ``scale`` (all of equal length; each line centred)."""
    width = size(text, scale)[0]
    out: list[str] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            out.append(" " * width)
        drawn = _render_line(line, scale)
        pad = width - len(drawn[0])
        out.extend(" " * (pad // 2) + row + " " * (pad - pad // 2) for row in drawn)
    return out


def _render_line(text: str, scale: int) -> list[str]:
    rows = []
    for row in _pixels(text):
        wide = "".join(px * scale for px in row)
        rows.extend([wide] * scale)
    if len(rows) % 2:
        rows.append("." * len(rows[0]))
    return [
        "".join(_HALVES[(t == "#", b == "#")] for t, b in zip(top, bottom, strict=False))
        for top, bottom in zip(rows[0::2], rows[1::2], strict=True)
    ]
