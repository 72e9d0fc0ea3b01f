"""The slips a first-time clerk makes at 80x24, each one driven with the clerk's keys.

Expected figures are counted here from the sample's attendance and letters (29 in person, 21 letters),
never read from the screen's own code.
"""

from __future__ import annotations

import csv
import json
import re

from textual.widgets import Input, Static

from near_tui.clerk.screens import letters as letters_screen
from near_tui.clerk.screens.close_session_dialog import DOUBLE_PRESS, CloseSessionDialog
from near_tui.clerk.screens.close_vote_dialog import CloseVoteDialog
from near_tui.clerk.screens.dialogs import InfoDialog
from near_tui.clerk.screens.election_dialog import ElectionDialog
from near_tui.clerk.screens.letter_dialog import LetterDialog
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.clerk.widgets.indicators import SessionBar
from near_tui.core import events as ev
from near_tui.core.errors import RuleError
from near_tui.declaration.keys import generate
from near_tui.declaration.minutes_text import minutes_markdown
from near_tui.declaration.record import build_record
from near_tui.service.session import Session
from support import (
    GA12_ATTENDANCE,
    GA12_LETTERS,
    clerk_app,
    events,
    screen_text,
    small_session,
    text_of,
    wait_for_screen,
)

from .test_clerk_roll_call import move_to, present_in_order


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def line_of(app, text: str) -> str:
    return next(line for line in screen_text(app).splitlines() if text in line)


# ------------------------------------------------------------------ quitting
async def test_q_then_an_answer_key_neither_quits_nor_loses_the_answer(present_db):
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        order = present_in_order(app.state)
        await pilot.press("q", "y")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, RollCallScreen)
        assert any("press ctrl+q to quit" in t for t in toasts(app))
        await pilot.press("q", "n")
        await pilot.pause()
        # Both answers reached the roll call: the first two members called, YES then NO.
        assert app.state.items["2"].votes == {order[0]: "yes", order[1]: "no"}


# ------------------------------------------------------------------ letters
async def test_enter_enter_enter_in_the_letter_dialog_records_one_letter(present_db):
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"inner")  # Inner Mongolia: absent, no letter
        await pilot.pause()
        await pilot.press("enter", "down", "y", "enter", "enter", "enter")  # item 2 left blank, item 4 YES
        await pilot.pause()
        assert isinstance(app.screen, letters_screen.LettersScreen)
        assert "Letters on record: 22" in screen_text(app), "21 from the sample file, one typed here"
    log = events(present_db)
    letters = [e for e in log if e.kind == ev.LETTER_RECORDED]
    assert len(letters) == 22, "21 from the sample file, one typed here"
    minutes = minutes_markdown(build_record(log), log).decode()
    assert "## Letters (22)" in minutes
    assert len([line for line in minutes.splitlines() if line.startswith("- Inner Mongolia")]) == 1
    assert letters[-1].payload == {"member_id": "cn-inner-mongolia", "positions": {"4": "yes"}}
    session = Session.open(present_db)
    try:
        try:
            session.record_letter("cn-inner-mongolia", {"4": "yes"})
        except RuleError as exc:
            assert "already on record" in str(exc)
        else:
            raise AssertionError("the same letter recorded twice")
    finally:
        session.close_log()


async def test_a_second_enter_after_saving_a_letter_does_not_open_the_dialog_again(present_db, monkeypatch):
    monkeypatch.setattr(letters_screen, "AGAIN", 3.0)  # room for a loaded machine between the two enters
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"inner")
        await pilot.pause()
        await pilot.press("enter", "y", "enter", "enter")  # the save, then enter again at once
        await pilot.pause()
        assert not isinstance(app.screen, LetterDialog), "the second enter opened the letter dialog again"
        assert any("not opened again" in t for t in toasts(app))
        await pilot.pause(letters_screen.AGAIN)
        await pilot.press("enter")  # a deliberate enter, later: it opens
        await pilot.pause()
        assert isinstance(app.screen, LetterDialog)
    letters = [e for e in events(present_db) if e.kind == ev.LETTER_RECORDED]
    assert letters[-1].payload == {"member_id": "cn-inner-mongolia", "positions": {"2": "yes"}}


