"""The chair's screen pinned at projector sizes, in both themes (review the SVGs under __snapshots__)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chair import scenes, tamper
from near_tui.chair.app import build_app

SIZES = [(80, 24), (160, 45), (240, 67)]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_roll_call_in_progress(snap_compare, ga12_present, db_path, size, theme):
    scenes.vote_in_progress(ga12_present)
    assert snap_compare(build_app(db_path, theme), terminal_size=size)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_result_of_a_closed_roll_call(snap_compare, ga12_present, db_path, theme):
    scenes.vote_closed(ga12_present)
    assert snap_compare(build_app(db_path, theme), terminal_size=(80, 24))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_agenda_between_items(snap_compare, ga12_present, db_path, size, theme):
    scenes.between_items(ga12_present)
    assert snap_compare(build_app(db_path, theme), terminal_size=size)


def test_not_live_once_the_log_was_rewritten(snap_compare, ga12_present, db_path, monkeypatch):
    scenes.vote_in_progress(ga12_present)
    ga12_present.close_log()
    monkeypatch.chdir(Path(db_path).parent)  # a relative path: the message on screen is the same on every run
    app = build_app(Path(db_path).name, "light", poll_interval=0.02)

    async def rewrite(pilot):
        tamper.delete_last_event(Path(db_path).name)
        for _ in range(100):
            if app.rewritten:
                break
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=rewrite)


def test_roll_call_in_two_languages_at_80x24(snap_compare, ga12_present, db_path):
    """Beside Chinese at the smallest size: the rule, the reason and the native name whole."""
    scenes.vote_in_progress(ga12_present, answered=14)
    assert snap_compare(build_app(db_path, "light", language="zh"), terminal_size=(80, 24))
