"""Agenda changes during a live session: addenda, withdrawals, postponements, moves.

Each is an event in the hash chain; the state, the rules, the verdict and the report follow it.
Every refusal is pinned with the words a clerk reads. Expected figures are the test's own count.
"""

from __future__ import annotations

import pytest

from near_tui.core import events as ev
from near_tui.core.errors import InputError, RuleError
from near_tui.core.events import chain_problems
from near_tui.declaration.audit import audit_log
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from near_tui.views.report import build_report
from near_tui.views.verdict import item_verdict
from support import FixedClock, member, write_agenda

FIVE = [member(f"m{i}") for i in range(1, 6)] + [member("ap", status="applicant"),
                                                  member("ap2", status="applicant")]
ITEMS = [
    {"id": "1", "title": "Budget", "kind": "decision", "article": "8.7"},
    {"id": "2", "title": "Report of the Secretariat", "kind": "report"},
    {"id": "3", "title": "Next Chair", "kind": "election"},
    {"id": "4", "title": "Admission", "kind": "decision", "article": "8.1", "admits": ["ap"]},
]


@pytest.fixture
def s(tmp_path):
    agenda = write_agenda(tmp_path, FIVE, ITEMS)
    session = Session.create(load_agenda(agenda), str(tmp_path / "s.sqlite"), clock=FixedClock())
    for mid in ("m1", "m2", "m3", "m4"):
        session.set_attendance(mid, "in_person")
    yield session
    session.close_log()


def refused(action, *fragments):
    with pytest.raises(RuleError) as caught:
        action()
    text = str(caught.value)
    assert "\n" not in text, text  # one line; the fragments pin the way out
    for fragment in fragments:
        assert fragment in text, text
    return text


def order(session):
    return list(session.state.item_order)


# ------------------------------------------------------------------ adding
def test_an_addendum_goes_after_the_item_named_or_at_the_end(s):
    s.add_item({"id": "A1", "title": "Ad-hoc Working Committee", "kind": "decision", "article": "8.11"}, after="1")
    s.add_item({"id": "A2", "title": "Tabling an item", "kind": "decision", "article": "8.11"})
    assert order(s) == ["1", "A1", "2", "3", "4", "A2"]
    assert s.state.items["A1"].added and s.state.items["A2"].added and not s.state.items["1"].added
    assert [e.kind for e in s.log.read_events()][-2:] == [ev.ITEM_ADDED, ev.ITEM_ADDED]


def test_an_addendum_is_voted_and_carried_like_any_item(s):
    s.add_item({"id": "A1", "title": "Ad-hoc Working Committee", "kind": "decision", "article": "8.11",
                "resolution": {"carried": "approved an ad-hoc Working Committee"}})
    s.open_vote("A1")
    for mid, vote in (("m1", "yes"), ("m2", "yes"), ("m3", "no"), ("m4", "abstain")):
        s.record_vote("A1", mid, vote)
    s.close_vote("A1")
    t = s.state.tally("A1")
    # 2 yes, 1 no (abstention not cast): 2 of 3 is more than half.
    assert (t.yes, t.no, t.abstain, t.cast, t.outcome) == (2, 1, 1, 3, "carried")
    assert s.state.items["A1"].item.resolution.carried == "approved an ad-hoc Working Committee"


def test_an_addendum_under_8_1_admits_its_applicants(s):
    s.add_item({"id": "A1", "title": "Admission of ap2", "kind": "decision", "article": "8.1", "admits": ["ap2"]})
    s.open_vote("A1")
    for mid in ("m1", "m2", "m3", "m4"):
        s.record_vote("A1", mid, "yes")
    s.close_vote("A1")
    assert s.state.members["ap2"].status == "member"
    assert s.state.admitted == {"ap2": "A1"}


def test_text_is_stored_stripped_and_replays_the_same(s, tmp_path):
    s.add_item({"id": "A1", "title": "  Ad hoc  ", "kind": "report"})
    assert s.state.items["A1"].item.title == "Ad hoc"
    again = Session.open(s.log.db, readonly=True)
    assert again.state.items["A1"].item == s.state.items["A1"].item
    assert again.state.item_order == order(s)
    again.close_log()


