"""Ending the session from the clerk's console: confirmation dialog, signed files, a closed console."""

from __future__ import annotations

import subprocess

from click.testing import CliRunner
from rich.cells import cell_len
from textual.widgets import Input, Static

from near_tui.clerk.screens.attendance import AttendanceScreen
from near_tui.clerk.screens.close_session_dialog import DOUBLE_PRESS, CloseSessionDialog
from near_tui.clerk.screens.dialogs import InfoDialog
from near_tui.clerk.widgets.indicators import SessionBar
from near_tui.cli.main import main
from near_tui.core import events as ev
from near_tui.declaration.keys import generate
from support import SteppedClock, events, screen_text, text_of, toasted, wait_for, wait_for_screen


async def wait_until_idle(app, pilot, dialog, timeout: float = 60):
    await wait_for(lambda: not dialog.working, timeout=timeout, what="the close worker's end")


async def test_roll_call_then_end_session_writes_files_that_minisign_verifies(clerk_pilot, present_db, tmp_path):
    key = tmp_path / "ga12.key"
    generate(key)
    out = tmp_path / "declaration"
    async with clerk_pilot(item="2", key_path=str(key), out_dir=str(out)) as pilot:
        app = pilot.app
        for _ in range(29):  # every present member answers yes
            await pilot.press("y")
        await pilot.pause()

        # While the vote is open the dialog says why the close must wait, and refuses.
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        assert "vote on item 2 is still open" in text_of(dialog.query_one("#body", Static))
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen is dialog and not app.state.closed
        assert toasted(app, "still open")
        await pilot.press("escape")
        await pilot.press("c", "2", "enter")  # close the vote: c, then its item number
        await pilot.pause()
        assert app.state.items["2"].status == "closed"

        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        body = text_of(dialog.query_one("#body", Static))
        assert "Items dealt with: 1 of 8" in body and "Still pending (7)" in body
        assert "1. Appointment of the Next Chair" in body
        assert dialog.query_one("#key", Input).value == str(key)
        assert not dialog.query_one("#pass-row").display, "an unprotected key needs no passphrase"
        await pilot.press("enter")  # enter only moves between fields
        assert app.screen is dialog and not app.state.closed
        assert app.focused is dialog.query_one("#leave-pending")
        await pilot.press("space")  # the box has the focus: leave the 7 items pending
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog)
        shown = text_of(app.screen.query_one("#body", Static))
        assert str(out) in shown and app.state.head in shown
        await pilot.press("enter")
        await pilot.pause()

        # The console now says CLOSED and records nothing more.
        assert "SESSION CLOSED" in text_of(app.screen.query_one("#item-title", Static))
        before = len(events(present_db))
        await pilot.press("y")
        await pilot.pause()
        assert toasted(app, "session is closed")
        await pilot.press("f2")
        await pilot.pause()
        assert "SESSION CLOSED" in text_of(app.screen.query_one(SessionBar))

    log = events(present_db)
    assert len(log) == before and log[-1].kind == ev.SESSION_CLOSED
    assert log[-1].payload["left_pending"] == ["1", "3", "4", "5", "6", "7", "8"]
    for name in ("declaration.md", "declaration.pdf", "record.json", "record.csv", "declaration.md.minisig"):
        assert (out / name).is_file(), name
    assert "This item was not taken up." in (out / "declaration.md").read_text(encoding="utf-8")
    checked = subprocess.run(["minisign", "-Vm", str(out / "declaration.md"), "-p", f"{key}.pub"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert log[-1].hash in checked.stdout  # the trusted comment names the chain head
    verified = CliRunner().invoke(main, ["verify", str(out), "--pub", f"{key}.pub", "--db", present_db])
    assert verified.exit_code == 0, verified.output


async def test_protected_key_asks_a_passphrase_and_a_wrong_one_closes_nothing(clerk_pilot, empty_db, tmp_path):
    key = tmp_path / "protected.key"
    generate(key, passphrase="hall-7")
    out = tmp_path / "out"
    async with clerk_pilot(db=empty_db, key_path=str(key), out_dir=str(out)) as pilot:
        app = pilot.app
        app.action_end_session()  # the palette's "End session" calls the same action
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        assert dialog.query_one("#pass-row").display
        assert dialog.query_one("#passphrase", Input).password, "the passphrase is masked"
        dialog.query_one("#passphrase", Input).value = "wrong"
        await pilot.press("space")  # the box has the focus: leave every item pending
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await wait_until_idle(app, pilot, dialog)
        assert app.screen is dialog, "the dialog stays open to try again"
        assert toasted(app, "wrong passphrase")
        assert not app.state.closed and not out.exists()
        assert not any(e.kind == ev.SESSION_CLOSED for e in events(empty_db))

        dialog.query_one("#passphrase", Input).value = "hall-7"
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog)
        assert app.state.closed
    assert (out / "declaration.md.minisig").is_file()


async def test_a_missing_key_is_said_in_the_dialog_and_nothing_is_closed(clerk_pilot, empty_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no keys/ga12-2018.key here
    async with clerk_pilot(db=empty_db) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#key", Input).value == "keys/ga12-2018.key"
        assert "no such key file" in text_of(dialog.query_one("#key-note", Static))
        await pilot.press("space")
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await wait_until_idle(app, pilot, dialog)
        assert app.screen is dialog and not app.state.closed
        assert toasted(app, "no such key file")
        await pilot.press("escape")
        await pilot.press("f3")  # the console is still usable
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)


async def test_ending_a_closed_session_again_rewrites_its_files_without_a_new_event(clerk_pilot, empty_db, tmp_path):
    key = tmp_path / "k.key"
    generate(key)
    out = tmp_path / "out"
    async with clerk_pilot(db=empty_db, key_path=str(key), out_dir=str(out)) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog)
        await pilot.press("escape")
        (out / "declaration.md").unlink()
        count = len(events(empty_db))
        await pilot.press("ctrl+e")
        await pilot.pause()
        body = text_of(app.screen.query_one("#body", Static))
        assert "already closed" in body
        # The eight items of agenda/ga12-2018.yaml, none taken up: the heading names them, four shown.
        assert "Not taken up (8; the declaration says so):\n  1. Appointment of the Next Chair\n" in body
        assert "  … and 4 more" in body
        assert not app.screen.query("#leave-pending"), "no box once closed"
        await pilot.pause(DOUBLE_PRESS)
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog)
        assert "already closed" in text_of(app.screen.query_one("#title", Static))
    assert len(events(empty_db)) == count and (out / "declaration.md").is_file()


