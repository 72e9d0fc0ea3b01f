"""Every clerk surface lists a member as its name with its native name beside it, in five scripts.

The roster (``native.ROSTER``) has Chinese, Japanese, Korean, Mongolian (Cyrillic) and Russian
native names. The expected strings are written out here. Below 110 columns the Member column is
held to 36 terminal cells (docs/clerk.md, "Names in every script"): the native name is cut with
"…", counted in cells (a CJK or Hangul character takes two), and the English name never is.
"""

from __future__ import annotations

import time

from rich.cells import cell_len
from textual.widgets import DataTable, Static

from near_tui.clerk.screens.attendance import AttendanceScreen
from near_tui.clerk.screens.close_vote_dialog import CloseVoteDialog
from near_tui.clerk.screens.dialogs import ConfirmDialog
from near_tui.clerk.screens.election_dialog import ElectionDialog
from near_tui.clerk.screens.letters import LettersScreen
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.clerk.widgets.call_list import CallList
from support import clerk_app, screen_text, text_of, toasted

from .native import native_session

# The Member column, roster order, as it must read at 80 columns and at 160.
AT_80 = [
    "Heilongjiang Province  黑龙江省",
    "Aomori Prefecture  青森県",
    "Busan Metropolitan City  부산광역시",
    "Ulaanbaatar City  Улаанбаатар хот",
    "Sakha Republic (Yakutia)  Республик…",  # 24 + 2 + 9 + 1 = 36 cells
    "Sejong Special Self-Governing City",  # 34 cells: no room beside it, the name stays whole
    "Kyoto Prefecture",  # no native name
]
AT_160 = [
    "Heilongjiang Province  黑龙江省",
    "Aomori Prefecture  青森県",
    "Busan Metropolitan City  부산광역시",
    "Ulaanbaatar City  Улаанбаатар хот",
    "Sakha Republic (Yakutia)  Республика Саха (Якутия)",
    "Sejong Special Self-Governing City  세종특별자치시",
    "Kyoto Prefecture",
]
IDS = ["cn-heilongjiang", "jp-aomori", "kr-busan", "mn-ulaanbaatar", "ru-sakha", "kr-sejong", "jp-kyoto"]
COUNTRIES = ["CN", "JP", "KR", "MN", "RU", "KR", "JP"]


def member_cells(table: DataTable | CallList, column: str = "name") -> list[str]:
    return [table.get_cell(member_id, column).plain for member_id in IDS]


def at_cell(line: str, column: int) -> str:
    """The character drawn at terminal cell ``column`` of a line (wide characters take two cells)."""
    used = 0
    for character in line:
        if used >= column:
            return character
        used += cell_len(character)
    return ""


def country_column_aligned(app) -> None:
    """Every member's row has its country code under the header's "Ctry", whatever the script before it."""
    lines = screen_text(app).splitlines()
    header = next(line for line in lines if "Member" in line and "Ctry" in line)
    column = cell_len(header[:header.index("Ctry")])
    seen = 0
    for english, country in zip(AT_160, COUNTRIES, strict=True):
        english = english.split("  ")[0]
        rows = [line for line in lines if english in line and line.index(english) < 8]  # the table's, not a panel's
        for row in rows:
            assert at_cell(row, column) + at_cell(row, column + 1) == country, (row, column)
            seen += 1
    assert seen >= 5, "the rows were not on screen"


def open_vote(tmp_path, present=None):
    db, session = native_session(tmp_path, present)
    session.open_vote("2")
    session.close_log()
    return db


async def test_roll_call_lists_and_calls_members_with_their_native_names_at_80_and_160(clerk_pilot, tmp_path):
    db = open_vote(tmp_path)
    async with clerk_pilot(db=db, item="2") as pilot:
        app = pilot.app
        table = app.screen.query_one(CallList)
        assert member_cells(table) == AT_80
        assert all(cell_len(text) <= 36 for text in member_cells(table))
        country_column_aligned(app)
        assert "Heilongjiang Province 黑龙江省" in text_of(app.screen.query_one("#now", Static))
        for expected in ("Aomori Prefecture 青森県", "Busan Metropolitan City 부산광역시",
                         "Ulaanbaatar City Улаанбаатар хот", "Sakha Republic (Yakutia) Республика Саха (Якутия)",
                         "Sejong Special Self-Governing City 세종특별자치시", "Kyoto Prefecture"):
            await pilot.press("y")
            await pilot.pause()
            # The panel names the member being called in full, at 80 columns too.
            assert expected in text_of(app.screen.query_one("#now", Static))
        await pilot.press("backspace")  # the toast names the member in both scripts
        await pilot.pause()
        assert toasted(app, "Sejong Special Self-Governing City 세종특별자치시")

        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert member_cells(app.screen.query_one(CallList)) == AT_160
        country_column_aligned(app)
        # The record panel of the wide layout names them in full.
        record = text_of(app.screen.query_one("#record", Static))
        assert "Heilongjiang Province 黑龙江省: YES" in record
        assert "Sakha Republic (Yakutia) Республика Саха (Якутия): YES" in record

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert member_cells(app.screen.query_one(CallList)) == AT_80


