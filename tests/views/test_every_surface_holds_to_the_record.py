"""Random sessions, and every surface held to the test's own recount after each step.

A hypothesis state machine drives a small session through what happens in a hall: attendance
changes and members leaving, letters, answers in and out of call order, corrections, votes
opened and closed (an admission among them), agenda items added, withdrawn, postponed and
moved, an early close and a reopen. After each step it recounts every roll call from what it
did itself (never from the code under test) and compares, with that recount and with the
record's order:
- the view model (``build_board``): figures or none, status words, admissions, agenda order;
- ``near-tui report --json``'s document (``build_report``);
- the clerk's panels (the agenda status phrase and the roll call's counts line);
- the chair's screen: the running chair app, its large digits read back through the font's
  glyph table.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from chair.big_digits import read_figure, screen_lines
from near_tui.chair.app import build_app as build_chair
from near_tui.clerk import figures as clerk_figures
from near_tui.clerk.widgets.indicators import counts_text
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from near_tui.views.report import build_report
from near_tui.views.view_model import Focus, build_board, item_panel
from support import FixedClock, member, write_agenda

MEMBERS = [f"m{i}" for i in range(1, 8)]
APPLICANT = "ap"
# (id, kind, article): "2" admits the applicant (Charter Art. 8.1, two-thirds).
ITEMS = [("1", "decision", "8.11"), ("2", "decision", "8.1"), ("3", "report", None), ("4", "decision", "8.6")]
TWO_THIRDS = {"8.1", "8.2", "8.3", "8.4", "8.5"}
MODES = ("in_person", "online", "absent")
VOTES = ("yes", "no", "abstain", "not_voting")


def required(rule_two_thirds: bool, cast: int) -> int:
    """Charter Art. 9.2 / 9.3: the least yes that carries (at least 1)."""
    need = -(-2 * cast // 3) if rule_two_thirds else cast // 2 + 1
    return max(1, need)


class Hall(RuleBasedStateMachine):
    """The session as the test keeps it, beside the real one."""

    def __init__(self) -> None:
        super().__init__()
        folder = Hall.folder / f"s{next(Hall.count)}"
        folder.mkdir()
        roster = [member(m) for m in MEMBERS] + [member(APPLICANT, status="applicant")]
        items = [{"id": i, "title": f"Item {i}", "kind": k, **({"article": a} if a else {}),
                  **({"admits": [APPLICANT]} if i == "2" else {})} for i, k, a in ITEMS]
        self.db = str(folder / "session.sqlite")
        self.session = Session.create(load_agenda(write_agenda(folder, roster, items)), self.db, clock=FixedClock())
        self.voters = list(MEMBERS)  # in roster order (the call order)
        self.mode = dict.fromkeys(MEMBERS + [APPLICANT], "absent")
        self.letters: dict[str, dict[str, str]] = {}  # in effect only
        self.order = [i for i, _, _ in ITEMS]
        self.kind = {i: k for i, k, _ in ITEMS}
        self.two_thirds = {i: a in TWO_THIRDS for i, _, a in ITEMS}
        self.status = dict.fromkeys(self.order, "pending")
        self.answers: dict[str, dict[str, str]] = {i: {} for i in self.order}
        self.frozen: dict[str, dict[str, int]] = {}
        self.admitted = False
        self.closed = False
        self.added = 0
        self.focus_events: list = []
        self.chair = ChairThread(self.db)

    def teardown(self) -> None:
        self.chair.stop()
        self.session.close_log()

    # ------------------------------------------------------------ recount
    def open_item(self) -> str | None:
        return next((i for i in self.order if self.status[i] == "open"), None)

    def present(self, m: str) -> bool:
        return self.mode[m] in ("in_person", "online")

    def participating(self, m: str) -> bool:
        return self.present(m) or m in self.letters

    def recount(self, item_id: str, closing: bool = False) -> dict[str, int]:
        if item_id in self.frozen:
            return self.frozen[item_id]
        given = self.answers[item_id]
        counts = dict.fromkeys(("yes", "no", "abstain", "not_voting", "uncalled"), 0)
        base = participating = 0
        for m in self.voters:
            base += 1
            if not (self.participating(m) or m in given):
                continue
            participating += 1
            if m in given:
                counts[given[m]] += 1
            elif not self.present(m) and m in self.letters:
                counts[self.letters[m].get(item_id, "not_voting")] += 1
            else:
                counts["not_voting" if closing else "uncalled"] += 1
        cast = counts["yes"] + counts["no"]
        counts.update(cast=cast, required_yes=required(self.two_thirds[item_id], cast),
                      participating=participating, quorum_base=base, quorum_met=int(2 * participating > base))
        return counts

    def carried(self, item_id: str) -> bool:
        c = self.recount(item_id, closing=True)
        if not c["quorum_met"] or c["cast"] == 0:
            return False
        return 3 * c["yes"] >= 2 * c["cast"] if self.two_thirds[item_id] else 2 * c["yes"] > c["cast"]

    # -------------------------------------------------------------- steps
    @precondition(lambda self: not self.closed)
    @rule(m=st.sampled_from(MEMBERS), mode=st.sampled_from(MODES))
    def attendance(self, m, mode):
        self.session.set_attendance(m, mode)
        self.mode[m] = mode
        if self.present(m):
            self.letters.pop(m, None)  # a letter stops counting once its member is present

    @precondition(lambda self: not self.closed)
    @rule(m=st.sampled_from(MEMBERS), data=st.data())
    def letter(self, m, data):
        if self.present(m):
            return
        open_to_letters = [i for i in self.order if self.kind[i] == "decision" and self.status[i] in ("pending", "open")]
        if not open_to_letters:
            return
        positions = data.draw(st.dictionaries(st.sampled_from(open_to_letters), st.sampled_from(VOTES[:3]),
                                              min_size=1))
        self.session.record_letter(m, positions)
        self.letters[m] = positions

    @precondition(lambda self: not self.closed and self.open_item() is None)
    @rule(data=st.data())
    def open_vote(self, data):
        pending = [i for i in self.order if self.status[i] == "pending" and self.kind[i] == "decision"]
        if not pending:
            return
        item_id = data.draw(st.sampled_from(pending))
        self.session.open_vote(item_id)
        self.status[item_id] = "open"

    @precondition(lambda self: self.open_item() is not None)
    @rule(data=st.data(), vote=st.sampled_from(VOTES))
    def answer(self, data, vote):
        item_id = self.open_item()
        waiting = [m for m in self.voters if self.present(m) and m not in self.answers[item_id]]
        if not waiting:
            return
        m = data.draw(st.sampled_from(waiting))  # the one called, or one answering out of turn
        self.session.record_vote(item_id, m, vote, expected=None)
        self.answers[item_id][m] = vote

    @precondition(lambda self: self.open_item() is not None)
    @rule(data=st.data(), vote=st.sampled_from(VOTES))
    def correct(self, data, vote):
        item_id = self.open_item()
        if not self.answers[item_id]:
            return
        m = data.draw(st.sampled_from(sorted(self.answers[item_id])))
        self.session.record_vote(item_id, m, vote, expected=self.answers[item_id][m])
        self.answers[item_id][m] = vote

    @precondition(lambda self: self.open_item() is not None)
    @rule()
    def close_vote(self):
        item_id = self.open_item()
        frozen = self.recount(item_id, closing=True)
        admits = item_id == "2" and self.carried(item_id)
        self.session.close_vote(item_id)
        self.frozen[item_id] = {**frozen, "uncalled": 0}
        self.status[item_id] = "closed"
        if admits:
            self.admitted = True
            self.voters.append(APPLICANT)  # from now on a member, called after the others

    @precondition(lambda self: not self.closed and self.added < 3)
    @rule(data=st.data())
    def add_item(self, data):
        self.added += 1
        item_id = f"A{self.added}"
        after = data.draw(st.sampled_from(self.order))
        self.session.add_item({"id": item_id, "title": f"Addendum {self.added}", "kind": "decision",
                               "article": "8.11"}, after=after)
        self.order.insert(self.order.index(after) + 1, item_id)
        self.kind[item_id], self.two_thirds[item_id] = "decision", False
        self.status[item_id], self.answers[item_id] = "pending", {}

    @precondition(lambda self: not self.closed)
    @rule(data=st.data(), how=st.sampled_from(["withdraw", "postpone"]))
    def set_aside(self, data, how):
        pending = [i for i in self.order if self.status[i] == "pending"]
        if not pending:
            return
        item_id = data.draw(st.sampled_from(pending))
        getattr(self.session, f"{how}_item")(item_id, f"{how} asked from the floor")
        self.status[item_id] = "withdrawn" if how == "withdraw" else "postponed"

    @precondition(lambda self: not self.closed)
    @rule(data=st.data())
    def move(self, data):
        pending = [i for i in self.order if self.status[i] == "pending"]
        if not pending:
            return
        item_id = data.draw(st.sampled_from(pending))
        after = data.draw(st.sampled_from([i for i in self.order if i != item_id]))
        self.session.move_item(item_id, after)
        self.order.remove(item_id)
        self.order.insert(self.order.index(after) + 1, item_id)

    @precondition(lambda self: not self.closed and self.open_item() is None)
    @rule()
    def close_early(self):
        self.session.close_session(leave_pending=True)
        self.closed = True

    @precondition(lambda self: self.closed)
    @rule()
    def reopen(self):
        self.session.reopen_session("a vote was forgotten")
        self.closed = False

    # ------------------------------------------------------------- checks
    @invariant()
    def every_surface_says_what_the_recount_says(self):
        state = self.session.state
        board = build_board(state, Focus().after(self.session.log.read_events()))
        report = build_report(state)
        assert [line.item_id for line in board.agenda] == self.order == [i["id"] for i in report["items"]]
        assert board.members_total == len(self.voters)
        assert [a.members_after for a in board.admissions] == ([len(MEMBERS) + 1] if self.admitted else [])
        for line, entry in zip(board.agenda, report["items"], strict=True):
            item_id, status = line.item_id, self.status[line.item_id]
            clerk_says = clerk_figures.item_status(state, item_id)
            if status in ("open", "closed"):
                mine = self.recount(item_id)
                n = line.numbers
                shown = {"yes": n.yes, "no": n.no, "abstain": n.abstain, "not_voting": n.not_voting,
                         "uncalled": n.uncalled, "cast": n.cast, "required_yes": n.required_yes,
                         "participating": n.quorum.participating, "quorum_base": n.quorum.base,
                         "quorum_met": int(n.quorum.met)}
                assert shown == mine, (item_id, shown, mine)
                assert {k: int(entry[k]) for k in mine} == mine, item_id
                assert f"{mine['yes']}–{mine['no']}–{mine['abstain']}" in clerk_says
                # The clerk's counts line, drawn from the item's picture in the view model.
                assert (f"Yes [b $success]{mine['yes']}[/]  No [b $error]{mine['no']}[/]  Abstain [b]"
                        f"{mine['abstain']}[/]  Not voting [b]{mine['not_voting']}[/]  Uncalled "
                        f"[b $primary]{mine['uncalled']}[/]") == counts_text(item_panel(state, item_id))
            else:
                assert line.numbers is None and line.figures == "", item_id  # no figures, no quorum verdict
                assert not any(ch.isdigit() for ch in clerk_says.replace(item_id, "")), clerk_says
            if status in ("withdrawn", "postponed"):
                verb = "withdraw" if status == "withdrawn" else "postpone"
                assert line.status == status and line.result.endswith(f"{status.upper()}: {verb} asked from the floor")
            elif status == "pending":
                assert line.status == ("not_taken_up" if self.closed else "to_come"), (item_id, line.status)
                if self.closed:
                    assert "NOT TAKEN UP" in line.result
        self.check_chair(board)

    def check_chair(self, board) -> None:
        """The chair app, running beside the test, shows the recount in its large digits."""
        cells = (("yes", "yes"), ("no", "no"), ("abstain", "abstain"), ("not-voting", "not_voting"),
                 ("uncalled", "uncalled"), ("needed", "required_yes"))
        # The model has the event before the screen is painted, and a loaded machine may take more
        # than a frame to paint it: read the screen until it shows the recount, and fail with what it
        # showed last if it never does. A chair that shows a wrong figure stays wrong, so it fails.
        deadline = time.monotonic() + 10
        while True:
            shown = self.chair.screen_at(self.session.state.last_seq)
            if shown is None:
                return  # between items: the agenda, no large tally
            item_id, lines, regions = shown
            mine = self.recount(item_id)
            found = {cell: read_figure(lines, regions[cell]) for cell, _ in cells}
            wrong = [(cell, found[cell], mine[key]) for cell, key in cells
                     if found[cell] is None or int(found[cell][0]) != mine[key]]
            if not wrong:
                return
            assert time.monotonic() < deadline, (item_id, wrong, mine)
            time.sleep(0.05)


class ChairThread:
    """The real chair app (follower, view model, widgets) running in a thread of its own, as beside
    a hall's projector; the test reads its screen between steps."""

    CELLS = ("yes", "no", "abstain", "not-voting", "uncalled", "needed")

    def __init__(self, db: str) -> None:
        self.app = build_chair(db, poll_interval=0.02)
        self.ready, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=asyncio.run, args=(self._run(),), daemon=True)
        self.thread.start()
        assert self.ready.wait(30), "the chair did not start"

    async def _run(self) -> None:
        async with self.app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            self.ready.set()
            while not self.done.is_set():
                await pilot.pause(0.02)

    def stop(self) -> None:
        self.done.set()
        self.thread.join(30)

    def _read(self):
        app = self.app
        lines = screen_lines(app)
        if app.board.vote is None or app.query_one("#views").current != "vote":
            return app.board.seq, None
        regions = {cell: app.query_one(f"#{cell} .figure").region for cell in self.CELLS}
        return app.board.seq, (app.board.vote.item_id, lines, regions)

    def screen_at(self, seq: int):
        """What the chair shows once it has read up to event ``seq`` and painted it."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.app.board.seq == seq:
                time.sleep(0.05)  # one more frame: the screen, not only the model
                at, shown = self.app.call_from_thread(self._read)
                if at == seq:
                    return shown
            time.sleep(0.02)
        raise AssertionError(f"the chair never showed event {seq} (it is at {self.app.board.seq})")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_surface_holds_to_the_record_through_random_sessions(tmp_path):
    Hall.folder = tmp_path
    Hall.count = itertools.count()
    run = Hall.TestCase
    run.settings = settings(max_examples=4, stateful_step_count=12, deadline=None,
                            suppress_health_check=list(HealthCheck))
    run().runTest()
