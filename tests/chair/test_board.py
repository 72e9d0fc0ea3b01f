"""What the chair reads, decided from the log: the words, figures and which item is up."""

from __future__ import annotations

from chair import scenes
from near_tui.chair.board import build_board
from near_tui.chair.follower import LogFollower
from near_tui.session import Session


def test_open_roll_call_shows_live_figures_and_who_is_called(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=5)
    board = LogFollower(db_path).board
    vote = board.vote
    tally = ga12_present.state.tally("2")
    assert board.mode == "vote" and vote.item_id == "2" and vote.open
    assert (vote.yes, vote.no, vote.abstain) == (tally.yes, tally.no, tally.abstain)
    assert vote.uncalled == tally.uncalled and vote.not_voting == tally.not_voting
    assert vote.required_yes == tally.required_yes
    assert vote.quorum.words == "QUORUM ✔ MET" and vote.quorum.figure == "50/39"
    next_id = ga12_present.state.now_calling("2")
    assert ga12_present.state.members[next_id].name in vote.calling
    assert vote.rule.startswith("TWO-THIRDS") and "Art. 9.2" in vote.rule


def test_outcome_is_only_announced_once_certain(ga12_present, db_path):
    ga12_present.open_vote("2")
    follower = LogFollower(db_path)
    assert follower.board.vote.outcome == "VOTING"
    # Enough no answers that two-thirds can no longer be reached.
    present = [m for m in ga12_present.state.call_order("2") if ga12_present.state.is_present(m)]
    for member_id in present:
        ga12_present.record_vote("2", member_id, "no")
        if ga12_present.state.tally("2").decided:
            break
    board = follower.poll().board
    assert board.vote.outcome == "✘ NOT CARRIED" and board.vote.outcome_tone == "bad"
    assert board.vote.outcome_note.startswith("certain")


def test_closed_vote_stays_up_until_the_clerk_moves_on(ga12_present, db_path):
    scenes.vote_closed(ga12_present)
    follower = LogFollower(db_path)
    vote = follower.board.vote
    assert follower.board.mode == "vote" and not vote.open
    assert vote.outcome == "✔ CARRIED" and "Akita" in vote.outcome_note
    # Attendance changes do not take the result off the screen...
    ga12_present.set_attendance("jp-tottori", "in_person")
    assert follower.poll().board.mode == "vote"
    # ...moving to the next item does.
    ga12_present.note_item("3")
    board = follower.poll().board
    assert board.mode == "agenda" and board.vote is None
    lines = {line.item_id: line for line in board.agenda}
    assert lines["2"].result == "✔ CARRIED" and lines["3"].result == "■ NOTED" and lines["3"].current


def test_agenda_before_any_vote_shows_session_quorum(ga12_present, db_path):
    board = LogFollower(db_path).board
    assert board.mode == "agenda"
    assert board.quorum.figure == "50/39" and board.quorum.met
    assert board.attendance == "in person 29 · online 0 · by letter 21 · absent 27"
    assert all(line.result.startswith("○") for line in board.agenda)


def test_no_quorum_is_said_in_words(ga12_session, db_path):
    ga12_session.open_vote("2")
    vote = build_board(Session.open(db_path, readonly=True).state).vote
    assert vote.quorum.words == "QUORUM ✘ NOT MET" and vote.outcome == "⚠ NO QUORUM"


def test_follower_never_writes(ga12_present, db_path):
    follower = LogFollower(db_path)
    assert follower.session.log.readonly
    before = ga12_present.log.head_seq()
    follower.poll()
    follower.close()
    assert ga12_present.log.head_seq() == before
