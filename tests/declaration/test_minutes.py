"""minutes.md: the record in words — attendance, every item's figures, corrections, letters, agenda changes, close.

Expected figures come from this test's own answers and from the sample's CSV files (documents),
never from the tally code.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter

import pytest

from near_tui.core import events as ev
from near_tui.declaration.closing import close_and_write
from near_tui.declaration.minutes_text import minutes_markdown
from near_tui.declaration.record import build_record
from support import GA12_ATTENDANCE, GA12_LETTERS

WORDS = {"yes": "YES", "no": "NO", "abstain": "ABSTAIN", "not_voting": "NOT VOTING"}


def _csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _present() -> list[str]:
    return [r["member_id"] for r in _csv(GA12_ATTENDANCE) if r["mode"] in ("in_person", "online")]


def _letters() -> dict[str, dict[str, str]]:
    letters: dict[str, dict[str, str]] = {}
    for row in _csv(GA12_LETTERS):
        letters.setdefault(row["member_id"], {})[row["item_id"]] = row["position"]
    return letters


@pytest.fixture
def corrected(ga12_present):
    """Item 1 elected, item 2 voted by hand with one correction and one undo; the rest left pending."""
    s = ga12_present
    s.record_election("1", ["ru-sakha"])
    s.open_vote("2")
    answers: dict[str, str] = {}
    for member_id in s.state.call_order("2"):
        if member_id not in _present():
            continue
        vote = "abstain" if member_id == "mn-selenge" else "yes"
        s.record_vote("2", member_id, vote)
        answers[member_id] = vote
    # Henan said yes, then the clerk corrected it to no.
    s.record_vote("2", "cn-henan", "no")
    answers["cn-henan"] = "no"
    # The clerk undid that correction (back to yes), then made it again.
    s.undo_last("2")
    s.record_vote("2", "cn-henan", "no", expected="yes")
    s.close_vote("2")
    return s, answers


def _minutes(session) -> str:
    events = session.log.read_events()
    return minutes_markdown(build_record(events), events).decode("utf-8")


def test_item_figures_rule_and_outcome_are_the_recount(corrected):
    session, answers = corrected
    letters = _letters()
    by_letter = [p["2"] for m, p in letters.items() if m not in answers and "2" in p]
    counted = Counter(answers.values()) + Counter(by_letter)
    cast = counted["yes"] + counted["no"]  # abstentions are not cast under the sample's rules
    needed = math.ceil(2 * cast / 3)  # Charter Art. 9.2: two-thirds of the votes cast
    text = _minutes(session)
    item2 = text.split("### 2. ")[1].split("### 3. ")[0]
    assert "Rule: ⅔ — TWO-THIRDS of members voting (yes + no) · Charter Art. 9.2, decision under Art. 8.1" in item2
    assert (f"Yes {counted['yes']} · No {counted['no']} · Abstain {counted['abstain']} · Not voting 0 · "
            f"{needed} yes needed of {cast} cast.") in item2
    assert f"Quorum: {len(answers) + len(by_letter)} of " in item2
    assert "— met." in item2
    assert f"Outcome: ✔ CARRIED — {counted['yes']} yes of {cast} cast, {needed} needed." in item2
    # Item 4 was never opened: the minutes say so, with no figures.
    item4 = text.split("### 4. ")[1].split("### 5. ")[0]
    assert "Not put to the vote." in item4 and "Yes " not in item4


def test_corrections_say_who_from_what_to_what_and_when(corrected):
    session, _ = corrected
    text = _minutes(session)
    item2 = text.split("### 2. ")[1].split("### 3. ")[0]
    # The fixture corrected Henan twice (YES to NO, before and after the undo) and undid once:
    # the undo is listed on its own, not counted as a correction.
    assert "Corrections: 2." in item2 and "Undone entries: 1." in item2
    first, undo, again = [e for e in session.log.read_events() if e.kind == ev.VOTE_CORRECTED]

    def when(e):  # the log's own time, as UTC
        return e.recorded_at[:10] + " " + e.recorded_at[11:19] + " UTC"
    henan = "Henan Province 河南省"  # name and native name, as the roster gives them
    assert f"- {when(first)} — {henan}: YES corrected to NO" in item2
    assert f"- {when(undo)} — {henan}: NO undone to YES" in item2
    assert f"- {when(again)} — {henan}: YES corrected to NO" in item2
    assert item2.index("Undone entries") > item2.index(f"{when(again)} — {henan}")


def test_an_answer_given_anew_after_an_undo_is_no_correction(ga12_present):
    """Jilin says YES, the clerk undoes it and records ABSTAIN: the clerk shows no "corrected"
    label (tests/clerk/test_clerk_slips.py), so the minutes and the record count no correction
    either, only the undo."""
    s = ga12_present
    s.open_vote("2")
    s.record_vote("2", "cn-jilin", "yes")
    s.undo_last("2")
    s.record_vote("2", "cn-jilin", "abstain")
    s.close_vote("2")
    events = s.log.read_events()
    record = build_record(events)
    item2 = minutes_markdown(record, events).decode("utf-8").split("### 2. ")[1].split("### 3. ")[0]
    assert "Corrections: none." in item2
    assert "Undone entries: 1." in item2 and "Jilin Province 吉林省: YES undone to not called" in item2
    row = next(r for i in record["items"] if i["id"] == "2" for r in i["roll_call"]["members"]
               if r["member_id"] == "cn-jilin")
    assert (row["answer"], row["corrections"], row["undos"]) == ("abstain", 0, 1)
    assert [h["vote"] for h in row["history"]] == ["yes", None, "abstain"]


def test_letters_are_listed_with_their_positions(corrected):
    session, answers = corrected
    letters = _letters()
    text = _minutes(session)
    assert f"## Letters ({len(letters)})" in text
    kyoto = ", ".join(f"item {i}: {WORDS[p]}" for i, p in letters["jp-kyoto"].items())
    assert re.search(r"- Kyoto Prefecture 京都府, recorded \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(event \d+\): "
                     + re.escape(kyoto), text)
    # On item 2, every letter of an absent member is counted, grouped by answer.
    counted = [m for m, p in letters.items() if m not in answers and "2" in p]
    item2 = text.split("### 2. ")[1].split("### 3. ")[0]
    assert f"Counted by letter ({len(counted)}):" in item2
    yes = sum(1 for m in counted if letters[m]["2"] == "yes")
    assert f"- YES ({yes}): " in item2


def test_attendance_lists_every_member_once_with_its_native_name(corrected):
    session, _ = corrected
    text = _minutes(session).split("## Items")[0]
    members = [m for m in session.state.definition.members if m.status == "member"]
    for member in members:
        assert text.count(member.full_name) >= 1, member.id
    present = _present()
    in_person = sum(1 for r in _csv(GA12_ATTENDANCE) if r["mode"] == "in_person")
    assert f"### In person ({in_person})" in text
    assert f"### By letter ({len(_letters())})" in text
    assert f"{in_person} in person," in text and len(present) >= in_person


def test_addenda_withdrawn_postponed_and_moved_items_with_their_reasons(corrected):
    session, _ = corrected
    titles = {i.id: i.title for i in session.state.definition.items}
    session.withdraw_item("6", "the proposer asked for more time")
    session.postpone_item("7", "to the # 13th GA")  # reasons are one line (the core refuses a line break)
    session.add_item({"id": "A1", "title": "Delay of the first fee collection", "kind": "decision",
                      "article": "8.11"}, after="5")
    session.move_item("8", "4")
    events = session.log.read_events()
    text = minutes_markdown(build_record(events), events).decode("utf-8")
    assert "WITHDRAWN: the proposer asked for more time." in text.split("### 6. ")[1]
    assert re.search(r"POSTPONED: to the \\?# 13th GA\.", text.split("### 7. ")[1])
    assert "added to the agenda during the session (addendum)" in text.split("### A1. ")[1]
    changes = text.split("## Changes to the agenda")[1]
    # Each change with the time and number of its own event (the last four events, in this order).
    withdrawn, postponed, added = (f"{e.recorded_at[:10]} {e.recorded_at[11:19]} UTC, event {e.seq}"
                                   for e in events[-4:-1])
    assert f"- Item 6, {titles['6']}: withdrawn ({withdrawn}) — the proposer asked for more time" in changes
    assert re.search(re.escape(f"- Item 7, {titles['7']}: postponed ({postponed}) — to the ") + r"\\?# 13th GA",
                     changes)
    assert f"- Item A1, Delay of the first fee collection: added during the session as an addendum ({added})" \
        in changes
    assert re.search(re.escape(f"- Item 8, {titles['8']}: moved to come after item 4 (") + r".* UTC, event \d+\)",
                     changes)


def test_close_time_chain_head_and_reopening(corrected, key_pair, tmp_path):
    session, _ = corrected
    key, _ = key_pair
    close_and_write(session, key, tmp_path / "a", leave_pending=True)
    session.reopen_session("a letter was found late")
    close_and_write(session, key, tmp_path / "b", leave_pending=True)
    events = session.log.read_events()
    # A close after a reopening writes beside the first set, in reopened-1/ (docs/declaration.md).
    text = (tmp_path / "b" / "reopened-1" / "minutes.md").read_text(encoding="utf-8")
    reopen = next(e for e in events if e.kind == ev.SESSION_REOPENED)
    stamp = reopen.recorded_at[:10] + " " + reopen.recorded_at[11:19] + " UTC"
    assert f"- Reopened {stamp} (event {reopen.seq}): a letter was found late" in text
    last = events[-1]
    assert f"The session was closed {last.recorded_at[:10]} {last.recorded_at[11:19]} UTC, at event {last.seq}." in text
    assert f"Chain head: {last.hash}" in text
    # Left pending at the close: named as not taken up.
    assert "Not taken up: left pending at the close." in text.split("### 4. ")[1]
    first = (tmp_path / "a" / "minutes.md").read_text(encoding="utf-8")
    assert "It was not reopened." in first and "Reopened" not in first


def test_the_minutes_pdf_holds_every_name_and_figure(corrected, key_pair, tmp_path):
    from pypdf import PdfReader

    session, answers = corrected
    key, _ = key_pair
    close_and_write(session, key, tmp_path, leave_pending=True)
    reader = PdfReader(tmp_path / "minutes.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for member in session.state.definition.members:
        assert member.name in text, member.id
        if member.native_name:
            assert member.native_name in text, member.id
    assert f"page 1 of {len(reader.pages)}" in text
    assert "Henan Province 河南省: YES corrected to NO" in text


def test_a_reason_no_font_prints_stops_the_close_before_it_is_recorded(ga12_replayed, key_pair, tmp_path):
    from near_tui.declaration.pdf_fonts import MissingGlyph

    key, _ = key_pair
    session = ga12_replayed
    close_and_write(session, key, tmp_path / "a")
    session.reopen_session("a late letter \U00010000")  # LINEAR B SYLLABLE B008 A: in no font installed here
    events = len(session.log.read_events())
    with pytest.raises(MissingGlyph, match="U\\+10000"):
        close_and_write(session, key, tmp_path / "b")
    assert len(session.log.read_events()) == events  # not closed: nothing recorded
    assert not (tmp_path / "b").exists()
