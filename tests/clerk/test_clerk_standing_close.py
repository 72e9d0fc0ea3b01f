"""How a member stands reads the same on every screen and in the record; the end-of-session figures add up."""

from __future__ import annotations

import csv
import io

import yaml
from textual.widgets import DataTable, Static

from near_tui.clerk.screens.close_session_dialog import CloseSessionDialog
from near_tui.declaration.record import build_record, record_csv
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, events, text_of


def sample_absent_with_letter() -> str:
    """A member the sample files mark absent and who sent a letter (read from the files themselves)."""
    with open(GA12_ATTENDANCE, encoding="utf-8") as f:
        absent = {r["member_id"] for r in csv.DictReader(f) if r["mode"] == "absent"}
    with open(GA12_LETTERS, encoding="utf-8") as f:
        writers = [r["member_id"] for r in csv.DictReader(f)]
    return next(m for m in writers if m in absent)


def shown_standing(app, member_id: str) -> str:
    """The member's Attendance column on the screen on view (both member screens have one)."""
    return str(app.screen.query_one(DataTable).get_cell(member_id, "mode"))


async def test_a_member_absent_with_a_letter_is_by_letter_on_both_screens_and_in_the_record(clerk_pilot, ga12_present, db_path):
    member_id = sample_absent_with_letter()
    ga12_present.open_vote("2")  # a roll call, so that the record has a row per member
    ga12_present.close_vote("2")
    ga12_present.close_log()
    async with clerk_pilot(db=db_path, size=(100, 30)) as pilot:
        app = pilot.app
        for key, mode in (("f3", "attendance"), ("f4", "letters")):
            await pilot.press(key)
            await pilot.pause()
            assert shown_standing(app, member_id) == "by letter", mode

        # Marked in person: the letter stops counting, and both screens say so.
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(DataTable).move_cursor(row=app.screen.query_one(DataTable).get_row_index(member_id))
        await pilot.press("1")
        await pilot.pause()
        for key, mode in (("f3", "attendance"), ("f4", "letters")):
            await pilot.press(key)
            await pilot.pause()
            assert shown_standing(app, member_id) == "in person", mode
    # The record: "letter" in item 2's roll call (closed before the member came), "in_person" at the end.
    record = build_record(events(db_path))
    rows = [r for r in record_rows(record) if r["member_id"] == member_id]
    assert [(r["item_id"], r["attendance"]) for r in rows] == [("2", "letter")]
    at_end = next(m for m in record["members"] if m["id"] == member_id)
    assert at_end["attendance_at_end"] == "in_person"


def record_rows(record) -> list[dict]:
    return list(csv.DictReader(io.StringIO(record_csv(record).decode("utf-8-sig"))))


def agenda_item_count() -> int:
    """The number of items on the 12th GA agenda, counted in the agenda file itself."""
    with open(GA12, encoding="utf-8") as f:
        return len(yaml.safe_load(f)["items"])


async def test_end_session_counts_every_item_with_a_vote_open(clerk_pilot, ga12_present, db_path):
    """Four roll calls closed, the report noted, item 7 open: 5 dealt with of 8, not "5 of 7"."""
    s = ga12_present
    dealt_with = ["2", "4", "5", "6"]
    for item_id in dealt_with:
        s.open_vote(item_id)
        for member_id in [m for m in s.state.call_order(item_id) if s.state.is_present(m)]:
            s.record_vote(item_id, member_id, "yes")
        s.close_vote(item_id)
    s.note_item("3")
    dealt_with.append("3")
    s.open_vote("7")
    s.close_log()
    total = agenda_item_count()
    async with clerk_pilot(db=db_path) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        body = text_of(dialog.query_one("#body", Static))
        assert f"Items dealt with: {len(dealt_with)} of {total}; vote still open: 1." in body
        not_taken_up = total - len(dealt_with) - 1
        assert f"Still pending ({not_taken_up})" in body
        assert "vote on item 7 is still open" in body
        summary = dialog.summary
        assert len(summary.recorded) + len(summary.in_progress) + len(summary.not_taken_up) == summary.total == total
        assert [i for i, _ in summary.in_progress] == ["7"]
        assert {i for i, _ in summary.recorded} == set(dealt_with)
