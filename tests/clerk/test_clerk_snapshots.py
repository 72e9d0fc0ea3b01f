"""Each clerk screen pinned at a laptop terminal (80x24) and a large one (160x45).

The sessions are built with the fixed clock, so every render is the same; review
the SVGs under __snapshots__ when they change.
"""

from __future__ import annotations

import pytest

from support import clerk_app

SIZES = [(80, 24), (160, 45)]
ids = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


def roll_call_half_done(session) -> None:
    """Item 2 open in roster order: ten present members answered, one corrected, one undone."""
    session.open_vote("2")
    present = [m for m in session.state.call_order("2") if session.state.is_present(m)]
    for member_id, vote in zip(present[:10], ["yes"] * 7 + ["no", "abstain", "yes"], strict=True):
        session.record_vote("2", member_id, vote)
    session.record_vote("2", present[0], "not_voting")
    session.undo_last("2")  # undoes the correction: back to yes


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_agenda(snap_compare, ga12_present, db_path, size):
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=size, press=["down"])


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_attendance_filtered(snap_compare, ga12_present, db_path, size):
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=size, press=["f3", "J", "P"])


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_letters_with_one_superseded(snap_compare, ga12_present, db_path, size):
    ga12_present.set_attendance("jp-kyoto", "in_person")
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=size, press=["f4"])


@pytest.mark.parametrize("size", SIZES + [(60, 20)], ids=ids)
def test_roll_call_in_progress(snap_compare, ga12_present, db_path, size):
    roll_call_half_done(ga12_present)
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=size)


def test_roll_call_correction_waiting_for_enter(snap_compare, ga12_present, db_path):
    """The clerk moved up onto a letter member (Kyoto) and pressed n: the panel shows the answer in
    the room proposed, and the footer's enter records it as such, not as a correction."""
    roll_call_half_done(ga12_present)
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=(80, 24), press=["up", "up", "n"])


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=ids)
def test_close_vote_dialog_with_members_uncalled(snap_compare, ga12_present, db_path, size):
    roll_call_half_done(ga12_present)
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=size, press=["c", "2"])


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_roll_call_closed(snap_compare, ga12_present, db_path, size):
    from near_tui.service.imports import import_file
    from support import GA12_VOTES  # the sample's recorded answers

    import_file(ga12_present, "votes", GA12_VOTES)
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path, item="2"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=ids)
def test_letter_dialog(snap_compare, ga12_present, db_path, size):
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=size, press=["f4", "k", "y", "o", "enter", "n"])


def test_help(snap_compare, ga12_present, db_path):
    ga12_present.close_log()
    assert snap_compare(clerk_app(db_path), terminal_size=(80, 24), press=["f1"])


def test_end_session_dialog(snap_compare, ga12_present, db_path, tmp_path, monkeypatch):
    """Item 2 voted and closed, the rest pending; the default key keys/<session id>.key exists."""
    from near_tui.declaration.keys import generate

    ga12_present.open_vote("2")
    for member_id in [m for m in ga12_present.state.call_order("2") if ga12_present.state.is_present(m)]:
        ga12_present.record_vote("2", member_id, "yes")
    ga12_present.close_vote("2")
    ga12_present.close_log()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keys").mkdir()
    generate(tmp_path / "keys" / "ga12-2018.key")

    async def steady_cursor(pilot):
        # The key and folder fields blink their cursor: a snapshot must not depend on when it is taken.
        from textual.widgets import Input

        await pilot.press("ctrl+e")
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(clerk_app(db_path), terminal_size=(80, 24), run_before=steady_cursor)