@pytest.mark.parametrize("item,fragments", [
    ({"id": "1", "title": "Again", "kind": "report"}, ["item id '1' is already on the agenda", "its own id"]),
    ({"id": "A", "title": "No article", "kind": "decision"}, ["decision item 'A' has no article", "article: \"8.N\""]),
    ({"id": "A", "title": "Noted", "kind": "report", "article": "8.7"}, ["is a report, which is not voted on"]),
    ({"id": "A", "title": "Bad", "kind": "decision", "article": "8.12"}, ["article '8.12' is not a Charter Art. 8 clause", "use one of 8.1"]),
    ({"id": "A", "title": "Bad", "kind": "vote"}, ["kind 'vote' is not allowed", "use decision, election"]),
    ({"id": "A", "title": "Bad", "kind": "report", "artcle": "8.1"}, ["unknown key 'artcle'"]),
    ({"id": "A", "title": "Tab\there", "kind": "report"}, ["item 'A' title contains a tab (TAB, U+0009)"]),
    ({"id": "A", "title": "  ", "kind": "report"}, ["item 'A' title is only white space"]),
    ({"id": "A", "title": "Adm", "kind": "decision", "article": "8.7", "admits": ["ap2"]},
     ["admits members but is not an Art. 8.1 admission"]),
    ({"id": "A", "title": "Adm", "kind": "decision", "article": "8.1", "admits": ["nobody"]},
     ["admits 'nobody', which is not on the roster"]),
    ({"id": "A", "title": "Adm", "kind": "decision", "article": "8.1", "admits": ["m1"]},
     ["admits 'm1', whose status is member"]),
    ({"id": "A", "title": "Adm", "kind": "decision", "article": "8.1", "admits": ["ap"]},
     ["'ap' is already admitted by item '4'"]),
    ({"id": "A", "title": "Coordinator", "kind": "decision", "article": "sub-5.8"},
     ["Subcommittee Regulations Art. 5.8", "Working Committee"]),
    ({"id": "A", "title": "Deleg", "kind": "decision", "article": "8.7", "delegated_by": "GA 11"},
     ["has delegated_by, but a General Assembly decides"]),
])
def test_an_addendum_is_refused_as_the_agenda_file_would_refuse_it(s, item, fragments):
    before = s.state.last_seq
    refused(lambda: s.add_item(item), *fragments)
    assert s.state.last_seq == before and "A" not in s.state.items


def test_an_addendum_gets_the_words_check_gives_for_the_same_item_in_a_file(s, tmp_path):
    bad = {"id": "A", "title": "No article", "kind": "decision"}
    with pytest.raises(InputError) as in_file:
        load_agenda(write_agenda(tmp_path, FIVE, ITEMS + [bad], name="bad.yaml"))
    with pytest.raises(RuleError) as live:
        s.add_item(bad)
    assert in_file.value.message == str(live.value)


def test_after_must_name_an_item(s):
    refused(lambda: s.add_item({"id": "A", "title": "x", "kind": "report"}, after="9"),
            "there is no agenda item '9'", "name one of 1, 2, 3, 4")


def test_a_withdrawn_admission_no_longer_claims_its_applicant(s):
    s.withdraw_item("4", "the application was withdrawn")
    s.add_item({"id": "A", "title": "Admission", "kind": "decision", "article": "8.1", "admits": ["ap"]})
    assert s.state.items["A"].item.admits == ["ap"]


# ------------------------------------------------------ withdrawing, postponing
def test_a_withdrawn_item_cannot_be_opened_voted_or_recorded(s, tmp_path):
    s.withdraw_item("1", "the budget is not ready")
    s.withdraw_item("2", "the Secretary-General is absent")
    s.postpone_item("3", "no candidate yet")
    item = s.state.items["1"]
    assert (item.status, item.reason) == ("withdrawn", "the budget is not ready")
    assert s.state.items["3"].status == "postponed"
    refused(lambda: s.open_vote("1"), "item '1' was withdrawn (the budget is not ready)", "cannot be voted")
    refused(lambda: s.note_item("2"), "item '2' was withdrawn", "nothing can be recorded")
    refused(lambda: s.record_election("3", ["m1"]), "item '3' was postponed (no candidate yet)")
    refused(lambda: s.record_letter("m5", {"1": "yes"}), "item '1' was withdrawn", "leave its position out")


