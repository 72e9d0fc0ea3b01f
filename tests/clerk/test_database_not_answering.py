"""A PostgreSQL server that stops answering altogether stops the seat, loudly, within its bound.

Every process of the suite's own server is stopped with SIGSTOP: the kernel still accepts and
acknowledges on its socket, so no keepalive, ``tcp_user_timeout`` or server-side timeout ever
fires and the write would wait for ever. The seat's own bound (``ClerkApp.no_answer``, here a
couple of seconds instead of the minute a venue gets) must stop it with a message that says the
entry may or may not be on the record, hang up so that its stuck write ends, refuse every key,
and show nothing as recorded. What the log holds is read back by a separate reader once the
server runs again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

from near_tui.clerk.app import QUIT_WAIT
from near_tui.clerk.follow import StoppedBanner
from near_tui.clerk.writes import NO_ANSWER
from near_tui.core import events as ev
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.storage import engines
from support import GA12, GA12_ATTENDANCE, PRESS_AT_ONCE, clerk_app, events, text_of, toast_messages, wait_for

BOUND = 2.0  # seconds: the test's bound, so that it runs in seconds
SLACK = 5.0  # a timer on a loaded machine (load 10) may fire this late


def answers(db: str) -> list[tuple[str, str]]:
    return [(e.payload["member_id"], e.payload["vote"]) for e in events(db)
            if e.kind in (ev.VOTE_RECORDED, ev.VOTE_CORRECTED)]


def roll_call_open(pg_server) -> str:
    """A new database on the suite's server: the 12th GA, its attendance, item 2's roll call open."""
    url = pg_server.new_database()
    session = Session.create(load_agenda(GA12), url)
    import_file(session, "attendance", GA12_ATTENDANCE)
    session.open_vote("2")
    session.close_log()
    return url


def test_the_bound_leaves_the_servers_own_refusals_first():
    # A held lock (WRITE_WAIT), a statement run to the server's bound (STATEMENT_WAIT) and a new
    # connection (CONNECT_TIMEOUT) each end in their own one-line refusal before the seat gives up.
    own = engines.WRITE_WAIT + engines.STATEMENT_WAIT + engines.CONNECT_TIMEOUT
    assert NO_ANSWER > own + 10


async def test_a_stopped_server_stops_the_seat_within_the_bound_and_nothing_is_shown_recorded(pg_server):
    url = roll_call_open(pg_server)
    app = clerk_app(url, item="2")
    app.no_answer = BOUND
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.writing is None and app.screen.now is not None, what="the seat's start-up read")
        member = app.screen.now
        name = app.state.members[member].full_name
        calls = app.screen.query_one("#calls")
        assert calls.get_cell(member, "answer").plain == "·"
        with pg_server.stopped():
            started = time.monotonic()
            await PRESS_AT_ONCE(pilot, "y")
            assert app.writing is not None
            banner = await wait_for(lambda: app.screen.query(StoppedBanner), timeout=BOUND + SLACK,
                                    what="the stopped banner")
            waited = time.monotonic() - started
            assert BOUND - 0.05 <= waited < BOUND + SLACK, waited
            said = text_of(banner.first())
            assert said.startswith("DATABASE NOT ANSWERING — this seat has stopped recording: ")
            assert f"has not answered for {BOUND:g} s" in said
            assert f"The last entry (YES for {name} on item 2) may or may not be on the record" in said
            assert "restart this seat" in said and "what the record holds" in said
            # The seat hung up: its stuck write ends while the server is still stopped.
            await wait_for(lambda: app.writing is None, timeout=15, what="the write worker's end")
            # Every key is refused now, moves included; nothing is started.
            for key in ("n", "down", "f2"):
                await PRESS_AT_ONCE(pilot, key)
                assert app.writing is None
            assert app.current_mode == "roll_call"
            refusal = "Nothing recorded: this seat has stopped recording (see the banner)."
            await wait_for(lambda: refusal in toast_messages(app), what="the refusal")
            await pilot.pause()
            assert toast_messages(app).count(refusal) == 1  # one line for the three keys, not one per key
            assert calls.get_cell(member, "answer").plain == "·", "shown as not answered"
            assert app.screen.now == member
        await pilot.pause(0.5)  # the server runs again: what it sends now changes nothing on screen
        assert calls.get_cell(member, "answer").plain == "·"
        assert app.screen.query(StoppedBanner)
    assert answers(url) == [], "the write cut off was never committed"


async def test_quitting_while_a_write_waits_on_a_stopped_server_lets_the_program_end(pg_server):
    url = roll_call_open(pg_server)
    app = clerk_app(url, item="2")
    pids = pg_server.processes()

    def let_go() -> None:
        for pid in reversed(pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    # Should the quit wait on the server after all, this lets it go on, so the suite cannot hang.
    watchdog = threading.Timer(60, let_go)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.writing is None and app.screen.now is not None, what="the seat's start-up read")
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
            watchdog.start()
            await PRESS_AT_ONCE(pilot, "y")
            assert app.writing is not None
            started = time.monotonic()
            await PRESS_AT_ONCE(pilot, "ctrl+q")  # taken while a write is under way
        took = time.monotonic() - started
        # The quit waited QUIT_WAIT for the write, then hung up: the write's thread ends, the server still stopped.
        assert QUIT_WAIT - 0.1 <= took < QUIT_WAIT + SLACK, took
        await wait_for(app._write_idle.is_set, timeout=15, what="the write thread's end")
        assert watchdog.is_alive(), "the server was let go by the watchdog: the quit waited on it"
    finally:
        watchdog.cancel()
        let_go()
    assert answers(url) == []
