"""The board's follower, in process: what it reads, what it sends, and when it stops.

Expected figures are the tests' own recounts of the answers they record; the call order of
the scripts session is its roster order (every member present, none restricted).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from pathlib import Path

import pytest

from board.support import MEMBERS, scripts_session
from near_tui.board import feed as feed_module
from near_tui.board.feed import BACKLOG, REWRITTEN, Feed, Follower
from near_tui.views.report import build_report


@pytest.fixture
def session(tmp_path, db_path):
    s = scripts_session(tmp_path, db_path)
    yield s
    s.close_log()


def decode(message: bytes) -> dict:
    assert message.startswith(b"data: ") and message.endswith(b"\n\n") and message.count(b"\n") == 2
    return json.loads(message[len(b"data: "):])


def by_id(document: dict, item_id: str) -> dict:
    return next(i for i in document["items"] if i["id"] == item_id)


def test_the_report_names_the_member_being_called_and_the_verdict_in_words(session, db_path):
    session.open_vote("1")
    answers = {MEMBERS[0][0]: "yes", MEMBERS[1][0]: "no", MEMBERS[2][0]: "yes",
               MEMBERS[5][0]: "abstain"}  # the sixth answers out of turn
    for member_id, vote in answers.items():
        session.record_vote("1", member_id, vote)
    follower = Follower(db_path)
    try:
        entry = by_id(follower.snapshot.report, "1")
    finally:
        follower.close()
    # The first present member in call order without an answer: the fourth of the roster.
    assert entry["calling"] == {"id": MEMBERS[3][0], "name": MEMBERS[3][1], "country": MEMBERS[3][2]}
    recount = {v: list(answers.values()).count(v) for v in ("yes", "no", "abstain")}
    assert (entry["yes"], entry["no"], entry["abstain"]) == (recount["yes"], recount["no"], recount["abstain"])
    assert entry["uncalled"] == len(MEMBERS) - len(answers)
    # 2 yes of 3 cast can still go either way with 4 to call: the words say so.
    assert entry["verdict"]["words"] == "NOT DECIDED YET" and not entry["verdict"]["final"]
    assert by_id(follower.snapshot.report, "2")["verdict"]["words"] == "TO COME"
    assert "calling" not in by_id(follower.snapshot.report, "3")  # not open


def test_calling_is_null_once_every_present_member_has_answered(session, db_path):
    session.open_vote("1")
    for member_id, _, _ in MEMBERS:
        session.record_vote("1", member_id, "yes")
    follower = Follower(db_path)
    try:
        entry = by_id(follower.snapshot.report, "1")
    finally:
        follower.close()
    assert entry["calling"] is None
    assert entry["yes"] == len(MEMBERS) and entry["uncalled"] == 0
    assert entry["verdict"]["words"] == "DECIDED: CARRIED"


def test_a_change_sends_the_whole_picture_and_the_report_stays_at_state_json(session, db_path):
    session.open_vote("1")
    follower = Follower(db_path)
    try:
        assert follower.poll() is None  # nothing new: no message at all
        session.record_vote("1", MEMBERS[0][0], "no")
        change = follower.poll()
    finally:
        follower.close()
    message = decode(change.message)
    agenda = message["picture"]["agenda"]
    assert [line["item_id"] for line in agenda] == ["1", "2", "3"]  # the whole agenda, in its order
    assert agenda[0]["numbers"]["no"] == 1
    assert message["picture"]["current"]["vote"]["calling_member"]["member_id"] == MEMBERS[1][0]
    assert message["chain_head"] == session.state.head and message["live"] is True
    assert message["current"] == "1"
    assert change.snapshot.full == change.message  # a new viewer gets the very same
    # /state.json is the report itself.
    assert json.loads(change.snapshot.state_json) == build_report(session.state)


def test_the_current_item_is_the_one_the_clerk_acted_on_last(session, db_path):
    follower = Follower(db_path)
    try:
        assert follower.snapshot.current is None  # nothing taken up yet
        session.open_vote("1")
        assert follower.poll().snapshot.current == "1"
        session.record_vote("1", MEMBERS[0][0], "yes")
        session.close_vote("1")
        assert follower.poll().snapshot.current == "1"  # the result stays up after the close
        session.set_attendance(MEMBERS[0][0], "online")
        assert follower.poll().snapshot.current == "1"  # attendance does not take it down
        session.note_item("2")
        assert follower.poll().snapshot.current == "2"
    finally:
        follower.close()
    # A board started later finds the same item from the log.
    late = Follower(db_path)
    try:
        assert late.snapshot.current == "2"
    finally:
        late.close()


class Socket:
    """Stands for a viewer's transport: what was written, and how much still waits to be sent."""

    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.waiting = 0
        self.closing = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def get_write_buffer_size(self) -> int:
        return self.waiting

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True


def unchunk(frame: bytes) -> bytes:
    """One HTTP/1.1 chunk's payload, checking its length line."""
    size, rest = frame.split(b"\r\n", 1)
    assert rest.endswith(b"\r\n") and int(size, 16) == len(rest) - 2
    return rest[:-2]


