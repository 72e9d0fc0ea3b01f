"""One follower of the session log for every viewer of the board.

The session is touched by one thread only (the follower's executor): it polls the
one follower (``near_tui.storage.follower``), builds the picture (the one view model,
``near_tui.views.view_model``) and the report (``/state.json``, the same document as
``near-tui report --json``) once per change, and encodes one message: the whole
picture, every agenda item in the record's order, so a page kept open always equals
a freshly loaded one. The event loop only hands the same bytes to every viewer's
socket, so a change costs one read and one picture however many viewers there are.

Each viewer reads the board in a language (``?lang=`` on the page, docs/languages.md): the
picture is built once per language some viewer asked for, English always, so a change costs
one picture per language in use, never one per viewer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from near_tui.core.errors import NearError
from near_tui.i18n import SOURCE, Words, speaking, words
from near_tui.storage.follower import FollowedState, NotLive, NotLiveReason
from near_tui.views.report import build_report
from near_tui.views.view_model import Board, Focus, build_board, with_liveness
from near_tui.views.words import N_, not_live_words

log = logging.getLogger("near_tui.board")

POLL_INTERVAL = 0.1  # seconds between two reads of the log (one indexed query when nothing is new)
SLOW_READ = 5.0  # a read still running after this long: the board says NOT LIVE until it returns
BACKLOG = 64 * 1024  # bytes waiting for a viewer beyond which it is skipped (then sent the whole state)
GIVE_UP = 120.0  # seconds a viewer may take nothing before its connection is closed

UNREADABLE = not_live_words(NotLive(NotLiveReason.UNREADABLE, ""), public=True)
REWRITTEN = not_live_words(NotLive(NotLiveReason.REWRITTEN, ""), public=True)
SLOW = N_("the session database is not answering — waiting")


def sse(document: dict[str, Any]) -> bytes:
    """One Server-Sent Events message (JSON escapes every newline, so it is one data line)."""
    return b"data: " + json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"


@dataclass(frozen=True)
class Snapshot:
    """What the board shows now, encoded once for every viewer."""

    report: dict[str, Any]  # /state.json: the session report, as `near-tui report --json` prints it
    board: Board  # the one view model, live (the page draws it; it decides nothing)
    live: bool
    problem: str | None  # why it is not live, in words for the viewers
    state_json: bytes
    full: bytes  # the SSE message: the whole picture, the whole agenda in its order
    language: str = SOURCE  # the language of the picture's words

    def again(self, live: bool, problem: str | None) -> Snapshot:
        """The same picture, live or not (with why)."""
        return snapshot(self.report, self.board, live, problem, words(self.language), self.state_json)

    @property
    def current(self) -> str | None:
        """The item the hall looks at (as on the chair's screen)."""
        return self.board.current.item_id if self.board.current is not None else None


def encode(board: Board, live: bool, problem: str | None, language: Words | None = None) -> bytes:
    """An /events message: the whole picture, so a page kept open always equals a fresh one.
    ``problem`` is kept in English (a catalogue's msgid) and said in the message's language."""
    with speaking(language or words(SOURCE)) as w:
        said = w._(problem) if problem is not None else None
        shown = with_liveness(board, None if live else said)
        return sse({"live": live, "problem": said, "events": board.seq, "chain_head": board.head,
                    "current": shown.current.item_id if shown.current is not None else None,
                    "picture": shown.to_json()})


def snapshot(report: dict[str, Any], board: Board, live: bool = True, problem: str | None = None,
             language: Words | None = None, state_json: bytes | None = None) -> Snapshot:
    if state_json is None:
        state_json = json.dumps(report, indent=2, ensure_ascii=False).encode() + b"\n"
    return Snapshot(report, board, live, problem, state_json, encode(board, live, problem, language),
                    language.code if language is not None else SOURCE)


@dataclass(frozen=True)
class Change:
    snapshot: Snapshot
    message: bytes  # what every viewer is sent: the whole picture
    others: dict[str, Snapshot] | None = None  # the same picture in the other languages viewers read


class Follower:
    """The session, read-only, following the log (``near_tui.storage.follower``). One thread at a time."""

    def __init__(self, db: str) -> None:
        # A summary read: every tally and outcome, without the votes of closed roll calls.
        self.followed = FollowedState(db, summary=True)
        self.unpublished = False
        # The languages other than English some viewer reads the board in (added by the feed from
        # the event loop, read here on the follower's thread), and their pictures.
        self.wanted: set[str] = set()
        self.others: dict[str, Snapshot] = {}
        try:
            # Which item the clerk acted on last is not part of the state: take it from the log's
            # item events, which a summary read holds whole (it skips only closed roll calls' votes).
            self.focus = Focus().after(self.followed.start_events)
            self.followed.start_events = []
            self.snapshot = self._snapshot()
            # The session's own languages are drawn from the start: their viewers never wait.
            definition = self.followed.state.definition
            if definition is not None:
                self.wanted.update(code for code in definition.session.languages if code != SOURCE)
            self.others = self._translated(set(self.wanted))
        except BaseException:
            self.followed.close()
            raise

    def _snapshot(self) -> Snapshot:
        state = self.followed.state
        return snapshot(build_report(state), build_board(state, self.focus))

    def _translated(self, codes: set[str]) -> dict[str, Snapshot]:
        """The picture in each of ``codes``, beside the English one (the report is the same data)."""
        state, english = self.followed.state, self.snapshot
        built = {}
        for code in sorted(codes):
            with speaking(code) as language:
                board = build_board(state, self.focus)
            built[code] = snapshot(english.report, board, english.live, english.problem, language,
                                   english.state_json)
        return built

    @property
    def state(self):
        return self.followed.state

    def poll(self) -> Change | NotLive | None:
        """Fold in what was written since the last poll; None when nothing was, NotLive when
        the log cannot be followed now (final for a rewritten or replaced log)."""
        result = self.followed.poll()
        if isinstance(result.live, NotLive):
            return result.live
        new = result.events
        missing = self.wanted - set(self.others)
        if not new and not self.unpublished:
            if not missing:
                return None
            # A viewer asked for a language not drawn yet: draw it now, nothing else changed.
            self.others.update(self._translated(missing))
            return Change(self.snapshot, self.snapshot.full, dict(self.others))
        # Folded but not published yet, until the picture is built: a failure here is retried
        # on the next poll instead of leaving the board one change behind.
        self.unpublished = True
        self.focus = self.focus.after(new)
        self.snapshot = self._snapshot()
        self.others = self._translated(set(self.wanted))
        self.unpublished = False
        return Change(self.snapshot, self.snapshot.full, dict(self.others))

    def close(self) -> None:
        self.followed.close()


class Frames:
    """One message framed once for every viewer: as an HTTP/1.1 chunk, and bare (HTTP/1.0)."""

    __slots__ = ("bare", "chunk")

    def __init__(self, message: bytes) -> None:
        self.bare = message
        self.chunk = b"%x\r\n%s\r\n" % (len(message), message)


class Viewer:
    """One browser's stream. The feed writes each message straight to its socket.

    A viewer whose socket stops taking data (a phone asleep, a link too slow) is skipped
    while more than ``BACKLOG`` bytes wait for it, and gets the whole state once it drains:
    never an unbounded queue, and never an old figure after a new one.
    """

    __slots__ = ("transport", "chunked", "done", "behind_since", "language")

    def __init__(self, transport: asyncio.Transport, chunked: bool, done: asyncio.Future,
                 language: str = SOURCE) -> None:
        self.transport = transport
        self.chunked = chunked
        self.done = done  # resolved when the feed lets the viewer go
        self.behind_since: float | None = None
        self.language = language  # the language of the messages it is sent

    def write(self, frames: Frames) -> None:
        self.transport.write(frames.chunk if self.chunked else frames.bare)

    def let_go(self) -> None:
        if not self.done.done():
            self.done.set_result(None)


class Feed:
    """The follower's loop and the viewers it feeds (event-loop side)."""

    def __init__(self, db: str, interval: float = POLL_INTERVAL) -> None:
        self.db = db
        self.interval = interval
        self.viewers: set[Viewer] = set()
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="near-board-follower")
        # Opened here, before the server listens: a wrong --db is one line and no server.
        self.follower = Follower(db)
        self.snapshot = self.follower.snapshot
        # The pictures in the other languages viewers read (the session's own, from the start).
        self.others: dict[str, Snapshot] = dict(self.follower.others)
        self.stopped = False  # the loop ends at its next turn
        self.closed = False  # the log is closed
        self.changes = 0  # changes published (for tests and the benchmark)

    # ------------------------------------------------------------- viewers
    def join(self, transport: asyncio.Transport, chunked: bool, first: bytes = b"",
             language: str = SOURCE) -> Viewer:
        """A new viewer, sent ``first`` and the whole state now; every later change follows.
        ``language``: the language its messages are in. One not drawn yet is drawn at the next
        poll and sent then; until then the viewer has the English picture."""
        viewer = Viewer(transport, chunked, asyncio.get_running_loop().create_future(), language)
        if language != SOURCE:
            self.follower.wanted.add(language)
        viewer.write(Frames(first + self._full(language)))
        self.viewers.add(viewer)
        return viewer

    def _full(self, language: str) -> bytes:
        shown = self.others.get(language) if language != SOURCE else None
        return (shown or self.snapshot).full

    def leave(self, viewer: Viewer) -> None:
        self.viewers.discard(viewer)
        viewer.let_go()

    def broadcast(self, message: bytes, translated: dict[str, bytes] | None = None) -> None:
        """Write ``message`` to every viewer that keeps up (``translated[code]`` to one reading
        another language, when given); resend the whole state to one that caught up."""
        frames, full = Frames(message), None
        in_language = {code: Frames(text) for code, text in (translated or {}).items()}
        now = time.monotonic()
        for viewer in list(self.viewers):
            transport = viewer.transport
            if transport.is_closing():
                self.leave(viewer)
            elif transport.get_write_buffer_size() > BACKLOG:
                if viewer.behind_since is None:
                    viewer.behind_since = now
                elif now - viewer.behind_since > GIVE_UP:
                    transport.close()  # it has taken nothing for minutes; its browser will reconnect
                    self.leave(viewer)
            elif viewer.behind_since is not None:
                if viewer.language != SOURCE and viewer.language in self.others:
                    viewer.write(Frames(self.others[viewer.language].full))
                else:
                    full = full or Frames(self.snapshot.full)
                    viewer.write(full)
                viewer.behind_since = None
            else:
                viewer.write(in_language.get(viewer.language, frames))

    def _publish(self, snap: Snapshot, message: bytes, others: dict[str, Snapshot] | None = None) -> None:
        self.snapshot = snap
        if others is not None:
            self.others = others
        self.changes += 1
        self.broadcast(message, {code: shown.full for code, shown in self.others.items()})

    def _set_status(self, live: bool, problem: str | None) -> None:
        old = self.snapshot
        if (old.live, old.problem) == (live, problem):
            return
        snap = old.again(live, problem)
        self._publish(snap, snap.full, {code: shown.again(live, problem) for code, shown in self.others.items()})

    # ---------------------------------------------------------------- loop
    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while not self.stopped:
            await asyncio.sleep(self.interval)
            read = loop.run_in_executor(self.executor, self.follower.poll)
            try:
                done, _ = await asyncio.wait({read}, timeout=SLOW_READ)
                if not done:
                    self._set_status(False, SLOW)
                change = await read
            except NearError as exc:  # building the report failed: retried at the next poll
                log.warning("near-tui board: %s", exc)
                self._set_status(False, UNREADABLE)
                continue
            except Exception:  # a read that fails in an unforeseen way must not stop the board
                log.exception("near-tui board: reading the log failed")
                self._set_status(False, UNREADABLE)
                continue
            if isinstance(change, NotLive):
                words = not_live_words(change, public=True)
                if words != self.snapshot.problem:  # once per change, with the specifics, for the operator
                    log.warning("near-tui board: NOT LIVE — %s", not_live_words(change))
                self._set_status(False, words)
                if change.final:
                    return  # never follow a rewritten or replaced log
                continue
            if change is not None:
                self._publish(change.snapshot, change.message, change.others)
            self._set_status(True, None)

    def close_viewers(self) -> None:
        for viewer in list(self.viewers):
            self.leave(viewer)

    def close(self) -> None:
        """Stop following and close the log (after any read in progress); safe to call twice."""
        if self.closed:
            return
        self.stopped = self.closed = True
        self.close_viewers()
        self.executor.submit(self.follower.close)
        self.executor.shutdown(wait=True)