async def test_a_letter_saved_again_after_an_item_closed_is_named_replaced_in_the_minutes(present_db):
    with GA12_LETTERS.open(encoding="utf-8") as f:
        anhui = {row["item_id"]: row["position"] for row in csv.DictReader(f) if row["member_id"] == "cn-anhui"}
    assert anhui["2"] == "yes" and anhui["4"] == "yes"  # the sample's letter, read here
    session = Session.open(present_db)
    session.open_vote("2")
    session.close_vote("2")  # Anhui's letter counted YES on item 2
    session.close_log()
    before = build_record(events(present_db))["items"][1]
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"anhui")
        await pilot.pause()
        await pilot.press("enter")  # the dialog lists the items still open: 4 first
        await pilot.pause()
        assert isinstance(app.screen, LetterDialog) and list(app.screen.positions)[0] == "4"
        await pilot.press("n", "enter")  # item 4 now NO
        await pilot.pause()
    log = events(present_db)
    first, second = [e for e in log if e.kind == ev.LETTER_RECORDED and e.payload["member_id"] == "cn-anhui"]
    expected = {**{i: p for i, p in anhui.items() if i != "2"}, "4": "no"}
    assert second.payload["positions"] == expected, "item 2 is closed: the new letter cannot name it"
    record = build_record(log)
    minutes = minutes_markdown(record, log).decode()
    bullets = [line for line in minutes.splitlines() if line.startswith("- Anhui Province")]
    assert len(bullets) == 2
    assert bullets[0].endswith(f"; replaced by the member's letter of event {second.seq}, which does not change "
                               "what it counted on item 2, closed before then"), bullets[0]
    assert "replaced" not in bullets[1]
    # Item 2 keeps the tally it closed with: Anhui's YES by letter still counted there.
    after = record["items"][1]
    assert (after["yes"], after["no"], after["outcome"]) == (before["yes"], before["no"], before["outcome"])
    row = next(r for r in after["roll_call"]["members"] if r["member_id"] == "cn-anhui")
    assert (row["answer"], row["source"]) == ("yes", "letter")


