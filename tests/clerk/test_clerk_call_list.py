"""The roll call redraws only the row that changed: what is drawn must still be the latest answer."""

from __future__ import annotations

from hypothesis import given, strategies as st
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from near_tui.clerk.widgets.call_list import PADDING, CallList, cell_segments


def drawn_row(table: CallList, name: str) -> str:
    """The table's visible line for a member, as the terminal would show it."""
    lines = [table.render_line(y).text for y in range(table.size.height)]
    return next(line for line in lines if name in line)


async def test_a_corrected_answer_is_drawn_where_the_cursor_was_before(clerk_pilot):
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
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


async def test_answering_leaves_the_other_rows_as_they_were(clerk_pilot):
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
        table = app.screen.query_one(CallList)
        before = [table.render_line(y).text for y in range(table.size.height)]
        first = app.state.members[app.screen.current_member()].name
        await pilot.press("y")
        await pilot.press("up")  # the same scroll position and cursor as before the answer
        after = [table.render_line(y).text for y in range(table.size.height)]
        changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
        assert len(changed) == 1 and first in changed[0][1] and "YES" in changed[0][1]


async def test_an_answer_wider_than_its_column_is_drawn_in_full(clerk_pilot):
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
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
    cursor_bg = table.get_component_styles("call-list--cursor").background.rich_color
    found = []
    for y in range(table.size.height):
        strip = table.render_line(y)
        for name in names:
            if name in strip.text and any(seg.style and seg.style.bgcolor == cursor_bg for seg in strip):
                found.append(name)
    return found


