"""The election dialog (several seats, names that look like markup) and letters refused at once."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from near_tui.clerk.screens.election_dialog import ElectionDialog
from near_tui.clerk.screens.letter_dialog import LetterDialog
from near_tui.clerk.screens.letters import LettersScreen
from near_tui.core import events as ev
from near_tui.core.errors import RuleError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import clerk_app, events, member, screen_text, text_of, toast_messages, toasted, write_agenda

# Names as a roster file may hold them: markup look-alikes, Hangul, Cyrillic, Han.
ROSTER = [
    {**member("jp-kyoto"), "name": "Kyoto Prefecture"},
    {**member("cn-hubei", country="CN"), "name": "Hubei [/] Province"},
    {**member("kr-gangwon", country="KR"), "name": "강원특별자치도 [b]Gangwon"},
    {**member("mn-tuv", country="MN"), "name": "Төв аймаг"},
    {**member("cn-jilin", country="CN"), "name": "吉林省 Jilin"},
    {**member("jp-fukui", voting="restricted"), "name": "Fukui Prefecture"},
    {**member("cn-tianjin", status="observer", country="CN"), "name": "Tianjin Municipality"},
]
ITEMS = [
    # Titles stay plain here: the agenda screen draws them as markup (its owner fixes that, not this suite).
    {"id": "1", "title": "Election of two Vice-Chairs", "kind": "election", "seats": 2},
    {"id": "2", "title": "Budget", "kind": "decision", "article": "8.2"},
]


def new_session(tmp_path) -> str:
    agenda = write_agenda(tmp_path, ROSTER, ITEMS)
    db = str(tmp_path / "s.sqlite")
    Session.create(load_agenda(agenda), db).close_log()
    return db


async def type_text(pilot, text):
    await pilot.press(*[c if c != " " else "space" for c in text])
    await pilot.pause()


def shown_ids(table: DataTable) -> list[str]:
    return [row.key.value for row in table.ordered_rows]


async def test_two_seat_election_marks_two_members_with_enter_and_records_both(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("enter")  # the agenda opens on item 1, the election
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ElectionDialog)
        table = dialog.query_one(DataTable)
        # Observers are not candidates; every name is a data cell, shown exactly as written.
        assert "cn-tianjin" not in shown_ids(table)
        assert all(isinstance(c, Text) for row in shown_ids(table) for c in table.get_row(row))
        assert table.get_cell("cn-hubei", "name").plain == "Hubei [/] Province"
        assert "Election of two Vice-Chairs (2 to elect)" in text_of(dialog.query_one("#title", Static))

        await type_text(pilot, "hubei")
        assert shown_ids(table) == ["cn-hubei"]
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.chosen == ["cn-hubei"]
        assert dialog.filter_text == "", "the filter is cleared for the next name"

        await type_text(pilot, "төв")  # Cyrillic filters like Latin letters
        assert shown_ids(table) == ["mn-tuv"]
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.chosen == ["cn-hubei", "mn-tuv"]
        assert "Marked 2 of 2: Hubei [/] Province, Төв аймаг" in text_of(dialog.query_one("#marked", Static))

        # A third mark is refused: two seats.
        await type_text(pilot, "kyoto")
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.chosen == ["cn-hubei", "mn-tuv"]
        assert toasted(app, "Only 2 to elect")

        await pilot.press("ctrl+r")
        await pilot.pause()
        # Recording asks for the item number typed into its box (a double enter records nothing).
        assert app.screen is dialog and dialog.confirming
        assert "Hubei [/] Province, Төв аймаг" in text_of(dialog.query_one("#marked", Static))
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.state.items["1"].elected == ("cn-hubei", "mn-tuv")
    recorded = [e.payload for e in events(db) if e.kind == ev.ELECTION_RECORDED]
    assert recorded == [{"item_id": "1", "elected": ["cn-hubei", "mn-tuv"]}]


async def test_enter_unmarks_and_ctrl_r_without_a_mark_records_nothing(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        await type_text(pilot, "jilin")
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.chosen == ["cn-jilin"]
        await pilot.press("enter")  # the cursor stayed on Jilin: a second enter unmarks it
        await pilot.pause()
        assert dialog.chosen == []
        await pilot.press("ctrl+r")  # nothing marked: not "the highlighted one"
        await pilot.pause()
        assert app.screen is dialog and not dialog.confirming
        assert toasted(app, "Mark the elected members with enter first")
        await type_text(pilot, "kyo")
        await pilot.press("escape")  # clears the filter first
        await pilot.pause()
        assert app.screen is dialog and dialog.filter_text == ""
        await pilot.press("escape")  # then cancels
        await pilot.pause()
        assert not isinstance(app.screen, ElectionDialog)
        assert app.state.items["1"].status == "pending"
    assert ev.ELECTION_RECORDED not in [e.kind for e in events(db)]


async def test_a_name_typed_with_spaces_filters_and_marks_nothing_until_enter(clerk_pilot):
    # Found in a tmux trial: space marked the highlighted member and cleared the filter, so
    # "sakha rep" marked Sakha at the space and left "rep". Names hold spaces; space now filters.
    # Expected rows from agenda/members-2018.yaml: "Sakha Republic (Yakutia)" is the only name
    # holding "sakha rep", "Republic of Khakassia" the only one holding "republic of k".
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("enter")  # the agenda opens on item 1, the election of the next Chair
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ElectionDialog)
        table = dialog.query_one(DataTable)
        await type_text(pilot, "sakha rep")
        assert dialog.filter_text == "sakha rep" and dialog.chosen == []
        assert shown_ids(table) == ["ru-sakha"]
        assert "Filter: sakha rep" in screen_text(app)
        assert "Marked 0 of 1: enter marks the highlighted member" in text_of(dialog.query_one("#marked", Static))

        await pilot.press("escape")  # clears the filter
        await type_text(pilot, "republic of k")
        assert dialog.filter_text == "republic of k" and dialog.chosen == []
        assert shown_ids(table) == ["ru-khakassia"]

        await pilot.press("enter")  # the marking key
        await pilot.pause()
        assert dialog.chosen == ["ru-khakassia"] and dialog.filter_text == ""
        assert "Marked 1 of 1: Republic of Khakassia Республика Хакасия" in text_of(dialog.query_one("#marked", Static))
        assert "enter mark/unmark  ^r record…" in screen_text(app)

        # One seat: a second mark is refused and the first stands.
        await type_text(pilot, "sakha rep")
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.chosen == ["ru-khakassia"]
        assert toasted(app, "Only 1 to elect — unmark one first (enter on a marked member).")

        await pilot.press("ctrl+r", "1", "enter")
        await pilot.pause()
        assert app.state.items["1"].elected == ("ru-khakassia",)


async def test_a_letter_for_a_member_marked_present_is_refused_before_the_dialog_opens(clerk_pilot, tmp_path):
    db = new_session(tmp_path)
    writer = Session.open(db)
    writer.set_attendance("jp-kyoto", "in_person")
    writer.close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("f4")
        await type_text(pilot, "kyoto")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen), "no dialog: nothing to type in vain"
        message = toast_messages(app)[-1]
        assert message.startswith("Kyoto Prefecture is marked present and votes in person")
        assert "mark it absent on the attendance screen (F3, then 0)" in message

        # A restricted member is refused the same way, with the Fee Regulations' reason.
        await pilot.press("escape")
        await type_text(pilot, "fukui")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LettersScreen)
        assert toasted(app, "Fukui Prefecture's vote is restricted")

        # An absent member gets the dialog; a name filters in its own script.
        await pilot.press("escape")
        await type_text(pilot, "吉林")
        assert [row.key.value for row in app.screen.query_one(DataTable).ordered_rows] == ["cn-jilin"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LetterDialog)
        assert "吉林省 Jilin" in text_of(app.screen.query_one("#title", Static))
    assert ev.LETTER_RECORDED not in [e.kind for e in events(db)]


LONG_TITLES = {
    "4": "Reaffirmation of the Revisions Made to the Regulations on Membership Fees",
    # Double-width characters: 46 of them take 92 cells, more than the dialog has at any width.
    "5": "确认东北亚地区地方政府联合会专门委员会设立与运营规定以及会费规定的修订和会员证书的颁发",
}


async def test_letter_dialog_cuts_long_titles_with_an_ellipsis_counted_in_cells(clerk_pilot, tmp_path):
    # Found in a tmux trial at 80x24: "4. Reaffirmation of the Revisions Made to the Regul", cut
    # with nothing to say that the title goes on.
    from rich.cells import cell_len

    items = [{"id": item_id, "title": title, "kind": "decision", "article": "8.2"}
             for item_id, title in LONG_TITLES.items()]
    agenda = write_agenda(tmp_path, ROSTER, items)
    db = str(tmp_path / "long.sqlite")
    Session.create(load_agenda(agenda), db).close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("f4")
        await type_text(pilot, "jilin")  # absent, with no letter: the dialog opens
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LetterDialog)
        lines = screen_text(app).splitlines()
        for item_id, title in LONG_TITLES.items():
            whole = f"{item_id}. {title}"
            line = next(row for row in lines if f"{item_id}. {title[:2]}" in row)
            shown = line[line.index(whole[:4]):].split("…")[0]
            assert "…" in line and whole.startswith(shown) and len(shown) > len(f"{item_id}. "), line
            # The position stays on the same line, and the line inside the terminal's 80 cells.
            assert line.index("…") < line.index("— (not covered)"), line
            assert cell_len(line.rstrip()) <= 80, line


def test_the_core_refuses_the_letters_the_screen_refuses(tmp_path):
    """The one rule (SessionState.letter_refusal) answers the screen and the core's check alike."""
    db = new_session(tmp_path)
    session = Session.open(db)
    try:
        session.set_attendance("jp-kyoto", "online")
        for member_id, words in [("jp-kyoto", "is marked present and votes in person"),
                                 ("jp-fukui", "vote is restricted"),
                                 ("cn-tianjin", "is an observer, and only members decide by letter")]:
            refusal = session.state.letter_refusal(member_id)
            assert refusal is not None and words in str(refusal)
            with pytest.raises(RuleError, match=words):
                session.record_letter(member_id, {"2": "yes"})
        assert session.state.letter_refusal("cn-jilin") is None
        session.record_letter("cn-jilin", {"2": "yes"})
        assert session.state.letter_in_effect("cn-jilin").positions == {"2": "yes"}
    finally:
        session.close_log()