async def test_the_second_seat_calls_the_next_member_by_both_names(tmp_path):
    db = open_vote(tmp_path)
    a, b = clerk_app(db, item="2"), clerk_app(db, item="2")
    async with a.run_test(size=(80, 24)) as pa, b.run_test(size=(80, 24)) as pb:
        await pa.pause()
        await pb.pause()
        assert "Heilongjiang Province 黑龙江省" in text_of(b.screen.query_one("#now", Static))
        await pa.press("y")
        start = time.monotonic()
        while "Aomori Prefecture 青森県" not in text_of(b.screen.query_one("#now", Static)):
            assert time.monotonic() - start < 2, "the second seat did not move on"
            await pb.pause(0.02)
        assert member_cells(b.screen.query_one(CallList)) == AT_80


async def test_attendance_and_letters_list_native_names_and_filter_by_them(clerk_pilot, tmp_path):
    db, session = native_session(tmp_path, present=[])
    session.record_letter("kr-busan", {"2": "yes"})
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        assert member_cells(app.screen.query_one(DataTable)) == AT_80
        country_column_aligned(app)
        await pilot.press("青", "森")  # a filter in the member's own script
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1 and table.get_cell("jp-aomori", "name").plain == "Aomori Prefecture  青森県"
        await pilot.press("escape", "f4")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        assert member_cells(app.screen.query_one(DataTable)) == AT_80
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert member_cells(app.screen.query_one(DataTable)) == AT_160
        await pilot.press("f3")
        await pilot.pause()
        assert member_cells(app.screen.query_one(DataTable)) == AT_160


async def test_letter_dialog_and_withdrawal_name_the_member_in_both_scripts(clerk_pilot, tmp_path):
    db, session = native_session(tmp_path, present=[])
    session.record_letter("kr-busan", {"2": "yes"})
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one(DataTable).move_cursor(row=2)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Withdraw the letter of Busan Metropolitan City 부산광역시?" in text_of(app.screen.query_one("#body", Static))
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        assert "Letter of decision from Busan Metropolitan City 부산광역시" in text_of(app.screen.query_one("#title", Static))


async def test_election_dialog_lists_marks_and_confirms_with_native_names(clerk_pilot, tmp_path):
    db, session = native_session(tmp_path)
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        app.open_item("1")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ElectionDialog)
        assert member_cells(dialog.query_one(DataTable)) == AT_160  # the dialog has room for them whole
        await pilot.press("Я", "к", "у", "т")  # filtered by the native name: Якутия
        await pilot.pause()
        assert dialog.query_one(DataTable).row_count == 1
        await pilot.press("enter")  # marks the highlighted member
        await pilot.pause()
        assert ("Marked 1 of 1: Sakha Republic (Yakutia) Республика Саха (Якутия)"
                in text_of(dialog.query_one("#marked", Static)))
        await pilot.press("ctrl+r")  # then the item number typed: the marked member stays in view
        await pilot.pause()
        assert app.screen is dialog and dialog.confirming
        assert ("Marked 1 of 1: Sakha Republic (Yakutia) Республика Саха (Якутия)"
                in text_of(dialog.query_one("#marked", Static)))
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.state.items["1"].elected == ("ru-sakha",)


async def test_close_vote_dialog_names_the_uncalled_members_in_both_scripts(clerk_pilot, tmp_path):
    db = open_vote(tmp_path)
    async with clerk_pilot(db=db, item="2") as pilot:
        app = pilot.app
        await pilot.press("y", "y")  # Heilongjiang and Aomori answer; five are left to call
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CloseVoteDialog)
        shown = text_of(app.screen.query_one("#uncalled", Static))
        assert shown == ("⚠ 5 present members have not been called: Busan Metropolitan City 부산광역시, "
                         "Ulaanbaatar City Улаанбаатар хот, Sakha Republic (Yakutia) Республика Саха (Якутия) "
                         "and 2 more")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen)


def test_a_native_name_is_left_out_rather_than_shown_as_a_lone_ellipsis():
    from near_tui.clerk.widgets.names import name_cell
    from near_tui.core.schema import Member

    inner = Member(id="cn-nm", name="Inner Mongolia Autonomous Region", native_name="内蒙古自治区", country="CN")
    # 32 cells of name + 2 of gap: 36 leaves 2 cells, too few for one Chinese character and "…".
    assert name_cell(inner, 36).plain == "Inner Mongolia Autonomous Region"
    assert name_cell(inner, 37).plain == "Inner Mongolia Autonomous Region  内…"
    assert name_cell(inner, None).plain == "Inner Mongolia Autonomous Region  内蒙古自治区"
