"""Reads large figures back from the chair's screen through the big font's own glyph table.

A test that wants to know what the hall reads takes the characters on screen (not the
widget's text), turns the half-block characters back into pixels, finds the scale from the
ink's height, and matches each glyph against ``big_font``'s table.
"""

from __future__ import annotations

from near_tui.chair import big_font

HALVES = {"█": (True, True), "▀": (True, False), "▄": (False, True)}


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def ink_pixels(lines: list[str], region) -> list[list[bool]]:
    """The region's half-block pixels: two pixel rows per screen row, one pixel per column."""
    rows: list[list[bool]] = []
    for y in range(region.y, region.y + region.height):
        line = lines[y] if y < len(lines) else ""
        top, bottom = [], []
        for x in range(region.x, region.x + region.width):
            t, b = HALVES.get(line[x], (False, False)) if x < len(line) else (False, False)
            top.append(t)
            bottom.append(b)
        rows += [top, bottom]
    return rows


def read_figure(lines: list[str], region) -> tuple[str, int, list[int]] | None:
    """(the text drawn, its scale, the screen columns with ink) in ``region``; None without ink."""
    pixels = ink_pixels(lines, region)
    inked_rows = [r for r, row in enumerate(pixels) if any(row)]
    if not inked_rows:
        return None
    columns = sorted({c for row in pixels for c, on in enumerate(row) if on})
    top, bottom = inked_rows[0], inked_rows[-1]
    height = bottom - top + 1
    assert height % big_font.GLYPH_HEIGHT == 0, f"ink {height} half-rows high: not a whole scale"
    scale = height // big_font.GLYPH_HEIGHT
    left, right = columns[0], columns[-1]
    assert (right - left + 1) % scale == 0, "ink not a whole number of pixels wide"
    grid = ["".join("#" if pixels[top + r * scale][left + c * scale] else "."
                    for c in range((right - left + 1) // scale))
            for r in range(big_font.GLYPH_HEIGHT)]
    table = {glyph: ch for ch, glyph in big_font._GLYPHS.items() if ch in "0123456789/"}
    text, start = "", 0
    width = len(grid[0])
    blank = [all(row[c] == "." for row in grid) for c in range(width)]
    c = 0
    while c <= width:
        if c == width or blank[c]:
            if c > start:
                glyph = tuple(row[start:c] for row in grid)
                assert glyph in table, f"not a glyph of the font: {glyph}"
                text += table[glyph]
            start = c + 1
        c += 1
    return text, scale, [region.x + col for col in columns]


def widest_blank_run(columns: list[int]) -> int:
    """The widest run of blank screen columns between the first and last inked one."""
    return max((b - a - 1 for a, b in zip(columns, columns[1:], strict=False)), default=0)