async def test_a_letter_member_answering_in_the_room_is_present_on_every_surface(present_db, tmp_path):
    """The documented reading (docs/decisions.md, "Written decision letters"): answering in the room
    records the member present, its letter set aside; no correction anywhere. Driven with the clerk's
    keys from the answer to the signed files."""
    with GA12_ATTENDANCE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    in_room = sum(row["mode"] in ("in_person", "online") for row in rows)
    assert {"member_id": "cn-anhui", "mode": "absent"} in rows
    with GA12_LETTERS.open(encoding="utf-8") as f:
        letters = list(csv.DictReader(f))
    by_letter = len({row["member_id"] for row in letters})
    yes_by_letter = sum(row["item_id"] == "2" and row["position"] == "yes" and row["member_id"] != "cn-anhui"
                        for row in letters)
    assert (in_room, by_letter, yes_by_letter) == (29, 21, 20)  # the sample's figures, counted above
    key = tmp_path / "ga12.key"
    generate(key)
    out = tmp_path / "signed"
    app = clerk_app(present_db, item="2", key_path=str(key), out_dir=str(out))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await move_to(pilot, app, "cn-anhui")  # its letter says YES on item 2
        await pilot.press("n")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Record answer in the room" in footer and "correction" not in footer
        await pilot.press("enter")
        await pilot.pause()
        assert any("Anhui Province" in t and "answered in the room: marked present in person, its letter set "
                   "aside — now NO" in t for t in toasts(app))
        assert "corrected" not in line_of(app, "Anhui")
        # Anhui now counts among the present: one of them has answered.
        assert f"1 of {in_room + 1} present answered" in " ".join(screen_text(app).split())
        await pilot.press("t")
        await pilot.pause()
        assert f"in person {in_room + 1} · online 0 · by letter {by_letter - 1}" in text_of(
            app.screen.query_one(SessionBar))
        assert "in person" in line_of(app, "Anhui")
        await pilot.press("f5", "c", "space", "2", "enter")  # close item 2, the others uncalled
        await pilot.pause()
        assert app.state.items["2"].status == "closed"
        await pilot.press("ctrl+e")
        dialog = await wait_for_screen(app, CloseSessionDialog)
        await pilot.press("space")  # leave the other items pending
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog, timeout=180)
        assert not dialog.is_attached
        await pilot.press("enter", "f2")
        await pilot.pause()
        # Item 2 carried with the letters' YES against Anhui's NO (3 × 20 ≥ 2 × 21): Akita admitted, 78
        # members, more than half of them 40; 30 in the room and 20 by letter take part.
        assert 3 * yes_by_letter >= 2 * (yes_by_letter + 1)
        # Read on the screen, not in the widget: a bar cut at 80 columns would lose its end there.
        bar = screen_text(app).splitlines()[0]
        assert "SESSION CLOSED" in bar and f"{in_room + by_letter} participating / 40 required / 78 members" in bar
        assert "^e" not in screen_text(app).splitlines()[-1]
    log = events(present_db)
    marked = [e for e in log if e.kind == ev.ATTENDANCE_SET and e.payload["member_id"] == "cn-anhui"][-1]
    assert marked.payload["mode"] == "in_person"
    minutes = (out / "minutes.md").read_text(encoding="utf-8")
    item2 = minutes.split("### 2. ", 1)[1].split("### ", 1)[0]
    assert f"Yes {yes_by_letter} · No 1 · Abstain 0 · Not voting {in_room}" in item2  # 30 present, 1 answered
    assert "Corrections: none." in item2
    assert f"Counted by letter ({yes_by_letter})" in item2
    assert f"## Letters ({by_letter})" in minutes, "no letter added or counted twice"
    anhui = next(line for line in minutes.splitlines() if line.startswith("- Anhui Province 安徽省, recorded"))
    assert anhui.endswith(f"; set aside when the member was marked present (event {marked.seq})"), anhui
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    row = next(r for r in record["items"][1]["roll_call"]["members"] if r["member_id"] == "cn-anhui")
    assert (row["attendance"], row["answer"], row["source"], row["corrections"]) == ("in_person", "no", "recorded", 0)
    figures = record["figures"]
    assert (figures["attending"], figures["by_letter"], figures["taking_part"]) == \
        (in_room + 1, by_letter - 1, in_room + by_letter)
    declaration = " ".join((out / "declaration.md").read_text(encoding="utf-8").split())
    assert f"It was attended by representatives of {in_room + 1} member regional governments" in declaration
    assert (f"In all, {in_room + by_letter} member regional governments took part in the decisions of the "
            f"General Assembly, {by_letter - 1} of them by written letter of decision.") in declaration
    attended, by_letter_part = declaration.split("## Members taking part by written letter", 1)
    assert "Anhui Province" in attended.split("## Members represented", 1)[1]
    assert "Anhui Province" not in by_letter_part.split("## Decisions", 1)[0]


# ------------------------------------------------------------------ dialogs
async def test_ctrl_e_during_a_vote_leaves_no_text_box_for_the_answer_keys(present_db):
    app = clerk_app(present_db, item="2", key_path="keys/ga12.key")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        assert not isinstance(app.focused, Input)
        await pilot.press("y", "n", "a")
        await pilot.pause()
        assert dialog.query_one("#key", Input).value == "keys/ga12.key"
        assert app.state.items["2"].votes == {}
        # The answers were not lost without a word: the dialog says so where the clerk looks.
        assert "Answer keys record nothing here: esc goes back to the roll call." in screen_text(app)


async def test_c_pressed_for_x_says_at_once_that_answer_keys_record_nothing(present_db):
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c", "x")
        await pilot.pause()
        assert isinstance(app.screen, CloseVoteDialog)
        hint = " ".join(text_of(app.screen.query_one("#hint", Static)).split())
        assert hint.startswith("Answer keys record nothing in this dialog: this box only takes the item number (2).")


