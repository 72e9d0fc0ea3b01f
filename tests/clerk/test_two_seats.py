"""Two clerk seats on one session database see each other's answers, and a rewritten log stops a seat.

Both seats are the real app (``build_app``) on the same SQLite file, in one test. Who
is called, and in which order, the test works out itself from the sample's roster and
attendance files (``chair.scenes.present_voters``), not from the state under test.
"""

from __future__ import annotations

import time

from textual.widgets import Static

from chair import scenes, tamper
from near_tui.clerk.follow import StoppedBanner
from near_tui.clerk.screens.roll_call import RollCallScreen
from near_tui.clerk.widgets.call_list import CallList
from near_tui.core import events as ev
from near_tui.service.session import Session
from near_tui.storage.follower import Follower
from support import Calls, clerk_app, events, text_of, wait_for

FOLLOW_WITHIN = 0.25  # seconds: another seat's answer is on this seat's screen within this


def open_item_2(db: str) -> None:
    session = Session.open(db)
    session.open_vote("2")
    session.close_log()


def answer_cell(app, member_id: str) -> str:
    table = app.screen.query_one(CallList)
    return table.get_cell(member_id, "answer").plain


def calling(app) -> str | None:
    assert isinstance(app.screen, RollCallScreen)
    return app.screen.current_member()


async def shows_within(pilot, condition, seconds: float, since: float | None = None) -> float:
    """Let the app run until ``condition()`` holds; return how long it took from ``since`` (fails past ``seconds``)."""
    start = time.monotonic() if since is None else since
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not shown within {seconds * 1000:.0f} ms")
        await pilot.pause(0.005)
    return time.monotonic() - start


def clock_commits(app) -> list[float]:
    """When each answer of ``app`` was committed (``record_vote`` returned), to time the other seat."""
    times: list[float] = []
    record_vote = app.session.record_vote

    def timed(*args, **kwargs):
        done = record_vote(*args, **kwargs)
        times.append(time.monotonic())
        return done

    app.session.record_vote = timed
    return times


async def test_each_seat_shows_the_others_answers_within_250_ms(present_db):
    open_item_2(present_db)
    present = scenes.present_voters()
    a, b = clerk_app(present_db), clerk_app(present_db)
    a_commits, b_commits = clock_commits(a), clock_commits(b)
    async with a.run_test(size=(80, 24)) as pa, b.run_test(size=(80, 24)) as pb:
        await pa.pause()
        await pb.pause()
        assert calling(a) == calling(b) == present[0]
        await pa.press("y")
        took_b = await shows_within(pb, lambda: answer_cell(b, present[0]) == "YES"
                                    and calling(b) == present[1], FOLLOW_WITHIN, since=a_commits[-1])
        name = scenes.names()[present[1]]
        assert name.casefold() in text_of(b.screen.query_one("#now", Static)).casefold()  # NOW CALLING moved on
        await pb.press("n")
        took_a = await shows_within(pa, lambda: answer_cell(a, present[1]) == "NO"
                                    and calling(a) == present[2], FOLLOW_WITHIN, since=b_commits[-1])
        print(f"follow latency: A→B {took_b * 1000:.0f} ms, B→A {took_a * 1000:.0f} ms")
    recorded = [(e.payload["member_id"], e.payload["vote"]) for e in events(present_db) if e.kind == ev.VOTE_RECORDED]
    assert recorded == [(present[0], "yes"), (present[1], "no")]


async def test_a_row_the_clerk_has_selected_stays_selected_when_the_other_seat_answers(present_db):
    open_item_2(present_db)
    present = scenes.present_voters()
    a, b = clerk_app(present_db), clerk_app(present_db)
    async with a.run_test(size=(80, 24)) as pa, b.run_test(size=(80, 24)) as pb:
        await pa.pause()
        await pb.pause()
        await pb.press("down", "down")  # B's clerk selects a row further down, to look at or correct it
        selected = calling(b)
        assert selected != present[0]
        await pa.press("y")
        await shows_within(pb, lambda: answer_cell(b, present[0]) == "YES", FOLLOW_WITHIN * 4)
        assert calling(b) == selected  # the cursor is not taken from under B's clerk


async def test_a_seat_that_has_not_seen_the_other_answer_yet_never_overwrites_it(present_db):
    open_item_2(present_db)
    present = scenes.present_voters()
    a, b = clerk_app(present_db), clerk_app(present_db)
    b.follow_interval = 60  # B reads the log once at start, then not again during the test: the race
    toasts, notify = [], b.notify

    def heard(message, **options):
        toasts.append(message)
        notify(message, **options)

    b.notify = heard
    async with a.run_test(size=(80, 24)) as pa, b.run_test(size=(80, 24)) as pb:
        await pa.pause()
        await wait_for(lambda: calling(a) == calling(b) == present[0], what="both seats calling the first member")
        await pa.press("y")
        assert answer_cell(b, present[0]) != "YES"  # B has not seen it
        await pb.press("n")  # B answers the member A has just answered
        await pb.pause()
        # Refused, not recorded as a correction B's clerk never meant; B's screen shows A's answer.
        assert answer_cell(b, present[0]) == "YES" and calling(b) == present[1]
        assert any("another seat has just recorded" in t for t in toasts), toasts
    answers = [(e.kind, e.payload["member_id"], e.payload["vote"]) for e in events(present_db)
               if e.kind in (ev.VOTE_RECORDED, ev.VOTE_CORRECTED)]
    assert answers == [(ev.VOTE_RECORDED, present[0], "yes")]


