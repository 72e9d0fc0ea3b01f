"""The live session's core guarantees: one caller, one verdict, answers that stand, seats that
cannot overwrite each other, and a log that cannot be rewritten under a reader unnoticed.

Every expected figure here is counted by the test from the answers it gives (docs/rules.md).
"""

from __future__ import annotations

import sqlite3

import pytest

from near_tui.core import events as ev
from near_tui.core.errors import InputError, LogRewritten, RuleError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.views.verdict import item_verdict, verdict
from support import FixedClock, member, write_agenda

FOUR = [member(f"m{i}") for i in range(1, 5)]
BUDGET = [{"id": "1", "title": "Budget", "kind": "decision", "article": "8.7"},
          {"id": "2", "title": "Fees", "kind": "decision", "article": "8.2"}]


def make(tmp_path, members=FOUR, items=BUDGET, name="s.sqlite"):
    agenda = write_agenda(tmp_path, members, items)
    return Session.create(load_agenda(agenda), str(tmp_path / name), clock=FixedClock())


def present(session, *ids):
    for mid in ids:
        session.set_attendance(mid, "in_person")


# --- every recorded answer stands, "not voting" included ----------------------------
def test_a_not_voting_answer_keeps_its_member_counted_after_it_leaves(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2", "m3")  # 3 of 4: quorum (2*3 > 4)
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "yes")
    s.record_vote("1", "m3", "not_voting")
    s.set_attendance("m3", "absent")
    s.close_vote("1")
    t = s.state.tally("1")
    # Counted by hand: m1, m2, m3 answered, so 3 of 4 took part; 2 yes of 2 cast.
    assert (t.participating, t.quorum_met, t.yes, t.not_voting, t.cast) == (3, True, 2, 1, 2)
    assert t.outcome == "carried"


# --- after a close nobody is "uncalled" --------------------------------------------
def test_closing_with_members_uncalled_counts_them_as_not_voting_everywhere(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2", "m3", "m4")
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "not_voting")
    open_tally = s.state.tally("1")
    assert (open_tally.not_voting, open_tally.uncalled) == (1, 2)  # m2 answered; m3, m4 not called
    s.close_vote("1")
    closed = s.state.tally("1")
    assert (closed.yes, closed.not_voting, closed.uncalled, closed.cast) == (1, 3, 0, 1)
    # A reader that folds only the summary of the log (report) has the same figures.
    reader = Session.open(s.log.db, readonly=True, summary=True)
    assert reader.state.tally("1") == closed
    reader.close_log()


# --- one verdict ---------------------------------------------------------------------
def test_a_vote_without_quorum_says_no_quorum_open_closing_and_closed(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2")  # 2 of 4 is not more than half
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "yes")
    live = verdict(s.state.tally("1"))
    if_closed = verdict(s.state.closing_tally("1"))
    s.close_vote("1")
    final = item_verdict(s.state, "1")
    assert live.code == if_closed.code == final.code == "no_quorum"
    assert "NO QUORUM" in live.words and final.words == "NO QUORUM" and final.final
    assert "2 of 4" in final.reason and "needs 3" in final.reason


def test_decided_only_once_no_answer_to_come_can_change_it(tmp_path):
    s = make(tmp_path, members=[member(f"m{i}") for i in range(1, 6)])
    present(s, "m1", "m2", "m3", "m4", "m5")
    s.open_vote("1")  # more than half of yes + no
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "yes")
    assert verdict(s.state.tally("1")).code == "undecided"  # 3 no to come would win
    s.record_vote("1", "m3", "yes")
    v = verdict(s.state.tally("1"))
    assert (v.code, v.final, v.words) == ("carried", False, "DECIDED: CARRIED")  # 3 yes beat 2 no


