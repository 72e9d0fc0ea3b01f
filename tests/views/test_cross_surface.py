"""One truth on every surface: random sessions, recounted by hand, against every place a figure shows.

Hypothesis draws a roster's attendance and letters, then roll calls with answers, members left
uncalled, corrections, members who leave after answering, and items without a quorum. The test
counts each closed item itself from the answers it gave (docs/rules.md) and compares that count
with the chair's board, the clerk's roll-call panel figures, `near-tui report --json`, record.json
and the declaration. Nothing expected is read from the code under test.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings, strategies as st

from near_tui.declaration.closing import render_closed
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from near_tui.views.view_model import vote_panel
from support import FixedClock, member, near, write_agenda

ITEMS = [{"id": "1", "title": "Budget [2019]", "kind": "decision", "article": "8.7"},
         {"id": "2", "title": "Charter amendment", "kind": "decision", "article": "8.3"},
         {"id": "3", "title": "Plans", "kind": "decision", "article": "8.10"}]
RULE = {"1": "majority", "2": "two_thirds", "3": "majority"}


@dataclass
class Count:
    """The test's own count of one item, from the rules as docs/rules.md states them."""

    base: int
    participating: int = 0
    yes: int = 0
    no: int = 0
    abstain: int = 0
    not_voting: int = 0
    outcome: str = ""
    answer_of: dict[str, str] = field(default_factory=dict)  # each member taking part: the answer counted


def recount(item: str, members: list[str], mode: dict[str, str], letters: dict[str, dict[str, str]],
            answers: dict[str, str]) -> Count:
    c = Count(base=len(members))
    for mid in members:
        present = mode.get(mid) in ("in_person", "online")
        letter = letters.get(mid) if not present else None
        if not (present or letter is not None or mid in answers):
            continue
        c.participating += 1
        answer = answers.get(mid) or (letter or {}).get(item) or "not_voting"
        setattr(c, answer, getattr(c, answer) + 1)
        c.answer_of[mid] = answer
    cast = c.yes + c.no
    if 2 * c.participating <= c.base:
        c.outcome = "no_quorum"
    elif cast == 0:
        c.outcome = "not_carried"
    elif RULE[item] == "two_thirds":
        c.outcome = "carried" if 3 * c.yes >= 2 * cast else "not_carried"
    else:
        c.outcome = "carried" if 2 * c.yes > cast else "not_carried"
    return c


@st.composite
def sessions(draw):
    n = draw(st.integers(4, 8))
    members = [f"m{i}" for i in range(1, n + 1)]
    mode, letters = {}, {}
    for mid in members:
        how = draw(st.sampled_from(["in_person", "online", "absent", "absent", "letter"]))
        if how == "letter":
            letters[mid] = draw(st.dictionaries(st.sampled_from(["1", "2", "3"]),
                                                st.sampled_from(["yes", "no", "abstain"]), min_size=1))
        else:
            mode[mid] = how
    plans = []
    for item in ("1", "2", "3"):
        answers = {mid: draw(st.sampled_from(["yes", "no", "abstain", "not_voting", None]))
                   for mid in members if mode.get(mid) in ("in_person", "online")}
        corrections = {mid: draw(st.sampled_from(["yes", "no", "abstain", "not_voting"]))
                       for mid, a in answers.items() if a is not None and draw(st.booleans())}
        leaving = [mid for mid, a in answers.items() if a is not None and draw(st.integers(0, 4)) == 0]
        plans.append((item, answers, corrections, leaving))
    return members, mode, letters, plans


def _declaration_line(markdown: str, item: str) -> str:
    section = markdown.split(f"### {item}. ", 1)[1].split("###", 1)[0]
    return " ".join(section.split())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=sessions())
