"""What the chair reads, decided from the log: the words, figures and which item is up.

Every expected figure is the test's own: counted from the answers it gave and the
sample's files (``scenes.recount``), or taken from the 2018 report (29 in person,
21 letters, 77 members, Akita admitted); never read back from the tally under test.
"""

from __future__ import annotations

import pytest

from chair import scenes
from near_tui.chair.follower import LogFollower
from near_tui.core import events as ev
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from near_tui.views.view_model import build_board
from support import FixedClock, member, write_agenda


def figures(vote) -> dict[str, int]:
    return {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain, "not_voting": vote.not_voting,
            "uncalled": vote.uncalled}


def small_session(tmp_path, members: list[dict], items: list[dict]) -> tuple[Session, str]:
    db = str(tmp_path / "small.sqlite")
    return Session.create(load_agenda(write_agenda(tmp_path, members, items)), db, clock=FixedClock()), db


def test_open_roll_call_shows_the_recounted_figures_and_who_is_called(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=5)
    answers = scenes.sample_votes("2")[:5]
    follower = LogFollower(db_path)
    board = follower.board
    vote = board.vote
    assert board.mode == "vote" and vote.item_id == "2" and vote.open
    assert figures(vote) == dict(scenes.recount("2", answers))
    # 2018 report: 29 in person + 21 letters take part, of 77 members; a quorum is 39.
    assert vote.quorum.words == "QUORUM ✔ MET" and vote.quorum.figure == "50/39"
    answered = {m for m, _ in answers}
    calling = next(m for m in scenes.present_voters() if m not in answered)
    assert vote.calling_name.startswith(scenes.names()[calling])
    assert vote.rule.startswith("TWO-THIRDS") and "Art. 9.2" in vote.rule
    follower.close()


def test_an_answer_out_of_order_sends_the_call_back_to_the_first_member_not_answered(ga12_present, db_path):
    present, name = scenes.present_voters(), scenes.names()
    ga12_present.open_vote("2")
    follower = LogFollower(db_path)
    assert follower.board.vote.calling_name.startswith(name[present[0]])
    ga12_present.record_vote("2", present[2], "yes")  # the third member answers first
    assert follower.poll().board.vote.calling_name.startswith(name[present[0]])
    ga12_present.record_vote("2", present[0], "yes")
    assert follower.poll().board.vote.calling_name.startswith(name[present[1]])
    ga12_present.record_vote("2", present[1], "no")
    assert follower.poll().board.vote.calling_name.startswith(name[present[3]])  # the third has answered
    follower.close()


def test_the_outcome_is_announced_once_no_answer_to_come_can_change_it(tmp_path):
    five = [member(f"m-{n}") for n in range(1, 6)]
    session, db = small_session(tmp_path, five, [{"id": "1", "title": "Two-thirds decision",
                                                  "kind": "decision", "article": "8.2"}])
    for m in five:
        session.set_attendance(m["id"], "in_person")
    session.open_vote("1")
    follower = LogFollower(db)
    assert follower.board.vote.outcome == "● NOT DECIDED YET" and follower.board.vote.outcome_tone == "live"
    # Two-thirds of yes + no. After one no, four yes of five would still carry (12 >= 10).
    session.record_vote("1", "m-1", "no")
    assert follower.poll().board.vote.outcome == "● NOT DECIDED YET"
    # After two, three yes of five cannot (9 < 10): decided, before the three others answer.
    session.record_vote("1", "m-2", "no")
    vote = follower.poll().board.vote
    assert vote.outcome == "✘ DECIDED: NOT CARRIED" and vote.outcome_tone == "bad"
    assert "3 still to call" in vote.outcome_note
    assert vote.open and vote.calling_name.startswith("M 3")
    follower.close()
    session.close_log()


def test_a_closed_vote_shows_exactly_the_record(tmp_path):
    """Members never called count as not voting once the vote is closed; nobody is uncalled."""
    six = [member(f"m-{n}") for n in range(1, 7)]
    session, db = small_session(tmp_path, six, [{"id": "1", "title": "Majority decision",
                                                 "kind": "decision", "article": "8.11"},
                                                {"id": "2", "title": "Other", "kind": "decision",
                                                 "article": "8.11"}])
    for n in (1, 2, 3, 4):
        session.set_attendance(f"m-{n}", "in_person")
    session.record_letter("m-5", {"2": "yes"})  # silent on item 1: not voting there
    session.open_vote("1")
    session.record_vote("1", "m-1", "yes")
    session.record_vote("1", "m-2", "abstain")
    follower = LogFollower(db)
    assert figures(follower.board.vote) == {"yes": 1, "no": 0, "abstain": 1, "not_voting": 1, "uncalled": 2}
    session.close_vote("1")
    vote = follower.poll().board.vote
    # m-3 and m-4 were never called, m-5's letter is silent on the item: three not voting.
    mine = {"yes": 1, "no": 0, "abstain": 1, "not_voting": 3, "uncalled": 0}
    assert figures(vote) == mine and not vote.open
    record = next(e for e in session.log.read_events() if e.kind == ev.VOTE_CLOSED).payload["tally"]
    assert {k: record[k] for k in mine} == mine  # the record says the same
    # More than half of yes + no: 1 yes of 1 cast. Five of six members took part.
    assert vote.outcome == "✔ CARRIED" and vote.outcome_tone == "good"
    assert vote.quorum.figure == "5/4" and vote.calling == "■ VOTE CLOSED" and vote.calling_name == ""
    follower.close()
    session.close_log()


