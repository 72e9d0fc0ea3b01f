"""The clerk changes the agenda during the session: an addendum, withdraw, postpone, move.

Each change is confirmed only by the item's number typed into its box and enter: the tests
press the slips a clerk makes (y n a x c, enter, a double enter) and check that nothing was
written. Titles and reasons are data: a title with ``[b]`` and Han/Hangul shows as written.
Expected orders and states are the test's own (what it typed), never read from the code under test.
"""

from __future__ import annotations

import pytest
from textual import events as tevents
from textual.widgets import DataTable, Input, Static

from near_tui.clerk.screens.addendum_dialog import AddendumDialog
from near_tui.clerk.screens.agenda import AgendaScreen
from near_tui.clerk.screens.agenda_dialogs import MoveDialog, SetAsideDialog
from near_tui.clerk.screens.dialogs import ConfirmDialog, OrderDialog
from near_tui.clerk.screens.election_dialog import ElectionDialog
from near_tui.core import charter, events as ev
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import (
    FixedClock,
    SteppedClock,
    clerk_app,
    events,
    member,
    screen_text,
    text_of,
    toast_messages,
    toasted,
    toasts,
    wait_for,
    wait_for_screen,
    write_agenda,
)

SLIPS = ["y", "n", "a", "x", "c", "enter", "enter"]
ROSTER = [member(f"jp-m{i}") for i in range(1, 6)] + [member("kr-ap", status="applicant", country="KR")]
ITEMS = [
    {"id": "1", "title": "Budget 2019", "kind": "decision", "article": "8.7"},
    {"id": "2", "title": "Report of the Secretariat", "kind": "report"},
    {"id": "3", "title": "Next Chair", "kind": "election"},
    {"id": "4", "title": "Fees", "kind": "decision", "article": "8.6"},
]
# A title as people type it: markup look-alikes, Han and Hangul.
TITLE = "Fund [b]東北アジア[/b] 기금 delay"


async def open_addendum_form(pilot) -> AddendumDialog:
    """``+`` on the agenda: the addendum form, once it is on screen with its fields."""
    await pilot.press("plus")
    return await wait_for_screen(pilot.app, AddendumDialog)


def new_session(tmp_path) -> str:
    agenda = write_agenda(tmp_path, ROSTER, ITEMS)
    db = str(tmp_path / "s.sqlite")
    session = Session.create(load_agenda(agenda), db, clock=FixedClock())
    for i in range(1, 5):
        session.set_attendance(f"jp-m{i}", "in_person")
    session.close_log()
    return db


def kinds(db: str) -> list[str]:
    return [e.kind for e in events(db)]


def order(app) -> list[str]:
    return [row.key.value for row in app.screen.query_one(DataTable).ordered_rows]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space", "[": "left_square_bracket", "]": "right_square_bracket",
                         "/": "slash", ".": "full_stop", ",": "comma"}.get(c, c) for c in text])


async def fill(pilot, dialog, **values: str) -> None:
    """Put text into the form's fields (CJK cannot be typed by Pilot, so values are set as pasted)."""
    for key, value in values.items():
        field = dialog.field(key)
        field.value = value
    await pilot.pause()


def hint(dialog) -> str:
    return text_of(dialog.query_one("#hint", Static))


