"""The clerk's console driven key by key, as a clerk would; each test checks the log and the screen."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from near_tui.clerk.screens.attendance import AttendanceScreen
from near_tui.clerk.screens.letters import LettersScreen
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.clerk.widgets.call_list import CallList
from near_tui.clerk.widgets.indicators import SessionBar
from near_tui.core import events as ev
from support import events, text_of, toasted


def kinds(db, since=0):
    return [e.kind for e in events(db)[since:]]


async def type_text(pilot, text):
    await pilot.press(*[c if c != " " else "space" for c in text])
    await pilot.pause()


async def test_attendance_marks_members_with_single_keys_and_lights_quorum(clerk_pilot, empty_db):
    async with clerk_pilot(db=empty_db) as pilot:
        app = pilot.app
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AttendanceScreen)
        assert "NO QUORUM" in text_of(screen.query_one(SessionBar))
        await type_text(pilot, "hunan")
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("1")
        await pilot.press("escape")
        await type_text(pilot, "sakha")
        await pilot.press("2")
        await pilot.pause()
        bar = text_of(screen.query_one(SessionBar))
        assert "in person 1 · online 1" in bar
        assert "2 participating / 39 required / 77 members" in bar
        counts = text_of(screen.query_one("#countries", Static))
        assert "CN 1/11" in counts and "RU 1/16" in counts
    recorded = [e.payload for e in events(empty_db) if e.kind == ev.ATTENDANCE_SET]
    assert recorded == [{"member_id": "cn-hunan", "mode": "in_person"},
                        {"member_id": "ru-sakha", "mode": "online"}]


async def test_observers_and_associate_are_listed_apart_and_never_counted(clerk_pilot, empty_db):
    async with clerk_pilot(db=empty_db) as pilot:
        app = pilot.app
        await pilot.press("f3")
        await type_text(pilot, "tianjin")
        table = app.screen.query_one(DataTable)
        keys = [row.key.value for row in table.ordered_rows]
        assert keys == ["--not-counted--", "cn-tianjin"]
        await pilot.press("down", "1")
        await pilot.pause()
        assert app.state.mode("cn-tianjin") == "in_person"
        assert "0 participating / 39 required / 77 members" in text_of(app.screen.query_one(SessionBar))


async def test_letters_recorded_withdrawn_and_superseded_by_attendance(clerk_pilot, empty_db):
    async with clerk_pilot(db=empty_db) as pilot:
        app = pilot.app
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        await type_text(pilot, "kyoto")
        await pilot.press("enter")  # the letter dialog: items 2, 4, 5, 6, 7, 8
        await pilot.pause()
        await pilot.press("y", "y", "n", "a")
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.letter_in_effect("jp-kyoto").positions == {"2": "yes", "4": "yes", "5": "no", "6": "abstain"}
        table = app.screen.query_one(DataTable)
        assert str(table.get_cell("jp-kyoto", "mode")) == "by letter"
        assert str(table.get_cell("jp-kyoto", "positions")) == "2:Y 4:Y 5:N 6:A"
        detail = text_of(app.screen.query_one("#letter-detail"))
        assert detail == "Kyoto Prefecture: letter in effect — 2:YES  4:YES  5:NO  6:ABSTAIN", detail
        assert "1 participating" in text_of(app.screen.query_one(SessionBar))

        # Kyoto's delegate walks in: the letter visibly stops applying.
        await pilot.press("f3")
        await type_text(pilot, "kyoto")
        await pilot.press("1")
        await pilot.press("f4")
        await pilot.pause()
        cell = app.screen.query_one(DataTable).get_cell("jp-kyoto", "positions")
        assert cell.plain == "2:Y 4:Y 5:N 6:A" and any("strike" in str(span.style) for span in cell.spans)
        assert text_of(app.screen.query_one("#letter-detail")).startswith(
            "Kyoto Prefecture: letter superseded: in person — ")

        # A letter for a member marked present is refused at once (no dialog), and the screen stays usable.
        await pilot.press("enter")
        await pilot.pause()
        assert toasted(app, "marked present")
        assert isinstance(app.screen, LettersScreen)

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "jp-kyoto" not in app.state.letters
    assert kinds(empty_db)[-3:] == [ev.LETTER_RECORDED, ev.ATTENDANCE_SET, ev.LETTER_WITHDRAWN]


async def test_a_whole_roll_call_with_undo_and_a_correction(clerk_pilot, present_db):
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        screen = app.screen
        assert isinstance(screen, RollCallScreen)
        state = app.state
        assert state.items["2"].status == "open"
        order = [m for m in state.call_order("2") if state.is_present(m)]
        assert len(order) == 29
        assert screen.current_member() == order[0]
        assert "Uncalled 29" in text_of(screen.query_one("#counts", Static))

        await pilot.press("y", "y", "n")
        await pilot.pause()
        assert screen.current_member() == order[3]
        await pilot.press("backspace")  # the "no" was a slip
        await pilot.pause()
        assert screen.current_member() == order[2]
        await pilot.press("y")
        # Correct the first answer after the fact: select it, press the key.
        for _ in range(10):
            if screen.current_member() == order[0]:
                break
            await pilot.press("up")
        assert screen.current_member() == order[0]
        assert "SELECTED" in text_of(screen.query_one("#now", Static))
        await pilot.press("a")  # proposed only: enter records it
        await pilot.pause()
        assert "CORRECTION" in text_of(screen.query_one("#now", Static))
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current_member() == order[3], "after a correction the call goes on where it was"
        for _ in order[3:]:
            await pilot.press("y")
        await pilot.pause()
        counts = text_of(screen.query_one("#counts", Static))
        # 28 present yes + 1 present abstain; 21 letters say yes.
        t = app.state.tally("2")
        assert (t.yes, t.abstain, t.uncalled) == (49, 1, 0)
        assert "Yes 49" in counts and "Abstain 1" in counts and "Uncalled 0" in counts
        assert "DECIDED: CARRIED" in text_of(screen.query_one("#verdict", Static))

        await pilot.press("c")
        await pilot.pause()
        await pilot.press("2", "enter")  # the item number: nobody is left uncalled, so nothing to tick
        await pilot.pause()
        assert "✔ CARRIED" in text_of(screen.query_one("#verdict", Static))
        assert "VOTE CLOSED  ✔ CARRIED" in text_of(screen.query_one("#now", Static))
        # Akita is admitted at once: the next screens count 78 members.
        await pilot.press("f3")
        await pilot.pause()
        assert "/ 78 members" in text_of(app.screen.query_one(SessionBar))
        # A late key on the closed vote is refused and shown, not a crash.
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert toasted(app, "closed")

    log = events(present_db)
    item2 = [e for e in log if e.payload.get("item_id") == "2"]
    assert [e.kind for e in item2][:1] == [ev.VOTE_OPENED]
    undo = [e for e in item2 if e.kind == ev.VOTE_CORRECTED and e.payload.get("undo_of")]
    assert len(undo) == 1 and undo[0].payload["vote"] is None and undo[0].payload["member_id"] == order[2]
    corrected = [e for e in item2 if e.kind == ev.VOTE_CORRECTED and not e.payload.get("undo_of")]
    assert [(e.payload["member_id"], e.payload["vote"]) for e in corrected] == [(order[0], "abstain")]
    assert log[-2].kind == ev.VOTE_CLOSED and log[-1].kind == ev.MEMBER_ADMITTED
    assert log[-1].payload["member_ids"] == ["jp-akita"]


async def test_quitting_mid_roll_call_reopens_at_the_next_member(clerk_pilot):
    async with clerk_pilot(item="4") as pilot:
        app = pilot.app
        await pilot.press("y", "n", "y", "x", "y")
        await pilot.pause()
        state = app.state
        sixth = [m for m in state.call_order("4") if state.is_present(m)][5]  # five answered, in order
        assert app.screen.current_member() == sixth
    async with clerk_pilot() as pilot:
        again = pilot.app
        assert isinstance(again.screen, RollCallScreen)
        assert again.screen.item_id == "4"
        assert again.screen.current_member() == sixth
        assert "NOW CALLING · 5 of 29" in text_of(again.screen.query_one("#now", Static))


async def test_without_an_open_vote_the_app_reopens_on_the_first_pending_item(clerk_pilot):
    async with clerk_pilot() as pilot:
        app = pilot.app
        table = app.screen.query_one(DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "1"


async def test_alphabetical_order_draws_a_member_by_lot_and_records_it(clerk_pilot, present_db):
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen)
        start = app.state.items["2"].start
        assert app.state.draws["2"] == start
        assert "(drawn by lot)" in text_of(app.screen.query_one("#item-title", Static))
        first_present = next(m for m in app.state.call_order("2") if app.state.is_present(m))
        assert app.screen.current_member() == first_present
    opened = [e for e in events(present_db) if e.kind == ev.VOTE_OPENED][-1]
    assert opened.payload["order"] == "alphabetical" and opened.payload["drawn_by_lot"] is True


async def test_report_consensus_and_election_items_by_confirmed_keys(clerk_pilot, present_db):
    async with clerk_pilot() as pilot:
        app = pilot.app
        # Item 3, a report: enter, then its number typed and enter to record it as noted.
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        assert app.state.items["3"].result == "noted"
        # The cursor went on to the next item to take up (docs/clerk.md, "Slips the screens absorb").
        assert app.screen._highlighted() == "4"
        # Item 1, the election of the next Chair.
        await pilot.press("up", "up", "up", "enter")
        await pilot.pause()
        await type_text(pilot, "sakha")
        await pilot.press("enter", "ctrl+r")  # enter marks, ctrl+r asks for the item number
        await pilot.pause()
        await pilot.press("1", "enter")  # the item number typed, then enter
        await pilot.pause()
        assert app.state.items["1"].elected == ("ru-sakha",)
        table = app.screen.query_one(DataTable)
        assert "ELECTED: Sakha Republic" in str(table.get_cell("1", "status"))
        assert app.screen._highlighted() == "2", "on to the next item to take up, not back on the election"
        # A cancelled dialog records nothing.
        await pilot.press("down", "down", "enter", "escape")
        await pilot.pause()
    assert kinds(present_db)[-2:] == [ev.ITEM_NOTED, ev.ELECTION_RECORDED]


async def test_consensus_item_is_adopted_by_its_typed_number(clerk_pilot, tmp_path):
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.session import Session
    from support import member, write_agenda

    agenda = write_agenda(tmp_path, [member("jp-a"), member("jp-b")],
                          [{"id": "1", "title": "Thanks to the host", "kind": "consensus"}])
    db = str(tmp_path / "c.sqlite")
    Session.create(load_agenda(agenda), db).close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("enter", "a")
        await pilot.pause()
        assert app.state.items["1"].status == "pending", "nothing is recorded before the confirmation"
        await pilot.press("y", "enter", "enter")  # habit keys: nothing
        await pilot.pause()
        assert app.state.items["1"].result is None
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.state.items["1"].result == "adopted"


async def test_command_palette_lists_the_clerks_actions_and_they_act(clerk_pilot):
    from near_tui.clerk.screens.attendance import AttendanceScreen
    from near_tui.clerk.screens.close_session_dialog import CloseSessionDialog

    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in ("Agenda", "Attendance", "Letters", "Roll call", "Close the vote", "Undo last entry",
                      "End session"):
            assert title in commands
        commands["Attendance"].callback()  # each entry does what it says, not just exists
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        commands["End session"].callback()
        await pilot.pause()
        assert isinstance(app.screen, CloseSessionDialog)


async def test_the_call_list_keeps_the_next_members_in_view(clerk_pilot):
    """At 80x24 the member being called stands a third of the way down, the next ones below it."""
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        table = app.screen.query_one(CallList)
        visible = table.scrollable_content_region.height - 1  # less the header line
        for answered in range(12):
            await pilot.press("y")
            await pilot.pause()
            top = round(table.scroll_y)
            below = top + visible - 1 - table.cursor_row
            assert top <= table.cursor_row, "the member being called is on screen"
            assert below >= min(5, table.row_count - 1 - table.cursor_row), (answered, top, table.cursor_row)
        assert table.cursor_row > visible, "the list has scrolled well past its first screen"


async def test_no_slip_records_a_report_or_a_consensus(clerk_pilot, present_db):
    # A recorded result is final: enter twice, answer keys, y/a/n typed by habit record nothing.
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("down", "down", "enter", "enter", "enter", "y", "a", "n", "x", "c", "enter")
        await pilot.pause()
        assert app.state.items["3"].result is None
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("3", "enter")  # typed on the agenda, not in a dialog: nothing either
        await pilot.pause()
        assert app.state.items["3"].result is None
    assert ev.ITEM_NOTED not in kinds(present_db)


async def test_the_agenda_names_an_open_vote_in_the_words_of_every_other_screen(clerk_pilot, ga12_present, db_path):
    # One open roll call, one yes so far: not decided yet, as the roll call and the chair say it.
    ga12_present.open_vote("2")
    first = ga12_present.state.now_calling("2")
    ga12_present.record_vote("2", first, "yes")
    ga12_present.close_log()
    letters_yes = sum(1 for p in ga12_present.state.letters.values() if p.positions.get("2") == "yes")
    async with clerk_pilot(db=db_path) as pilot:
        app = pilot.app
        await pilot.press("f2")
        await pilot.pause()
        status = str(app.screen.query_one(DataTable).get_cell("2", "status"))
        assert status == f"● NOT DECIDED YET {1 + letters_yes}–0–0"