def test_closed_vote_stays_up_until_the_clerk_moves_on(ga12_present, db_path):
    scenes.vote_closed(ga12_present)
    follower = LogFollower(db_path)
    vote = follower.board.vote
    assert follower.board.mode == "vote" and not vote.open
    assert figures(vote) == dict(scenes.recount("2", scenes.sample_votes("2"), closed=True))
    # 2018 report: the assembly admitted Akita.
    # The roster grows by one, from the members the agenda file lists (counted here).
    before = sum(1 for m in ga12_present.state.definition.members if m.status == "member")
    assert vote.outcome == "✔ CARRIED"
    assert f"Admitted (Charter Art. 8.1, item 2): Akita Prefecture 秋田県 — members {before} → {before + 1}" \
        in vote.outcome_note
    # Attendance changes do not take the result off the screen...
    ga12_present.set_attendance("jp-tottori", "in_person")
    assert follower.poll().board.mode == "vote"
    # ...moving to the next item does.
    ga12_present.note_item("3")
    board = follower.poll().board
    assert board.mode == "agenda" and board.vote is None
    lines = {line.item_id: line for line in board.agenda}
    assert lines["2"].result == "✔ CARRIED" and lines["3"].result == "■ NOTED" and lines["3"].current
    follower.close()


def test_agenda_lines_say_each_items_outcome(ga12_present, db_path):
    scenes.between_items(ga12_present)
    follower = LogFollower(db_path)
    lines = {line.item_id: line for line in follower.board.agenda}
    closed = scenes.recount("2", scenes.sample_votes("2"), closed=True)
    assert lines["1"].result == f"✔ ELECTED: {scenes.full_names()['ru-sakha']}" and lines["1"].tone == "good"
    assert lines["2"].result == "✔ CARRIED"
    assert lines["2"].figures == f"{closed['yes']} · {closed['no']} · {closed['abstain']}"
    assert lines["3"].result == "■ NOTED"
    assert lines["4"].result == "○ VOTE NOT OPENED" and lines["4"].figures == ""
    ga12_present.open_vote("4")
    line = {line.item_id: line for line in follower.poll().board.agenda}["4"]
    assert line.result == "● NOT DECIDED YET" and line.current
    follower.close()


def test_agenda_before_any_vote_shows_session_quorum(ga12_present, db_path):
    follower = LogFollower(db_path)
    board = follower.board
    assert board.mode == "agenda"
    # 2018 report: 29 in person, 21 by letter; 77 members of whom 50 take part, 39 make a quorum.
    assert board.quorum.figure == "50/39" and board.quorum.met
    absent = 77 - 29 - 21
    assert board.attendance == f"in person 29 · online 0 · by letter 21 · absent {absent}"
    assert all(line.result.startswith("○") for line in board.agenda)
    follower.close()


def test_no_quorum_is_said_in_words(ga12_session, db_path):
    ga12_session.open_vote("2")  # nobody marked present
    reader = Session.open(db_path, readonly=True)
    vote = build_board(reader.state).vote
    reader.close_log()
    assert vote.quorum.words == "QUORUM ✘ NOT MET" and vote.outcome == "⚠ NO QUORUM"
    assert vote.outcome_tone == "warn" and "0 of 77 members take part" in vote.outcome_note


def test_follower_never_writes(ga12_present, db_path):
    follower = LogFollower(db_path)
    assert follower.followed.follower.log.readonly
    before = ga12_present.log.head_seq()
    follower.poll()
    follower.close()
    assert ga12_present.log.head_seq() == before


@pytest.mark.parametrize("change", ["add", "withdraw", "postpone", "move"])
def test_an_agenda_change_takes_a_closed_result_off_the_screen(ga12_present, db_path, change):
    # The hall sees the agenda as it now stands, the changed item marked, as soon as the clerk changes it.
    scenes.vote_closed(ga12_present)
    follower = LogFollower(db_path)
    assert follower.board.mode == "vote"
    if change == "add":
        ga12_present.add_item({"id": "A1", "title": "Addendum", "kind": "decision", "article": "8.11"})
        changed = "A1"
    elif change == "move":
        ga12_present.move_item("8", "3")
        changed = "8"
    else:
        getattr(ga12_present, f"{change}_item")("6", "asked by its sponsor")
        changed = "6"
    board = follower.poll().board
    assert board.mode == "agenda" and board.vote is None
    assert [line.item_id for line in board.agenda if line.current] == [changed]
    follower.close()
