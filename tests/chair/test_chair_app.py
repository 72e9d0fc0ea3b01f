"""The chair app: follows what another connection writes, switches views and themes."""

from __future__ import annotations

import asyncio

from chair import scenes
from near_tui.chair.app import build_app
from near_tui.chair.big_figure import BigFigure
from near_tui.chair.themes import DARK, LIGHT
from near_tui.chair.vote_view import FigureCell


async def wait_for(pilot, condition, attempts: int = 100) -> None:
    """Let the app poll until ``condition()`` holds (bounded: fails instead of hanging)."""
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the chair view never showed it")


def figure(app, cell_id: str) -> str:
    return app.query_one(f"#{cell_id}", FigureCell).query_one(BigFigure).text


def test_votes_written_elsewhere_appear_on_the_chair_screen(ga12_present, db_path):
    async def run():
        app = build_app(db_path, poll_interval=0.02)
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.query_one("#views").current == "agenda"
            ga12_present.open_vote("2")
            await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
            for member_id, vote in scenes.sample_votes("2")[:3]:
                ga12_present.record_vote("2", member_id, vote)
            tally = ga12_present.state.tally("2")
            await wait_for(pilot, lambda: figure(app, "uncalled") == str(tally.uncalled))
            assert figure(app, "yes") == str(tally.yes)
            assert figure(app, "needed") == str(tally.required_yes)
            assert app.problem is None
    asyncio.run(run())


def test_agenda_key_and_theme_key(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=2)

    async def run():
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
    asyncio.run(run())


def test_a_new_roll_call_takes_the_screen_back_from_the_agenda(ga12_present, db_path):
    scenes.vote_closed(ga12_present)

    async def run():
        app = build_app(db_path, poll_interval=0.02)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            assert app.query_one("#views").current == "agenda"
            ga12_present.open_vote("4")
            await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
            assert app.board.vote.item_id == "4"
    asyncio.run(run())


def test_figures_grow_with_the_terminal_and_never_clip(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present)

    async def scales(size):
        app = build_app(db_path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            found = {}
            for widget in app.query(BigFigure):
                width, height = widget.content_size
                from near_tui.chair import big_font
                if widget.scale:
                    w, h = big_font.size(widget.text, widget.scale)
                    assert w <= width and h <= height, (widget.text, size)
                found[widget.parent.id] = widget.scale
            return found

    small, large = asyncio.run(scales((80, 24))), asyncio.run(scales((240, 67)))
    assert small["yes"] >= 1 and small["outcome"] >= 1
    assert large["yes"] > small["yes"] and large["outcome"] > small["outcome"]
    # Side-by-side counts share a size.
    assert len({large[c] for c in ("yes", "no", "abstain", "not-voting", "uncalled")}) == 1
