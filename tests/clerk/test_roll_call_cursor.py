"""The roll call's cursor without Pilot: who is called, the row selected, what a vote key means.

Members and answers come from the 12th GA sample recorded through the Session; who is
present and who wrote a letter the test reads from the sample's own files, not from the
cursor under test.
"""

from __future__ import annotations

import csv

from near_tui.clerk.roll_call_cursor import Answer, NobodyLeft, Propose, RollCallCursor
from support import GA12_ATTENDANCE, GA12_LETTERS


def present() -> set[str]:
    with open(GA12_ATTENDANCE, newline="", encoding="utf-8") as f:
        return {row["member_id"] for row in csv.DictReader(f) if row["mode"] in ("in_person", "online")}


def with_letter() -> set[str]:
    with open(GA12_LETTERS, newline="", encoding="utf-8") as f:
        return {row["member_id"] for row in csv.DictReader(f)}


def test_at_home_a_key_answers_the_member_called_by_name(ga12_present):
    session = ga12_present
    session.open_vote("2")
    cursor = RollCallCursor()
    cursor.now = session.state.now_calling("2")
    assert cursor.now in present()
    meaning = cursor.vote_key(session.state, "2", "no")
    assert meaning == Answer(cursor.now, "no", None)  # the member named, not "whoever is called then"


def test_nobody_left_to_call_records_nothing(ga12_present):
    session = ga12_present
    session.open_vote("2")
    cursor = RollCallCursor()
    cursor.now = None
    assert cursor.vote_key(session.state, "2", "yes") == NobodyLeft()
    assert cursor.pending is None


def test_a_selected_row_not_called_is_answered_out_of_order(ga12_present):
    session = ga12_present
    session.open_vote("2")
    state = session.state
    called = state.now_calling("2")
    later = next(m for m in state.call_order("2") if m in present() - with_letter() and m != called)
    cursor = RollCallCursor()
    cursor.now = called
    assert not cursor.moved_to(later)
    assert cursor.selected == later and cursor.on_row() == later
    assert cursor.vote_key(state, "2", "abstain") == Answer(later, "abstain", None)
    cursor.moved_to(called)  # back on the member called: nothing selected
    assert cursor.selected is None and cursor.on_row() == called


def test_a_recorded_row_only_proposes_a_correction_until_enter(ga12_present):
    session = ga12_present
    session.open_vote("2")
    first = session.state.now_calling("2")
    session.record_vote("2", first, "yes")
    state = session.state
    cursor = RollCallCursor()
    cursor.now = state.now_calling("2")
    cursor.moved_to(first)
    meaning = cursor.vote_key(state, "2", "no")
    assert isinstance(meaning, Propose) and cursor.pending is meaning.correction
    assert (meaning.correction.member_id, meaning.correction.was, meaning.correction.expected) == (first, "YES", "yes")
    assert not cursor.stale(state, "2", can_record=True)
    assert cursor.confirm() == Answer(first, "no", "yes")  # with what the row showed
    assert cursor.pending is None and cursor.confirm() is None  # once


def test_a_letter_row_proposes_an_answer_in_person(ga12_present):
    session = ga12_present
    session.open_vote("2")
    state = session.state
    letter = next(m for m in state.call_order("2") if m in with_letter() and state.position("2", m)[1] == "letter")
    cursor = RollCallCursor()
    cursor.now = state.now_calling("2")
    cursor.moved_to(letter)
    meaning = cursor.vote_key(state, "2", "no")
    assert isinstance(meaning, Propose)
    assert meaning.correction.was.endswith("(letter)") and meaning.correction.expected is None


def test_a_correction_is_dropped_when_its_row_changes_or_the_cursor_moves(ga12_present):
    session = ga12_present
    session.open_vote("2")
    first = session.state.now_calling("2")
    session.record_vote("2", first, "yes")
    cursor = RollCallCursor()
    cursor.now = session.state.now_calling("2")
    cursor.moved_to(first)
    cursor.vote_key(session.state, "2", "no")
    session.record_vote("2", first, "abstain")  # another seat corrects the row meanwhile
    assert cursor.stale(session.state, "2", can_record=True) and cursor.pending is None
    cursor.moved_to(first)
    cursor.vote_key(session.state, "2", "no")
    assert cursor.moved_to(cursor.now) and cursor.pending is None  # moving away drops it