def test_every_surface_shows_the_recounted_figures(tmp_path_factory, drawn):
    members, mode, letters, plans = drawn
    folder = tmp_path_factory.mktemp("cross")
    agenda = write_agenda(folder, [member(m) for m in members], ITEMS)
    with agenda.open("a", encoding="utf-8") as file:  # the declaration's figures, to compare (default: none)
        file.write("declaration: {tallies: true}\n")
    db = str(folder / "s.sqlite")
    s = Session.create(load_agenda(agenda), db, clock=FixedClock())
    for mid, how in mode.items():
        s.set_attendance(mid, how)
    for mid, positions in letters.items():
        s.record_letter(mid, positions)
    counts: dict[str, Count] = {}
    boards = {}
    for item, answers, corrections, leaving in plans:
        s.open_vote(item)
        final: dict[str, str] = {}
        answers = {m: a for m, a in answers.items() if mode.get(m) in ("in_person", "online")}  # left earlier
        corrections = {m: a for m, a in corrections.items() if m in answers}
        leaving = [m for m in leaving if m in answers]
        for mid, answer in answers.items():
            if answer is not None:
                s.record_vote(item, mid, answer)
                final[mid] = answer
        for mid, answer in corrections.items():
            s.record_vote(item, mid, answer)
            final[mid] = answer
        for mid in leaving:  # an answer on record stands when its member leaves
            s.set_attendance(mid, "absent")
            mode[mid] = "absent"
        s.close_vote(item)
        counts[item] = recount(item, members, mode, letters, final)
        boards[item] = vote_panel(s.state, item)
    s.close_session()
    events = s.log.read_events()
    s.close_log()

    report = json.loads(near("report", "--db", db, "--json").stdout)
    files = render_closed(events).files
    record = json.loads(files["record.json"])
    markdown = files["declaration.md"].decode("utf-8")
    for item, c in counts.items():
        want = (c.participating, c.yes, c.no, c.abstain, c.not_voting, c.outcome)
        shown = next(i for i in report["items"] if i["id"] == item)
        assert (shown["participating"], shown["yes"], shown["no"], shown["abstain"], shown["not_voting"],
                shown["outcome"]) == want, f"report --json, item {item}"
        assert shown["uncalled"] == 0
        kept = next(i for i in record["items"] if i["id"] == item)
        assert (kept["participating"], kept["yes"], kept["no"], kept["abstain"], kept["not_voting"],
                kept["outcome"]) == want, f"record.json, item {item}"
        # Member by member: record.json's roll call holds each member's answer as the test counted it,
        # and none for a member who took no part.
        rows = {r["member_id"]: r for r in kept["roll_call"]["members"]}
        assert sorted(rows) == sorted(members), f"record.json roll call, item {item}"
        taking_part = {mid: r["answer"] for mid, r in rows.items() if r["participating"]}
        assert taking_part == c.answer_of, f"record.json roll call, item {item}"
        assert all(r["answer"] is None for r in rows.values() if not r["participating"])
        board = boards[item]
        words = {"carried": "CARRIED", "not_carried": "NOT CARRIED", "no_quorum": "NO QUORUM"}[c.outcome]
        assert (board.quorum.participating, board.yes, board.no, board.abstain, board.not_voting,
                board.uncalled) == (c.participating, c.yes, c.no, c.abstain, c.not_voting, 0), f"chair, item {item}"
        assert board.outcome.endswith(" " + words), f"chair, item {item}: {board.outcome}"
        said = _declaration_line(markdown, item)
        if c.outcome == "no_quorum":
            assert "No decision was taken on this item" in said
            assert f"; {c.participating} of the {c.base} members took part" in said
        else:
            verb = "approved it." if c.outcome == "carried" else "did not approve it."
            assert f"The General Assembly {verb} Roll call: {c.yes} in favour, {c.no} against" in said
            figures = re.search(r"(\d+) abstaining(?: and (\d+) not voting)?", said)
            assert int(figures.group(1)) == c.abstain and int(figures.group(2) or 0) == c.not_voting
