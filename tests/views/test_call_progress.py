"""How far a roll call has gone ("N of M present answered"), counted once for every seat.

The expected figures are recounted here from the attendance and the answers the test itself
gave, following a log of random attendance changes, letters, answers, corrections and undos:
never read from the code under test.
"""

from __future__ import annotations

import random

from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from near_tui.views.view_model import vote_panel
from support import FixedClock, write_agenda

VOTERS = [f"m{i}" for i in range(1, 11)]
ROSTER = ([{"id": m, "name": f"Region {m}", "country": "JP", "status": "member", "voting": "full"}
           for m in VOTERS]
          + [{"id": "r1", "name": "Region r1", "country": "JP", "status": "member", "voting": "restricted"},
             {"id": "o1", "name": "Region o1", "country": "CN", "status": "observer", "voting": "full"}])
ITEMS = [{"id": "1", "title": "Plans", "kind": "decision", "article": "8.7"}]


def recount(present: set[str], answers: dict[str, str]) -> tuple[int, int]:
    """(answered, present): voters answered on record; voters here now or answered (they took part)."""
    return len(answers), len(set(VOTERS) & (present | set(answers)))


def test_the_count_follows_attendance_answers_and_undos(tmp_path):
    session = Session.create(load_agenda(write_agenda(tmp_path, ROSTER, ITEMS)), str(tmp_path / "p.sqlite"),
                             clock=FixedClock())
    rng = random.Random(20261207)
    present: set[str] = set()
    answers: dict[str, str] = {}
    entries: list[tuple[str, str | None]] = []  # (member, its answer before): what an undo restores
    # Two absent members with letters: not called, so in neither figure; the restricted member and
    # the observer are present and never called either.
    for member_id in ("m9", "m10"):
        session.record_letter(member_id, {"1": "yes"})
    for member_id in ("r1", "o1", "m1", "m2", "m3"):
        session.set_attendance(member_id, "in_person")
        present.add(member_id)
    session.open_vote("1")
    seen = set()
    answered_and_left = False
    for _ in range(120):
        move = rng.random()
        if move < 0.25:  # someone comes in, goes online or leaves (letter members stay away)
            member_id = rng.choice(VOTERS[:8])
            mode = rng.choice(["in_person", "online", "absent"])
            session.set_attendance(member_id, mode)
            present.discard(member_id) if mode == "absent" else present.add(member_id)
        elif move < 0.85:  # an answer, or a correction, for a member in the room
            here = sorted(m for m in present if m in VOTERS)
            if not here:
                continue
            member_id = rng.choice(here)
            vote = rng.choice(["yes", "no", "abstain", "not_voting"])
            session.record_vote("1", member_id, vote)
            entries.append((member_id, answers.get(member_id)))
            answers[member_id] = vote
        elif entries:  # backspace: the latest entry not undone goes back to what it replaced
            session.undo_last("1")
            member_id, before = entries.pop()
            if before is None:
                answers.pop(member_id, None)
            else:
                answers[member_id] = before
        state = session.state
        assert state.call_progress("1") == recount(present, answers)
        panel = vote_panel(state, "1")
        assert (panel.answered, panel.present) == recount(present, answers)
        seen.add(recount(present, answers))
        answered_and_left = answered_and_left or bool(set(answers) - present)
    # The walk went through many figures, and through a member who answered and then left.
    assert len(seen) > 10 and answered_and_left
    session.close_log()
