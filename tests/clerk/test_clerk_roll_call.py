"""The roll call cannot be slipped: closing needs a deliberate act, corrections need enter, the member
called is one fact. Every expected figure is counted here from the answers the test itself gave."""

from __future__ import annotations

from textual.widgets import Static

from near_tui.clerk.screens.agenda import AgendaScreen
from near_tui.clerk.screens.close_vote_dialog import CloseVoteDialog
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.clerk.widgets.indicators import ItemIndicators, SessionBar
from near_tui.core import events as ev
from near_tui.service.session import Session
from near_tui.storage.follower import Follower
from near_tui.views.view_model import vote_panel
from support import Calls, clerk_app, events, screen_text, small_session, text_of, toasted, wait_for


def item_events(db, item_id="2"):
    return [e for e in events(db) if e.payload.get("item_id") == item_id]


def present_in_order(state, item_id="2"):
    """The present members in call order, read from the roster and the attendance (the test's own list)."""
    return [m for m in state.call_order(item_id) if state.is_present(m)]


def panel(app) -> str:
    return text_of(app.screen.query_one("#now", Static))


async def move_to(pilot, app, member_id, tries=40):
    """Select a row with ↑/↓ as the clerk would."""
    screen = app.screen
    order = screen.order
    for _ in range(tries):
        here = screen.current_member()
        if here == member_id:
            return
        await pilot.press("down" if order.index(member_id) > order.index(here) else "up")
    raise AssertionError(f"could not reach {member_id}")


