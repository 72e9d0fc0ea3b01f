"""The declaration as a printable, signable A4 PDF (fpdf2), from the same blocks as the Markdown.

Every character is printed as written in an embedded font, or closing stops and
says which character is missing (``pdf_fonts``). Typesetting for a document that
is signed and printed: the title never leaves its last word alone on a line,
a heading is never the last line of a page, and every page's foot says
"page X of Y" with the session id and the short chain head the signature covers.
The PDF carries the log's closing time as its creation date, not the wall clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from near_tui.core.state import SessionState
from near_tui.i18n import SOURCE, Words, words

from .declaration_text import Block, build_blocks
from .pdf_fonts import Font, fonts_for, fonts_for_language
from .pdf_lines import fit_lines, fitted

# (size in pt, bold, space before in mm) per block kind.
STYLE = {
    "title": (18, True, 0),
    "subtitle": (11, False, 1),
    "heading": (13, True, 5),
    "subheading": (11, True, 4),
    "paragraph": (10.5, False, 2),
    "bullet": (10, False, 1),
    "note": (8, False, 3),
    "signature": (10.5, False, 4),
}
KEEP_WITH_NEXT = ("heading", "subheading")
NBSP = "\u00a0"


def block_texts(blocks: list[Block]) -> list[str]:
    return [t for b in blocks for t in (b.text, b.detail) if t]


def _pdf_date(record: dict[str, Any]) -> dt.datetime:
    stamp = record["log"].get("closed_at") or record["log"].get("opened_at") or record["session"]["opens"]
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        when = dt.datetime.fromisoformat(record["session"]["opens"])
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def keep_last_words_together(title: str) -> str:
    """A title that wraps never leaves its last word alone on the last line."""
    words = title.split(" ")
    if len(words) < 3:
        return title
    return " ".join(words[:-2]) + " " + words[-2] + NBSP + words[-1]


class DeclarationPDF(FPDF):
    def __init__(self, foot: str, family: str, page_words: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.foot = foot
        self.family_name = family
        self.page_words = page_words  # "page {page} of {pages}" in the document's language

    def _set_font_for_page(self, font, font_size_pt, wrap_in_text_object=True):  # type: ignore[no-untyped-def]
        # fpdf2 (2.8.9) sets the body font inside a line whose first characters come from a
        # fallback font, in the line's own text object, which it may then wrap in q … Q; yet it
        # takes the font as set for the page, so a later line in the body font is written with
        # no font and viewers draw nothing (a Japanese declaration lost a figure and a whole
        # English paragraph). Set it on the page itself, outside the line, before the line.
        if not wrap_in_text_object and not self.current_font_is_set_on_page:
            self._out(super()._set_font_for_page(font, font_size_pt))
            return ""
        return super()._set_font_for_page(font, font_size_pt, wrap_in_text_object)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family_name, "", 7.5)
        self.cell(0, 4, self.foot, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, self.page_words.format(page=self.page_no(), pages="{nb}"), align="R")


def render_pdf(record: dict[str, Any], state: SessionState, fonts: list[Font] | None = None,
               language: str = SOURCE) -> bytes:
    """The declaration on A4 in ``language`` (``state``: the log folded, ``SessionState.from_events``).
    ``fonts``: the fonts to choose from (default: those installed)."""
    blocks = build_blocks(record, state, language)
    return render_blocks(blocks, record, fonts if fonts is not None else fonts_for_language(language),
                         words(language))


def render_blocks(blocks: list[Block], record: dict[str, Any], fonts: list[Font] | None = None,
                  w: Words | None = None) -> bytes:
    """``blocks`` on A4 with the declaration's typesetting and foot (the minutes are printed with it too),
    the foot in the language of ``w`` (default English)."""
    w = w or words(SOURCE)
    foot = w._("NEAR · session {session} · chain head {head}").format(
        session=record["session"]["id"], head=record["log"]["chain_head"][:16])
    page_words = w._("page {page} of {pages}")
    needed = fonts_for(block_texts(blocks) + [foot, page_words], fonts)
    family = needed[0].family if needed else "Helvetica"
    pdf = DeclarationPDF(foot, family, page_words)
    pdf.set_lang(w.tag)
    for font in needed:
        pdf.add_font(font.family, "", font.regular, collection_font_number=font.collection_index)
        pdf.add_font(font.family, "B", font.bold or font.regular, collection_font_number=font.collection_index)
    if len(needed) > 1:
        # Characters the body font lacks (CJK, say) come from the next font that has them.
        pdf.set_fallback_fonts([f.family for f in needed[1:]], exact_match=False)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.alias_nb_pages()
    pdf.set_creation_date(_pdf_date(record))
    title = blocks[0].text if blocks else "Declaration"
    pdf.set_title(title)
    pdf.set_subject(f"Session {record['session']['id']}")
    pdf.set_creator("near-tui")
    pdf.add_page()
    together = _signing_start(blocks)
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if index == together:
            # The closing words, the place and date and every signature line go on one page: a
            # signature must not stand on a page without the text it signs under.
            tail = sum(_full_height(pdf, b, family) for b in blocks[index:])
            if pdf.will_page_break(tail) and tail < pdf.h - pdf.t_margin - pdf.b_margin:
                pdf.add_page()
        _draw(pdf, block, following, family)
    return bytes(pdf.output())


def _signing_start(blocks: list[Block]) -> int | None:
    """Where the signing part begins: the rule before the first signature (None without signatures)."""
    first = next((i for i, b in enumerate(blocks) if b.kind == "signature"), None)
    if first is None:
        return None
    rule = max((i for i, b in enumerate(blocks[:first]) if b.kind == "rule"), default=None)
    return rule if rule is not None else first


def _full_height(pdf: FPDF, block: Block, family: str) -> float:
    """The whole height ``block`` takes as ``_draw`` lays it out (a millimetre to spare per block)."""
    if block.kind == "rule":
        return 7
    size, bold, before = STYLE.get(block.kind, STYLE["paragraph"])
    height = size * 0.5
    pdf.set_font(family, "B" if bold or block.kind == "signature" else "", size)
    width = pdf.w - pdf.r_margin - (pdf.l_margin + 7 if block.kind == "bullet" else pdf.l_margin)
    lines = len(fit_lines(pdf, width, block.text)) if block.text else 0
    if block.kind == "signature":
        detail = 0
        if block.detail:
            pdf.set_font(family, "", size - 1)
            detail = len(fit_lines(pdf, width, block.detail))
        return before + 9 + height * (lines + detail) + 1
    return before + height * max(1, lines) + 1


def _height(pdf: FPDF, block: Block, family: str) -> float:
    """The height ``block`` takes (its first two lines at most: enough to keep a heading company;
    all three of a three-line paragraph, which is never split)."""
    size, bold, before = STYLE.get(block.kind, STYLE["paragraph"])
    pdf.set_font(family, "B" if bold else "", size)
    lines = len(fit_lines(pdf, 0, block.text))
    kept = lines if block.kind == "paragraph" and lines == 3 else min(2, max(1, lines))
    return before + size * 0.5 * kept


def _draw(pdf: FPDF, block: Block, following: Block | None, family: str) -> None:
    if block.kind == "rule":
        pdf.ln(4)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(2)
        return
    size, bold, before = STYLE.get(block.kind, STYLE["paragraph"])
    if block.kind in KEEP_WITH_NEXT and following is not None:
        if pdf.will_page_break(_height(pdf, block, family) + _height(pdf, following, family)):
            pdf.add_page()
    pdf.ln(before)
    pdf.set_font(family, "B" if bold else "", size)
    height = size * 0.5
    text = block.text
    if block.kind == "title":
        text = keep_last_words_together(text)
    align = "C" if block.kind in ("title", "subtitle") else "L"
    if block.kind == "bullet":
        # A hanging indent: the wrapped lines align with the text, not the marker; a list entry of
        # a few lines is not split over two pages.
        indent = pdf.l_margin + 7
        lines = fit_lines(pdf, pdf.w - pdf.r_margin - indent, text)
        if len(lines) <= 4 and pdf.will_page_break(height * len(lines)):
            pdf.add_page()
        pdf.set_x(pdf.l_margin + 3)
        pdf.cell(4, height, "-" if family == "Helvetica" else "\u2022")
        pdf.multi_cell(0, height, fitted(pdf, 0, text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    if block.kind == "signature":
        # A line to sign on, then the signatory's name and title under it, kept on one page.
        if pdf.will_page_break(6 + 4 * height):
            pdf.add_page()
        y = pdf.get_y() + 8
        pdf.line(pdf.l_margin, y, pdf.l_margin + 80, y)
        pdf.set_y(y + 1)
        if text:
            pdf.set_font(family, "B", size)
            pdf.multi_cell(0, height, fitted(pdf, 0, text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if block.detail:
            pdf.set_font(family, "", size - 1)
            pdf.multi_cell(0, height, fitted(pdf, 0, block.detail), align="L", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
        return
    lines = fit_lines(pdf, 0, text)
    if block.kind == "paragraph":
        # A paragraph split over two pages keeps at least two lines on each: a lone first line at
        # the foot of a page, or a lone last line at the head of the next, reads as a stray.
        room = int((pdf.page_break_trigger - pdf.get_y()) // height)
        if 0 < room < len(lines) and (room == 1 or len(lines) - room == 1):
            first = room - 1 if room >= 3 else 0  # the lines left on this page
            if first:
                pdf.multi_cell(0, height, "\n".join(lines[:first]), align=align, new_x=XPos.LMARGIN,
                               new_y=YPos.NEXT)
            pdf.add_page()
            lines = lines[first:]
    pdf.multi_cell(0, height, "\n".join(lines), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
