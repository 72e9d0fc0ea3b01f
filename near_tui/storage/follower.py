"""The one follower of a session log: every reader that follows a live session reads through it.

The clerk's other seats, the chair and the board each keep a ``Follower``. It holds one
read-only connection (``SessionLog`` with ``follow=True``: on SQLite the fast path of
``PRAGMA data_version`` and the file's identity, so a poll with nothing new costs no
query) and its place in the log (sequence number and hash). ``poll()`` returns the events
appended since, and whether the log is followed live; when it is not, a ``NotLive`` with a
structured ``reason`` says why, so that every surface words it the same way and no one
parses an exception's text.

REWRITTEN and REPLACED are final: the follower never follows text that contradicts what it
read, nor a file that is not the one it opened. ACCESS, MISSING and UNREADABLE are tried
again on every poll (a permission fixed, a disk back, a lock released).

The chair often runs under another account than the clerk (a projector account). SQLite
then decides what it may read (docs/chair.md, "The projector account"): ``access_problem``
says in words why it cannot, before any read is tried, and the follower is NOT LIVE with
reason ACCESS instead of showing old figures as current.
"""

from __future__ import annotations

import enum
import os
import pwd
from dataclasses import dataclass, field
from pathlib import Path

from near_tui.core import events as ev
from near_tui.core.errors import LogRewritten, NearError, StorageError
from near_tui.core.state import SessionState

from .session_log import SessionLog

READ_ACCESS_HINT = "give the projector account read access to the database folder and its -wal and -shm files"
START_CLERK_HINT = "start the clerk first: its -wal and -shm files are then there to read"


class NotLiveReason(enum.Enum):
    ACCESS = "access"  # this account cannot read the database, its -wal or its -shm
    MISSING = "missing"  # no file at the path (deleted, moved, its disk gone)
    REPLACED = "replaced"  # another file stands at the path (device or inode changed): final
    REWRITTEN = "rewritten"  # the log no longer ends with what was read: final
    UNREADABLE = "unreadable"  # any other storage error (a lock held too long, a server down)

    @property
    def final(self) -> bool:
        return self in (NotLiveReason.REPLACED, NotLiveReason.REWRITTEN)


@dataclass(frozen=True)
class Live:
    """The log was read and ends where the follower says."""

    seq: int
    head: str


@dataclass(frozen=True)
class NotLive:
    """Why the log is not followed now. ``detail``: the specifics in words (the account, the
    files, the driver's message, the event that changed); ``path`` the database at fault."""

    reason: NotLiveReason
    detail: str
    path: str | None = None
    seq: int | None = None  # REWRITTEN: the event that changed or vanished

    @property
    def final(self) -> bool:
        return self.reason.final


@dataclass(frozen=True)
class FollowResult:
    events: list[ev.Event] = field(default_factory=list)
    live: Live | NotLive | None = None


def _account() -> str:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid {os.geteuid()}"


def _can(path: Path, mode: int) -> bool:
    if os.access in os.supports_effective_ids:
        return os.access(path, mode, effective_ids=True)
    return os.access(path, mode)


def _exists(db: str) -> bool:
    try:
        return "://" in db or Path(db).expanduser().exists()
    except OSError:  # a folder this account cannot enter: there is something to say about it
        return True


def access_problem(db: str) -> str | None:
    """Why this account cannot follow the SQLite session ``db`` live (None: it can, or not SQLite).

    A reader of a WAL database needs the database, its ``-wal`` and its ``-shm`` file. If the
    two are missing (no clerk has the session open) the reader would create them, owned by its
    own account: a clerk under another account could then no longer write the session.
    """
    if "://" in db:
        return None
    path = Path(db).expanduser().resolve()
    folder = path.parent
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if not _can(folder, os.X_OK) or path.exists() and not _can(path, os.R_OK):
        return (f"cannot read the clerk's latest votes: this account ({_account()}) cannot read {path} — "
                f"{READ_ACCESS_HINT}")
    if not path.exists():
        return f"cannot read the session: {path} is not there (moved or deleted, or its disk is gone)"
    if wal.exists() and shm.exists():
        unreadable = [p.name for p in (wal, shm) if not _can(p, os.R_OK)]
        if unreadable:
            return (f"cannot read the clerk's latest votes: this account ({_account()}) cannot read "
                    f"{' and '.join(unreadable)} in {folder}, where they are — {READ_ACCESS_HINT}")
        return None
    gone = [p.name for p in (wal, shm) if not p.exists()]
    missing = f"{gone[0]} is" if len(gone) == 1 else f"{gone[0]} and {gone[1]} are"
    them = "it" if len(gone) == 1 else "them"
    if not _can(folder, os.W_OK):
        return (f"cannot read the session: {missing} missing (the clerk does not have the session open) "
                f"and this account ({_account()}) cannot create {them} in {folder} — {START_CLERK_HINT}")
    owner = path.stat().st_uid
    if os.geteuid() not in (0, owner):  # root's files are handed to the owner by SQLite itself
        return (f"cannot read the session: {missing} missing (the clerk does not have the session open), "
                f"and creating {them} as {_account()} would keep the clerk's account from writing the "
                f"session — {START_CLERK_HINT}")
    return None