async def test_one_member_uncalled_counts_as_not_voting(tmp_path):
    db = small_session(tmp_path, ["Aomori", "Kyoto"], present=[0, 1])
    app = clerk_app(db, item="1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y", "c")
        await pilot.pause()
        assert "Count this member as not voting and close" in " ".join(screen_text(app).split())
        await pilot.press("space")
        await pilot.pause()
        assert "Ticked: this member counts as not voting" in " ".join(screen_text(app).split())


# ------------------------------------------------------------------ agenda and roll call
async def test_after_a_vote_is_closed_the_agenda_cursor_is_on_the_next_item(tmp_path):
    items = [{"id": "1", "title": "Fees", "kind": "decision", "article": "8.6"},
             {"id": "2", "title": "Budget", "kind": "decision", "article": "8.7"}]
    db = small_session(tmp_path, ["Aomori"], present=[0], items=items)
    app = clerk_app(db, item="1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y", "c", "1", "enter")
        await pilot.pause()
        assert app.state.items["1"].status == "closed"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen._highlighted() == "2"


async def test_the_roll_call_header_keeps_the_title_in_alphabetical_order(present_db):
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "down", "enter", "d")  # item 4, alphabetical from a member drawn by lot
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen) and app.state.items["4"].order == "alphabetical"
        header = text_of(app.screen.query_one("#item-title", Static))
        # The title keeps its room (24 cells, cut with …) whoever was drawn: the call order says less.
        assert header == "Item 4 · Reaffirmation of the Re… · Art. 8.2 · ⅔ · alphabetical (drawn by lot)"


async def test_the_roll_call_header_keeps_the_title_after_the_close(ga12_present, db_path):
    ga12_present.open_vote("4", "alphabetical", start="ru-sakha")
    ga12_present.close_vote("4")
    ga12_present.close_session(leave_pending=True)
    ga12_present.close_log()
    app = clerk_app(db_path, item="4")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = text_of(app.screen.query_one("#item-title", Static))
        # SESSION CLOSED takes 17 cells: the lot gives way before the title does (the minutes keep the draw).
        assert header == " SESSION CLOSED  Item 4 · Reaffirmation of the… · Art. 8.2 · ⅔ · alphabetical"


async def test_the_election_filter_is_shown_as_typed(present_db):
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # item 1, the election
        await pilot.pause()
        assert isinstance(app.screen, ElectionDialog)
        await pilot.press(*"gang")
        await pilot.pause()
        assert "Filter: gang" in text_of(app.screen.query_one("#filter", Static))
        assert "Filter: gang" in screen_text(app)


async def test_an_undo_then_a_new_first_answer_is_not_a_correction(present_db):
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = app.state.members[present_in_order(app.state)[0]].name
        await pilot.press("y", "backspace", "n")
        await pilot.pause()
        assert app.state.items["2"].votes[present_in_order(app.state)[0]] == "no"
        assert "corrected" not in line_of(app, first)


# ------------------------------------------------------------------ after the close
async def test_closed_session_bar_whole_and_no_ctrl_e_in_the_footer(ga12_present, db_path):
    ga12_present.record_election("1", ["ru-sakha"])
    ga12_present.close_session(leave_pending=True)
    ga12_present.close_log()
    app = clerk_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = text_of(app.screen.query_one(SessionBar))
        # 29 in person + 21 letters = 50 of 77 members (nothing admitted); more than half of 77 is 39.
        assert "SESSION CLOSED" in bar and "50 participating / 39 required / 77 members" in bar
        # On the screen too, whole on its two lines at 80 columns (the widget's text is never cut).
        first, second = screen_text(app).splitlines()[:2]
        assert first.rstrip().endswith("50 participating / 39 required / 77 members"), first
        assert second.strip() == "in person 29 · online 0 · by letter 21 · absent 27", second
        footer = screen_text(app).splitlines()[-1]
        assert "^e" not in footer and "^o Reopen" in footer
        # Item 2, a roll call the close left untaken, reads as the agenda's row and the minutes do:
        # no letters' preview of a vote that was never held.
        await pilot.press("up", "up", "up", "down")  # item 2, from the top
        await pilot.pause()
        shown = screen_text(app)
        assert "Item 2 (decision):  ○ NOT TAKEN UP  the session closed before it was taken up" in shown
        assert "VOTE NOT OPENED" not in shown and "Yes 21" not in shown
        await pilot.press("t")
        await pilot.pause()
        assert "^e" not in screen_text(app).splitlines()[-1]