# ------------------------------------------------------------------ closing
async def test_no_slip_closes_a_vote_with_members_uncalled(clerk_pilot, present_db):
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        order = present_in_order(app.state)
        names = [shown(app.state.members[m]) for m in order]
        await pilot.press("y", "y", "c", "y")  # the slip to guard against: c then y
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseVoteDialog)
        assert app.state.items["2"].status == "open"
        # What closing now would freeze, counted by hand: 2 yes in the hall + 21 letters yes = 23 yes,
        # 23 cast, two-thirds of 23 needs 16; the 27 present members not called count as not voting.
        body = text_of(dialog.query_one("#body", Static))
        assert "If closed now:  ✔ CARRIED" in body
        assert "23 yes of 23 cast, 16 needed" in body
        assert "Yes 23 · No 0 · Abstain 0 · Not voting 27" in body
        assert "Closing admits: Akita Prefecture" in body
        uncalled = text_of(dialog.query_one("#uncalled", Static))
        assert f"27 present members have not been called: {names[2]}, {names[3]}, {names[4]} and 24 more" \
            in " ".join(uncalled.split())
        # Vote keys, c, enter, double presses: typed into the box, never a close.
        for keys in (["y", "enter"], ["n", "a", "x", "c", "enter"], ["enter", "enter"], ["2", "enter"],
                     ["space", "space", "2", "enter"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert app.screen is dialog and app.state.items["2"].status == "open", keys
        assert "press space to tick the box first" in text_of(dialog.query_one("#hint", Static))
        await pilot.press("space")  # ticked: the refusal above is out of date and goes
        await pilot.pause()
        assert text_of(dialog.query_one("#hint", Static)).strip() == ""
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen) and app.state.items["2"].status == "open"
        # The deliberate act: c, space ticks "counted as not voting", the item number, enter.
        await pilot.press("c", "space", "2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen)
        t = app.state.tally("2")
        assert (t.status, t.yes, t.no, t.abstain, t.not_voting, t.uncalled) == ("closed", 23, 0, 0, 27, 0)
        assert "✔ CARRIED" in panel(app) and "23 yes of 23 cast, 16 needed" in panel(app)
    kinds = [e.kind for e in item_events(present_db)]
    assert kinds.count(ev.VOTE_CLOSED) == 1 and kinds.count(ev.VOTE_RECORDED) == 2



def shown(member) -> str:
    """How the clerk names a member in running text: the name, then the name in its own script."""
    return f"{member.name} {member.native_name}" if member.native_name else member.name

async def test_the_close_dialog_says_no_quorum_with_its_reason(clerk_pilot, tmp_path):
    """One present member of four: the indicators and the dialog say NO QUORUM, with the figures."""
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate", "Miyagi"], present=[0])
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        # By hand: 1 of 4 takes part; a quorum needs more than half of 4, so 3.
        # At 80 columns the verdict line leaves the figures to the quorum line above it.
        line = text_of(app.screen.query_one("#verdict", Static))
        quorum = text_of(app.screen.query_one("#quorum", Static))
        assert "⚠ NO QUORUM" in line and "nothing would be decided" in line
        assert "1 participating / 3 required / 4 members" in quorum
        await pilot.press("y", "c")
        await pilot.pause()
        body = text_of(app.screen.query_one("#body", Static))
        assert "If closed now:  ⚠ NO QUORUM" in body and "1 of 4 members took part; a quorum needs 3" in body
        assert "Closing admits" not in body
        await pilot.press("1", "enter")  # nobody uncalled: the item number is enough
        await pilot.pause()
        assert "VOTE CLOSED  ⚠ NO QUORUM" in panel(app)
        assert app.state.tally("1").outcome == "no_quorum"


async def test_a_closed_roll_call_offers_no_recording_key(clerk_pilot, tmp_path):
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate"], present=[0, 1, 2])
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        screen = app.screen
        assert {"y", "n", "a", "x", "backspace", "c"} <= set(screen.active_bindings)
        await pilot.press("y", "y", "y", "c", "1", "enter")
        await pilot.pause()
        assert app.state.items["1"].status == "closed"
        assert not {"y", "n", "a", "x", "backspace", "c"} & set(screen.active_bindings)
        footer = screen_text(app).splitlines()[-1]
        assert "Yes" not in footer and "Close vote" not in footer and "Undo" not in footer
        before = len(events(db))
        await pilot.press("n", "backspace", "c")
        await pilot.pause()
        assert len(events(db)) == before
        assert toasted(app, "vote on item 1 is closed")
        assert "Close the vote" not in [c.title for c in app.get_system_commands(screen)]


async def test_a_closed_roll_call_shows_the_way_back_to_the_agenda_at_80_columns(clerk_pilot, tmp_path):
    # Found in a tmux trial: once the vote was closed the footer read "f1 Help" alone, with no
    # visible way back to the agenda.
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate"], present=[0, 1, 2])
    async with clerk_pilot(db=db, item="1", size=(80, 24)) as pilot:
        app = pilot.app
        footer = screen_text(app).splitlines()[-1]
        assert "f2 Agenda" not in footer, "while the vote is open the answer keys have the footer"
        await pilot.press("y", "y", "y", "c", "1", "enter")
        await pilot.pause()
        assert app.state.items["1"].status == "closed"
        footer = screen_text(app).splitlines()[-1]
        assert "f2 Agenda" in footer and "f1 Help" in footer
        await pilot.press("g")  # as the footer says (F2, or g)
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("f5")  # back on the closed roll call: the way back again
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)


# --------------------------------------------------------- the member called
async def test_after_any_answer_the_cursor_goes_back_to_the_member_called(clerk_pilot):
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        screen = app.screen
        state = app.state
        order = present_in_order(state)
        first = state.members[order[0]].name
        assert screen.current_member() == order[0] and f"NOW CALLING · 0 of 29 present answered\n{first}" \
            in panel(app)
        # Out of order: a member further down answers first; the call stays on the first member.
        await move_to(pilot, app, order[3])
        assert "SELECTED" in panel(app)
        await pilot.press("n")  # a first answer: recorded at once
        await pilot.pause()
        assert app.state.items["2"].votes == {order[3]: "no"}
        assert screen.current_member() == order[0]
        assert f"NOW CALLING · 1 of 29 present answered\n{first}" in panel(app)
        # The next answer goes to the first member, then the call skips the one already answered.
        await pilot.press("y", "y", "y")
        await pilot.pause()
        assert app.state.items["2"].votes == {order[0]: "yes", order[1]: "yes", order[2]: "yes", order[3]: "no"}
        assert screen.current_member() == order[4]
        # A letter member's row: the answer in the room, confirmed with enter, records it present first
        # and sets its letter aside (docs/decisions.md).
        letter = next(m for m in state.call_order("2") if state.letter_in_effect(m) and not state.is_present(m))
        await move_to(pilot, app, letter)
        await pilot.press("a")
        name = shown(state.members[letter])
        assert f"IN THE ROOM  enter records it · esc cancels\n{name}\nmarked present, its letter (YES) set aside " \
               "→ now ABSTAIN" in panel(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.items["2"].votes[letter] == "abstain"
        assert screen.current_member() == order[4] and "NOW CALLING · 5 of 30" in panel(app)
        # home brings the cursor back from anywhere.
        await pilot.press("down", "down", "down", "home")
        assert screen.current_member() == order[4] and "NOW CALLING" in panel(app)


async def test_a_vote_key_after_the_last_member_records_nothing(clerk_pilot, tmp_path):
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate"], present=[0, 1, 2])
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        await pilot.press("y", "n", "y")
        await pilot.pause()
        before = len(events(db))
        await pilot.press("n")  # the stray key: the cursor is home and nobody is left to call
        await pilot.pause()
        assert len(events(db)) == before
        assert app.state.items["1"].votes == {"m1": "yes", "m2": "no", "m3": "yes"}
        assert toasted(app, "Every present member has answered")
        assert "EVERY PRESENT MEMBER HAS ANSWERED (3 of 3)" in panel(app)
        assert "↑/↓ selects a row to correct" in panel(app)


async def test_a_correction_is_recorded_only_on_enter(clerk_pilot, tmp_path):
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate"], present=[0, 1, 2])
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        await pilot.press("y", "y")
        await pilot.press("up", "up")  # onto Aomori, answered YES
        assert app.screen.current_member() == "m1"
        before = len(events(db))
        await pilot.press("n")
        assert "CORRECTION" in panel(app) and "Aomori\nwas YES → now NO" in panel(app)
        await pilot.press("n")  # a double press cancels, it never records
        await pilot.pause()
        assert "CORRECTION" not in panel(app) and len(events(db)) == before
        await pilot.press("n", "backspace")  # any other key cancels, and backspace then undoes nothing
        await pilot.pause()
        assert "CORRECTION" not in panel(app) and len(events(db)) == before
        await pilot.press("n", "down")  # a move cancels, and moves
        await pilot.pause()
        assert len(events(db)) == before and app.state.items["1"].votes["m1"] == "yes"
        assert app.screen.current_member() == "m2"
        await pilot.press("up", "n", "enter")
        await pilot.pause()
        corrected = events(db)[before:]
        assert [(e.kind, e.payload["member_id"], e.payload["vote"]) for e in corrected] == \
            [(ev.VOTE_CORRECTED, "m1", "no")]
        assert app.screen.current_member() == "m3" and "NOW CALLING" in panel(app)
        assert toasted(app, "Corrected: Aomori was YES → now NO")


async def test_the_footers_enter_says_correction_or_answer_in_the_room_as_the_panel_does(clerk_pilot):
    # Found in a tmux trial: on a letter member answering in the room the panel read IN THE ROOM but
    # the footer offered "⏎ Record correction". Labels as docs/clerk.md words them.
    async with clerk_pilot(item="2") as pilot:  # the 12th GA: Anhui (a letter, YES) heads the roster
        app = pilot.app
        first = app.screen.now
        await pilot.press("y")  # the first member called answers YES
        await move_to(pilot, app, first)
        await pilot.press("n")  # a change of a recorded answer: a correction
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "CORRECTION" in panel(app) and "⏎ Record correction" in footer and "in the room" not in footer
        await pilot.press("escape")
        await move_to(pilot, app, "cn-anhui")
        await pilot.press("n")  # a letter member answering in person: not a correction
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "IN THE ROOM" in panel(app) and "⏎ Record answer in the room" in footer
        assert "correction" not in footer


async def test_an_answer_from_another_seat_is_never_overwritten(present_db, monkeypatch):
    polls = Calls(Follower, "poll", monkeypatch)
    app = clerk_app(present_db, item="2")
    app.follow_interval = 60  # this seat reads the log once, at start: it has not seen the other's answer
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: polls.count >= 1, what="the seat's first read of the log")
        order = present_in_order(app.state)
        other = Session.open(present_db)  # a second seat answers for the member this seat is calling
        try:
            other.record_vote("2", order[0], "no", expected=None)
        finally:
            other.close_log()
        await pilot.press("y")
        await pilot.pause()
        assert app.state.items["2"].votes == {order[0]: "no"}, "the other seat's answer stands"
        assert toasted(app, "another seat has just recorded")
        assert app.screen.current_member() == order[1], "the cursor follows the call"
    assert [e.kind for e in item_events(present_db)][1:] == [ev.VOTE_RECORDED]


async def test_undo_says_what_it_undid(clerk_pilot):
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        order = present_in_order(app.state)
        await pilot.press("y", "y", "n", "backspace")
        await pilot.pause()
        name = shown(app.state.members[order[2]])
        assert toasted(app, f"Undone: {name} was NO → back to not called")
        assert app.screen.current_member() == order[2]


# ------------------------------------------- every recorded answer stands
async def test_a_member_who_answered_then_left_still_counts_for_the_vote(clerk_pilot, tmp_path):
    """Four members, three present; y, y, x; the third is marked absent while the vote is open; closed."""
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate", "Miyagi"], present=[0, 1, 2])
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        await pilot.press("y", "y", "x")
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"Iwate", "0")  # filter to Iwate, mark it absent
        await pilot.pause()
        assert app.state.mode("m3") == "absent"
        # The attendance screen names both figures: the session now 2 of 4, the vote 3 of 4.
        bar = text_of(app.screen.query_one(SessionBar))
        item = text_of(app.screen.query_one(ItemIndicators).query_one("#quorum", Static))
        assert "Session now:" in bar and "2 participating / 3 required / 4 members" in bar
        assert "Vote on item 1:" in item and "3 participating / 3 required / 4 members" in item
        await pilot.press("escape", "f5")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        body = text_of(app.screen.query_one("#body", Static))
        assert "✔ CARRIED" in body and "NO QUORUM" not in body
        await pilot.press("1", "enter")
        await pilot.pause()
        # By hand: Aomori, Akita and Iwate took part (Iwate answered before it left): 3 of 4, and a
        # quorum of 4 needs 3; 2 yes of 2 cast (not voting is not cast), more than half: carried.
        t = app.state.tally("1")
        assert (t.participating, t.quorum_base, t.quorum_met) == (3, 4, True)
        assert (t.yes, t.cast, t.not_voting, t.outcome) == (2, 2, 1, "carried")
        assert "VOTE CLOSED  ✔ CARRIED" in panel(app) and "2 yes of 2 cast, 2 needed" in panel(app)


