"""The session engine applies the readings of docs/rules.md: letters, restricted members, admission, undo."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from near_tui.core.errors import RuleError
from near_tui.core.events import chain_problems
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, member, write_agenda


def make_session(tmp_path, members, items, rules=None, name="s.sqlite"):
    agenda = write_agenda(tmp_path, members, items, rules)
    return Session.create(load_agenda(agenda), str(tmp_path / name), clock=FixedClock())


FIVE = [member(f"m{i}") for i in range(1, 6)]
DECISIONS = [
    {"id": "1", "title": "Budget", "kind": "decision", "article": "8.7"},
    {"id": "2", "title": "Charter", "kind": "decision", "article": "8.3"},
]


def present(session, *ids, mode="in_person"):
    for mid in ids:
        session.set_attendance(mid, mode)


def test_letter_counts_toward_quorum_and_casts_its_position(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1", "m2")
    assert not s.state.tally("1").quorum_met  # 2 of 5
    s.record_letter("m3", {"1": "no"})
    s.open_vote("1")
    t = s.state.tally("1")
    assert (t.participating, t.quorum_required, t.quorum_met) == (3, 3, True)
    assert (t.no, t.uncalled) == (1, 2)
    # On an item the letter does not name, the member counts for quorum but does not vote.
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "yes")
    s.close_vote("1")
    s.open_vote("2")
    t2 = s.state.tally("2")
    # m3's letter is silent on item 2: not voting; m1 and m2 are present and not called yet.
    assert (t2.participating, t2.not_voting, t2.uncalled) == (3, 1, 2)


def test_letter_stops_applying_when_member_is_marked_present(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1", "m2")
    s.record_letter("m3", {"1": "no"})
    s.open_vote("1")
    assert s.state.position("1", "m3") == ("no", "letter")
    s.set_attendance("m3", "in_person")
    assert s.state.position("1", "m3") == (None, "uncalled")
    assert not s.state.letters["m3"].in_effect
    # Marked absent again, the spent letter does not come back.
    s.set_attendance("m3", "absent")
    assert not s.state.is_participating("m3")


def test_letter_for_a_present_member_is_refused(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1")
    with pytest.raises(RuleError, match="present"):
        s.record_letter("m1", {"1": "yes"})


def test_restricted_member_counts_for_quorum_but_is_never_called(tmp_path):
    members = FIVE[:4] + [member("m5", voting="restricted")]
    s = make_session(tmp_path, members, DECISIONS)
    present(s, "m1", "m2", "m5")
    s.open_vote("1")
    t = s.state.tally("1")
    assert (t.quorum_base, t.participating, t.quorum_met, t.uncalled) == (5, 3, True, 2)
    assert "m5" not in s.state.call_order("1")
    with pytest.raises(RuleError, match="restricted"):
        s.record_vote("1", "m5", "yes")
    with pytest.raises(RuleError, match="restricted"):
        s.record_letter("m5", {"1": "yes"})


def test_restricted_members_can_be_left_out_of_the_base(tmp_path):
    members = FIVE[:4] + [member("m5", voting="restricted")]
    s = make_session(tmp_path, members, DECISIONS, rules={"restricted_count_toward_quorum": False})
    present(s, "m1", "m2", "m5")
    t = s.state.tally("1")
    assert (t.quorum_base, t.participating, t.quorum_met) == (4, 2, False)


def test_observers_associates_and_applicants_neither_count_nor_vote(tmp_path):
    members = FIVE + [member("obs", status="observer"), member("hcmc", status="associate", country="VN"),
                      member("app", status="applicant")]
    s = make_session(tmp_path, members, DECISIONS)
    present(s, "m1", "m2", "obs", "hcmc", "app")
    s.open_vote("1")
    t = s.state.tally("1")
    assert (t.quorum_base, t.participating) == (5, 2)
    for outsider in ("obs", "hcmc", "app"):
        with pytest.raises(RuleError):
            s.record_vote("1", outsider, "yes")


def test_absent_member_without_letter_cannot_vote(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1", "m2", "m3")
    s.open_vote("1")
    with pytest.raises(RuleError, match="absent"):
        s.record_vote("1", "m4", "yes")


def test_admission_adds_applicants_for_the_following_items(tmp_path):
    members = FIVE + [member("app", status="applicant")]
    items = [{"id": "1", "title": "Admit", "kind": "decision", "article": "8.1", "admits": ["app"]}] + DECISIONS[1:]
    s = make_session(tmp_path, members, items)
    present(s, "m1", "m2", "m3", "app")
    s.open_vote("1")
    for mid in ("m1", "m2", "m3"):
        s.record_vote("1", mid, "yes")
    s.close_vote("1")
    assert s.state.tally("1").quorum_base == 5
    assert s.state.members["app"].status == "member"
    assert s.state.tally("2").quorum_base == 6
    s.open_vote("2")
    assert "app" in s.state.call_order("2")
    assert [e.kind for e in s.log.read_events()][-3:-1] == ["vote_closed", "member_admitted"]


def test_admission_not_carried_admits_nobody(tmp_path):
    members = FIVE + [member("app", status="applicant")]
    items = [{"id": "1", "title": "Admit", "kind": "decision", "article": "8.1", "admits": ["app"]}]
    s = make_session(tmp_path, members, items)
    present(s, "m1", "m2", "m3")
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "no")
    s.record_vote("1", "m3", "no")
    s.close_vote("1")
    assert s.state.tally("1").outcome == "not_carried"
    assert s.state.members["app"].status == "applicant"


def test_undo_and_correction_are_new_events_and_the_tally_follows(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1", "m2", "m3")
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "no")
    s.undo_last("1")  # m2 back to not called
    assert s.state.position("1", "m2") == (None, "uncalled")
    assert s.state.now_calling("1") == "m2"
    s.record_vote("1", "m2", "yes")
    s.record_vote("1", "m1", "abstain")  # a correction of an earlier entry
    t = s.state.tally("1")
    assert (t.yes, t.no, t.abstain, t.uncalled) == (1, 0, 1, 1)
    kinds = [e.kind for e in s.log.read_events()]
    assert kinds.count("vote_corrected") == 2 and kinds.count("vote_recorded") == 3
    s.undo_last("1")  # undoes the correction: m1 back to yes
    assert s.state.position("1", "m1") == ("yes", "recorded")
    assert chain_problems(s.log.read_events()) == []


def test_closing_freezes_the_tally(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1", "m2", "m3")
    s.open_vote("1")
    for mid in ("m1", "m2", "m3"):
        s.record_vote("1", mid, "yes")
    s.close_vote("1")
    before = s.state.tally("1")
    s.set_attendance("m1", "absent")
    s.set_attendance("m4", "in_person")
    assert s.state.tally("1") == before
    with pytest.raises(RuleError, match="closed"):
        s.record_vote("1", "m4", "no")
    reopened = Session.open(str(tmp_path / "s.sqlite"))
    assert reopened.state.tally("1") == before


def test_no_quorum_outcome(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1", "m2")
    s.open_vote("1")
    s.record_vote("1", "m1", "yes")
    s.record_vote("1", "m2", "yes")
    s.close_vote("1")
    assert s.state.tally("1").outcome == "no_quorum"


def test_decided_as_soon_as_the_outcome_cannot_change(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, *[m["id"] for m in FIVE])
    s.open_vote("2")  # two-thirds
    for mid, vote in (("m1", "yes"), ("m2", "yes"), ("m3", "yes")):
        s.record_vote("2", mid, vote)
        assert s.state.tally("2").decided is None
    s.record_vote("2", "m4", "yes")  # 4 yes: even a last no gives 4/5
    assert s.state.tally("2").decided == "carried"


def test_only_one_vote_open_and_session_close_rules(tmp_path):
    s = make_session(tmp_path, FIVE, DECISIONS)
    present(s, "m1", "m2", "m3")
    s.open_vote("1")
    with pytest.raises(RuleError, match="still open"):
        s.open_vote("2")
    with pytest.raises(RuleError, match="still open"):
        s.close_session()
    s.close_vote("1")
    with pytest.raises(RuleError, match=r"item\(s\) 2 still pending"):
        s.close_session()  # item 2 was never voted: a close must say so
    s.close_session(leave_pending=True)
    assert s.log.read_events()[-1].payload == {"left_pending": ["2"]}
    with pytest.raises(RuleError, match="closed"):
        s.set_attendance("m4", "in_person")
    s.reopen_session("late arrival")
    s.set_attendance("m4", "in_person")


def test_alphabetical_order_starts_at_the_drawn_member_and_the_draw_is_logged(tmp_path):
    members = [member("zz"), member("aa"), member("mm"), member("bb")]
    s = make_session(tmp_path, members, DECISIONS)
    s.open_vote("1", order="alphabetical", start="mm")
    assert s.state.call_order("1") == ["mm", "zz", "aa", "bb"]
    s.close_vote("1")
    s.open_vote("2", order="alphabetical")
    opened = [e for e in s.log.read_events() if e.kind == "vote_opened"][-1]
    assert opened.payload["drawn_by_lot"] is True
    assert opened.payload["start"] in {"zz", "aa", "mm", "bb"}
    assert s.state.call_order("2")[0] == opened.payload["start"]


def test_other_item_kinds(tmp_path):
    items = [
        {"id": "1", "title": "Secretariat report", "kind": "report"},
        {"id": "2", "title": "Next chair", "kind": "election"},
        {"id": "3", "title": "Statement", "kind": "consensus"},
    ]
    members = FIVE + [member("obs", status="observer")]
    s = make_session(tmp_path, members, items)
    s.note_item("1")
    with pytest.raises(RuleError, match="observer"):
        s.record_election("2", ["obs"])
    s.record_election("2", ["m3"])
    s.record_consensus("3", True)
    assert [s.state.items[i].result for i in "123"] == ["noted", "elected", "adopted"]
    assert s.state.items["2"].elected == ("m3",)
    with pytest.raises(RuleError, match="only decisions"):
        s.open_vote("1")


# --- whole-tally property test against an independent count ------------------------------------
def reference_tally(members, attendance, letters, votes, item_id, count_abstain, closed=False):
    """Counts written from the rules in docs/rules.md, not from the code: any answer on record keeps
    its member counted; a present member with no answer is "uncalled" while the vote is open and
    "not voting" once it is closed; a letter silent on the item is "not voting"."""
    base = [m for m in members if m["status"] == "member"]
    participating = set()
    counts = {"yes": 0, "no": 0, "abstain": 0, "not_voting": 0, "uncalled": 0}
    for m in base:
        mid = m["id"]
        present_now = attendance.get(mid) in ("in_person", "online")
        letter = letters.get(mid) if not present_now else None
        if present_now or letter is not None or mid in votes:
            participating.add(mid)
        else:
            continue
        answer = votes.get(mid) or (letter or {}).get(item_id)
        if answer is None and letter is None:
            answer = "not_voting" if closed else "uncalled"
        counts[answer or "not_voting"] += 1
    cast = counts["yes"] + counts["no"] + (counts["abstain"] if count_abstain else 0)
    return len(base), len(participating), counts, cast


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_tally_agrees_with_an_independent_count(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("prop")
    n = data.draw(st.integers(3, 9))
    members = [member(f"m{i}") for i in range(n)]
    count_abstain = data.draw(st.booleans())
    s = make_session(tmp_path, members, DECISIONS, rules={"abstentions_count_as_cast": count_abstain})
    attendance, letters, votes = {}, {}, {}
    for m in members:
        mode = data.draw(st.sampled_from(["in_person", "online", "absent", "letter"]))
        if mode == "letter":
            pos = data.draw(st.dictionaries(st.sampled_from(["1", "2"]), st.sampled_from(["yes", "no", "abstain"]), min_size=1))
            s.record_letter(m["id"], pos)
            letters[m["id"]] = pos
        else:
            s.set_attendance(m["id"], mode)
            attendance[m["id"]] = mode
    s.open_vote("1")
    for m in members:
        if attendance.get(m["id"]) in ("in_person", "online") and data.draw(st.booleans()):
            vote = data.draw(st.sampled_from(["yes", "no", "abstain", "not_voting"]))
            s.record_vote("1", m["id"], vote)
            votes[m["id"]] = vote
    base, participating, counts, cast = reference_tally(members, attendance, letters, votes, "1", count_abstain)
    t = s.state.tally("1")
    assert (t.quorum_base, t.participating) == (base, participating)
    assert (t.yes, t.no, t.abstain, t.cast) == (counts["yes"], counts["no"], counts["abstain"], cast)
    assert (t.not_voting, t.uncalled) == (counts["not_voting"], counts["uncalled"])
    # Some present members leave while the vote is open: an answer on record keeps them counted.
    for m in members:
        if m["id"] in votes and data.draw(st.booleans()):
            s.set_attendance(m["id"], "absent")
            attendance[m["id"]] = "absent"
    s.close_vote("1")
    base, participating, counts, cast = reference_tally(members, attendance, letters, votes, "1", count_abstain,
                                                        closed=True)
    t = s.state.tally("1")
    assert (t.quorum_base, t.participating, t.uncalled) == (base, participating, 0)
    assert (t.yes, t.no, t.abstain, t.not_voting, t.cast) == (
        counts["yes"], counts["no"], counts["abstain"], counts["not_voting"], cast)
    s.close_log()