# ------------------------------------------------------------------ addendum
async def test_an_addendum_is_added_after_the_highlighted_item_once_its_id_is_typed_again(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db, size=(120, 30)) as pilot:  # wide enough for the whole title
        app = pilot.app
        await pilot.press("down")  # item 2 highlighted: the addendum goes after it
        dialog = await open_addendum_form(pilot)
        assert isinstance(dialog, AddendumDialog)
        assert dialog.focused is dialog.field("id")
        assert dialog.field("after").value == "2"
        await type_text(pilot, "A1")
        await pilot.press("enter")  # enter goes to the next field, it never adds
        await pilot.pause()
        assert dialog.focused is dialog.field("title")
        await fill(pilot, dialog, title=TITLE, kind="decision", article="8.11",
                   carried="delayed the first fee collection")
        dialog.query_one("#item-number", Input).focus()
        await pilot.press(*SLIPS)  # answer keys and a double enter: typed into the box, never confirm
        await pilot.pause()
        assert app.screen is dialog and ev.ITEM_ADDED not in kinds(db)
        await type_text(pilot, "A1")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert order(app) == ["1", "2", "A1", "3", "4"]
        table = app.screen.query_one(DataTable)
        assert table.get_cell("A1", "title").plain == "addendum · " + TITLE
        assert table.cursor_row == 2, "the cursor goes to the new item"
    (added,) = [e.payload for e in events(db) if e.kind == ev.ITEM_ADDED]
    assert added["after"] == "2"
    assert {k: added["item"][k] for k in ("id", "title", "kind", "article", "resolution")} == {
        "id": "A1", "title": TITLE, "kind": "decision", "article": "8.11",
        "resolution": {"carried": "delayed the first fee collection"}}


