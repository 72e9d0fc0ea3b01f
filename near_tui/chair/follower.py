"""Follows a session log read-only and hands over a fresh ``Board`` when it changes.

Used from a worker thread by the chair app (one thread at a time). It never
writes: the log is opened with ``readonly=True`` (SQLite ``mode=ro``; on other
databases the session refuses any write), so the clerk is never locked out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NearError
from ..session import Session
from .board import Board, Focus, build_board


@dataclass(frozen=True)
class Poll:
    board: Board | None  # None: nothing new since the last poll
    problem: str | None = None  # why the log could not be read this time (shown, then retried)


class LogFollower:
    def __init__(self, db: str) -> None:
        self.db = db
        self.session = Session.open(db, readonly=True)
        # Which item the clerk touched last is not part of the state: replay it once.
        known = self.session.state.last_seq
        self.focus = Focus().after([e for e in self.session.log.read_events() if e.seq <= known])
        self.board = build_board(self.session.state, self.focus)

    def poll(self) -> Poll:
        """Fold in what the clerk wrote since the last call (one cheap query when nothing did)."""
        try:
            new = self.session.refresh()
        except NearError as exc:
            return Poll(None, str(exc))
        if not new:
            return Poll(None)
        self.focus = self.focus.after(new)
        self.board = build_board(self.session.state, self.focus)
        return Poll(self.board)

    def close(self) -> None:
        self.session.close_log()