async def test_a_refusal_shown_before_is_cleared_once_the_close_starts(clerk_pilot, empty_db, tmp_path, monkeypatch):
    # Found in a tmux trial: ctrl+e, ctrl+e 0.3 s later (refused), ctrl+e 1.5 s after that: the
    # close started, but "Closing and signing…" sat under the stale "ctrl+e came at once" refusal.
    import threading

    from near_tui.clerk.screens import close_session_dialog
    from near_tui.declaration import closing

    key = tmp_path / "k.key"
    generate(key)
    out = tmp_path / "out"
    clock = SteppedClock()
    monkeypatch.setattr(close_session_dialog, "time", clock)
    # The close is held until the test has read the dialog during it, then runs for real.
    release = threading.Event()
    real_close = closing.close_and_write

    def held_close(*args, **kwargs):
        release.wait(60)
        return real_close(*args, **kwargs)

    monkeypatch.setattr(closing, "close_and_write", held_close)
    async with clerk_pilot(db=empty_db, key_path=str(key), out_dir=str(out)) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseSessionDialog)
        await pilot.press("space")  # the box has the focus: leave every item pending
        clock.now += 0.3
        await pilot.press("ctrl+e")
        await pilot.pause()
        hint = dialog.query_one("#hint", Static)
        assert text_of(hint) == "Not closed: ctrl+e came at once after the one that opened this dialog."
        assert not dialog.working
        clock.now += 1.5
        try:
            await pilot.press("ctrl+e")
            await pilot.pause()
            assert dialog.working
            assert text_of(dialog.query_one("#keys", Static)).startswith("Closing and signing…")
            assert text_of(hint) == ""
            assert "came at once" not in screen_text(app)
        finally:
            release.set()
        await wait_for_screen(app, InfoDialog)
        assert app.state.closed


