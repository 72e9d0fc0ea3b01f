"""The chair's reader: the one follower (``near_tui.storage.follower``) and the chair's picture.

Used from a worker thread by the chair app (one thread at a time). It never writes
(the follower opens the log read-only, never ``immutable``), so the clerk is never
locked out. When the log cannot be followed, ``Poll.problem`` says why in the words
every surface uses (``near_tui.views.words.not_live_words``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from near_tui.i18n import ENGLISH, Words, english_with_texts_in, speaking, words
from near_tui.storage.follower import FollowedState, NotLive
from near_tui.views.view_model import Board, Focus, build_board
from near_tui.views.words import not_live_words


@dataclass(frozen=True)
class Poll:
    board: Board | None  # None: nothing new since the last poll
    problem: str | None = None  # why the log could not be read this time (shown, then retried)
    rewritten: bool = False  # final: the log was rewritten or replaced, never followed further
    not_live: NotLive | None = None


class LogFollower:
    def __init__(self, db: str, words: Words = ENGLISH) -> None:
        self.db = db
        self.followed = FollowedState(db)
        # Which item the clerk touched last is not part of the state: replay it once.
        self.focus = Focus().after(self.followed.start_events)
        self.followed.start_events = []
        # The words the picture is built in (the chair's --lang, beside English); set from the
        # screen's thread, read here on the next poll, so the state is only ever read by one thread.
        self.words = words
        self._built_in = words
        self.board = self._build()

    def _build(self) -> Board:
        self._built_in = chosen = self.words
        if chosen.also is None:
            with speaking(chosen):
                return build_board(self.followed.state, self.focus)
        # Beside English: the picture built once in each language, then every sentence put side
        # by side, so that a sentence holding another never repeats it inside itself.
        code = chosen.also.code
        with speaking(english_with_texts_in(code)):
            english = build_board(self.followed.state, self.focus)
        with speaking(words(code)):
            other = build_board(self.followed.state, self.focus)
        return side_by_side(english, other)

    @property
    def session_state(self):
        return self.followed.state

    def poll(self) -> Poll:
        """Fold in what the clerk wrote since the last call (no query when nothing did)."""
        result = self.followed.poll()
        if isinstance(result.live, NotLive):
            with speaking(self.words):
                said = not_live_words(result.live)
            return Poll(None, said, rewritten=result.live.final, not_live=result.live)
        if not result.events and self.words is self._built_in:
            return Poll(None)
        self.focus = self.focus.after(result.events)
        self.board = self._build()
        return Poll(self.board)

    def close(self) -> None:
        self.followed.close()


class Beside(str):
    """A text in two languages, "first second", that keeps its two halves (``parts``): the
    screen may put each on a line of its own rather than break a line inside one."""

    parts: tuple[str, str]

    def __new__(cls, first: str, second: str) -> Beside:
        text = super().__new__(cls, f"{first} {second}")
        text.parts = (first, second)
        return text


def side_by_side(first: Any, second: Any) -> Any:
    """Two pictures of the same state in two languages as one: each text that differs is
    "first second" ("YES 赞成"); figures, codes and names, the same in both, are kept once."""
    if isinstance(first, str):
        return first if first == second or not second else Beside(first, second)
    if dataclasses.is_dataclass(first) and not isinstance(first, type):
        return dataclasses.replace(first, **{
            f.name: side_by_side(getattr(first, f.name), getattr(second, f.name))
            for f in dataclasses.fields(first) if f.init})
    if isinstance(first, tuple) and isinstance(second, tuple) and len(first) == len(second):
        return tuple(side_by_side(a, b) for a, b in zip(first, second, strict=True))
    return first