def _sqlite_path(db: str) -> Path | None:
    if "://" in db:
        return None
    return Path(db).expanduser().resolve()


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``; None when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


class Follower:
    """Follows one session log read-only from a place in it. Used from one thread at a time.

    ``start``: the (seq, hash) already held (a clerk seat's state); None to read from the
    beginning (``read_start`` then gives the events up to now).
    """

    def __init__(self, db: str, start: tuple[int, str] | None = None, sealed: bool = False) -> None:
        """``sealed``: read each new event's seat signature too (a writing seat checks them)."""
        self.db = db
        self.sealed = sealed
        self.path = _sqlite_path(db)
        problem = access_problem(db)
        if problem is not None and _exists(db):  # a wrong path gets the log's own message below
            raise StorageError(f"{db}: {problem}")
        # Never immutable: the latest votes are in the WAL.
        self.log = SessionLog(db, readonly=True, follow=True)
        try:
            self.log.check_schema()
        except BaseException:
            self.log.dispose()
            raise
        self.identity = _identity(self.path) if self.path is not None else None
        self.seq, self.head = start if start is not None else (0, ev.GENESIS)
        self.stopped: NotLive | None = None  # a final reason: never read again

    def read_start(self, summary: bool = False) -> list[ev.Event]:
        """Every event up to now (``summary``: without the votes of closed roll calls, whose close
        events carry their tallies), for a first fold; the follower goes on after the last."""
        events = self.log.read_summary() if summary else self.log.read_events()
        if summary and any(e.kind == ev.VOTE_CLOSED and "tally" not in e.payload for e in events):
            summary, events = False, self.log.read_events()  # a log from before close events carried tallies
        self.summarised = summary
        if events:
            self.seq, self.head = events[-1].seq, events[-1].hash
        return events

    def poll(self, mark: tuple[int, str] | None = None) -> FollowResult:
        """The events appended since the last poll, and whether the log is live.

        ``mark``: the (seq, hash) a writing seat has committed itself since; when it is further on,
        the check starts there, so an event this seat wrote and that vanished is noticed too.
        """
        if self.stopped is not None:
            return FollowResult([], self.stopped)
        if mark is not None and mark[0] > self.seq:
            self.seq, self.head = mark
        not_live = self._file_problem()
        if not_live is not None:
            return self._not_live(not_live)
        try:
            events = self.log.read_events(self.seq, head=self.head if self.seq else None)
            if self.sealed:
                events = self.log.read_seals(events)
        except LogRewritten as exc:
            return self._not_live(NotLive(NotLiveReason.REWRITTEN, exc.what, self.db, exc.seq))
        except NearError as exc:
            # The file may have gone or changed during the read: say that rather than the driver's words.
            return self._not_live(self._file_problem() or NotLive(NotLiveReason.UNREADABLE, str(exc), self.db))
        if events:
            self.seq, self.head = events[-1].seq, events[-1].hash
        return FollowResult(events, Live(self.seq, self.head))

    def _file_problem(self) -> NotLive | None:
        if self.path is None:
            return None
        found = _identity(self.path)
        if found is None:
            return NotLive(NotLiveReason.MISSING, f"{self.path} is not there (moved or deleted, or its disk is gone)",
                           str(self.path))
        if self.identity is not None and found != self.identity:
            return NotLive(NotLiveReason.REPLACED, f"another file now stands at {self.path}", str(self.path))
        problem = access_problem(self.db)
        if problem is not None:
            return NotLive(NotLiveReason.ACCESS, problem, str(self.path))
        return None

    def _not_live(self, not_live: NotLive) -> FollowResult:
        if not_live.final:
            self.stopped = not_live
        return FollowResult([], not_live)

    def close(self) -> None:
        self.log.dispose()


class FollowedState:
    """A session's state kept up to date by a ``Follower`` (the chair's and the board's reader).

    The events read are folded here, each checked to link onto the chain already held: a log
    whose new events do not follow is REWRITTEN, like one whose old events changed.
    """

    def __init__(self, db: str, summary: bool = False) -> None:
        self.follower = Follower(db)
        try:
            events = self.follower.read_start(summary)
            self.state = SessionState.from_events(events, summarised=self.follower.summarised)
            if self.state.definition is None:
                raise StorageError(f"{db}: holds no session yet — create one with `near-tui new AGENDA --db {db}`")
        except BaseException:
            self.follower.close()
            raise
        self.start_events = events
        self.live: Live | NotLive = Live(self.state.last_seq, self.state.head)

    def poll(self) -> FollowResult:
        """Fold in what was appended since the last poll; the result holds the events folded."""
        result = self.follower.poll()
        state, last, head = self.state, self.state.last_seq, self.state.head
        for event in result.events:  # checked whole before any is folded
            if event.seq != last + 1 or event.prev_hash != head or event.expected_hash() != event.hash:
                self.follower.stopped = NotLive(
                    NotLiveReason.REWRITTEN, f"event {event.seq} does not follow the events already read here",
                    self.follower.db, event.seq)
                result = FollowResult([], self.follower.stopped)
                break
            last, head = event.seq, event.hash
        for event in result.events:
            state.apply(event)
        self.live = result.live
        return result

    def close(self) -> None:
        self.follower.close()