async def test_only_the_cursor_row_is_drawn_highlighted_as_the_cursor_moves(clerk_pilot):
    """The line caches ignore where the cursor is for every other row: the highlight must still follow it."""
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
        table = app.screen.query_one(CallList)
        members = app.state.members
        names = [members[m].name for m in app.screen.order]
        for keys in (["y"], ["y", "n"], ["up"], ["up", "up"], ["down"], ["home"], ["a"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert highlighted_names(table, names) == [members[app.screen.current_member()].name], keys


async def test_rows_drawn_before_a_change_of_height_are_still_right_after_it(clerk_pilot):
    """The list keeps its rows' renders when only the terminal's height changes (a scroll then draws
    only the rows it had never shown): every row must still show its member's answer, and the
    cursor's highlight only the member being called."""
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
        table = app.screen.query_one(CallList)
        members = app.state.members
        names = [members[m].name for m in app.screen.order]
        said = {"y": "YES", "n": "NO", "a": "ABSTAIN"}
        mine: dict[str, str] = {}  # member -> the answer word this test typed for it
        for height in (40, 30, 46, 24):
            await pilot.resize_terminal(120, height)
            for key in "ynayny":
                mine[app.screen.current_member()] = said[key]
                await pilot.press(key)
            await pilot.pause()
            lines = [table.render_line(y).text for y in range(table.size.height)]
            for member_id, word in mine.items():
                row = next((line for line in lines if members[member_id].name in line), None)
                if row is not None:  # scrolled out of view: nothing drawn to check
                    assert word in row, (height, row)
            assert highlighted_names(table, names) == [members[app.screen.current_member()].name], height


async def test_after_a_close_each_member_never_called_reads_not_voting_as_the_tally_counts_it(clerk_pilot):
    """On the rows too: a closed roll call has no "uncalled"."""
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
        typed = {}
        for key, word in (("y", "yes"), ("n", "no"), ("a", "abstain")):
            typed[app.screen.current_member()] = word
            await pilot.press(key)
        # Who the close will count as not voting, by this test's own reading of the session:
        # present (in person or online), no letter in effect, and not answered above.
        state = app.state
        never_called = [m for m in app.screen.order
                        if state.mode(m) in ("in_person", "online") and m not in typed]
        assert never_called
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("space", "2", "enter")
        await pilot.pause()
        assert app.state.items["2"].status == "closed"
        table = app.screen.query_one(CallList)
        rows = {m: "  ".join(str(table.get_cell(m, column)) for column in ("answer", "note"))
                for m in app.screen.order}
        for member_id in never_called:
            assert rows[member_id].startswith("not voting"), rows[member_id]
        for member_id, word in typed.items():
            assert rows[member_id].lower().startswith(word.replace("_", " ")), rows[member_id]
        t = app.state.tally("2")
        letters_not_voting = sum(1 for m in app.screen.order
                                 if state.position("2", m)[1] in ("letter", "no_letter_position")
                                 and state.position("2", m)[0] == "not_voting")
        assert t.uncalled == 0 and t.not_voting == len(never_called) + letters_not_voting


def visible_lines(table: CallList) -> list:
    return [table.render_line(y) for y in range(table.size.height)]


async def test_an_answer_renders_its_own_row_again_and_takes_the_others_from_the_cache(clerk_pilot):
    """The list keeps each row's rendered line: cursor moves and an answer leave every other line
    on screen the very line drawn before, not a new rendering of it."""
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
        table = app.screen.query_one(CallList)
        await pilot.press("y")  # the first answer widens the Answer column: every row is drawn again
        await pilot.pause()
        second = app.state.members[app.screen.current_member()].name
        before = visible_lines(table)
        await pilot.press("down", "up")  # two cursor moves, nothing recorded
        await pilot.pause()
        after = visible_lines(table)
        assert [b.text for b in before] == [a.text for a in after]
        assert all(b is a for b, a in zip(before, after, strict=True)), "a line was rendered again"
        answered = app.screen.current_member()
        await pilot.press("y")  # the member called answers; the cursor goes on (past any letters)
        while app.screen.current_member() != answered:  # and back up to its row
            await pilot.press("up")
        await pilot.pause()
        again = visible_lines(table)
        renewed = [a.text for b, a in zip(after, again, strict=True) if b is not a]
        assert len(renewed) == 1 and second in renewed[0] and "YES" in renewed[0], renewed


async def test_a_theme_switch_redraws_every_row_in_the_new_colours(clerk_pilot):
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
        table = app.screen.query_one(CallList)
        members = app.state.members
        names = [members[m].name for m in app.screen.order]
        old = table.get_component_styles("call-list--cursor").background.rich_color
        app.theme = "textual-dark"
        await pilot.pause()
        new = table.get_component_styles("call-list--cursor").background.rich_color
        assert new != old
        # highlighted_names reads the cursor colour of the theme now in force
        assert highlighted_names(table, names) == [members[app.screen.current_member()].name]
        backgrounds = {seg.style.bgcolor for strip in visible_lines(table) for seg in strip if seg.style}
        assert old not in backgrounds, "a row kept the old theme's cursor colour"


async def test_a_click_on_a_row_selects_its_member(clerk_pilot):
    async with clerk_pilot(item="2", size=(120, 40)) as pilot:
        app = pilot.app
        screen = app.screen
        table = screen.query_one(CallList)
        top = round(table.scroll_y)
        clicked = screen.order[top + 4]  # the fifth row on screen (line 0 is the header)
        assert clicked != screen.current_member()
        await pilot.click(CallList, offset=(6, 5))
        await pilot.pause()
        assert screen.current_member() == clicked
        assert screen.selected == clicked
        assert "SELECTED" in str(screen.query_one("#now").render())


async def test_page_keys_and_ctrl_home_end_move_the_cursor_through_the_list(clerk_pilot):
    async with clerk_pilot(item="2", size=(80, 24)) as pilot:
        app = pilot.app
        screen = app.screen
        table = screen.query_one(CallList)
        order = screen.order
        await pilot.press("ctrl+end")
        assert screen.current_member() == order[-1]
        assert round(table.scroll_y) == table.max_scroll_y, "the last row is in view"
        await pilot.press("ctrl+home")
        assert screen.current_member() == order[0] and round(table.scroll_y) == 0
        page = table.scrollable_content_region.height - 1  # the rows a page holds, less the header
        await pilot.press("pagedown")
        assert screen.current_member() == order[page]
        await pilot.press("pageup")
        assert screen.current_member() == order[0]


# A cell drawn without Rich's layout passes must be what Rich's Padding draws: the reference below
# is Rich's own drawing of the same text, so the fast path cannot drift from it unseen.
CELL_TEXTS = [
    Text(""),
    Text("Hunan Province"),
    Text("Hunan Province  湖南省"),
    Text("Töv Aimag  Төв аймаг"),
    Text("Gyeongsangbuk-do  경상북도", style="bold"),
    Text.assemble(("YES", "bold #146c2e"), " (letter)"),
    Text.assemble("NOT ", ("VOTING", "italic reverse")),
    Text("北海道…"),
]


@given(text=st.sampled_from(CELL_TEXTS), extra=st.integers(min_value=0, max_value=12),
       under=st.sampled_from([Style(), Style(bgcolor="#0b4f9c", color="white", bold=True),
                              Style(color="#101418") + Style.from_meta({"row": 3, "column": 1})]))
def test_a_cell_is_drawn_as_rich_padding_draws_it(text, extra, under):
    console = Console(width=120, color_system="truecolor", force_terminal=True)
    width = text.cell_len + extra  # a column at least as wide as its widest text
    options = console.options.update(width=width + 2 * PADDING, height=1, no_wrap=True)
    reference = Strip(Segment.apply_style(console.render_lines(Padding(text, (0, PADDING)), options)[0],
                                          style=under))
    drawn = Strip(Segment.apply_style(cell_segments(text, width, console), style=under))
    assert characters(drawn) == characters(reference)
    assert drawn.cell_length == width + 2 * PADDING


def characters(strip: Strip) -> list[tuple[str, Style]]:
    """What a terminal shows: each character with its style (empty segments draw nothing)."""
    return [(character, segment.style or Style()) for segment in strip for character in segment.text]