async def test_pending_titles_are_cut_in_cells_so_a_chinese_title_stays_on_its_line(clerk_pilot, tmp_path):
    # A title was cut at 56 characters: 56 Chinese characters take 112 cells, and the line wrapped.
    from rich.cells import cell_len

    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.session import Session
    from support import member, write_agenda

    title = "确认东北亚地区地方政府联合会专门委员会设立与运营规定以及会费规定的修订和会员证书的颁发"  # 46 wide characters
    agenda = write_agenda(tmp_path, [member("jp-kyoto")], [{"id": "1", "title": title, "kind": "decision",
                                                             "article": "8.2"}])
    db = str(tmp_path / "cjk.sqlite")
    Session.create(load_agenda(agenda), db).close_log()
    async with clerk_pilot(db=db) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        await wait_for_screen(app, CloseSessionDialog)
        line = next((row for row in screen_text(app).splitlines() if "1. 确认" in row), None)
        assert line is not None, screen_text(app)  # (a wrapped title split its number from its first words)
        shown = line[line.index("1. ") + 3:].split("…")[0]
        assert "…" in line and title.startswith(shown) and shown, line
        assert cell_len(line.rstrip()) <= 80, line
        # The title's next characters are not on the following line: it was cut, not wrapped.
        following = screen_text(app).splitlines()[screen_text(app).splitlines().index(line) + 1]
        assert title[len(shown):len(shown) + 2] not in following


# ------------------------------------------------- texts a declaration gives in English
def session_in(tmp_path, languages: list[str], items: list[dict], signatory_title: dict | str) -> str:
    """A session in ``languages`` whose own title and venue are given in each of them, with two
    members, ``items`` and one signatory (named with brackets: a name is data, never markup)."""
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.session import Session
    from support import member, write_agenda

    titles = {"en": "Test Assembly", "zh": "测试大会", "ja": "テスト総会"}
    venues = {"en": "Test Hall", "zh": "测试厅", "ja": "テストホール"}
    agenda = write_agenda(
        tmp_path, [member("jp-kyoto"), member("kr-ulsan", country="KR")], items,
        session={"languages": languages, "title": {c: titles[c] for c in languages},
                 "venue": {c: venues[c] for c in languages}},
        declaration={"signatories": [{"name": "Kim [b]Min-jun[/b]", "title": signatory_title}]})
    db = str(tmp_path / "langs.sqlite")
    Session.create(load_agenda(agenda), db).close_log()
    return db


BUDGET = {"id": "1", "title": {"en": "Budget", "zh": "预算"}, "kind": "decision", "article": "8.7"}


async def test_the_end_dialog_names_the_texts_the_chinese_declaration_gives_in_english(clerk_pilot, tmp_path,
                                                                                         monkeypatch):
    from near_tui.clerk.screens import close_session_dialog
    from support import SteppedClock, near

    # Left untranslated on purpose: the signatory's zh title (the agenda file gives it in English
    # only) and the zh title of addendum A7 (its noted text is given in Chinese).
    db = session_in(tmp_path, ["en", "zh"], [BUDGET], signatory_title="Chair")
    added = near("agenda", "add", "--db", db, "--id", "A7", "--kind", "report", "--title", "Youth Exchanges",
                 "--noted", "The assembly noted the youth exchanges.", "--in", "zh", "noted", "全体会议注意到青年交流。")
    assert added.exit_code == 0, added.output
    key, out = tmp_path / "k.key", tmp_path / "out"
    generate(key)
    clock = SteppedClock()
    monkeypatch.setattr(close_session_dialog, "time", clock)
    async with clerk_pilot(db=db, key_path=str(key), out_dir=str(out)) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        dialog = await wait_for_screen(app, CloseSessionDialog)
        body = text_of(dialog.query_one("#body", Static))
        assert "2 texts untranslated: the Chinese declaration will use the English ones\n" in body, body
        # In the session's order (the agenda, then the declaration), the name exactly as written.
        assert "\n  item A7: zh title; signatory Kim [b]Min-jun[/b]: zh title" in body, body
        assert all(cell_len(row) <= 80 for row in screen_text(app).splitlines())
        # Said, not refused: the close goes on with the same deliberate step as ever.
        await pilot.press("space")
        clock.now += DOUBLE_PRESS + 0.5
        await pilot.press("ctrl+e")
        await wait_for_screen(app, InfoDialog)
        assert app.state.closed
    assert "Youth Exchanges" in (out / "declaration.zh.md").read_text(encoding="utf-8")
    # `near-tui close` (here writing the closed session's files again) names the same two texts.
    again = near("close", "--db", db, "--key", key, "--out", tmp_path / "again")
    assert again.exit_code == 0, again.output
    assert [line.split(" — ")[0] for line in again.stderr.splitlines()] == [
        f"{db}: item A7 has no zh title", f"{db}: signatory Kim [b]Min-jun[/b] has no zh title"]


