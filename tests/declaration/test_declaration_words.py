"""The declaration's words for each outcome, pinned from the agenda's own texts; five scripts closed cleanly.

The expected sentences are written here from the agenda below (its `resolution`, `office` and
`noted` texts) and from what the test itself recorded, never read back from the code.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf
import pytest

from near_tui.core.state import SessionState
from near_tui.declaration import keys
from near_tui.declaration.declaration_pdf import render_pdf
from near_tui.declaration.declaration_text import declaration_markdown
from near_tui.declaration.pdf_fonts import MissingGlyph
from near_tui.declaration.record import build_record
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock

# Five scripts (and Vietnamese, Latin with diacritics): the names as the members write them.
MEMBERS = [
    ("cn-heilongjiang", "Heilongjiang Province", "黑龙江省", "CN", "member"),
    ("cn-hunan", "Hunan Province", "湖南省", "CN", "member"),
    ("jp-aomori", "Aomori Prefecture", "青森県", "JP", "member"),
    ("jp-kyoto", "Kyoto Prefecture", "京都府", "JP", "member"),
    ("kr-busan", "Busan Metropolitan City", "부산광역시", "KR", "member"),
    ("kr-jeju", "Jeju Special Self-Governing Province", "제주특별자치도", "KR", "member"),
    ("mn-ulaanbaatar", "Ulaanbaatar City", "Улаанбаатар хот", "MN", "member"),
    ("mn-khuvsgul", "Khuvsgul Aimag", "Хөвсгөл аймаг", "MN", "member"),
    ("ru-sakha", "Sakha Republic (Yakutia)", "Республика Саха (Якутия)", "RU", "member"),
    ("ru-primorsky", "Primorsky Territory", "Приморский край", "RU", "member"),
    ("jp-akita", "Akita Prefecture", "秋田県", "JP", "applicant"),
    ("vn-hcmc", "Ho Chi Minh City", "Thành phố Hồ Chí Minh", "VN", "associate"),
]

AGENDA = """\
session: {id: words-2024, title: "Test Assembly", body: general_assembly, venue: "Pohang", opens: 2024-05-01, closes: 2024-05-03}
declaration:
  preamble: ["The assembly reaffirmed reciprocity and equality."]
  closing: "The members agreed to uphold this Declaration together."
  signatories: [{name: "Kim Min-su", title: "Chair of the Test Assembly"}]
  TALLIES
countries: {VN: Viet Nam}
roster:
ROSTER
items:
  - {id: "1", title: "Next Chair", kind: election, description: "The assembly picks the next Chair.", office: "Chair of NEAR for 2024–2026"}
  - id: "2"
    title: "Admission of Akita"
    kind: decision
    article: "8.1"
    admits: [jp-akita]
    description: "Akita is put to the vote for admission."
    resolution: {carried: "The assembly admitted Akita Prefecture as a member.", not_carried: "The assembly did not admit Akita Prefecture."}
  - id: "3"
    title: "Budget 2025"
    kind: decision
    article: "8.11"
    description: "The budget for 2025 is put to the vote."
    resolution: {carried: "The budget for 2025 was approved.", not_carried: "The budget for 2025 was rejected."}
  - {id: "4", title: "Secretariat report", kind: report, description: "The Secretariat reports.", noted: "The assembly took note of the Secretariat's report for 2023."}
  - {id: "5", title: "Theme", kind: consensus, resolution: {carried: "The theme Cooperation was adopted by consensus."}}
  - {id: "6", title: "Youth forum", kind: decision, article: "8.11", description: "The Secretariat proposes a youth forum."}
  - {id: "7", title: "Tourism report", kind: report, description: "The Tourism subcommittee reports."}
  - id: "8"
    title: "Disaster fund"
    kind: decision
    article: "8.11"
    resolution: {carried: "The disaster fund was set up.", not_carried: "The disaster fund was not set up."}