# ------------------------------------------------------------ narrow screens
async def test_at_60_columns_the_verdict_is_never_cut(clerk_pilot):
    async with clerk_pilot(item="2", size=(60, 20)) as pilot:
        app = pilot.app
        assert "● NOT DECIDED YET" in screen_text(app)
        present = present_in_order(app.state)
        # 16 yes more: 21 letters + 16 = 37 yes; even 13 no from the 13 left cannot stop two-thirds.
        for _ in range(16):
            await pilot.press("y")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("✔ DECIDED: CARRIED" in line for line in lines)
        assert len(present) - 16 == 13
        for line in lines[:6]:
            assert not line.rstrip().endswith(("DECIDED:", "not", "NOT")), line


async def test_at_80_columns_the_verdict_line_keeps_why_the_vote_is_decided(clerk_pilot):
    async with clerk_pilot(item="2", size=(80, 24)) as pilot:
        app = pilot.app
        present = present_in_order(app.state)

        def verdict_line() -> str:
            shown = [ln.strip() for ln in screen_text(app).splitlines() if "DECIDED: CARRIED" in ln]
            assert len(shown) == 1, screen_text(app)
            return shown[0]

        # 16 yes: with the 21 letters' yes, two-thirds is out of reach of the 13 still to call.
        for _ in range(16):
            await pilot.press("y")
        await pilot.pause()
        still = len(present) - 16
        line = verdict_line()
        # The whole of the reason why it is decided, on the one line, not a cut one.
        assert line.startswith("✔ DECIDED: CARRIED") and not line.endswith("…"), line
        assert f"the {still} still to call cannot change it" in line, line
        for _ in range(still):
            await pilot.press("y")
        await pilot.pause()
        line = verdict_line()
        assert not line.endswith("…") and line.endswith("nobody is left to call"), line


