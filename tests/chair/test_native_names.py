"""The chair calls each member by its name and its native name, each once: large where the
block font can draw it, plain bold otherwise, never blank — in five scripts, at 80x24 and
projector sizes. The calling bar above says only that a call is on.

The expected strings are written out here (the roster is ``clerk.native.ROSTER``).
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Static

import support
from clerk.native import native_session
from near_tui.chair.app import build_app
from near_tui.chair.big_figure import BigFigure
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, text_of, write_agenda

SIZES = [(80, 24), (160, 45), (240, 67)]
# (member id, the name drawn large, the native name under it), in call order.
CALLS = [
    ("cn-heilongjiang", "Heilongjiang Province (CN)", "黑龙江省"),
    ("jp-aomori", "Aomori Prefecture (JP)", "青森県"),
    ("kr-busan", "Busan Metropolitan City (KR)", "부산광역시"),
    ("mn-ulaanbaatar", "Ulaanbaatar City (MN)", "Улаанбаатар хот"),
    ("ru-sakha", "Sakha Republic (Yakutia) (RU)", "Республика Саха (Якутия)"),
    ("kr-sejong", "Sejong Special Self-Governing City (KR)", "세종특별자치시"),
    ("jp-kyoto", "Kyoto Prefecture (JP)", ""),
]


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def wait_for(pilot, condition, timeout: float = 5) -> None:
    await support.wait_for(condition, timeout=timeout, what="the chair's change")


def shows_whole(lines: list[str], text: str) -> bool:
    """``text`` on one line of the screen, not cut (a line is at most the terminal's width in cells)."""
    return any(text in line for line in lines)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_member_is_called_in_both_scripts_never_blank(tmp_path, size):
    db, session = native_session(tmp_path)
    session.open_vote("2")

    app = build_app(db, poll_interval=0.02)
    async with app.run_test(size=size) as pilot:
        big = app.query_one("#calling-name", BigFigure)
        for member_id, large, native in CALLS:
            await wait_for(pilot, lambda: big.text == large)  # noqa: B023
            bar = app.query_one("#calling", Static)
            await wait_for(pilot, lambda: text_of(bar) == "▶ NOW CALLING")  # noqa: B023
            lines = screen_lines(app)
            assert all(cell_len(row) == size[0] for row in lines)  # wide characters keep the rows aligned
            name = large.removesuffix(f" ({member_id[:2].upper()})")
            if big.scale == 0:
                assert shows_whole(lines, large), "the plain bold name is on screen"
                assert sum(row.count(name) for row in lines) == 1, "the name once"
            else:  # drawn in block glyphs: not as letters, and ink under the calling bar
                assert not any(name in row for row in lines) and any("█" in row for row in lines[-8:])
            box = app.query_one("#calling-native")
            assert box.display == bool(native)
            if native:
                assert str(box.render()) == native and box.region.height >= 1
                assert sum(row.count(native) for row in lines) == 1, "under the name, once"
            session.record_vote("2", member_id, "yes")
        await wait_for(pilot, lambda: "EVERY PRESENT MEMBER HAS ANSWERED" in str(app.query_one("#calling").render()))
        assert not app.query_one("#calling-native").display
    session.close_log()


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_large_name_is_drawn_at_projector_size_and_plain_at_80(tmp_path, size):
    db, session = native_session(tmp_path)
    session.open_vote("2")
    session.close_log()

    app = build_app(db)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.query_one("#calling-name", BigFigure).text != "")
        scale = app.query_one("#calling-name", BigFigure).scale
        assert (scale == 0) if size == (80, 24) else (scale >= 1)


@pytest.mark.parametrize("name", ["黑龙江省", "青森県", "부산광역시", "Улаанбаатар хот", "Приморский край"])
async def test_a_name_written_only_in_its_own_script_is_shown_plain_bold(tmp_path, name):
    roster = [{"id": "m-1", "name": name, "country": "KR", "status": "member", "voting": "full"}]
    agenda = write_agenda(tmp_path, roster, [{"id": "1", "title": "Fees", "kind": "decision", "article": "8.6"}])
    db = str(tmp_path / "only.sqlite")
    session = Session.create(load_agenda(agenda), db, clock=FixedClock())
    session.set_attendance("m-1", "in_person")
    session.open_vote("1")
    session.close_log()

    for size in SIZES:
        app = build_app(db)
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda: app.query_one("#calling-name", BigFigure).text == f"{name} (KR)")
            assert app.query_one("#calling-name", BigFigure).scale == 0
            lines = screen_lines(app)
            assert sum(row.count(name) for row in lines) == 1  # the name plain bold, once
            assert not app.query_one("#calling-native").display