@pytest.mark.parametrize("values,field,words", [
    ({"article": "8.12"}, "article", "Article: article '8.12' is not a Charter Art. 8 clause"),
    ({"kind": "vote", "article": ""}, "kind", "Kind: kind 'vote' is not allowed"),
    ({"id": "2"}, "id", "Id: item id '2' is already on the agenda"),
    ({"article": "8.7", "admits": "kr-ap"}, "admits", "Admits: item 'A1' admits members but is not an Art. 8.1"),
    ({"after": "9"}, "after", "After item: there is no agenda item '9' to go after"),
    ({"title": "  "}, "title", "Title: item 'A1' title is only white space"),
])
async def test_a_refused_addendum_names_its_field_and_puts_the_focus_there(clerk_pilot, tmp_path, values, field, words):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        dialog = await open_addendum_form(pilot)
        await fill(pilot, dialog, **{"id": "A1", "title": "Ad hoc", "kind": "decision", "article": "8.11",
                                     **values})
        dialog.query_one("#item-number", Input).focus()
        await type_text(pilot, values.get("id", "A1"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "a refused addendum keeps the form up"
        assert words in hint(dialog) and "\n" not in hint(dialog).strip()
        assert dialog.focused is dialog.field(field)
        assert dialog.focused.has_class("-refused")
        assert not toasts(app), "one line: under the form, not again in a toast over it"
    assert ev.ITEM_ADDED not in kinds(db)


async def test_an_addendum_under_8_1_admits_its_applicant_when_carried(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        dialog = await open_addendum_form(pilot)
        await fill(pilot, dialog, id="A2", title="Admission of Kr Ap", kind="decision", article="8.1",
                   admits="kr-ap", after="")
        dialog.query_one("#item-number", Input).focus()
        await type_text(pilot, "A2")
        await pilot.press("enter")
        await pilot.pause()
        assert order(app) == ["1", "2", "3", "4", "A2"], "no item to go after: the end of the agenda"
        assert app.state.items["A2"].item.admits == ["kr-ap"]


async def test_the_form_does_not_add_without_an_id(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        dialog = await open_addendum_form(pilot)
        # Enter through every field (ten enters: nine fields, then the empty box): nothing is added.
        await pilot.press(*["enter"] * 10)
        await pilot.pause()
        assert app.screen is dialog
        assert "give the new item an id first" in hint(dialog)
        assert dialog.focused is dialog.field("id")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
    assert ev.ITEM_ADDED not in kinds(db)


# ------------------------------------------------------- withdraw / postpone
@pytest.mark.parametrize("key,action,status,word", [
    ("w", "withdraw", "withdrawn", "WITHDRAWN"),
    ("p", "postpone", "postponed", "POSTPONED"),
])
async def test_an_item_is_set_aside_with_its_reason_once_its_number_is_typed(clerk_pilot, tmp_path, key, action, status, word):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("down", "down", "down", key)  # item 4
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SetAsideDialog) and dialog.focused is dialog.query_one("#reason", Input)
        # An empty reason is refused: enter stays in the reason box.
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.focused is dialog.query_one("#reason", Input)
        assert "Give the reason first" in hint(dialog)
        dialog.query_one("#reason", Input).value = "Sponsor [b]asked[/] 撤回"
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.focused is dialog.query_one("#item-number", Input)
        await pilot.press(*SLIPS)
        await pilot.pause()
        assert app.screen is dialog and app.state.items["4"].status == "pending"
        await pilot.press("3", "enter")  # another item's number: nothing done
        await pilot.pause()
        assert app.screen is dialog and "Nothing done" in hint(dialog)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        cell = app.screen.query_one(DataTable).get_cell("4", "status").plain
        assert cell.startswith(f"⊘ {word}: Sponsor" if action == "withdraw" else f"» {word}: Sponsor")
        # The panel under the list gives the reason whole, as typed.
        assert "Sponsor [b]asked[/] 撤回" in text_of(app.screen.query_one("#description", Static))
    recorded = [e.payload for e in events(db) if e.kind in (ev.ITEM_WITHDRAWN, ev.ITEM_POSTPONED)]
    assert recorded == [{"item_id": "4", "reason": "Sponsor [b]asked[/] 撤回"}]
    assert kinds(db)[-1] == (ev.ITEM_WITHDRAWN if action == "withdraw" else ev.ITEM_POSTPONED)


async def test_a_reason_emptied_after_enter_is_refused_at_the_number(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("w")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#item-number", Input).focus()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.screen is dialog and "Not withdrawn: give the reason first" in hint(dialog)
        assert dialog.focused is dialog.query_one("#reason", Input)
        await pilot.press("escape")
        await pilot.pause()
    assert ev.ITEM_WITHDRAWN not in kinds(db)


async def test_an_item_already_taken_up_cannot_be_withdrawn_and_no_dialog_opens(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    session = Session.open(db, clock=FixedClock("2018-10-29T09:30:00"))
    session.open_vote("1")
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        messages = toast_messages(app)
        assert len(messages) == 1 and "item '1' is open" in messages[0]
    assert ev.ITEM_WITHDRAWN not in kinds(db)


async def test_a_withdrawn_item_cannot_be_opened_and_one_toast_says_why(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    session = Session.open(db, clock=FixedClock("2018-10-29T09:30:00"))
    session.withdraw_item("1", "Sponsor withdrew it")
    session.postpone_item("3", "Candidates not ready")
    session.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen), "no order dialog, no roll call"
        messages = toast_messages(app)
        assert len(messages) == 1
        assert "WITHDRAWN" in messages[0] and "Sponsor withdrew it" in messages[0]
        app.clear_notifications()
        await pilot.press("r")  # the roll call key says the same
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert len(toasts(app)) == 1
        app.clear_notifications()
        await pilot.press("down", "down", "enter")  # item 3, postponed: no election dialog
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        messages = toast_messages(app)
        assert len(messages) == 1 and "POSTPONED" in messages[0] and "Candidates not ready" in messages[0]
    assert ev.VOTE_OPENED not in kinds(db)


# ---------------------------------------------------------------------- move
async def test_an_item_is_moved_after_the_item_chosen_once_its_number_is_typed(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("down", "down", "down", "m")  # item 4
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MoveDialog)
        assert dialog.chosen() == "3", "the list starts on the item it follows now"
        await pilot.press("up", "up")
        await pilot.pause()
        assert dialog.chosen() == "1"
        await pilot.press(*SLIPS)
        await pilot.pause()
        assert app.screen is dialog and ev.ITEM_MOVED not in kinds(db)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert order(app) == ["1", "4", "2", "3"]
        assert app.screen.query_one(DataTable).cursor_row == 1, "the cursor follows the item moved"
    assert [e.payload for e in events(db) if e.kind == ev.ITEM_MOVED] == [{"item_id": "4", "after": "1"}]


async def test_esc_leaves_every_agenda_dialog_with_nothing_written(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    before = len(events(db))
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        for key in ("plus", "w", "p", "m"):
            await pilot.press(key, "escape")
            await pilot.pause()
            assert isinstance(app.screen, AgendaScreen)
    assert len(events(db)) == before


async def test_the_footer_and_the_palette_offer_each_agenda_change(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        shown = {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"Open", "Addendum", "Withdraw", "Postpone", "Move"} <= shown
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title, dialog in (("Add an addendum", AddendumDialog), ("Withdraw the highlighted item", SetAsideDialog),
                              ("Postpone the highlighted item", SetAsideDialog),
                              ("Move the highlighted item", MoveDialog)):
            commands[title].callback()  # each entry opens its dialog, not just exists
            await pilot.pause()
            assert isinstance(app.screen, dialog), title
            await pilot.press("escape")
            await pilot.pause()
    assert not [k for k in kinds(db) if k in (ev.ITEM_ADDED, ev.ITEM_WITHDRAWN, ev.ITEM_POSTPONED, ev.ITEM_MOVED)]


async def test_an_addendum_and_a_move_by_another_seat_show_with_the_cursor_kept(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        app.screen.query_one(DataTable).move_cursor(row=2)  # item 3
        await pilot.pause()
        other = Session.open(db, clock=FixedClock("2018-10-29T11:00:00"))
        other.add_item({"id": "A9", "title": "Thanks to the host", "kind": "consensus"}, after="1")
        other.move_item("4", "1")
        other.close_log()
        app.refresh_from_log()
        await app.writes_settled()
        await pilot.pause()
        assert order(app) == ["1", "4", "A9", "2", "3"]
        table = app.screen.query_one(DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "3"


# ------------------------------------------------------ keys in the order typed
async def test_enter_opens_the_row_the_cursor_is_on_when_keys_come_faster_than_they_are_handled(clerk_pilot, tmp_path):
    """down down enter arriving at once: enter acts after both downs (it is not a priority key)."""
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.pause()
        for key in ("down", "down", "enter"):  # posted together, as a fast typist's keys arrive
            app.post_message(tevents.Key(key, None))
        await pilot.pause()
        await pilot.pause()
        # The third item is the election: its dialog, not item 1's order dialog.
        assert isinstance(app.screen, ElectionDialog) and app.screen.item_id == "3"
        await pilot.press("escape")
        await pilot.pause()
        for key in ("up", "up", "enter"):
            app.post_message(tevents.Key(key, None))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, OrderDialog), "item 1, a decision: the order dialog"


# -------------------------------------------------------------- the election
@pytest.fixture
def election_clock(monkeypatch) -> SteppedClock:
    """The election dialog's clock, moved only by the test: "at once" is what the test says."""
    from near_tui.clerk.screens import election_dialog

    clock = SteppedClock()
    monkeypatch.setattr(election_dialog, "time", clock)
    return clock


async def open_election(pilot) -> ElectionDialog:
    """enter on item 3, the election (the agenda's third row), opens its dialog."""
    pilot.app.screen.query_one(DataTable).move_cursor(row=2)
    await pilot.press("enter")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ElectionDialog)
    return dialog


async def test_a_member_moved_to_at_once_after_opening_is_marked(clerk_pilot, tmp_path, election_clock):
    """A quick clerk: enter opens the election, ↓ enter at once marks the member moved to (a choice,
    not the opening enter pressed twice)."""
    async with clerk_pilot(db=new_session(tmp_path)) as pilot:
        dialog = await open_election(pilot)
        election_clock.now += 0.3
        await pilot.press("down", "enter")
        await pilot.pause()
        second = [m for m in pilot.app.state.members.values() if charter.is_member(m)][1]
        assert dialog.chosen == [second.id]


async def test_a_double_enter_never_records_an_election(clerk_pilot, tmp_path, election_clock):
    clock = election_clock
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        dialog = await open_election(pilot)
        # The enter that opened the dialog, pressed twice: it marks nothing, not the list's first row.
        clock.now += 0.3
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.chosen == []
        assert toasted(app, "enter came at once after the one that opened this dialog: nothing marked.")
        clock.now += 1.5
        # jp-m1 marked (the first row), then ctrl+r and enters: the number is asked for, not typed.
        await pilot.press("enter", "ctrl+r", "enter", "enter")
        await pilot.pause()
        assert app.screen is dialog and app.state.items["3"].status == "pending"
        await pilot.press("y", "n", "a", "x", "c", "space", "enter")
        await pilot.pause()
        assert app.screen is dialog and ev.ELECTION_RECORDED not in kinds(db)
        assert "Not recorded" in text_of(dialog.query_one("#hint", Static))
        await pilot.press("escape")  # back to the marking: the mark kept, enter unmarks again
        await pilot.pause()
        assert not dialog.confirming and dialog.chosen == ["jp-m1"]
        await pilot.press("ctrl+r", "3", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, (ElectionDialog, ConfirmDialog))
        assert app.state.items["3"].elected == ("jp-m1",)
    assert [e.payload for e in events(db) if e.kind == ev.ELECTION_RECORDED] == [
        {"item_id": "3", "elected": ["jp-m1"]}]


async def test_a_long_chinese_title_is_cut_with_its_ellipsis_in_view_on_the_agenda(clerk_pilot, tmp_path):
    # Titles were cut by characters: 25 Chinese characters take 50 cells, so the Item column cropped
    # the line and its "…" with it, and nothing said that the title went on.
    from rich.cells import cell_len

    title = "确认东北亚地区地方政府联合会专门委员会设立与运营规定以及会费规定的修订和会员证书的颁发"
    agenda = write_agenda(tmp_path, ROSTER, [{"id": "1", "title": title, "kind": "decision", "article": "8.7"}])
    db = str(tmp_path / "cjk.sqlite")
    Session.create(load_agenda(agenda), db).close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        added = Session.open(db)
        try:  # and as an addendum, after "addendum · "
            added.add_item({"id": "A1", "title": title, "kind": "decision", "article": "8.7"}, after="1")
        finally:
            added.close_log()
        await wait_for(lambda: "A1" in app.state.items, what="the addendum read by the seat")
        await wait_for(lambda: sum("确认" in row for row in screen_text(app).splitlines()) >= 2, what="both rows")
        rows = [row for row in screen_text(app).splitlines() if "确认" in row]
        for row in rows[:2]:
            shown = row[row.index("确认"):].split("…")[0]
            assert "…" in row and title.startswith(shown), row
            assert cell_len(row.rstrip()) <= 80, row


# ------------------------------------------------------------------ snapshots
SIZES = [(80, 24), (160, 45)]


def changed_agenda(db: str) -> None:
    """An addendum with a markup-like CJK title after item 1, item 2 withdrawn, item 3 postponed."""
    session = Session.open(db, clock=FixedClock("2018-10-29T09:30:00"))
    session.add_item({"id": "A1", "title": TITLE, "kind": "decision", "article": "8.11"}, after="1")
    session.withdraw_item("2", "The Secretariat will report in writing")
    session.postpone_item("3", "Candidates [b]not ready[/] — 次回")
    session.close_log()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_agenda_with_an_addendum_and_items_set_aside(snap_compare, tmp_path, size):
    db = new_session(tmp_path)
    changed_agenda(db)
    assert snap_compare(clerk_app(db), terminal_size=size, press=["down"])


async def steady(pilot) -> None:
    """Input cursors blink: a snapshot must not depend on when it is taken."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_addendum_form_with_a_refused_article(snap_compare, tmp_path, size):
    db = new_session(tmp_path)

    async def refused(pilot):
        dialog = await open_addendum_form(pilot)
        await fill(pilot, dialog, id="A1", title=TITLE, kind="decision", article="8.12",
                   carried="delayed the first fee collection")
        dialog.query_one("#item-number", Input).focus()
        await pilot.press("A", "1", "enter")
        await pilot.pause()
        pilot.app.clear_notifications()  # the toast says the same line; the form is what is pinned
        await steady(pilot)

    assert snap_compare(clerk_app(db), terminal_size=size, run_before=refused)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_withdraw_dialog_with_its_reason(snap_compare, tmp_path, size):
    db = new_session(tmp_path)

    async def typed(pilot):
        await pilot.press("down", "w")
        await pilot.pause()
        pilot.app.screen.query_one("#reason", Input).value = "Sponsor [b]asked[/] 撤回"
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(clerk_app(db), terminal_size=size, run_before=typed)


def test_postpone_dialog_after_a_wrong_number(snap_compare, tmp_path):
    db = new_session(tmp_path)

    async def typed(pilot):
        await pilot.press("down", "down", "p")
        await pilot.pause()
        pilot.app.screen.query_one("#reason", Input).value = "Candidates not ready"
        await pilot.press("enter", "2", "enter")
        await steady(pilot)

    assert snap_compare(clerk_app(db), terminal_size=(80, 24), run_before=typed)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_move_dialog(snap_compare, tmp_path, size):
    db = new_session(tmp_path)
    changed_agenda(db)

    async def chosen(pilot):
        await pilot.press("end", "m", "up", "up")
        await steady(pilot)

    assert snap_compare(clerk_app(db), terminal_size=size, run_before=chosen)


def test_election_dialog_asking_for_the_item_number(snap_compare, tmp_path):
    db = new_session(tmp_path)

    async def asked(pilot):
        pilot.app.screen.query_one(DataTable).move_cursor(row=2)
        # Opened, "jp m" typed, Jp M1 (the first row) marked, ctrl+r, then enter with no number typed.
        await pilot.press("enter", "j", "p", "space", "m", "enter", "ctrl+r", "enter")
        await steady(pilot)

    assert snap_compare(clerk_app(db), terminal_size=(80, 24), run_before=asked)


async def test_a_closed_sessions_agenda_offers_no_change(clerk_pilot, ga12_session, db_path):
    ga12_session.close_session(leave_pending=True)
    ga12_session.close_log()
    before = len(events(db_path))
    async with clerk_pilot(db=db_path) as pilot:
        app = pilot.app
        assert isinstance(app.screen, AgendaScreen)
        # On a loaded machine the footer can be drawn a frame after the first one: wait for it.
        await wait_for(lambda: "Reopen" in screen_text(app).splitlines()[-1], what="the closed agenda's footer")
        footer = screen_text(app).splitlines()[-1]
        for word in ("Addendum", "Withdraw", "Postpone", "Move"):
            assert word not in footer, word
        await pilot.press("plus", "w", "p", "m")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen), "no dialog opens"
    assert len(events(db_path)) == before


async def test_at_80_columns_each_field_of_the_addendum_form_shows_its_whole_hint_or_marks_the_cut(
        clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db, size=(80, 24)) as pilot:
        app = pilot.app
        dialog = await open_addendum_form(pilot)
        lines = screen_text(app).splitlines()
        for field in dialog.query(Input):
            if not field.placeholder or field.value:
                continue
            await wait_for(lambda f=field: f.region.width > 0, what=f"{field.id} laid out")
            box = field.content_region
            shown = lines[box.y][box.x:box.right].rstrip()
            # Whole, or cut with "…" where a word still fits: never a hint that just stops.
            assert shown == field.placeholder or (
                shown.endswith("…") and field.placeholder.startswith(shown[:-1].rstrip())), (field.id, shown)


async def test_keys_typed_in_the_same_burst_as_enter_go_to_the_next_box(clerk_pilot, tmp_path):
    # A paste or a fast typist: every key is queued before the first is handled. enter must have
    # moved to the title box before the title's letters are handed to a box.
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        dialog = await open_addendum_form(pilot)
        assert isinstance(dialog, AddendumDialog) and dialog.focused is dialog.field("id")
        burst = [("A", "A"), ("2", "2"), ("enter", "\r"), ("T", "T"), ("i", "i"), ("t", "t")]
        for key, character in burst:
            app.post_message(tevents.Key(key, character))
        await pilot.pause()
        assert (dialog.field("id").value, dialog.field("title").value) == ("A2", "Tit")
        assert dialog.focused is dialog.field("title")