# --- the member being called is one fact ---------------------------------------------
def test_the_call_returns_to_the_first_member_not_yet_answered(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2", "m3", "m4")
    s.open_vote("1")
    assert s.state.now_calling("1") == "m1"
    s.record_vote("1", "m3", "yes")  # out of order
    assert s.state.now_calling("1") == "m1"
    s.record_vote("1", "m1", "no")
    assert s.state.now_calling("1") == "m2"
    s.record_vote("1", "m2", "yes")
    assert s.state.now_calling("1") == "m4"
    s.record_vote("1", "m4", "yes")
    assert s.state.now_calling("1") is None


# --- seats and imports cannot give a second first answer -----------------------
def test_a_second_first_answer_is_refused(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2", "m3")
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    with pytest.raises(RuleError, match="already answered YES"):
        s.record([(ev.VOTE_RECORDED, {"item_id": "1", "member_id": "m1", "vote": "no"})])


def test_a_seat_that_did_not_see_another_seats_answer_is_refused(tmp_path):
    a = make(tmp_path)
    present(a, "m1", "m2", "m3")
    a.open_vote("1")
    b = Session.open(a.log.db, clock=FixedClock())
    b.record_vote("1", "m1", "yes", expected=None)  # seat B answers first
    with pytest.raises(RuleError, match="another seat has just recorded M1: YES"):
        a.record_vote("1", "m1", "no", expected=None)  # seat A still saw m1 uncalled
    assert a.state.items["1"].votes == {"m1": "yes"}  # A has caught up with B's answer
    a.record_vote("1", "m1", "no", expected="yes")  # a deliberate correction goes through
    kinds = [e.kind for e in a.log.read_events() if e.kind in (ev.VOTE_RECORDED, ev.VOTE_CORRECTED)]
    assert kinds == [ev.VOTE_RECORDED, ev.VOTE_CORRECTED]
    b.close_log()
    a.close_log()


def test_an_import_planned_before_a_clerks_answer_never_records_a_second_first_answer(tmp_path):
    importer = make(tmp_path)
    present(importer, "m1", "m2", "m3")
    importer.open_vote("1")
    clerk = Session.open(importer.log.db, clock=FixedClock())
    votes = tmp_path / "votes.csv"
    votes.write_text("item_id,member_id,vote\n1,m1,no\n1,m2,yes\n1,m3,yes\n", encoding="utf-8")
    # The clerk answers for m1 after the importer last read the log, before its write.
    clerk.record_vote("1", "m1", "yes")
    import_file(importer, "votes", votes)
    per_member: dict[str, list[str]] = {}
    for e in importer.log.read_events():
        if e.kind in (ev.VOTE_RECORDED, ev.VOTE_CORRECTED):
            per_member.setdefault(e.payload["member_id"], []).append(e.kind)
    assert per_member == {"m1": [ev.VOTE_RECORDED, ev.VOTE_CORRECTED],
                          "m2": [ev.VOTE_RECORDED], "m3": [ev.VOTE_RECORDED]}
    clerk.close_log()
    importer.close_log()


def test_an_import_refused_inside_the_transaction_writes_nothing(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2")
    before = s.log.head_seq()
    bad = tmp_path / "votes.csv"
    bad.write_text("item_id,member_id,vote\n1,m1,yes\n1,m4,yes\n", encoding="utf-8")  # m4 is absent
    with pytest.raises(InputError) as caught:
        import_file(s, "votes", bad)
    assert str(caught.value).startswith(f"{bad}:3:")
    assert s.log.head_seq() == before and s.state.last_seq == before


# --- a log rewritten under a reader or a writer --------------------------------------
def _rewrite_vote(db: str, seq: int, vote: str) -> None:
    conn = sqlite3.connect(db)
    payload = conn.execute("SELECT payload FROM near_events WHERE seq = ?", (seq,)).fetchone()[0]
    conn.execute("UPDATE near_events SET payload = ? WHERE seq = ?",
                 (payload.replace('"yes"', f'"{vote}"'), seq))
    conn.commit()
    conn.close()


def _rehash_from(db: str, seq: int) -> None:
    """A careful forger: re-hash the chain from ``seq`` so that it holds together again."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT seq, kind, payload, recorded_at, prev_hash FROM near_events ORDER BY seq").fetchall()
    prev = ev.GENESIS
    import json
    for s, kind, payload, at, _old_prev in rows:
        digest = ev.event_hash(s, kind, json.loads(payload), at, prev)
        conn.execute("UPDATE near_events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, s))
        prev = digest
    conn.commit()
    conn.close()


def test_a_reader_and_a_writer_notice_a_rehashed_rewrite(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2", "m3")
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    vote_seq = s.state.last_seq
    reader = Session.open(s.log.db, readonly=True, follow=True)
    _rewrite_vote(s.log.db, vote_seq, "no")
    _rehash_from(s.log.db, vote_seq)
    with pytest.raises(LogRewritten, match="rewritten"):
        reader.refresh()
    with pytest.raises(LogRewritten, match="rewritten"):
        s.record_vote("1", "m2", "yes")
    assert s.state.items["1"].votes == {"m1": "yes"}  # the writer did not adopt the forgery
    reader.close_log()
    s.close_log()


def test_a_reader_notices_deleted_events(tmp_path):
    s = make(tmp_path)
    present(s, "m1", "m2")
    reader = Session.open(s.log.db, readonly=True, follow=True)
    conn = sqlite3.connect(s.log.db)
    conn.execute("DELETE FROM near_events WHERE seq = ?", (s.state.last_seq,))
    conn.commit()
    conn.close()
    with pytest.raises(LogRewritten, match="is gone"):
        reader.refresh()
    reader.close_log()
    s.close_log()


def test_absorb_refuses_events_that_do_not_link_onto_the_chain(tmp_path):
    s = make(tmp_path)
    present(s, "m1")
    follower = Session.open(s.log.db, readonly=True, follow=True)
    present(s, "m2")
    (new,) = s.log.read_events(follower.state.last_seq)
    forged = ev.Event(new.seq, new.kind, {**new.payload, "mode": "online"}, new.recorded_at, new.prev_hash, new.hash)
    with pytest.raises(LogRewritten):
        follower.absorb([forged])
    assert follower.absorb([new]) == [new]
    follower.close_log()
    s.close_log()
