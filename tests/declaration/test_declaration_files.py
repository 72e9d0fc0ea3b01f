"""What a reader of declaration.md and declaration.pdf finds: the 2018 declaration's facts, in its shape."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pypdf
import pytest

from near_tui.core.state import SessionState
from near_tui.declaration.declaration_pdf import render_pdf
from near_tui.declaration.declaration_text import date_span, declaration_markdown, join_words, long_date
from near_tui.declaration.pdf_fonts import MissingGlyph, available_fonts
from near_tui.declaration.record import build_record
from near_tui.service.imports import import_file

AGENDA = Path(__file__).resolve().parents[2] / "agenda"

# The facts a reader would compare with the 12th GA declaration of the 2018 report, in the words
# the sample agenda (agenda/ga12-2018.yaml) gives them.
GA12_FACTS = [
    "The 12th General Assembly of NEAR was held in Zhangjiajie City, Hunan Province, China, 28–31 October 2018.",
    "It was attended by representatives of 29 member regional governments from five countries: People's "
    "Republic of China (8), Japan (4), Republic of Korea (5), Mongolia (7) and Russian Federation (5).",
    "In all, 50 member regional governments took part in the decisions of the General Assembly, "
    "21 of them by written letter of decision.",
    "The General Assembly reaffirmed the principles on which NEAR was founded: reciprocity and equality, "
    "trust and respect, exchange and cooperation, peace and prosperity.",
    "The Sakha Republic (Yakutia) of the Russian Federation was elected Chair of NEAR "
    "for 2018–2020, host of the Working Committee in 2019 and of the 13th General Assembly in 2020.",
    "The General Assembly approved the admission of Akita Prefecture of Japan, which had asked in April 2018 "
    "to join NEAR, as a new member.",
    "The Association now counts 78 members from six countries and one associate member.",
    "The General Assembly was informed that associate membership, created by the amendment of the Charter at "
    "the 11th General Assembly (Irkutsk, 2016), was granted to Ho Chi Minh City of Viet Nam by the 11th "
    "Working Committee in 2017 under the powers delegated to it (Charter Art. 9-2), and took note of it.",
    "Ningxia Hui Autonomous Region was approved as joint coordinator of the Subcommittee on Tourism, together "
    "with Henan Province of China, its coordinator.",
    "The member regional governments of the Association of North East Asia Regional Governments agreed to do "
    "all they can, through mutual cooperation, to uphold this Declaration.",
    "Zhangjiajie City, Hunan Province, China, 31 October 2018.",
    "Xu Dazhe", "Governor of Hunan Province, Chair of NEAR", "Hong Jong-kyoung", "Secretary-General of NEAR",
]
# What the public text must not say: vote figures (declaration.tallies is false), an agenda
# description's present tense as an outcome, the clock of the close, the chain head.
NEVER = ["in favour", "against", "abstaining", "is put to the vote", "not taken up", "No election"]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_markdown_tells_the_2018_declaration(ga12_closed):
    text = (ga12_closed.out / "declaration.md").read_text(encoding="utf-8")
    flat = _flat(text)
    for fact in GA12_FACTS:
        assert fact in flat
    for words in NEVER:
        assert words not in flat
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert [h.split(".")[0] for h in headings] == [f"### {n}" for n in range(1, 9)]
    assert text.startswith("# Declaration of the 12th General Assembly of NEAR\n")
    assert ("- Japan (4): Toyama Prefecture 富山県, Hyogo Prefecture 兵庫県, Tottori Prefecture 鳥取県, "
            "Shimane Prefecture 島根県") in text
    # The preamble comes before the decisions, the closing after them, the signatures last.
    assert flat.index("reaffirmed the principles") < flat.index("## Decisions") < flat.index("agreed to do all")
    assert flat.index("agreed to do all") < flat.index("Xu Dazhe") < flat.index("Hong Jong-kyoung")
    head = ga12_closed.session.state.head
    closed_at = ga12_closed.session.log.read_events()[-1].recorded_at
    assert head[:16] not in text and closed_at[:10] not in text and "UTC" not in text


def test_pdf_is_a4_and_says_the_same(ga12_closed):
    reader = pypdf.PdfReader(ga12_closed.out / "declaration.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    for fact in GA12_FACTS:
        assert fact in text
    for words in NEVER:
        assert words not in text


def test_pdf_names_every_member_that_took_part_in_both_scripts(ga12_closed):
    """Every member listed (in person or by letter) prints in the PDF with its native name, exactly."""
    reader = pypdf.PdfReader(ga12_closed.out / "declaration.pdf")
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    roster = {m.id: m for m in ga12_closed.session.state.members.values()}
    record = json.loads((ga12_closed.out / "record.json").read_bytes())
    listed = [roster[m["id"]] for m in record["members"] if m["took_part"]]
    assert len(listed) == 50
    for member in listed:
        assert member.native_name, member.id
        assert f"{member.name} {member.native_name}" in text, member.id


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _with_names(closed, names: list[tuple[str, str | None]]):
    """The closed sample's record and state, its first members renamed and marked as attending."""
    events = closed.session.log.read_events()
    record, state = build_record(events), SessionState.from_events(events)
    for entry, (name, native) in zip(record["members"], names, strict=False):
        entry["attended"] = True
        member = state.members[entry["id"]]
        state.members[entry["id"]] = dataclasses.replace(member, name=name, native_name=native)
    return record, state


