"""Closing carries what the clerk saw: a vote closes only on the tally the clerk confirmed, a session
only with the pending items the clerk confirmed. Two seats share one database file here; the second
writes between the first seat's look and its close, which is what the check inside the write
transaction is for. Expected figures are counted from the answers each test gives."""

from __future__ import annotations

import pytest

from near_tui.core import events as ev
from near_tui.core.errors import RuleError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, member, write_agenda

FIVE = [member(f"m{i}") for i in range(1, 6)]
ITEMS = [
    {"id": "1", "title": "Budget", "kind": "decision", "article": "8.7"},
    {"id": "2", "title": "Report", "kind": "report"},
    {"id": "3", "title": "Minutes", "kind": "report"},
]


@pytest.fixture
def seats(tmp_path):
    """Two seats on one session: every member present, the vote on item 1 open."""
    db = str(tmp_path / "s.sqlite")
    first = Session.create(load_agenda(write_agenda(tmp_path, FIVE, ITEMS)), db, clock=FixedClock())
    for m in FIVE:
        first.set_attendance(m["id"], "in_person")
    first.open_vote("1")
    second = Session.open(db, clock=FixedClock())
    yield first, second
    first.close_log()
    second.close_log()


def kinds(session):
    return [e.kind for e in session.log.read_events()]


def test_a_vote_closes_on_the_tally_the_clerk_saw(seats):
    first, _ = seats
    for m, vote in zip(("m1", "m2", "m3"), ("yes", "yes", "no"), strict=True):
        first.record_vote("1", m, vote)
    seen = first.state.closing_tally("1")
    first.close_vote("1", expected=seen)
    frozen = first.state.tally("1")
    # Counted here: 2 yes, 1 no, and m4, m5 never called count as not voting.
    assert (frozen.status, frozen.yes, frozen.no, frozen.not_voting) == ("closed", 2, 1, 2)


def test_a_vote_another_seat_answered_on_meanwhile_is_not_closed(seats):
    first, second = seats
    first.record_vote("1", "m1", "yes")
    seen = first.state.closing_tally("1")  # what the first seat's dialog shows: 1 yes
    second.refresh()
    second.record_vote("1", "m2", "no")  # the first seat has not read this yet
    before = kinds(first)
    with pytest.raises(RuleError, match=r"figures of item 1 changed .*now yes 1, no 1, abstain 0, not voting 3"):
        first.close_vote("1", expected=seen)
    assert kinds(first) == before, "nothing was written"
    assert first.state.items["1"].status == "open"
    # Closing on what is recorded now goes through.
    first.close_vote("1", expected=first.state.closing_tally("1"))
    assert first.state.tally("1").no == 1 and first.state.items["1"].status == "closed"


def test_a_session_closes_with_the_pending_items_the_clerk_confirmed(seats):
    first, _ = seats
    first.close_vote("1")
    first.close_session(left_pending=["3", "2"])
    closed = first.log.read_events()[-1]
    assert (closed.kind, sorted(closed.payload["left_pending"])) == (ev.SESSION_CLOSED, ["2", "3"])


def test_a_session_is_not_closed_when_another_seat_recorded_an_item_meanwhile(seats):
    first, second = seats
    first.close_vote("1")
    confirmed = ["2", "3"]  # what the first seat's dialog listed and the clerk ticked
    second.refresh()
    second.note_item("2")  # the other seat records item 2 before the close is written
    before = kinds(first)
    with pytest.raises(RuleError, match=r"items still pending changed .*\(now: 3\)"):
        first.close_session(left_pending=confirmed)
    assert kinds(first) == before and not first.state.closed
    first.close_session(left_pending=["3"])
    assert first.state.closed


def test_confirming_no_pending_item_refuses_a_close_that_would_leave_one(seats):
    first, _ = seats
    first.close_vote("1")
    with pytest.raises(RuleError, match=r"items still pending changed .*\(now: 2, 3\)"):
        first.close_session(left_pending=[])
    assert not first.state.closed
