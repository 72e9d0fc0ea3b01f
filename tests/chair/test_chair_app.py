"""The chair app: follows what another connection writes, says when it is not live, switches views and themes.

Expected figures are the test's own count (``scenes.recount``), never the tally under test.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading

import pytest
from rich.console import Console

import support
from chair import scenes, tamper
from near_tui.chair.app import build_app
from near_tui.chair.big_figure import BigFigure
from near_tui.chair.themes import DARK, LIGHT
from near_tui.chair.vote_view import FigureCell
from near_tui.core import events as ev
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import Calls, FixedClock, write_agenda


async def wait_for(pilot, condition, timeout: float = 5) -> None:
    """Let the app poll until ``condition()`` holds (bounded: fails instead of hanging)."""
    await support.wait_for(condition, timeout=timeout, what="the chair view's change")


def figure(app, cell_id: str) -> str:
    return app.query_one(f"#{cell_id}", FigureCell).query_one(BigFigure).text


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector).render())


async def test_votes_written_elsewhere_appear_on_the_chair_screen(ga12_present, db_path):
    app = build_app(db_path, poll_interval=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.query_one("#views").current == "agenda"
        ga12_present.open_vote("2")
        await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
        answers = scenes.sample_votes("2")[:3]
        for member_id, vote in answers:
            ga12_present.record_vote("2", member_id, vote)
        mine = scenes.recount("2", answers)
        await wait_for(pilot, lambda: figure(app, "uncalled") == str(mine["uncalled"]))
        assert [figure(app, c) for c in ("yes", "no", "abstain", "not-voting")] == [
            str(mine["yes"]), str(mine["no"]), str(mine["abstain"]), str(mine["not_voting"])]
        # Two-thirds of yes + no, the least whole number: 3 * needed >= 2 * cast.
        cast = mine["yes"] + mine["no"]
        assert figure(app, "needed") == str(-(-2 * cast // 3))
        assert app.problem is None and not app.query_one("#not-live").display


async def test_agenda_key_and_theme_key(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=2)

    app = build_app(db_path, theme="dark")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == DARK
        assert app.query_one("#views").current == "vote"
        await pilot.press("a")
        assert app.query_one("#views").current == "agenda"
        await pilot.press("a")
        assert app.query_one("#views").current == "vote"
        await pilot.press("t")
        assert app.theme == LIGHT


async def test_a_new_roll_call_takes_the_screen_back_from_the_agenda(ga12_present, db_path):
    scenes.vote_closed(ga12_present)

    app = build_app(db_path, poll_interval=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        assert app.query_one("#views").current == "agenda"
        ga12_present.open_vote("4")
        await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
        assert app.board.vote.item_id == "4"


async def test_figures_grow_with_the_terminal_and_never_clip(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present)

    async def scales(size):
        app = build_app(db_path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            found = {}
            for widget in app.query(BigFigure):
                width, height = widget.content_size
                from near_tui.chair import big_font
                scale, drawn = widget.arrangement
                if scale:
                    w, h = big_font.size(drawn, scale)
                    assert w <= width and h <= height, (widget.text, size)
                found[widget.parent.id] = widget.scale
            return found

    small, large = await scales((80, 24)), await scales((240, 67))
    assert small["yes"] >= 1
    assert large["yes"] > small["yes"] and large["outcome"] > small["outcome"]
    # Side-by-side counts share a size.
    assert len({large[c] for c in ("yes", "no", "abstain", "not-voting", "uncalled")}) == 1


async def test_the_chair_says_it_is_not_live_while_it_cannot_read_the_log(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=3)
    files = [db_path + suffix for suffix in ("", "-wal", "-shm")]

    app = build_app(db_path, poll_interval=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        yes_before = figure(app, "yes")
        for name in files:  # the disk with the session is gone
            os.rename(name, name + ".away")
        try:
            await wait_for(pilot, lambda: app.query_one("#not-live").display)
            assert text_of(app, "#not-live").startswith("NOT LIVE — cannot read the session: ")
            assert "is not there" in text_of(app, "#not-live")
            assert text_of(app, "#live") == "⚠ NOT LIVE"
            assert figure(app, "yes") == yes_before  # the last figures read stay, marked not live
        finally:
            for name in files:
                os.rename(name + ".away", name)
        answers = scenes.sample_votes("2")[:4]
        ga12_present.record_vote("2", *answers[3])
        mine = scenes.recount("2", answers)
        await wait_for(pilot, lambda: not app.query_one("#not-live").display)
        await wait_for(pilot, lambda: figure(app, "uncalled") == str(mine["uncalled"]))
        assert text_of(app, "#live") == "● SESSION OPEN"


async def rewritten_stops_the_chair(ga12_present, db_path, tamper_with) -> None:
    scenes.vote_in_progress(ga12_present, answered=3)
    ga12_present.close_log()

    app = build_app(db_path, poll_interval=0.02)
    polls = Calls(app.follower, "poll")
    async with app.run_test(size=(80, 24)) as pilot:
        shown = figure(app, "uncalled")
        tamper_with(db_path)
        await wait_for(pilot, lambda: app.rewritten)
        message = text_of(app, "#not-live")
        assert app.query_one("#not-live").display
        assert message.startswith("NOT LIVE — the session log was rewritten: ")
        assert text_of(app, "#live") == "⚠ NOT LIVE"
        polls_when_stopped = polls.count
        # Whatever is written to the rewritten log from now on never reaches the screen. A seat
        # refuses to write on a log that fails its checks, so the answer goes in as a forger's would.
        with sqlite3.connect(db_path) as con:
            answered = {json.loads(p)["member_id"] for (p,) in con.execute(
                "SELECT payload FROM near_events WHERE kind = ?", (ev.VOTE_RECORDED,))}
        member_id, vote = next((m, v) for m, v in scenes.sample_votes("2") if m not in answered)
        written = tamper.append_unsigned(db_path, ev.VOTE_RECORDED, {"item_id": "2", "member_id": member_id,
                                                                     "vote": vote})
        # A second chair's follower, polling at the same interval, is the clock: while it polls three
        # times the first chair's timer would have polled too, had it not stopped.
        fresh = build_app(db_path, poll_interval=0.02)
        fresh_polls = Calls(fresh.follower, "poll")
        async with fresh.run_test(size=(80, 24)) as fresh_pilot:
            await wait_for(fresh_pilot, lambda: fresh_polls.count >= 3)
        with sqlite3.connect(db_path) as con:
            assert con.execute("SELECT max(seq) FROM near_events").fetchone() == (written,), "the answer is there"
        assert polls.count == polls_when_stopped, "the chair read the rewritten log again"
        assert figure(app, "uncalled") == shown and text_of(app, "#not-live") == message


async def test_a_rewritten_log_stops_the_chair(ga12_present, db_path):
    last = ga12_present.state.last_seq + 4  # the open and three answers to come

    def rewrite(db):
        tamper.rewrite_event(db, last - 1, lambda p: {**p, "vote": "no"})
        assert tamper.chain_intact(db)  # a careful forger: the chain verifies on its own

    await rewritten_stops_the_chair(ga12_present, db_path, rewrite)


async def test_a_deleted_last_event_stops_the_chair(ga12_present, db_path):
    await rewritten_stops_the_chair(ga12_present, db_path, tamper.delete_last_event)


# Names and titles as a roster may hold them: markup brackets, a dollar, a trailing backslash,
# and the scripts of NEAR's members. Each must reach the screen exactly as written.
ODD_MEMBERS = [
    ("cn-heilongjiang", "Heilongjiang Province [North-East China]", "CN"),
    ("cn-hunan", "湖南省", "CN"),
    ("ru-sakha", "Республика Саха (Якутия)", "RU"),
    ("jp-hokkaido", "北海道", "JP"),
    ("kr-seoul", "서울특별시", "KR"),
    ("mn-tov", "Төв аймаг", "MN"),
    ("xx-bold", "[b]x", "JP"),
    ("xx-close", "Hubei [/] Province", "CN"),
    ("xx-dollar", "$x Region", "KR"),
    ("xx-slash", "Trailing \\", "MN"),
    ("xx-open", "[", "RU"),
]
ODD_TITLE = "[bold]Budget[/bold] 2019 [/] $x — 予算 \\"


def odd_session(tmp_path) -> tuple[Session, str]:
    members = [{"id": i, "name": n, "country": c, "status": "member", "voting": "full"} for i, n, c in ODD_MEMBERS]
    items = [{"id": "1", "title": ODD_TITLE, "kind": "decision", "article": "8.11"},
             {"id": "2", "title": "Отчёт [Report] 報告", "kind": "report"}]
    db = str(tmp_path / "odd.sqlite")
    session = Session.create(load_agenda(write_agenda(tmp_path, members, items)), db, clock=FixedClock())
    for member_id, _, _ in ODD_MEMBERS:
        session.set_attendance(member_id, "in_person")
    return session, db


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_names_and_titles_reach_the_chair_exactly_as_written(tmp_path, size):
    session, db = odd_session(tmp_path)

    async def run():
        app = build_app(db, poll_interval=0.02)
        async with app.run_test(size=size) as pilot:
            agenda = Console(width=300, record=True)
            agenda.print(app.query_one("#agenda-scroll > Static").content)
            text = agenda.export_text()
            assert ODD_TITLE in text and "Отчёт [Report] 報告" in text
            assert text_of(app, "#session-title").startswith("Test Assembly · Test Hall")
            session.open_vote("1")
            await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
            assert text_of(app, "#item-title") == ODD_TITLE
            for member_id, name, country in ODD_MEMBERS:
                called = f"{name} ({country})"
                big = app.query_one("#calling-name", BigFigure)
                await wait_for(pilot, lambda: big.text == called)  # noqa: B023
                assert text_of(app, "#calling") == "▶ NOW CALLING"  # the name is said once, under it
                drawn = big.render().plain
                assert drawn.strip(), f"the large name of {called!r} is blank"
                if not big.scale:  # the block font cannot draw it: the name itself, in bold
                    assert drawn == called
                session.record_vote("1", member_id, "yes")
            await wait_for(pilot, lambda: text_of(app, "#calling").startswith("■ EVERY PRESENT MEMBER"))
            session.close_vote("1")
            session.note_item("2")
            await wait_for(pilot, lambda: app.query_one("#views").current == "agenda")

    try:
        await run()
    finally:
        session.close_log()


async def test_a_read_that_never_ends_is_said_not_left_as_live_figures(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=3)

    app = build_app(db_path, poll_interval=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        gate = threading.Event()
        read = app.follower.poll

        def stuck():  # a read held up (a lock never released, a network disk gone quiet)
            gate.wait(30)
            return read()

        app.follower.poll = stuck
        await wait_for(pilot, lambda: app.query_one("#not-live").display)
        assert text_of(app, "#not-live").startswith("NOT LIVE — no answer from the session log for more than")
        answers = scenes.sample_votes("2")[:4]
        ga12_present.record_vote("2", *answers[3])
        app.follower.poll = read
        gate.set()
        await wait_for(pilot, lambda: not app.query_one("#not-live").display
                       and figure(app, "uncalled") == str(scenes.recount("2", answers)["uncalled"]))