def test_pdf_prints_every_script_exactly(ga12_closed):
    names = [("Heilongjiang", "黑龙江省"), ("Aomori", "青森県"), ("Busan", "부산광역시"),
             ("Ulaanbaatar", "Улаанбаатар хот"), ("Ōita", "大分県"), ("Hồ Chí Minh", "Thành phố Hồ Chí Minh")]
    record, state = _with_names(ga12_closed, names)
    text = _pdf_text(render_pdf(record, state))
    for name, native in names:
        assert f"{name} {native}" in text


def test_pdf_foot_says_page_x_of_y_session_and_chain_head(ga12_closed):
    reader = pypdf.PdfReader(ga12_closed.out / "declaration.pdf")
    pages = len(reader.pages)
    head = ga12_closed.session.state.head[:16]
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"page {number} of {pages}" in text
        assert f"session ga12-2018 · chain head {head}" in text


def test_a_character_no_font_has_is_an_error_naming_it(ga12_closed):
    record, state = _with_names(ga12_closed, [("Egypt", "\U00013000")])
    with pytest.raises(MissingGlyph, match="U\\+13000 EGYPTIAN HIEROGLYPH A001"):
        render_pdf(record, state, fonts=available_fonts())


def _markdown(session) -> str:
    events = session.log.read_events()
    return _flat(declaration_markdown(build_record(events), SessionState.from_events(events)).decode())


def test_markdown_says_when_a_vote_failed(ga12_present):
    s = ga12_present
    present = [m for m, mode in s.state.attendance.items() if mode == "in_person"][:11]
    s.open_vote("2")
    for member in present:
        s.record_vote("2", member, "no")
    s.close_vote("2")
    flat = _markdown(s)
    # The agenda's own words for item 2 not carried (agenda/ga12-2018.yaml).
    assert ("### 2. Admission of a New Member The application of Akita Prefecture of Japan for membership "
            "was not approved. ### 3.") in flat
    assert "admitted" not in flat and "in favour" not in flat
    assert flat.count("This item was not taken up.") == 7  # items 1, 3 to 8


def test_markdown_says_when_a_vote_lacked_quorum(ga12_session):
    s = ga12_session
    import_file(s, "attendance", AGENDA / "ga12-2018-attendance.csv")  # 29 present, no letters
    s.open_vote("2")
    s.record_vote("2", "cn-hunan", "yes")
    s.close_vote("2")
    flat = _markdown(s)
    assert ("### 2. Admission of a New Member No decision was taken on this item: fewer members took part in "
            "the vote than the quorum requires (Charter Art. 9). ### 3.") in flat
    assert "The quorum was not reached on item 2." in flat
    assert "approved" not in flat.split("### 2.")[1].split("### 3.")[0]


def test_sentence_helpers():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert long_date("2021-09-01") == "1 September 2021"
    assert date_span("2018-10-28", "2018-10-31") == "28–31 October 2018"
    assert date_span("2018-10-29", None) == "29 October 2018"
    assert date_span("2018-10-29", "2018-10-29") == "29 October 2018"
    assert date_span("2018-10-30", "2018-11-02") == "30 October – 2 November 2018"
    assert date_span("2018-12-30", "2019-01-02") == "30 December 2018 – 2 January 2019"
