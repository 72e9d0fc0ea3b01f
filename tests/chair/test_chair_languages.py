"""``near-tui chair --lang``: every fixed word beside English, the agenda's texts in the language,
and the l key stepping through the session's languages (the sample: English and Chinese)."""

from __future__ import annotations

from pathlib import Path

import yaml

from chair import scenes
from near_tui.chair.app import build_app
from near_tui.chair.big_figure import BigFigure
from near_tui.chair.vote_view import FigureCell

SAMPLE = Path(__file__).resolve().parents[2] / "agenda" / "ga12-2018.yaml"


def chinese(*path: object) -> str:
    node = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for part in path:
        node = node[part]
    return node["zh"]


async def wait_for(pilot, condition, attempts: int = 100) -> None:
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the chair view never showed it")


def caption(app, cell_id: str) -> str:
    return str(app.query_one(f"#{cell_id}", FigureCell).query_one(".caption").render())


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector).render())


async def test_the_chair_in_chinese_beside_english_and_back(ga12_present, db_path):
    ga12_present.open_vote("2")
    answers = scenes.sample_votes("2")[:4]
    for member_id, vote in answers:
        ga12_present.record_vote("2", member_id, vote)
    mine = scenes.recount("2", answers)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
        assert caption(app, "yes") == "YES 赞成" and caption(app, "no") == "NO 反对"
        assert text_of(app, "#item-title") == chinese("items", 1, "title")
        assert chinese("session", "title") in text_of(app, "#session-title")
        assert "ROLL CALL OPEN 唱名表决进行中" in text_of(app, "#item-position")
        # The figures are the same whatever the language.
        assert app.query_one("#yes", FigureCell).query_one(BigFigure).text == str(mine["yes"])
        await pilot.press("l")  # the session's next language: English alone
        await wait_for(pilot, lambda: caption(app, "yes") == "YES")
        assert text_of(app, "#item-title") == "Adoption of New Members"
        await pilot.press("l")
        await wait_for(pilot, lambda: caption(app, "yes") == "YES 赞成")


async def test_a_language_the_session_does_not_have_still_translates_the_fixed_words(ga12_present, db_path):
    ga12_present.open_vote("2")
    app = build_app(db_path, poll_interval=0.02, language="ru")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
        assert caption(app, "no") == "NO ПРОТИВ"
        # No Russian title in the agenda: the record's English one.
        assert text_of(app, "#item-title") == "Adoption of New Members"
        assert app.languages == ("ru", "en", "zh")
