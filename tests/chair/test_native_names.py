"""The chair calls each member by its name and its native name: large where the block font
can draw it, plain bold otherwise, never blank — in five scripts, at 80x24 and projector sizes.

The expected strings are written out here (the roster is ``clerk.native.ROSTER``).
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

import support
from clerk.native import native_session
from near_tui.chair.app import build_app
from near_tui.chair.big_figure import BigFigure
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, write_agenda

SIZES = [(80, 24), (160, 45), (240, 67)]
# (member id, the calling line, the name drawn large, the native name under it), in call order.
CALLS = [
    ("cn-heilongjiang", "▶ NOW CALLING  Heilongjiang Province 黑龙江省 (CN)", "Heilongjiang Province (CN)", "黑龙江省"),
    ("jp-aomori", "▶ NOW CALLING  Aomori Prefecture 青森県 (JP)", "Aomori Prefecture (JP)", "青森県"),
    ("kr-busan", "▶ NOW CALLING  Busan Metropolitan City 부산광역시 (KR)", "Busan Metropolitan City (KR)",
     "부산광역시"),
    ("mn-ulaanbaatar", "▶ NOW CALLING  Ulaanbaatar City Улаанбаатар хот (MN)", "Ulaanbaatar City (MN)",
     "Улаанбаатар хот"),
    ("ru-sakha", "▶ NOW CALLING  Sakha Republic (Yakutia) Республика Саха (Якутия) (RU)",
     "Sakha Republic (Yakutia) (RU)", "Республика Саха (Якутия)"),
    ("kr-sejong", "▶ NOW CALLING  Sejong Special Self-Governing City 세종특별자치시 (KR)",
     "Sejong Special Self-Governing City (KR)", "세종특별자치시"),
    ("jp-kyoto", "▶ NOW CALLING  Kyoto Prefecture (JP)", "Kyoto Prefecture (JP)", ""),
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
        for member_id, line, large, native in CALLS:
            await wait_for(pilot, lambda: line in str(app.query_one("#calling").render()))
            big = app.query_one("#calling-name", BigFigure)
            assert big.text == large
            lines = screen_lines(app)
            assert all(cell_len(row) == size[0] for row in lines)  # wide characters keep the rows aligned
            under = [row for row in lines if "NOW CALLING" not in row]
            if big.scale == 0:
                assert shows_whole(under, large), "the plain bold name is on screen"
            else:  # drawn in block glyphs: not as letters, and ink under the calling line
                assert not shows_whole(under, large) and any("█" in row for row in lines[-8:])
            box = app.query_one("#calling-native")
            assert box.display == bool(native)
            if native:
                assert str(box.render()) == native and box.region.height >= 1
                assert sum(row.count(native) for row in lines) == 2, "on the calling line and under the name"
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
            assert sum(row.count(f"{name} (KR)") for row in lines) == 2  # calling line, and the name plain bold
            assert not app.query_one("#calling-native").display
