"""The roll call redraws only the row that changed: what is drawn must still be the latest answer."""

from __future__ import annotations

from near_tui.clerk.widgets.call_list import CallList

from .conftest import clerk_app, drive


def drawn_row(table: CallList, name: str) -> str:
    """The table's visible line for a member, as the terminal would show it."""
    lines = [table.render_line(y).text for y in range(table.size.height)]
    return next(line for line in lines if name in line)


@drive
async def test_a_corrected_answer_is_drawn_where_the_cursor_was_before(present_db):
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CallList)
        first = app.screen.current_member()
        name = app.state.members[first].name
        await pilot.press("y")  # answered; the cursor moves on
        await pilot.press("up")  # back on the member: the row is drawn with the cursor on it
        assert "YES" in drawn_row(table, name)
        await pilot.press("n", "enter")  # a correction (recorded on enter); the cursor goes home again
        await pilot.press("up")  # same cursor place as before the correction: nothing stale may show
        row = drawn_row(table, name)
        assert "NO" in row and "YES" not in row and "corrected" in row
        await pilot.press("down", "down")
        assert "NO" in drawn_row(table, name)  # and without the cursor on it


@drive
async def test_answering_leaves_the_other_rows_as_they_were(present_db):
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CallList)
        before = [table.render_line(y).text for y in range(table.size.height)]
        first = app.state.members[app.screen.current_member()].name
        await pilot.press("y")
        await pilot.press("up")  # the same scroll position and cursor as before the answer
        after = [table.render_line(y).text for y in range(table.size.height)]
        changed = [(b, a) for b, a in zip(before, after) if b != a]
        assert len(changed) == 1 and first in changed[0][1] and "YES" in changed[0][1]


@drive
async def test_an_answer_wider_than_its_column_is_drawn_in_full(present_db):
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CallList)
        members = app.state.members
        first = members[app.screen.current_member()].name
        await pilot.press("x")  # NOT VOTING: wider than any answer on the list so far
        second_id = app.screen.current_member()
        second = members[second_id].name
        await pilot.press("a")
        assert "NOT VOTING" in drawn_row(table, first)
        assert "ABSTAIN" in drawn_row(table, second)
        while app.screen.current_member() != second_id:  # back up to it (members with letters between)
            await pilot.press("up")
        await pilot.press("n", "enter")  # a correction note, wider than "to call"
        assert "corrected" in drawn_row(table, second)


def highlighted_names(table: CallList, names: list[str]) -> list[str]:
    """The names whose drawn line carries the cursor's background."""
    cursor_bg = table.get_component_styles("datatable--cursor").background.rich_color
    found = []
    for y in range(table.size.height):
        strip = table.render_line(y)
        for name in names:
            if name in strip.text and any(seg.style and seg.style.bgcolor == cursor_bg for seg in strip):
                found.append(name)
    return found


@drive
async def test_only_the_cursor_row_is_drawn_highlighted_as_the_cursor_moves(present_db):
    """The line caches ignore where the cursor is for every other row: the highlight must still follow it."""
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CallList)
        members = app.state.members
        names = [members[m].name for m in app.screen.order]
        for keys in (["y"], ["y", "n"], ["up"], ["up", "up"], ["down"], ["home"], ["a"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert highlighted_names(table, names) == [members[app.screen.current_member()].name], keys