"""


def write_agenda(folder: Path, tallies: bool = False) -> Path:
    roster = "\n".join(f'  - {{id: {i}, name: "{n}", native_name: "{nn}", country: {c}, status: {s}}}'
                       for i, n, nn, c, s in MEMBERS)
    text = AGENDA.replace("ROSTER", roster).replace("TALLIES", f"tallies: {'true' if tallies else 'false'}")
    path = folder / "agenda.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


VOTERS = [m[0] for m in MEMBERS if m[4] == "member"]  # the ten members, all in person


def run_session(session: Session) -> None:
    """Item by item; the comments recount what each vote gives (ten members present)."""
    for member in VOTERS + ["vn-hcmc"]:
        session.set_attendance(member, "in_person")
    session.record_election("1", ["ru-sakha"])
    session.open_vote("2")
    for member in VOTERS:  # 10 yes of 10 cast: two-thirds met, carried; Akita becomes a member (absent)
        session.record_vote("2", member, "yes")
    session.close_vote("2")
    session.open_vote("3")
    for n, member in enumerate(VOTERS):  # 3 yes, 7 no: not more than half, not carried
        session.record_vote("3", member, "yes" if n < 3 else "no")
    session.close_vote("3")
    session.note_item("4")
    session.record_consensus("5", True)
    session.open_vote("6")
    for n, member in enumerate(VOTERS):  # 8 yes, 1 no, 1 abstaining: carried
        session.record_vote("6", member, "yes" if n < 8 else ("no" if n == 8 else "abstain"))
    session.close_vote("6")
    for member in VOTERS[3:]:  # 3 of the 11 members left: fewer than the 6 a quorum needs
        session.set_attendance(member, "absent")
    session.open_vote("8")
    for member in VOTERS[:3]:
        session.record_vote("8", member, "yes")
    session.close_vote("8")
    # Item 7 is never taken up.


@pytest.fixture
def words_session(tmp_path):
    def make(tallies: bool = False) -> Session:
        folder = tmp_path / ("tallies" if tallies else "plain")
        folder.mkdir()
        session = Session.create(load_agenda(write_agenda(folder, tallies)), str(folder / "s.sqlite"),
                                 clock=FixedClock("2024-05-02T09:00:00"))
        run_session(session)
        return session
    return make


def flat_markdown(session: Session) -> str:
    events = session.log.read_events()
    return " ".join(declaration_markdown(build_record(events), SessionState.from_events(events)).decode().split())


def section(flat: str, item_id: str) -> str:
    """What the declaration says under item ``item_id``'s heading, up to the next heading."""
    after = flat.split(f"### {item_id}. ", 1)[1]
    return after.split(" ### ", 1)[0].split(" --- ", 1)[0]


def test_each_outcome_in_its_own_words(words_session):
    flat = flat_markdown(words_session())
    # A republic takes "the"; names in their own script stay in the member lists, out of the sentence.
    assert section(flat, "1") == ("Next Chair The Sakha Republic (Yakutia) of the Russian "
                                  "Federation was elected Chair of NEAR for 2024–2026.")
    # The resolution names Akita: its admission is not said a second time, only the new count, in words.
    assert section(flat, "2") == ("Admission of Akita The assembly admitted Akita Prefecture as a member. "
                                  "The Association now counts 11 members from five countries and one associate "
                                  "member.")
    assert section(flat, "3") == "Budget 2025 The budget for 2025 was rejected."
    assert section(flat, "4") == "Secretariat report The assembly took note of the Secretariat's report for 2023."
    assert section(flat, "5") == "Theme The theme Cooperation was adopted by consensus."
    # No resolution text: the description, then the outcome said plainly.
    assert section(flat, "6") == "Youth forum The Secretariat proposes a youth forum. The General Assembly approved it."
    assert section(flat, "7") == "Tourism report This item was not taken up."
    assert section(flat, "8") == ("Disaster fund No decision was taken on this item: fewer members took part in the "
                                  "vote than the quorum requires (Charter Art. 9).")
    assert "The quorum was not reached on item 8." in flat
    assert "is put to the vote" not in flat and "The assembly picks" not in flat
    assert "The Secretariat reports." not in flat  # a description of an item not taken up is not an outcome


def test_the_shape_dates_preamble_closing_signature(words_session):
    flat = flat_markdown(words_session())
    assert flat.startswith("# Declaration of the Test Assembly *Association of North East Asia Regional "
                           "Governments (NEAR)* The Test Assembly was held in Pohang, 1–3 May 2024.")
    assert ("It was attended by representatives of ten member regional governments from five countries: "
            "People's Republic of China (2), Japan (2), Republic of Korea (2), Mongolia (2) and Russian Federation "
            "(2).") in flat
    assert "In all, ten member regional governments took part in the decisions of the General Assembly." in flat
    assert "Also present, without a vote: Ho Chi Minh City Thành phố Hồ Chí Minh (Viet Nam, associate)." in flat
    order = ["The assembly reaffirmed reciprocity and equality.", "## Decisions", "### 1.", "### 8.",
             "The members agreed to uphold this Declaration together.", "Pohang, 3 May 2024.",
             "**Kim Min-su**\\ Chair of the Test Assembly"]
    positions = [flat.index(words) for words in order]
    assert positions == sorted(positions)


def test_figures_only_when_the_agenda_asks(words_session):
    plain = flat_markdown(words_session())
    for figures in ("in favour", "against", "abstaining", "not voting", "quorum:"):
        assert figures not in plain
    counted = flat_markdown(words_session(tallies=True))
    # Item 3 (Akita a member by then, absent): 3 yes, 7 no of 10 cast, 6 needed; 10 of 11 took part,
    # a quorum is 6. Item 6: 8 yes, 1 no, 1 abstaining, 9 cast (abstentions not counted), 5 needed.
    # Item 8: 3 of the 11 members took part, 6 needed.
    assert ("The budget for 2025 was rejected. Roll call: 3 in favour, 7 against and 0 abstaining. It needed "
            "more than half of the votes cast (6 of 10) to pass; 10 of the 11 members took part (quorum: 6).") in counted
    assert "Roll call: 8 in favour, 1 against and 1 abstaining. It needed more than half of the votes cast (5 of 9)" in counted
    assert "Answers on record: 3 in favour, 0 against and 0 abstaining; 3 of the 11 members took part (quorum: 6)." in counted


