"""Line breaks for the chair's two-language words: the rule of CJK typesetting (kinsoku) that a
line never starts with a closing mark ("，", "。", "）"…) nor ends with an opening one ("（", "「"…),
as near_tui.i18n.line_breaks states it for every surface.

Rich breaks Latin text at spaces and folds a run of Han characters at any cell, mark or not; the
lines it gives are kept, except that a break falling before a closing mark moves back one
character, so the mark stays with the character it follows (the line is never made wider).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from near_tui.i18n.line_breaks import may_break


def _first_line(text: str, width: int) -> str:
    return Text(text).wrap(Console(width=width), width)[0].plain


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken where Rich breaks it, but never
    before a closing mark or after an opening one."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        rest = paragraph
        while True:
            first = _first_line(rest, width) if rest else ""
            cut = len(first)
            if cut >= len(rest.rstrip(" ")) or width <= 0:
                lines.append(rest.rstrip(" "))
                break
            # Step back while the break would leave a closing mark first on the next line or an
            # opening mark last on this one (never to an empty line).
            while cut > 1 and not may_break(rest[:cut], rest[cut:]):
                cut -= 1
            lines.append(rest[:cut].rstrip(" "))
            rest = rest[cut:].lstrip(" ")
    return lines


def by_language(text: str, width: int, lead: str = "", stacked: bool = False) -> str:
    """``lead`` and ``text`` on one line where they fit ``width`` (and ``stacked`` is not asked);
    else, for a text in two languages (``parts``), each language on a line of its own, so that no
    line breaks inside the second; a language still too long for a line breaks by ``wrap``."""
    whole = f"{lead}{text}"
    parts = getattr(text, "parts", None)
    if width <= 0 or (cell_len(whole) <= width and not (stacked and parts)):
        return whole
    pieces = (whole,) if parts is None else (f"{lead}{parts[0]}", parts[1])
    return "\n".join(line for piece in pieces for line in wrap(piece, width))


def widest_part(text: str) -> int:
    """The cells of the longest language of ``text``: the least width that breaks no language."""
    return max((cell_len(part) for part in getattr(text, "parts", (text,))), default=0)


def widest_word(text: str) -> int:
    """The cells of the longest word of ``text``: the least width that breaks no word."""
    return max((cell_len(word) for word in text.split()), default=0)


class KinsokuText:
    """A Rich renderable: ``text`` broken by ``wrap`` at whatever width it is given, for a table's
    cell (Rich's own wrapping, in a column narrower than the words, folds Han text at any cell)."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, Text(self.text))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap(self.text, options.max_width):
            yield Text(line, style=self.style)
