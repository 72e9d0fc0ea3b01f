"""The clerk's panels draw the view model, and the roll call's small defects stay fixed (80x24).

Every expected figure is counted here from the answers the test pressed and the roster it
wrote (Charter Art. 9: quorum is more than half of the members; an ordinary decision needs
more yes than half of yes + no), never read from the code under test.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from near_tui.clerk.screens.agenda import AgendaScreen
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.clerk.widgets.indicators import ItemIndicators, SessionBar
from near_tui.service.session import Session
from near_tui.views.view_model import AgendaLine, SessionNow, VotePanel, build_board
from support import screen_text, small_session, text_of, toast_messages, wait_for, wait_for_screen

NAMES = ["Aomori", "Akita", "Iwate", "Miyagi", "Yamagata", "Fukushima", "Niigata"]
PRESENT = [0, 1, 2, 3, 4]  # five of seven in person
ITEMS = [{"id": "1", "title": "Fees", "kind": "decision", "article": "8.6"},
         {"id": "2", "title": "Next chair", "kind": "election"},
         {"id": "3", "title": "Plans", "kind": "decision", "article": "8.7"}]


def line(app, name: str) -> str:
    return text_of(app.screen.query_one(ItemIndicators).query_one(f"#{name}", Static))


def figures_shown(app) -> bool:
    return app.screen.query_one(ItemIndicators).query_one("#counts", Static).display


async def test_the_roll_call_panels_show_the_answers_pressed(clerk_pilot, tmp_path):
    db = small_session(tmp_path, NAMES, present=PRESENT, items=ITEMS)
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        screen = app.screen
        assert isinstance(screen, RollCallScreen)
        await pilot.press("y", "y", "n", "a")  # four of the five present answered, in call order
        yes, no, abstain, uncalled = 2, 1, 1, 1
        cast = yes + no  # abstentions are not cast (docs/rules.md)
        needed = cast // 2 + 1  # more than half of 3: 2
        members, present = len(NAMES), len(PRESENT)
        quorum = members // 2 + 1  # more than half of 7: 4
        panel = screen.query_one(ItemIndicators)
        # Fed one object of the view model: the very roll call the chair and the board draw.
        assert isinstance(panel.picture, VotePanel) and panel.picture == build_board(app.state).vote
        assert f"{present} participating / {quorum} required / {members} members" in line(app, "quorum")
        assert line(app, "counts").split() == ["Yes", str(yes), "No", str(no), "Abstain", str(abstain),
                                               "Not", "voting", "0", "Uncalled", str(uncalled)]
        assert f"yes {yes} · {needed} needed · {cast} cast" in line(app, "meter")
        # Not decided yet: a last yes carries it (3 of 4 cast), a last no leaves 2 of 4, not more than half.
        assert f"NOT DECIDED YET  {uncalled} still to call; {yes} yes of {cast} cast, {needed} needed" \
            in line(app, "verdict")
        await pilot.press("x", "c", "1", "enter")  # the last present member: not voting; then close
        await wait_for(lambda: app.state.items["1"].status == "closed", what="the close")
        now = text_of(screen.query_one("#now", Static))
        assert "VOTE CLOSED  ✔ CARRIED" in now
        assert f"yes {yes} · no {no} · abstain {abstain} · not voting 1" in now
        assert f"{yes} yes of {cast} cast, {needed} needed" in now
        assert "Uncalled 0" in line(app, "counts") and "Not voting 1" in line(app, "counts")
        said = [m for m in toast_messages(app) if m.startswith("Item 1 closed:")]
        assert said == [f"Item 1 closed: ✔ CARRIED ({yes}–{no}–{abstain}). {yes} yes of {cast} cast, "
                        f"{needed} needed."]


async def test_the_call_count_is_the_view_models_and_follows_attendance(clerk_pilot, tmp_path):
    db = small_session(tmp_path, NAMES, present=PRESENT, items=ITEMS)
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        now = app.screen.query_one("#now", Static)
        assert "NOW CALLING · 0 of 5 present answered" in text_of(now)  # five in the room, none answered
        await pilot.press("y", "y")  # the first two in call order: Aomori (m1) and Akita (m2)
        # Another seat: Aomori, who answered, leaves (it took part: still counted); Niigata (m7) comes in.
        other = Session.open(db)
        other.set_attendance("m1", "absent")
        other.set_attendance("m7", "in_person")
        other.close_log()
        answered = 2
        present = len(({f"m{i + 1}" for i in PRESENT} - {"m1"}) | {"m7"} | {"m1", "m2"})
        await wait_for(lambda: f"NOW CALLING · {answered} of {present} present answered" in text_of(now),
                       what="the call count after the other seat's attendance")
        picture = app.screen.picture
        assert isinstance(picture, VotePanel) and (picture.answered, picture.present) == (answered, present)
        await pilot.press(*"y" * (present - answered))
        await wait_for(lambda: f"EVERY PRESENT MEMBER HAS ANSWERED ({present} of {present})" in text_of(now),
                       what="everyone answered")


async def test_a_withdrawn_vote_shows_no_figures_and_no_quorum(clerk_pilot, tmp_path):
    db = small_session(tmp_path, NAMES, present=PRESENT, items=ITEMS)
    session = Session.open(db)
    session.withdraw_item("3", "the budget is not ready")
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await wait_for_screen(app, AgendaScreen)
        await pilot.press("down", "down")  # item 3, withdrawn
        await wait_for(lambda: isinstance(app.screen.query_one(ItemIndicators).picture, AgendaLine),
                       what="the withdrawn item's line")
        assert not figures_shown(app)
        verdict = line(app, "verdict")
        assert "⊘ WITHDRAWN" in verdict and "the budget is not ready" in verdict
        assert "QUORUM" not in verdict and "enter:" not in verdict
        # The roll call still to come shows the letters' figures so far; the session bar its own lamp.
        await pilot.press("up", "up")
        await wait_for(lambda: isinstance(app.screen.query_one(ItemIndicators).picture, VotePanel),
                       what="item 1's roll call")
        assert figures_shown(app) and "○ VOTE NOT OPENED" in line(app, "verdict")
        assert f"Item 1:  ● QUORUM  {len(PRESENT)} participating" in line(app, "quorum")
        assert isinstance(app.screen.query_one(SessionBar).now, SessionNow)


async def test_the_enter_hint_is_given_only_while_enter_can_record(clerk_pilot, tmp_path):
    db = small_session(tmp_path, NAMES, present=PRESENT, items=ITEMS)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await wait_for_screen(app, AgendaScreen)
        await pilot.press("down")  # item 2, the election, still to come: enter records it
        await wait_for(lambda: "Item 2 (election)" in line(app, "verdict"), what="item 2's line")
        assert line(app, "verdict").endswith("· enter: record who is elected")
        # The roll call of item 1, opened and closed; back on the agenda the election is next.
        await pilot.press("up", "enter", "r")
        await wait_for_screen(app, RollCallScreen)
        await pilot.press(*"yyyyy", "c", "1", "enter")
        await wait_for(lambda: app.state.items["1"].status == "closed", what="the close")
        # On the roll call, enter records no election: the line of a chosen election says no key.
        app.item_id = "2"
        app.screen.refresh_view()
        assert "Item 2 (election)" in line(app, "verdict") and "enter:" not in line(app, "verdict")
    # The session closed with the election still to come: enter records nothing any more.
    session = Session.open(db)
    session.close_session(leave_pending=True)
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await wait_for_screen(app, AgendaScreen)
        app.screen.query_one(DataTable).move_cursor(row=1)  # item 2
        await wait_for(lambda: "Item 2 (election):  ○ NOT TAKEN UP" in line(app, "verdict"), what="item 2's line")
        assert "enter:" not in line(app, "verdict")


async def test_a_closed_roll_call_says_not_called_whole_at_80_columns(clerk_pilot, present_db):
    """The 12th GA's longest names fill the Member column; the note beside it stays whole,
    also after the terminal was wider (a column keeps the widest cell it ever held)."""
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        await pilot.press("y", "y", "c", "space", "2", "enter")  # 27 present members never called
        await wait_for(lambda: app.state.items["2"].status == "closed", what="the close")
        for size in ((80, 24), (105, 24), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            seen = 0
            for _page in range(8):
                for row in screen_text(app).splitlines():
                    if row[1:2].isdigit() and "not voting" in row and "✉" not in row:  # a row of the list
                        assert row.rstrip(" ▁▂▃▄▅▆▇█").endswith("not called"), (size, row)
                        seen += 1
                await pilot.press("pagedown")
            assert seen >= 10, size
            await pilot.press("ctrl+home")


def delete_database(db: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)


async def test_a_stopped_seat_offers_no_answer_key_and_refuses_in_one_line(present_db):
    from support import clerk_app

    app = clerk_app(present_db, item="2")
    app.follow_interval = 0.1  # the follower finds the database gone
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert {"y", "n", "a", "x"} <= set(screen.active_bindings)
        delete_database(present_db)
        await wait_for(lambda: app.stopped is not None, what="the seat to stop")
        await pilot.pause()
        assert not {"y", "n", "a", "x", "backspace", "c"} & set(screen.active_bindings)
        footer = screen_text(app).splitlines()[-1]
        assert "Yes" not in footer and "Not voting" not in footer and "Undo" not in footer
        before = list(toast_messages(app))
        await pilot.press("y", "n", "a", "x")
        await pilot.pause()
        new = toast_messages(app)[len(before):]
        assert new == ["Nothing recorded: this seat has stopped recording (see the banner)."] * 4
        # The reason at length is told once, when the seat stopped, and stays on the banner.
        assert sum("this seat has stopped recording:" in m for m in toast_messages(app)) == 1