def test_withdrawn_postponed_and_added_items_are_said_as_such(words_session):
    session = words_session()
    events = session.log.read_events()
    record, state = build_record(events), SessionState.from_events(events)
    # The agenda-change events (addendum, withdraw, postpone) set these; here they are set by hand on the folded state.
    state.items["7"].status, state.items["7"].reason = "withdrawn", "The subcommittee had not met."
    state.items["4"].added = True
    state.items["5"].status, state.items["5"].result, state.items["5"].reason = "postponed", None, None
    flat = " ".join(declaration_markdown(record, state).decode().split())
    assert section(flat, "7") == "Tourism report This item was withdrawn from the agenda. The subcommittee had not met."
    assert section(flat, "5") == "Theme This item was postponed to a later session."
    # An addendum is headed without its id (an internal label, not a number of the agenda).
    assert "### 4. " not in flat
    assert ("### Secretariat report Added to the agenda during the session. "
            "The assembly took note of the Secretariat's report for 2023.") in flat


def test_an_agenda_without_a_declaration_block_gets_the_defaults(words_session):
    session = words_session()
    events = session.log.read_events()
    record, state = build_record(events), SessionState.from_events(events)
    state.definition = dataclasses.replace(state.definition, declaration=None)
    flat = " ".join(declaration_markdown(record, state).decode().split())
    assert "reaffirmed" not in flat
    assert ("The member regional governments undertook to carry these decisions forward together, in the spirit "
            "of trust and cooperation on which the Association rests.") in flat
    assert flat.endswith("Pohang, 3 May 2024. Chair of the General Assembly *Session words-2024. The minutes of "
                         "the session hold the full record, vote by vote.*")
    assert "in favour" not in flat


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def test_five_scripts_close_with_no_warning_and_minisign_verifies(words_session, tmp_path):
    session = words_session()
    db = str(tmp_path / "plain" / "s.sqlite")  # where words_session made it
    session.close_log()
    key = tmp_path / "keys" / "near.key"
    key.parent.mkdir()
    pub, _ = keys.generate(key)
    out = tmp_path / "closed"
    done = subprocess.run([sys.executable, "-m", "near_tui", "close", "--db", db, "--key", str(key),
                           "--out", str(out), "--leave-pending"],
                          capture_output=True, text=True, env=os.environ.copy(), stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no font warning, no dropped glyph, nothing
    text = _pdf_text((out / "declaration.pdf").read_bytes())
    for _, name, native, _, status in MEMBERS:
        if status == "member":
            assert f"{name} {native}" in text
    # Akita (absent, admitted) is named in the sentence of its admission, in English only.
    assert "Akita Prefecture" in text and "Thành phố Hồ Chí Minh" in text
    for name in ("declaration.md", "declaration.pdf", "record.json"):
        check = subprocess.run(["minisign", "-Vm", str(out / name), "-p", str(pub)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        assert "session:words-2024" in check.stdout


def test_a_name_no_font_can_print_is_refused_by_name(words_session):
    session = words_session()
    events = session.log.read_events()
    record, state = build_record(events), SessionState.from_events(events)
    member = state.members["cn-hunan"]
    state.members["cn-hunan"] = dataclasses.replace(member, native_name="\U00013000")
    with pytest.raises(MissingGlyph, match=r"U\+13000 EGYPTIAN HIEROGLYPH A001"):
        render_pdf(record, state)


def test_without_any_font_latin1_prints_exactly_and_the_rest_is_refused(words_session):
    session = words_session()
    events = session.log.read_events()
    record, state = build_record(events), SessionState.from_events(events)
    # Latin-1 throughout: no native names, no declaration block, no en dash in the dates or the office.
    for member_id, member in state.members.items():
        state.members[member_id] = dataclasses.replace(member, native_name=None)
    state.members["cn-hunan"] = dataclasses.replace(state.members["cn-hunan"], name="Çorum Préfecture")
    state.definition = dataclasses.replace(state.definition, declaration=None)
    state.items["1"].item = dataclasses.replace(state.items["1"].item, office="Chair of NEAR")
    record["session"]["closes"] = None
    assert "Çorum Préfecture" in _pdf_text(render_pdf(record, state, fonts=[]))
    state.members["cn-hunan"] = dataclasses.replace(state.members["cn-hunan"], name="Ōita Prefecture")
    with pytest.raises(MissingGlyph, match=r"'Ō' \(U\+014C LATIN CAPITAL LETTER O WITH MACRON\)"):
        render_pdf(record, state, fonts=[])  # never reduced to "O"


def test_a_rare_ideograph_prints_from_the_last_font_that_has_it(words_session, tmp_path):
    """U+20B9F (𠮟, used in Japanese names) is not in WenQuanYi: Noto Sans CJK prints it."""
    session = words_session()
    events = session.log.read_events()
    record, state = build_record(events), SessionState.from_events(events)
    state.members["jp-kyoto"] = dataclasses.replace(state.members["jp-kyoto"], native_name="京都府\U00020B9F")
    pdf = tmp_path / "rare.pdf"
    pdf.write_bytes(render_pdf(record, state))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "京都府\U00020B9F" in text
