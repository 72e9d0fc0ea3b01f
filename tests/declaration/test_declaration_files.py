"""What a reader of declaration.md and declaration.pdf finds: the 2018 declaration's facts, in its shape."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from near_tui.declaration.declaration_pdf import render_pdf
from near_tui.declaration.pdf_fonts import MissingGlyph, available_fonts
from near_tui.declaration.declaration_text import declaration_markdown, join_words, long_date
from near_tui.declaration.record import build_record
from near_tui.imports import import_file

AGENDA = Path(__file__).resolve().parents[2] / "near_tui" / "samples"

# The facts a reader would compare with the 12th GA declaration of the 2018 report.
GA12_FACTS = [
    "The 12th General Assembly of NEAR was held in Zhangjiajie City, Hunan Province, China on 29 October 2018.",
    "Representatives of 29 member regional governments from 5 countries attended: China (8), Japan (4), "
    "Republic of Korea (5), Mongolia (7) and Russian Federation (5).",
    "In all, 50 member regional governments took part in the decisions of the General Assembly, "
    "21 of them by written letter of decision.",
    "Elected: Sakha Republic (Yakutia) of the Russian Federation.",
    "Akita Prefecture of Japan was accordingly admitted as a member.",
    "The Association now counts 78 members from 6 countries and 1 associate member.",
    "Approved by roll call: 49 in favour, 0 against, 0 abstaining and 1 not voting.",
    "Approved by roll call: 47 in favour, 2 against and 1 abstaining.",
    "The General Assembly took note of it.",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_markdown_tells_the_2018_declaration(ga12_closed):
    text = (ga12_closed.out / "declaration.md").read_text(encoding="utf-8")
    flat = _flat(text)
    for fact in GA12_FACTS:
        assert fact in flat
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert [h.split(".")[0] for h in headings] == [f"### {n}" for n in range(1, 9)]
    assert text.startswith("# Declaration of the 12th General Assembly of NEAR\n")
    assert "- Japan (4): Toyama Prefecture, Hyogo Prefecture, Tottori Prefecture, Shimane Prefecture" in text
    head = ga12_closed.session.state.head
    assert head in text  # the footer names the chain head the signature covers


def test_pdf_is_a4_and_says_the_same(ga12_closed):
    reader = pypdf.PdfReader(ga12_closed.out / "declaration.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    for fact in GA12_FACTS:
        assert fact in text


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_without_any_font_prints_latin1_exactly_and_refuses_the_rest(ga12_closed):
    record = json.loads((ga12_closed.out / "record.json").read_bytes())
    record["members"][0]["name"] = "Çorum Préfecture"
    record["members"][0]["attended"] = True
    assert "Çorum Préfecture" in _pdf_text(render_pdf(record, fonts=[]))
    record["members"][0]["name"] = "Ōita Prefecture"  # Ō is outside Latin-1: never reduced to "O"
    with pytest.raises(MissingGlyph, match=r"'Ō' \(U\+014C LATIN CAPITAL LETTER O WITH MACRON\)"):
        render_pdf(record, fonts=[])
    assert "Ōita Prefecture" in declaration_markdown(record).decode()


def test_pdf_prints_every_script_exactly(ga12_closed):
    record = json.loads((ga12_closed.out / "record.json").read_bytes())
    names = ["Heilongjiang 黑龙江省", "Aomori 青森県", "Busan 부산광역시", "Ulaanbaatar Улаанбаатар хот", "Ōita"]
    for member, name in zip(record["members"], names):
        member["name"], member["attended"] = name, True
    text = _pdf_text(render_pdf(record))
    for name in names:
        assert name in text


def test_pdf_foot_says_page_x_of_y_session_and_chain_head(ga12_closed):
    reader = pypdf.PdfReader(ga12_closed.out / "declaration.pdf")
    pages = len(reader.pages)
    head = ga12_closed.session.state.head[:16]
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"page {number} of {pages}" in text
        assert f"session ga12-2018 · chain head {head}" in text


def test_a_character_no_font_has_is_an_error_naming_it(ga12_closed):
    record = json.loads((ga12_closed.out / "record.json").read_bytes())
    record["members"][0]["name"], record["members"][0]["attended"] = "Egypt \U00013000", True
    with pytest.raises(MissingGlyph, match="U\\+13000 EGYPTIAN HIEROGLYPH A001"):
        render_pdf(record, fonts=available_fonts())


def _markdown(session) -> str:
    return _flat(declaration_markdown(build_record(session.log.read_events())).decode())


def test_markdown_says_when_a_vote_failed(ga12_present):
    s = ga12_present
    present = [m for m, mode in s.state.attendance.items() if mode == "in_person"][:11]
    s.open_vote("2")
    for member in present:
        s.record_vote("2", member, "no")
    s.close_vote("2")
    flat = _markdown(s)
    assert "Not approved by roll call: 21 in favour, 11 against, 0 abstaining and 18 not voting." in flat
    assert "was accordingly admitted" not in flat
    assert "This item was not put to the vote." in flat  # items 4 to 8


def test_markdown_says_when_a_vote_lacked_quorum(ga12_session):
    s = ga12_session
    import_file(s, "attendance", AGENDA / "ga12-2018-attendance.csv")  # 29 present, no letters
    s.open_vote("2")
    s.record_vote("2", "cn-hunan", "yes")
    s.close_vote("2")
    flat = _markdown(s)
    assert "No decision was taken: only 29 of the 77 members took part, fewer than the 39 a quorum requires." in flat
    assert "The quorum was not reached on item(s) 2." in flat


def test_sentence_helpers():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert long_date("2021-09-01") == "1 September 2021"