async def test_the_header_keeps_the_rule_and_the_call_order_and_cuts_a_long_title(present_db):
    app = clerk_app(present_db, item="4")  # "Reaffirmation of the Revisions Made to the Regulations on Membership Fees"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#item-title").render())
        title = app.state.items["4"].item.title
        assert header.startswith("Item 4 · ") and header.endswith(" · Art. 8.2 · ⅔ · roster order")
        shown = header.removeprefix("Item 4 · ").removesuffix(" · Art. 8.2 · ⅔ · roster order")
        assert shown.endswith("…") and title.startswith(shown[:-1])
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        assert str(app.screen.query_one("#item-title").render()) == f"Item 4 · {title} · Art. 8.2 · ⅔ · roster order"


async def test_the_record_panel_says_its_times_are_utc(present_db):
    """The log's times are UTC; the wide layout's record panel shows them, so it says their zone."""
    session = Session.open(present_db)
    session.open_vote("2")
    session.close_log()
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        lines = text_of(app.screen.query_one("#record", Static)).splitlines()
        answered = [e for e in events(present_db) if e.kind == ev.VOTE_RECORDED][-1]
    assert lines[0] == "Record (latest first, times UTC)"
    assert lines[1].startswith(answered.recorded_at[11:19] + " ")  # the time as the log holds it, in UTC