async def stops(pilot, app) -> None:
    deadline = time.monotonic() + 5
    while app.stopped is None:
        assert time.monotonic() < deadline, "the seat never noticed the rewritten log"
        await pilot.pause(0.02)
    await pilot.pause()


def banner_text(screen) -> str:
    return text_of(screen.query_one(StoppedBanner))


async def refuses_everything(pilot, app, db: str) -> None:
    """Every screen shows the banner; no key records anything."""
    before = len(events(db))
    assert banner_text(app.screen).startswith("LOG REWRITTEN — this seat has stopped recording: ")
    await pilot.press("y")  # on the roll call
    await pilot.press("f3", "1")  # attendance: mark the highlighted member in person
    await pilot.pause()
    assert banner_text(app.screen).startswith("LOG REWRITTEN")
    await pilot.press("f2")
    await pilot.pause()
    assert banner_text(app.screen).startswith("LOG REWRITTEN")
    await pilot.press("ctrl+e")  # end the session: refused before its dialog
    await pilot.pause()
    assert banner_text(app.screen).startswith("LOG REWRITTEN")
    assert not app.record(app.session.note_item, "3")
    assert len(events(db)) == before


async def test_a_log_rewritten_under_the_seat_stops_it(clerk_pilot, present_db):
    open_item_2(present_db)
    present = scenes.present_voters()
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("y")
        await pilot.pause()
        answered = events(present_db)[-1]
        assert answered.payload == {"item_id": "2", "member_id": present[0], "vote": "yes"}
        tamper.rewrite_event(present_db, answered.seq, lambda p: {**p, "vote": "no"})
        assert tamper.chain_intact(present_db)  # the forger re-hashed the chain
        await stops(pilot, app)
        assert "event" in app.stopped and "rewritten" in app.stopped
        await refuses_everything(pilot, app, present_db)


async def test_a_deleted_last_event_stops_the_seat(clerk_pilot, present_db):
    open_item_2(present_db)
    async with clerk_pilot() as pilot:
        app = pilot.app
        await pilot.press("y")
        await pilot.pause()
        tamper.delete_last_event(present_db)
        await stops(pilot, app)
        await refuses_everything(pilot, app, present_db)


async def test_a_rewrite_found_by_a_write_stops_the_seat_and_shows_on_dialogs(present_db, monkeypatch):
    open_item_2(present_db)
    polls = Calls(Follower, "poll", monkeypatch)
    app = clerk_app(present_db)
    app.follow_interval = 60  # the poller reads once at start: the next key finds the rewrite
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: polls.count >= 1, what="the seat's first read of the log")
        await pilot.press("y")
        await pilot.pause()
        tamper.delete_last_event(present_db)
        await pilot.press("y")
        await pilot.pause()
        assert app.stopped is not None
        await pilot.press("c")  # the close-vote confirmation: the banner is on it too
        await pilot.pause()
        assert banner_text(app.screen).startswith("LOG REWRITTEN")
        await pilot.press("y")
        await pilot.pause()
        assert app.state.items["2"].status == "open"
    closes = [e for e in events(present_db) if e.kind == ev.VOTE_CLOSED]
    assert closes == []


async def test_a_reader_that_fails_is_said_and_started_again(present_db):
    open_item_2(present_db)
    present = scenes.present_voters()
    app = clerk_app(present_db)
    real, failures = app.Followed, []

    def failing_once(*args, **kwargs):  # something unforeseen in the reader's thread, once
        if not failures:
            failures.append(1)
            raise RuntimeError("injected failure")
        return real(*args, **kwargs)

    app.Followed = failing_once
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other = Session.open(present_db)
        other.record_vote("2", present[0], "yes")  # another seat answers
        other.close_log()
        await shows_within(pilot, lambda: app.follow_problem is not None, 5)
        assert "injected failure" in app.follow_problem
        await shows_within(pilot, lambda: answer_cell(app, present[0]) == "YES" and calling(app) == present[1], 5)


async def test_an_event_no_seat_signed_stops_the_seat_and_never_reaches_the_tally(present_db):
    """A correctly chained correction appended with plain sqlite3 while the roll call is open: the
    clerk does not fold it (the answer on screen stays), says why, and records nothing more."""
    open_item_2(present_db)
    present = scenes.present_voters()
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        seq = tamper.append_unsigned(present_db, ev.VOTE_CORRECTED, {"item_id": "2", "member_id": present[0],
                                                                     "vote": "no"})
        await stops(pilot, app)
        assert f"event {seq} (vote_corrected): no seat signed it" in app.stopped
        assert answer_cell(app, present[0]) == "YES"
        assert app.state.items["2"].votes[present[0]] == "yes"
        await refuses_everything(pilot, app, present_db)
