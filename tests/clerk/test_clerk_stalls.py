"""A stalled or vanished database, and a held key, never put a wrong answer on the record.

Each test reproduces a failure seen on the real program: another PROCESS holding SQLite's
write lock while the clerk pressed ``n`` three times (three members were recorded NO once
it let go); the database, its -wal and -shm deleted mid roll call (four answers shown as
recorded into no file); a held ``y`` and thirty backspaces at auto-repeat speed. Who was
on screen is read from the screen at the moment of the key; what was recorded is read
back from the database file afterwards, by a separate reader.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from near_tui.clerk.follow import StoppedBanner
from near_tui.clerk.key_repeat import FIRST, GAP, KeyRepeat
from near_tui.clerk.writes import WaitingBanner
from near_tui.core import events as ev
from near_tui.service.session import Session
from near_tui.storage import engines
from support import PRESS_AT_ONCE, clerk_app, events, screen_text, text_of, toast_messages, wait_for
from support.locks import hold_write_lock


def votes(db: str) -> list[tuple[str, str]]:
    """(member, vote) of every answer and correction in the file, read by a separate reader."""
    return [(e.payload["member_id"], e.payload["vote"]) for e in events(db)
            if e.kind in (ev.VOTE_RECORDED, ev.VOTE_CORRECTED)]


def toasts_text(app) -> str:
    """Every toast shown so far, one per line (Textual keeps them in the app, not on the screen's lines)."""
    return "\n".join(toast_messages(app))


# The repeat rule at four times its real pace (key_repeat.py; the defaults are tested with exact
# times in test_key_repeat.py). Pilot sends a held key's repeats 33 ms apart, but on a loaded
# machine two of them can arrive a second apart: at the real pace that reads as a new press.
PACE = 4


def held() -> KeyRepeat:
    return KeyRepeat(first=FIRST * PACE, gap=GAP * PACE)


LET_GO = FIRST * PACE + 0.1  # seconds after a hold before a deliberate new press


async def settle(app, within: float) -> None:
    await asyncio.wait_for(app.writes_settled(), within)


async def test_three_presses_while_another_process_holds_the_lock_record_the_one_member_on_screen(clerk_pilot, present_db):
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        on_screen = app.screen.now
        assert on_screen is not None and votes(present_db) == []
        holder = hold_write_lock(present_db, 1.5)
        try:
            await PRESS_AT_ONCE(pilot, "n")
            assert app.writing is not None, "the write waits for the lock in the worker, not on the screen"
            await pilot.pause(0.3)  # beyond the short moment: the screen says it waits
            assert "waiting for the database" in text_of(app.screen.query_one(WaitingBanner))
            await PRESS_AT_ONCE(pilot, "n")
            await PRESS_AT_ONCE(pilot, "n")
            banner = text_of(app.screen.query_one(WaitingBanner))
            assert banner.endswith("no key is taken until it answers · 2 refused"), banner
            refused = toasts_text(app)
            assert refused.count("n was refused: the previous entry is still being written") == 1, refused
            await settle(app, engines.WRITE_WAIT + 5)
        finally:
            holder.wait(10)
        await pilot.pause()
        assert votes(present_db) == [(on_screen, "no")], "one answer, for the member on screen at the key"
        assert not app.screen.query(WaitingBanner)
        assert app.screen.now != on_screen  # the call moved on once the answer was durable


async def test_a_lock_held_past_the_bound_gives_one_message_and_records_nothing(clerk_pilot, present_db, monkeypatch):
    monkeypatch.setattr(engines, "WRITE_WAIT", 1.0)  # read when the app's engine is made
    async with clerk_pilot(item="2") as pilot:
        app = pilot.app
        on_screen = app.screen.now
        holder = hold_write_lock(present_db, 6)  # longer than the bound, with room for a loaded machine
        try:
            started = time.monotonic()
            await PRESS_AT_ONCE(pilot, "y")
            await settle(app, 5.5)
            waited = time.monotonic() - started
        finally:
            holder.wait(10)
        assert 0.9 < waited < 5.0, waited  # the bound (1 s), never the 6 s the lock was held
        # A toast is posted as a message: it is shown a moment after the write's outcome.
        refusal = "another program has held the database for over 1 s — nothing was recorded"
        await wait_for(lambda: toasts_text(app).count(refusal) == 1, timeout=5, what="the one refusal")
        assert votes(present_db) == []
        assert app.screen.now == on_screen, "nothing recorded: the same member is still called"
        await pilot.press("y")  # the lock is gone: the same member, answered now
        assert votes(present_db) == [(on_screen, "yes")]


def delete_database(db: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)


@pytest.mark.parametrize("follow_interval", [3600.0, 0.1], ids=["found-by-the-write", "found-by-the-follower"])
async def test_a_deleted_database_stops_the_seat_and_nothing_is_shown_recorded(present_db, follow_interval):
    app = clerk_app(present_db, item="2")
    app.follow_interval = follow_interval
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y")  # one answer, recorded into the file while it is there
        first = app.screen.now
        answered = dict(app.state.items["2"].votes)
        await pilot.pause(0.3)
        delete_database(present_db)
        await pilot.pause(0.3)
        for key in ("n", "a", "y", "n"):
            await pilot.press(key)
        await pilot.pause()
        banner = text_of(app.screen.query_one(StoppedBanner))
        assert banner.startswith("DATABASE GONE — this seat has stopped recording")
        assert "docs/laptop-died.md" in banner and "copy of the database" in banner  # the way to go on
        assert app.state.items["2"].votes == answered, "no answer after the deletion is in the state"
        assert first not in app.state.items["2"].votes
        assert app.screen.query_one("#calls").get_cell(first, "answer").plain == "·"  # shown as still to call
        assert not Path(present_db).exists()


async def test_a_replaced_database_stops_the_seat(present_db, tmp_path):
    app = clerk_app(present_db, item="2")
    app.follow_interval = 3600.0  # found by the write itself
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        on_screen = app.screen.now
        data = Path(present_db).read_bytes()
        os.replace(present_db, tmp_path / "old.sqlite")
        Path(present_db).write_bytes(data)  # another file at the path, with the same bytes
        await pilot.press("y")
        banner = text_of(app.screen.query_one(StoppedBanner))
        assert banner.startswith("DATABASE REPLACED — this seat has stopped recording")
        assert on_screen not in app.state.items["2"].votes


async def test_a_held_answer_key_answers_one_member(clerk_pilot, present_db):
    async with clerk_pilot(item="2", held_keys=True, key_repeat=held()) as pilot:
        app = pilot.app
        on_screen = app.screen.now
        # A held key: the press, the terminal's repeat delay, then a repeat every 33 ms.
        await PRESS_AT_ONCE(pilot, "y", "wait:500", *[k for _ in range(20) for k in ("wait:33", "y")])
        await settle(app, 5)
        assert votes(present_db) == [(on_screen, "yes")]
        assert toasts_text(app).count("y is held down or pressed again at once: one entry per press") == 1
        await pilot.pause(LET_GO)
        await PRESS_AT_ONCE(pilot, "y")  # released, then pressed again: the next member
        await settle(app, 5)
        assert [m for m, _ in votes(present_db)] == [on_screen, app.state.items["2"].history[-1].member_id]
        assert len(votes(present_db)) == 2


async def test_thirty_backspaces_at_repeat_speed_undo_at_most_one_answer(clerk_pilot, present_db):
    session = Session.open(present_db)
    session.open_vote("2")
    called = []
    for _ in range(10):
        member = session.state.now_calling("2")
        session.record_vote("2", member, "yes")
        called.append(member)
    session.close_log()
    async with clerk_pilot(held_keys=True, key_repeat=held()) as pilot:
        app = pilot.app
        assert app.current_mode == "roll_call"
        await PRESS_AT_ONCE(pilot, "backspace", "wait:500",
                            *[k for _ in range(29) for k in ("wait:33", "backspace")])
        await settle(app, 5)
        undos = [e for e in events(present_db) if e.payload.get("undo_of")]
        assert len(undos) == 1 and undos[0].payload["member_id"] == called[-1]
        # A deliberate second backspace asks first; neither an answer key, nor backspace, nor enter confirms.
        await pilot.pause(LET_GO)
        await PRESS_AT_ONCE(pilot, "backspace")
        await pilot.pause()
        assert "Undo another entry?" in screen_text(app)
        for key in ("y", "n", "backspace", "enter", "a", "x"):
            await PRESS_AT_ONCE(pilot, key)
        await settle(app, 5)
        assert len([e for e in events(present_db) if e.payload.get("undo_of")]) == 1
        if "Undo another entry?" not in screen_text(app):  # n went back: ask again
            await pilot.pause(LET_GO)
            await PRESS_AT_ONCE(pilot, "backspace")
            await pilot.pause()
        assert "Undo another entry?" in screen_text(app)
        await pilot.press("u")
        undos = [e for e in events(present_db) if e.payload.get("undo_of")]
        assert [u.payload["member_id"] for u in undos] == [called[-1], called[-2]]


async def test_a_toast_asked_for_from_the_write_worker_reaches_the_screen(present_db):
    """An after-commit hook (the mirror's notice) runs in the write worker; its toast is posted over."""
    import threading

    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        worker = threading.Thread(target=app.notify, args=("The mirror holds every event again",),
                                  kwargs={"title": "Mirror"})
        worker.start()
        worker.join()
        await pilot.pause()
        assert toasts_text(app).count("The mirror holds every event again") == 1
