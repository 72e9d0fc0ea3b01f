"""The declaration's lines, fitted to the page where the text's own language allows a break.

fpdf2 breaks a line only at a space (``wrapmode`` WORD) or at any character (CHAR). Neither
suits a Chinese paragraph that names members in Latin script: WORD treats a run of Han characters
as one word and cuts it anywhere, a closing bracket first on a line included, and it leaves a line
almost empty before a Latin name followed by Chinese ("Sakha Republic" / "(Yakutia)（俄罗斯联邦）
当选为…"). So the lines are fitted here, at the breaks ``near_tui.i18n.line_breaks`` allows,
measured in the PDF's own fonts, and handed to ``multi_cell`` already broken.
"""

from __future__ import annotations

from fpdf import FPDF

from near_tui.i18n.line_breaks import break_units

# Room kept at a line's end so that fpdf's own check never finds a fitted line a hair too wide.
SLACK = 0.01  # mm


def text_width(pdf: FPDF, width: float) -> float:
    """The room for text in a ``multi_cell`` of ``width`` (0: up to the right margin) at the current x."""
    if width == 0:
        width = pdf.w - pdf.r_margin - pdf.x
    return width - 2 * pdf.c_margin - SLACK


def fit_lines(pdf: FPDF, width: float, text: str) -> list[str]:
    """``text`` in lines that fit ``width`` mm (see ``text_width``) in the current font, each broken
    at the last place that fits in the document's language (``pdf.lang``, a BCP 47 tag); a line
    break in ``text`` is kept."""
    language = (getattr(pdf, "lang", None) or "en").split("-")[0]
    room = text_width(pdf, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0  # the line so far and its width with its trailing spaces
        for unit in break_units(paragraph, language):
            # Widths add up character by character (fpdf2 applies no kerning without text shaping).
            whole = pdf.get_string_width(unit)
            bare = pdf.get_string_width(unit.rstrip(" ")) if unit.endswith(" ") else whole
            if line and used + bare > room:
                lines.append(line.rstrip(" "))
                line, used = "", 0.0
            if not line and bare > room:
                # One word wider than the line (a long number, say): cut where it must be.
                pieces = _cut(pdf, room, unit)
                lines.extend(pieces[:-1])
                unit = pieces[-1]
                whole = pdf.get_string_width(unit)
            line += unit
            used += whole
        lines.append(line.rstrip(" "))
    return lines


def fitted(pdf: FPDF, width: float, text: str) -> str:
    """``text`` with a line break wherever ``fit_lines`` breaks it, for ``multi_cell``."""
    return "\n".join(fit_lines(pdf, width, text))


def _cut(pdf: FPDF, room: float, word: str) -> list[str]:
    pieces = [""]
    for char in word:
        if pieces[-1] and pdf.get_string_width(pieces[-1] + char) > room:
            pieces.append("")
        pieces[-1] += char
    return pieces
