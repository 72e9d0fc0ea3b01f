"""Follows a session log read-only and hands over a fresh ``Board`` when it changes.

Used from a worker thread by the chair app (one thread at a time). It never
writes: the log is opened with ``readonly=True, follow=True`` (SQLite ``mode=ro``,
never ``immutable``, which would ignore the WAL where the latest votes are; on
other databases the session refuses any write), so the clerk is never locked out.

The chair often runs under another account than the clerk (a projector account).
SQLite then decides what it may read (docs/chair.md, "The projector account"):
with the database folder, the database and its ``-wal`` and ``-shm`` files
readable it follows live; when it cannot read them, or when they do not exist
and opening would create them, ``access_problem`` says why in words before any
read is tried, and the chair says NOT LIVE instead of showing old figures as if
they were current.
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from pathlib import Path

from near_tui.core.errors import LogRewritten, NearError, StorageError
from near_tui.service.session import Session
from near_tui.views.view_model import Board, Focus, build_board

READ_ACCESS_HINT = "give the projector account read access to the database folder and its -wal and -shm files"
START_CLERK_HINT = "start the clerk first: its -wal and -shm files are then there to read"


@dataclass(frozen=True)
class Poll:
    board: Board | None  # None: nothing new since the last poll
    problem: str | None = None  # why the log could not be read this time (shown, then retried)
    rewritten: bool = False  # the log no longer holds what was read: never followed further


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


def rewritten_words(exc: LogRewritten) -> str:
    """What the chair says of a rewritten log: what changed, and that the figures are the last read."""
    text = str(exc)
    # The core says "DB: the session log was rewritten — WHAT. Nothing more is recorded from here: ..."
    detail = text.split(" — ", 1)[1] if " — " in text else text
    detail = detail.split(". Nothing more is recorded")[0]
    return (f"the session log was rewritten: {detail} — the figures below are the last read before; "
            "have the log checked")


class LogFollower:
    def __init__(self, db: str) -> None:
        self.db = db
        problem = access_problem(db)
        if problem is not None and _exists(db):  # a wrong path gets the session's own message below
            raise StorageError(f"{db}: {problem}")
        self.session = Session.open(db, readonly=True, follow=True)
        # Which item the clerk touched last is not part of the state: replay it once.
        known = self.session.state.last_seq
        self.focus = Focus().after([e for e in self.session.log.read_events() if e.seq <= known])
        self.board = build_board(self.session.state, self.focus)

    def poll(self) -> Poll:
        """Fold in what the clerk wrote since the last call (one cheap query when nothing did)."""
        problem = access_problem(self.db)  # a few stat calls: before a read that would fail or create files
        if problem is not None:
            return Poll(None, problem)
        try:
            new = self.session.refresh()
        except LogRewritten as exc:
            return Poll(None, rewritten_words(exc), rewritten=True)
        except NearError as exc:
            return Poll(None, access_problem(self.db) or f"cannot read the session log: {exc}")
        if not new:
            return Poll(None)
        self.focus = self.focus.after(new)
        self.board = build_board(self.session.state, self.focus)
        return Poll(self.board)

    def close(self) -> None:
        self.session.close_log()