async def test_each_viewer_gets_the_state_then_every_change_framed_for_its_protocol(session, db_path):
    feed = Feed(db_path)
    try:
        http11, http10 = Socket(), Socket()
        feed.join(http11, chunked=True, first=b"retry: 2000\n\n")
        feed.join(http10, chunked=False)
        assert unchunk(http11.written[0]) == b"retry: 2000\n\n" + feed.snapshot.full
        assert http10.written[0] == feed.snapshot.full
        feed.broadcast(b"data: {}\n\n")
        assert unchunk(http11.written[1]) == b"data: {}\n\n" and http10.written[1] == b"data: {}\n\n"
    finally:
        feed.close()


async def test_a_viewer_that_stops_reading_is_skipped_then_sent_the_whole_state_never_queued(session, db_path):
    feed = Feed(db_path)
    try:
        slow = Socket()
        feed.join(slow, chunked=False)
        slow.waiting = BACKLOG + 1  # its socket takes nothing more
        for n in range(100):
            feed.broadcast(b"data: %d\n\n" % n)
        assert len(slow.written) == 1  # only the first state: nothing piles up for it
        slow.waiting = 0  # it reads again
        feed.broadcast(b"data: next\n\n")
        assert slow.written[1] == feed.snapshot.full  # the whole state, not the 101 messages
        feed.broadcast(b"data: after\n\n")
        assert slow.written[2] == b"data: after\n\n"
    finally:
        feed.close()


async def test_a_viewer_gone_or_stuck_for_minutes_is_let_go(session, db_path, monkeypatch):
    feed = Feed(db_path)
    try:
        gone, stuck = Socket(), Socket()
        gone_viewer = feed.join(gone, chunked=True)
        stuck_viewer = feed.join(stuck, chunked=True)
        gone.closing = True
        stuck.waiting = BACKLOG + 1
        feed.broadcast(b": keep-alive\n\n")
        assert gone_viewer.done.done() and gone_viewer not in feed.viewers
        assert not stuck_viewer.done.done()
        monkeypatch.setattr(feed_module, "GIVE_UP", 0.0)
        feed.broadcast(b": keep-alive\n\n")
        assert stuck.closing and stuck_viewer.done.done() and not feed.viewers
    finally:
        feed.close()


async def next_message(socket: Socket, seen: int, timeout: float = 10) -> dict:
    """The message written after the first ``seen`` writes, once it comes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(socket.written) <= seen:
        assert loop.time() < deadline, "no message came"
        await asyncio.sleep(0.01)
    return decode(socket.written[seen])


def rewrite_last_event(db: str) -> None:
    """What the board must never follow: an event already read, changed in place."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE near_events SET hash = ? WHERE seq = (SELECT MAX(seq) FROM near_events)", ("f" * 64,))


async def test_a_rewritten_log_turns_the_board_not_live_for_good(session, db_path):
    feed = Feed(db_path, interval=0.02)
    socket = Socket()
    feed.join(socket, chunked=False)
    task = asyncio.create_task(feed.run())
    try:
        session.open_vote("1")
        assert (await next_message(socket, 1))["picture"]["agenda"][0]["status"] == "open"
        session.close_log()
        rewrite_last_event(db_path)
        message = await next_message(socket, 2)
        assert message["live"] is False and message["problem"] == REWRITTEN
        assert "the session log was rewritten" in message["problem"]
        await asyncio.wait_for(task, 5)  # the follower stopped: it never reads the new text
        assert feed.snapshot.live is False
        assert decode(feed.snapshot.full)["problem"] == REWRITTEN  # what a new viewer sees
    finally:
        task.cancel()
        feed.close()


async def test_an_unreadable_database_says_not_live_and_the_board_recovers(session, db_path, tmp_path):
    session.open_vote("1")
    session.close_log()
    aside = tmp_path / "aside"
    aside.mkdir()

    feed = Feed(db_path, interval=0.02)
    socket = Socket()
    feed.join(socket, chunked=False)
    task = asyncio.create_task(feed.run())
    try:
        moved = [n for n in os.listdir(Path(db_path).parent) if n.startswith(Path(db_path).name)]
        for name in moved:
            os.rename(Path(db_path).parent / name, aside / name)
        message = await next_message(socket, 1)
        assert message["live"] is False and message["problem"] == "the session database is not there — retrying"
        assert db_path not in message["problem"]  # no file paths for the public
        for name in moved:
            os.rename(aside / name, Path(db_path).parent / name)
        message = await next_message(socket, 2)
        assert message["live"] is True and message["problem"] is None
    finally:
        task.cancel()
        feed.close()


def test_a_change_whose_report_fails_once_is_published_at_the_next_poll(session, db_path, monkeypatch):
    session.open_vote("1")
    follower = Follower(db_path)
    try:
        session.record_vote("1", MEMBERS[0][0], "yes")
        real = feed_module.build_report

        def broken(state):
            raise RuntimeError("the report failed once")

        monkeypatch.setattr(feed_module, "build_report", broken)
        with pytest.raises(RuntimeError):
            follower.poll()
        monkeypatch.setattr(feed_module, "build_report", real)
        change = follower.poll()  # nothing new in the log, but the vote was never published
    finally:
        follower.close()
    assert change is not None
    assert decode(change.message)["picture"]["agenda"][0]["numbers"]["yes"] == 1