def test_election_dialog_snapshot(snap_compare, tmp_path):
    """Two seats, one marked, a filter typed: names as written, every key on the keys line true."""
    db = new_session(tmp_path)
    assert snap_compare(clerk_app(db), terminal_size=(80, 24),
                        press=["enter", "h", "u", "b", "enter", "j", "i"])


async def test_an_elected_members_long_names_are_cut_with_an_ellipsis_in_the_agenda(clerk_pilot, ga12_present, db_path):
    # Found in a tmux trial at 80x24: the status read "✔ ELECTED: Sakha Republic (", cut by the
    # terminal's edge in the middle of the names. It is now cut to the column with "…"; the
    # panel under the list gives the whole verdict.
    from rich.cells import cell_len

    ga12_present.record_election("1", ["ru-sakha"])
    ga12_present.close_log()
    async with clerk_pilot(db=db_path) as pilot:
        app = pilot.app
        table = app.screen.query_one(DataTable)
        status = str(table.get_cell("1", "status"))
        sakha = app.state.members["ru-sakha"]
        assert status.startswith("✔ ELECTED: ") and status.endswith("…")
        assert f"✔ ELECTED: {sakha.name} {sakha.native_name}".startswith(status[:-1].rstrip())
        line = next(row for row in screen_text(app).splitlines() if row.lstrip().startswith("1 "))
        assert status in line and cell_len(line.rstrip()) <= 80  # the whole cell, inside the screen
