"""Every character a declaration prints is drawn with a font, whatever script a line starts in.

A Japanese declaration printed "か国の会員地方政府29…" without its "5", and its English preamble
not at all: the body font was set inside a line's saved graphics state (q … Q) and then taken
as set for the page, so later text had no font and viewers drew nothing. The check here reads
each page's content stream as a PDF viewer does: a font set between q and Q is gone after Q.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from near_tui.declaration.declaration_pdf import render_blocks
from near_tui.declaration.declaration_text import Block
from near_tui.declaration.pdf_fonts import available_fonts, fonts_for_language
from near_tui.i18n import words

SHOW = {b"Tj", b"TJ", b"'", b'"'}


def text_without_font(pdf: bytes) -> list[tuple[int, int]]:
    """(page, operation index) of every text-showing operator with no font in effect."""
    reader = PdfReader(io.BytesIO(pdf))
    missing = []
    for number, page in enumerate(reader.pages, start=1):
        font = None
        saved: list[object] = []
        for index, (operands, operator) in enumerate(ContentStream(page.get_contents(), reader).operations):
            if operator == b"q":
                saved.append(font)
            elif operator == b"Q":
                font = saved.pop()
            elif operator == b"Tf":
                font = operands[0]
            elif operator in SHOW and font is None:
                missing.append((number, index))
    return missing


def test_the_check_finds_text_shown_after_its_font_was_restored_away():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf._out("q BT /F1 10 Tf 10 10 Td (a) Tj ET Q")  # noqa: SLF001 - a stream written by hand
    pdf._out("BT 10 20 Td (b) Tj ET")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(10, 5, "c")
    assert len(text_without_font(bytes(pdf.output()))) == 1  # "b", and only it


CJK = "北東アジア地域自治体連合第12回総会は2018年10月28日〜31日に中国湖南省張家界市で開催された。"
# Lines that start in the body font after lines that end in the fallback font, an English
# paragraph after a Japanese one, and a paragraph long enough to go on over a page break.
BLOCKS = [
    Block("title", "北東アジア地域自治体連合第12回総会宣言"),
    Block("paragraph", CJK),
    Block("paragraph", "5か国の会員地方政府29の代表が出席した：中華人民共和国（8）、日本（4）。"),
    Block("paragraph", "The General Assembly reaffirmed the principles on which NEAR was founded."),
    Block("bullet", "日本（4）：Toyama Prefecture 富山県、Hyogo Prefecture 兵庫県"),
    # Names in every script the roster has, so that the body font and a fallback are both needed.
    Block("bullet", "Sakha Republic (Yakutia) Республика Саха (Якутия)、Busan 부산광역시、Uvurkhangai Aimag Өвөрхангай аймаг"),
    Block("paragraph", CJK * 60),
    Block("paragraph", "2 ends in Latin letters after a page of Japanese."),
]


@pytest.mark.parametrize("code", ["ja", "ko", "zh", "ru", "mn", "en"])
def test_every_line_of_a_declaration_has_a_font(code):
    if len(available_fonts()) < 2:
        pytest.fail("this check needs a Latin and a CJK font (scripts/test installs them)")
    pdf = render_blocks(BLOCKS, {"session": {"id": "t", "opens": "2018-10-28"},
                                 "log": {"chain_head": "0" * 64, "closed_at": "2018-10-31T04:00:00Z"}},
                        fonts_for_language(code), words(code))
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2  # the long paragraph went over a page
    assert text_without_font(pdf) == []