async def test_the_end_dialog_says_nothing_of_translations_when_every_text_has_one(clerk_pilot, tmp_path):
    from support import near

    db = session_in(tmp_path, ["en", "zh"], [BUDGET], signatory_title={"en": "Chair", "zh": "主席"})
    added = near("agenda", "add", "--db", db, "--id", "A7", "--kind", "report", "--title", "Youth Exchanges",
                 "--noted", "The assembly noted the youth exchanges.", "--in", "zh", "title", "青年交流",
                 "--in", "zh", "noted", "全体会议注意到青年交流。")
    assert added.exit_code == 0 and not added.stderr, added.output
    async with clerk_pilot(db=db) as pilot:
        await pilot.press("ctrl+e")
        dialog = await wait_for_screen(pilot.app, CloseSessionDialog)
        body = text_of(dialog.query_one("#body", Static))
        assert "Still pending (2)" in body and "  A7. Youth Exchanges" in body, body
        assert "untranslated" not in screen_text(pilot.app)


async def test_many_untranslated_texts_are_counted_and_the_dialog_still_fits_80x24(clerk_pilot, tmp_path,
                                                                                  monkeypatch):
    """The tallest the dialog gets: items pending past the list, a protected key's passphrase row,
    a refusal shown, and texts missing in two languages."""
    import re

    from near_tui.clerk.screens import close_session_dialog
    from support import SteppedClock

    # Six items titled in English only, in a session in English, Chinese and Japanese: 12 texts.
    items = [{"id": str(n), "title": f"Item number {n}", "kind": "decision", "article": "8.7"} for n in range(1, 7)]
    db = session_in(tmp_path, ["en", "zh", "ja"], items, signatory_title={"en": "Chair", "zh": "主席", "ja": "議長"})
    key = tmp_path / "protected.key"
    generate(key, passphrase="hall-7")
    clock = SteppedClock()
    monkeypatch.setattr(close_session_dialog, "time", clock)
    async with clerk_pilot(db=db, key_path=str(key), out_dir=str(tmp_path / "out")) as pilot:
        app = pilot.app
        await pilot.press("ctrl+e")
        dialog = await wait_for_screen(app, CloseSessionDialog)
        clock.now += DOUBLE_PRESS + 0.5
        await pilot.press("ctrl+e")  # not ticked: refused, and the refusal takes its line
        await wait_for(lambda: "Not closed: items are pending" in screen_text(app), what="the refusal")
        assert dialog.query_one("#pass-row").display
        rows = screen_text(app).splitlines()
        assert all(cell_len(row) <= 80 for row in rows), rows
        shown = "\n".join(rows)
        assert "12 texts untranslated:" in shown, shown
        names = next(row for row in rows if "item 1: zh title, ja title; item 2: zh title, ja title" in row)
        named = len(re.findall(r"\b(?:zh|ja) title\b", names))
        assert names.rstrip(" █").endswith(f"; … and {12 - named} more"), names
        # Nothing cut off at the bottom: the last field, the keys and the box's lower edge are on screen.
        assert "Passphrase" in shown and "Folder" in shown and "esc go back" in shown, shown
        keys_row = next(i for i, row in enumerate(rows) if "esc go back" in row)
        assert rows[keys_row + 1].startswith("█▄▄"), rows
        assert not app.state.closed