def test_a_consensus_item_withdrawn_cannot_be_recorded(s):
    s.add_item({"id": "C", "title": "Statement", "kind": "consensus"})
    s.postpone_item("C", "translation missing")
    refused(lambda: s.record_consensus("C", True), "item 'C' was postponed", "nothing can be recorded")


def test_a_vote_on_a_withdrawn_item_is_refused_even_as_an_event(s):
    # The check is the state's, not the Session method's: a raw event is refused too.
    s.withdraw_item("1", "not ready")
    refused(lambda: s.record([(ev.VOTE_RECORDED, {"item_id": "1", "member_id": "m1", "vote": "yes"})]),
            "item '1' was withdrawn")


def test_an_open_or_taken_up_item_cannot_be_withdrawn_or_postponed(s):
    s.note_item("2")
    s.open_vote("1")
    refused(lambda: s.withdraw_item("1", "late"), "item '1' is open", "only an item not yet taken up")
    refused(lambda: s.postpone_item("2", "late"), "item '2' is already decided or recorded")
    s.record_vote("1", "m1", "yes")
    s.close_vote("1")
    refused(lambda: s.postpone_item("1", "late"), "item '1' is already decided or recorded")


def test_twice_or_without_a_reason_is_refused(s):
    s.withdraw_item("1", "x")
    refused(lambda: s.withdraw_item("1", "y"), "item '1' is already withdrawn", "nothing to withdraw")
    refused(lambda: s.postpone_item("1", "y"), "item '1' is already withdrawn", "nothing to postpone")
    refused(lambda: s.postpone_item("2", ""), "the reason is empty")
    refused(lambda: s.postpone_item("2", "a\x1b[2Jb"), "the reason contains a control character (ESC, U+001B)")
    refused(lambda: s.withdraw_item("9", "x"), "there is no agenda item '9'")


def test_withdrawn_and_postponed_items_are_not_pending_so_the_close_does_not_wait_for_them(s):
    s.withdraw_item("1", "not ready")
    s.postpone_item("3", "to the next assembly")
    assert s.state.pending_items() == ["2", "4"]
    s.note_item("2")
    refused(lambda: s.close_session(), "item(s) 4 still pending")
    s.open_vote("4")
    for mid in ("m1", "m2", "m3", "m4"):
        s.record_vote("4", mid, "yes")
    s.close_vote("4")
    s.close_session()
    assert s.state.closed and s.log.read_events()[-1].payload == {}


def test_a_letter_on_a_withdrawn_item_never_counts(s):
    s.record_letter("m5", {"1": "no", "4": "yes"})
    s.withdraw_item("1", "not ready")
    t = s.state.tally("1")
    assert (t.yes, t.no, t.abstain, t.not_voting, t.outcome, t.status) == (0, 0, 0, 0, "withdrawn", "withdrawn")
    # Every surface's rows agree with the tally: the letter shows no answer on the withdrawn item.
    assert s.state.position("1", "m5") == (None, "uncalled")
    assert s.state.position("4", "m5") == ("yes", "letter")


# ------------------------------------------------------------------ moving
def test_moving_an_item(s):
    s.move_item("1", "3")
    assert order(s) == ["2", "3", "1", "4"]
    s.move_item("4", "2")
    assert order(s) == ["2", "4", "3", "1"]


def test_moving_is_refused_for_items_taken_up_or_after_nothing(s):
    s.note_item("2")
    refused(lambda: s.move_item("2", "4"), "item '2' is closed", "only an item still to come")
    refused(lambda: s.move_item("1", "1"), "cannot be moved after itself")
    refused(lambda: s.move_item("1", "zz"), "there is no agenda item 'zz'")
    refused(lambda: s.move_item("1", None), "there is no agenda item None")


def test_nothing_changes_the_agenda_after_the_close(s):
    s.close_session(leave_pending=True)
    refused(lambda: s.add_item({"id": "A", "title": "x", "kind": "report"}), "the session is closed")
    refused(lambda: s.withdraw_item("1", "x"), "the session is closed")
    refused(lambda: s.move_item("1", "2"), "the session is closed")