async def test_with_nobody_present_no_screen_says_every_present_member_answered(clerk_pilot, tmp_path):
    # Three members, none present: nobody is called, and "every present member has answered" would be
    # a statement about nobody, on the clerk's screen and on the chair's projector alike.
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate"], present=[])
    async with clerk_pilot(db=db, item="1") as pilot:
        app = pilot.app
        assert app.state.call_progress("1") == (0, 0)
        assert "NO MEMBER PRESENT TO CALL" in panel(app)
        assert "EVERY PRESENT MEMBER" not in panel(app)
        before = len(events(db))
        await pilot.press("y")
        await pilot.pause()
        assert len(events(db)) == before  # nobody to answer for
        assert toasted(app, "No member is present to call")
        picture = vote_panel(app.state, "1")
        assert picture.calling == "■ NO MEMBER PRESENT TO CALL — the vote can be closed"


async def test_with_nobody_left_up_on_the_first_row_chooses_it(clerk_pilot, tmp_path):
    # Every present member has answered; a restart leaves the cursor on the first row. The screen says
    # "↑/↓ selects a row to correct": ↑ there (the cursor cannot go higher) chooses that row.
    db = small_session(tmp_path, ["Aomori", "Akita", "Iwate"], present=[0, 1, 2])
    async with clerk_pilot(db=db, item="1") as pilot:
        await pilot.press("y", "n", "y")
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        assert isinstance(app.screen, RollCallScreen) and app.screen.current_member() == "m1"
        await pilot.press("up")
        assert "Aomori" in panel(app) and "EVERY PRESENT MEMBER HAS ANSWERED" not in panel(app)
        await pilot.press("n")
        assert "CORRECTION" in panel(app) and "was YES" in panel(app) and "now NO" in panel(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.items["1"].votes == {"m1": "no", "m2": "no", "m3": "yes"}
