"""The declaration as a printable A4 PDF (fpdf2), from the same blocks as the Markdown.

DejaVu Sans is used when the system has it (Debian: fonts-dejavu-core), so any
name prints as written; otherwise the PDF core font Helvetica is used and text
outside Latin-1 is reduced to its closest Latin-1 form. The PDF carries the
log's closing time as its creation date, not the wall clock.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .declaration_text import Block, build_blocks

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)

# (size in pt, bold, space before in mm) per block kind.
STYLE = {
    "title": (18, True, 0),
    "subtitle": (11, False, 1),
    "heading": (13, True, 5),
    "subheading": (11, True, 4),
    "paragraph": (10.5, False, 2),
    "bullet": (10, False, 1),
    "note": (8, False, 3),
}


def find_unicode_font() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, if installed."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


PUNCTUATION = {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
               "\u2022": "-", "\u2026": "..."}


def to_latin1(text: str) -> str:
    """Keep Latin-1 as is; decompose the rest (ā → a) and drop what still does not fit."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        if ch in PUNCTUATION:
            out.append(PUNCTUATION[ch])
            continue
        plain = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(plain or "?")
    return "".join(out)


def _pdf_date(record: dict[str, Any]) -> dt.datetime:
    stamp = record["log"].get("closed_at") or record["log"].get("opened_at") or record["session"]["opens"]
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        when = dt.datetime.fromisoformat(record["session"]["opens"])
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def render_pdf(record: dict[str, Any], font: tuple[Path, Path] | None = ...) -> bytes:
    """The declaration on A4; ``font=None`` forces the core font (for tests and bare systems)."""
    blocks = build_blocks(record)
    if font is ...:
        font = find_unicode_font()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_creation_date(_pdf_date(record))
    if font is not None:
        pdf.add_font("DejaVu", "", str(font[0]))
        pdf.add_font("DejaVu", "B", str(font[1]))
        family, clean = "DejaVu", (lambda s: s)
    else:
        family, clean = "Helvetica", to_latin1
    title = blocks[0].text if blocks else "Declaration"
    pdf.set_title(clean(title))
    pdf.set_subject(clean(f"Session {record['session']['id']}"))
    pdf.set_creator("near-tui")
    pdf.add_page()
    for block in blocks:
        _draw(pdf, block, family, clean)
    pdf.set_font(family, "", 8)
    return bytes(pdf.output())


def _draw(pdf: FPDF, block: Block, family: str, clean) -> None:
    if block.kind == "rule":
        pdf.ln(4)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(2)
        return
    size, bold, before = STYLE.get(block.kind, STYLE["paragraph"])
    pdf.ln(before)
    pdf.set_font(family, "B" if bold else "", size)
    text = clean(block.text)
    height = size * 0.5
    align = "C" if block.kind in ("title", "subtitle") else "L"
    if block.kind == "bullet":
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(0, height, ("- " if family == "Helvetica" else "\u2022 ") + text, align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    pdf.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