async def test_the_attendance_summary_never_breaks_inside_a_figure(present_db):
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        lines = text_of(app.screen.query_one("#countries", Static)).splitlines()
        figure = r"[A-Z]{2} \d+(\+\d+✉)?/\d+"
        for line in lines:
            assert re.fullmatch(rf"(Present\(\+letter\)/members:|{figure})(  {figure})*", line.strip()), line
        # The sample: KR has 5 in person and 6 letters of 16 members.
        assert "KR 5+6✉/16" in " ".join(lines)


async def test_the_answer_a_row_already_has_records_nothing(present_db):
    """y on a row whose answer on record is already YES: no "YES → YES" correction waits for enter,
    nothing reaches the log, and the toast says so."""
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = app.state.now_calling("2")
        await pilot.press("y")
        await pilot.pause()
        assert app.state.items["2"].votes[first] == "yes"
        before = len(events(present_db))
        await move_to(pilot, app, first)
        await pilot.press("y")
        await pilot.pause()
        assert not any("CORRECTION" in line for line in screen_text(app).splitlines())
        await pilot.press("enter")
        await pilot.pause()
        name = app.state.members[first].name
        assert any(name in t and "is already YES: nothing to correct." in t for t in toasts(app))
        assert len(events(present_db)) == before
        assert "corrected" not in line_of(app, name)


async def test_undoing_an_answer_in_the_room_gives_the_member_its_letter_back(present_db):
    """n on Anhui's row (its letter says YES), enter, then backspace: the slip is undone whole.
    Anhui is absent again and its letter counts YES again, as before the slip."""
    with GA12_LETTERS.open(encoding="utf-8") as f:
        anhui = {row["item_id"]: row["position"] for row in csv.DictReader(f) if row["member_id"] == "cn-anhui"}
    assert anhui["2"] == "yes"
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        yes_before = app.state.tally("2").yes
        await move_to(pilot, app, "cn-anhui")
        await pilot.press("n", "enter")
        await pilot.pause()
        assert app.state.is_present("cn-anhui") and app.state.tally("2").yes == yes_before - 1
        await pilot.press("backspace")
        await pilot.pause()
        assert any("Anhui Province" in t and "back to YES (letter): absent again, its letter counted again" in t
                   for t in toasts(app))
        assert not app.state.is_present("cn-anhui")
        assert app.state.position("2", "cn-anhui") == ("yes", "letter")
        assert app.state.tally("2").yes == yes_before
        assert "YES" in line_of(app, "Anhui") and "✉" in line_of(app, "Anhui")
    letter = app.state.letter_in_effect("cn-anhui")
    assert letter is not None and letter.positions == anhui


async def test_undo_again_says_an_answer_in_the_room_goes_back_to_the_letter(present_db):
    """Anhui answers NO in the room, the next member YES; backspace undoes that YES, and a second
    backspace asks before undoing Anhui's answer: the question names where the undo lands, Anhui's
    letter (YES on item 2), not "not called"."""
    with GA12_LETTERS.open(encoding="utf-8") as f:
        anhui = {row["item_id"]: row["position"] for row in csv.DictReader(f) if row["member_id"] == "cn-anhui"}
    app = clerk_app(present_db, item="2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await move_to(pilot, app, "cn-anhui")
        await pilot.press("n", "enter")
        await pilot.pause()
        await pilot.press("y")  # the member being called
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        question = " ".join(screen_text(app).split())
        assert f"NO → back to {anhui['2'].upper()} (letter)" in question
        await pilot.press("u")
        await pilot.pause()
        assert app.state.position("2", "cn-anhui") == (anhui["2"], "letter")