# ------------------------------------------------------- verdict, report, log
def test_verdict_and_report_say_withdrawn_and_postponed(s):
    s.add_item({"id": "A", "title": "Ad hoc", "kind": "decision", "article": "8.11"}, after="1")
    s.withdraw_item("1", "the budget is not ready")
    s.postpone_item("2", "the report is late")
    v = item_verdict(s.state, "1")
    assert (v.code, v.words, v.final) == ("withdrawn", "WITHDRAWN", True)
    assert "the budget is not ready" in v.reason
    assert item_verdict(s.state, "2").words == "POSTPONED"
    items = {i["id"]: i for i in build_report(s.state)["items"]}
    assert [i["id"] for i in build_report(s.state)["items"]] == ["1", "A", "2", "3", "4"]
    assert (items["1"]["status"], items["1"]["outcome"], items["1"]["reason"]) == \
        ("withdrawn", "withdrawn", "the budget is not ready")
    assert (items["2"]["status"], items["2"]["outcome"], items["2"]["reason"]) == \
        ("postponed", "postponed", "the report is late")
    assert items["A"]["added"] is True and "added" not in items["1"] and "reason" not in items["A"]
    assert items["1"]["verdict"]["words"] == "WITHDRAWN"


def test_the_log_holds_and_audit_replays_every_agenda_change(s):
    s.add_item({"id": "A", "title": "Ad hoc", "kind": "decision", "article": "8.11"}, after="1")
    s.move_item("A", "3")
    s.withdraw_item("1", "not ready")
    s.postpone_item("2", "late")
    s.open_vote("A")
    s.record_vote("A", "m1", "yes")
    s.close_vote("A")
    events = s.log.read_events()
    assert chain_problems(events) == []
    kinds = [e.kind for e in events]
    for kind in (ev.ITEM_ADDED, ev.ITEM_MOVED, ev.ITEM_WITHDRAWN, ev.ITEM_POSTPONED):
        assert kind in kinds
    done = audit_log(s.log.db)
    assert done.holds, done.findings.problems
    assert done.events == len(events)
    # A summary reader (the report's) folds the same agenda.
    summary = Session.open(s.log.db, readonly=True, summary=True)
    assert summary.state.item_order == ["1", "2", "3", "A", "4"]
    assert summary.state.tally("A").outcome == "carried"
    summary.close_log()


def test_audit_catches_a_forged_vote_on_a_withdrawn_item(s):
    from near_tui.storage.session_log import chain

    s.withdraw_item("1", "not ready")
    events = s.log.read_events()
    # A rewrite that re-hashes the chain but breaks the rule: the audit's replay refuses it.
    forged = events + chain([(ev.VOTE_OPENED, {"item_id": "1", "order": "roster"})],
                            events[-1].seq, events[-1].hash, "2018-10-29T10:00:00.000Z")
    from near_tui.declaration.verification import Findings, check_events

    found = Findings()
    check_events(forged, found)
    assert any("item '1' was withdrawn" in p for p in found.problems), found.problems


def test_an_old_log_without_agenda_events_replays_unchanged(tmp_path):
    agenda = write_agenda(tmp_path, FIVE, ITEMS)
    s = Session.create(load_agenda(agenda), str(tmp_path / "old.sqlite"), clock=FixedClock())
    s.set_attendance("m1", "in_person")
    s.note_item("2")
    again = Session.open(s.log.db, readonly=True)
    assert again.state.item_order == ["1", "2", "3", "4"]
    assert not any(i.added or i.reason for i in again.state.items.values())
    assert "added" not in build_report(again.state)["items"][1]
    again.close_log()
    s.close_log()


@pytest.mark.parametrize("item,after,key", [
    ({"id": "1", "title": "Again", "kind": "report"}, None, "id"),
    ({"id": "A", "title": "x", "kind": "decision"}, None, "article"),
    ({"id": "A", "title": "a\tb", "kind": "report"}, None, "title"),
    ({"id": "A", "title": "x", "kind": "decision", "article": "8.1", "admits": ["m1"]}, None, "admits"),
    ({"id": "A", "title": "x", "kind": "decision", "article": "8.7",
      "resolution": {"carried": "a\x1bb"}}, None, "carried"),
    ({"id": "A", "title": "x", "kind": "report"}, "nine", "after"),
])
def test_a_refused_addendum_names_the_field_at_fault(s, item, after, key):
    # A form (the clerk's) or a command line (--title) points at its own field with this key.
    from near_tui.core.state import ItemRefused

    with pytest.raises(ItemRefused) as caught:
        s.add_item(item, after=after)
    assert caught.value.key == key
