"""The roll call's cursor as data: who is called, which row is selected, what a vote key means.

No Textual here: the screen keeps one ``RollCallCursor``, moves it as the clerk moves the
list's cursor, and asks it what a key means; the answer names the member explicitly, so the
write that follows is for that member whatever the screen shows by the time it runs.
Tested without Pilot (tests/clerk/test_roll_call_cursor.py).

What a vote key means (docs/clerk.md, "What a vote key does"):

- at home, a member being called: ``Answer`` for that member, who was not called yet;
- at home with nobody left to call: ``NobodyLeft`` (nothing is recorded);
- on a selected row of a present member not called yet: ``Answer`` out of order;
- on a row with an answer on record or a letter: ``Propose`` a correction, which only
  ``confirm`` turns into an ``Answer`` (enter), with the answer the row showed;
- on a row whose answer on record is the key's own: ``Unchanged`` (nothing is recorded).
"""

from __future__ import annotations

from dataclasses import dataclass

from near_tui.core.state import SessionState

from .figures import ANSWER_LABEL


def said(answer: str | None) -> str:
    """An answer in words: YES, NOT VOTING; None is "not called"."""
    return ANSWER_LABEL[answer] if answer is not None else "not called"


@dataclass(frozen=True)
class Correction:
    """A change of answer the clerk proposed on a selected row, recorded only on enter."""

    member_id: str
    vote: str
    expected: str | None  # the recorded answer the row showed (None: a letter's, or none)
    shown: tuple[str | None, str]  # state.position of the row when the key was pressed
    was: str  # what the row showed, in words: "YES", "YES (letter)"

    @property
    def in_room(self) -> bool:
        """The row was a letter's: this answer is the member's first in the room, not a correction
        (docs/decisions.md, "Written decision letters")."""
        return self.shown[1] in ("letter", "no_letter_position")


@dataclass(frozen=True)
class Answer:
    """Record ``vote`` for ``member_id``, whose row showed ``expected`` (None: not called)."""

    member_id: str
    vote: str
    expected: str | None = None


@dataclass(frozen=True)
class Propose:
    correction: Correction


@dataclass(frozen=True)
class Unchanged:
    """The key says the answer the selected row already has on record: nothing to record, nothing
    to correct (a correction "YES → YES" would only put a change that changed nothing in the minutes)."""

    member_id: str
    vote: str


@dataclass(frozen=True)
class NobodyLeft:
    """Every present member has answered and no row is selected: nothing to record."""


class RollCallCursor:
    """``now``: the member being called as of the last redraw (``state.now_calling``);
    ``selected``: the row the clerk moved onto (None: the cursor is home, on ``now``);
    ``pending``: a correction proposed on the selected row, waiting for enter."""

    def __init__(self) -> None:
        self.now: str | None = None
        self.selected: str | None = None
        self.pending: Correction | None = None

    def home(self) -> None:
        """Back on the member being called: no row selected, no correction waiting."""
        self.selected = None
        self.pending = None

    def moved_to(self, member_id: str | None) -> Correction | None:
        """The clerk moved the list's cursor onto ``member_id``; the waiting correction it dropped, if any."""
        self.selected = None if member_id == self.now else member_id
        if self.pending is not None and member_id != self.pending.member_id:
            dropped, self.pending = self.pending, None
            return dropped
        return None

    def on_row(self) -> str | None:
        """The member whose row the cursor is on."""
        return self.now if self.selected is None else self.selected

    def vote_key(self, state: SessionState, item_id: str, vote: str) -> Answer | Propose | Unchanged | NobodyLeft:
        """What ``vote`` pressed now means; a ``Propose`` is also kept as ``pending``."""
        if self.selected is None:
            return NobodyLeft() if self.now is None else Answer(self.now, vote)
        member_id = self.selected
        answer, source = state.position(item_id, member_id)
        if source == "uncalled":
            return Answer(member_id, vote)  # a first answer, out of order
        if source == "recorded" and answer == vote:
            return Unchanged(member_id, vote)
        was = said(answer) + ("" if source == "recorded" else " (letter)")
        self.pending = Correction(member_id, vote, state.items[item_id].votes.get(member_id), (answer, source), was)
        return Propose(self.pending)

    def confirm(self) -> Answer | None:
        """enter on a waiting correction: the answer to record (with what the row showed), once."""
        p, self.pending = self.pending, None
        return None if p is None else Answer(p.member_id, p.vote, p.expected)

    def stale(self, state: SessionState, item_id: str, can_record: bool) -> bool:
        """A waiting correction whose row changed since the key (another seat, a close) is dropped;
        True when that happened (the screen says so)."""
        p = self.pending
        if p is not None and (state.position(item_id, p.member_id) != p.shown or not can_record):
            self.pending = None
            return True
        return False
