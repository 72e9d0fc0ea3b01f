"""The one write path: intents from the CLI and the screens become checked, durable events.

``Session`` holds the log and the state folded from it. Each intent is checked
against the current state inside the write transaction (so two seats cannot
both record against a stale view), appended, and only then folded in.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from near_tui.core import charter, events as ev, seats
from near_tui.core.definition import SessionDefinition
from near_tui.core.errors import (
    LogReplaced,
    LogRewritten,
    LogVanished,
    NearError,
    RuleError,
    StorageError,
    UnsignedEvent,
)
from near_tui.core.schema import EDGE_SPACE, Item
from near_tui.core.state import SessionState, Tally
from near_tui.storage import seat_keys
from near_tui.storage.seat_keys import SeatKey
from near_tui.storage.session_log import SessionLog, chain, utc_now

ANY_ANSWER = object()  # record_vote without a compare-and-set (imports, tests)

# Called with (session, events) once events are committed and folded in: the mirror, the checkpoints.
AfterCommit = Callable[["Session", list[ev.Event]], None]


class Session:
    def __init__(self, log: SessionLog, summary: bool = False) -> None:
        self.log = log
        self.after_commit: list[AfterCommit] = []
        # ``--at``: the time every event recorded from here is stated to have happened (canonical
        # ISO 8601 with offset), stored in each payload beside the log's own clock; None: now.
        self.stated_at: str | None = None
        events = log.read_summary() if summary else None
        if events is not None and any(e.kind == ev.VOTE_CLOSED and "tally" not in e.payload for e in events):
            events = None  # a log from before close events carried tallies: fold it whole
        if events is None:
            summary, events = False, log.read_events()
        # A writing seat checks that a known seat signed every event it folds (docs/seats.md);
        # readers (the chair, the board, report) leave that to `audit`.
        self.book: seats.SeatBook | None = None
        if not log.readonly:
            self.book = seats.SeatBook()
            _refuse_unsigned(log.db, self.book.problems(events))
        self.state = SessionState.from_events(events, summarised=summary)
        # (seq, hash) of the last event this session holds that is committed: set in one assignment,
        # so a polling thread can read it whole while the main thread records.
        self.mark = (self.state.last_seq, self.state.head)

    # --------------------------------------------------------------- opening
    @classmethod
    def open(cls, db: str, readonly: bool = False, clock=utc_now, summary: bool = False,
             follow: bool = False, seat: SeatKey | str | None = None) -> Session:
        """Open a session; ``summary`` (readers only) skips the votes of closed items.

        A summary state has every tally and outcome but not the member-by-member
        record of closed roll calls; it follows later events like any other.
        ``follow``: a reader that keeps following a live session (never immutable).
        ``seat``: a writer's seat key, or its file (default: ``seat_keys.default_path()``).
        """
        log = SessionLog(db, readonly=readonly, clock=clock, follow=follow)
        try:
            log.check_schema()
            if not readonly:
                log.seat = seat if isinstance(seat, SeatKey) else seat_keys.load_or_make(seat)
                log.upgrade_schema()
        except BaseException:
            log.dispose()
            raise
        if summary and not readonly:
            raise ValueError("a summary state is for readers only")
        try:
            session = cls(log, summary=summary)
        except BaseException:
            log.dispose()
            raise
        if session.state.definition is None:
            raise StorageError(f"{db}: holds no session yet — create one with `near-tui new AGENDA --db {db}`")
        return session

    @classmethod
    def create(cls, definition: SessionDefinition, db: str, clock=utc_now,
               seat: SeatKey | str | None = None, stated_at: str | None = None) -> Session:
        if "://" not in db and Path(db).exists() and Path(db).stat().st_size > 0:
            probe = SessionLog(db, readonly=True)
            try:
                probe.check_schema()
                if probe.head_seq() > 0:
                    raise StorageError(f"{db}: already holds a session — choose a new --db file")
            finally:
                probe.dispose()
        log = SessionLog(db, clock=clock, create=True)
        log.seat = seat if isinstance(seat, SeatKey) else seat_keys.load_or_make(seat)
        log.create_schema()
        log.check_schema()
        if log.head_seq() > 0:
            raise StorageError(f"{db}: already holds a session — choose a new --db database")
        session = cls(log)
        session.stated_at = stated_at
        session.record([(ev.SESSION_OPENED, definition.to_payload())])
        return session

    def close_log(self) -> None:
        for hook in self.after_commit:
            close = getattr(hook, "close", None)
            if close is not None:
                close()
        self.log.dispose()

    # ------------------------------------------------------------- the write
    def refresh(self) -> list[ev.Event]:
        """Fold in whatever other writers appended; return those events.

        Raises ``LogRewritten`` if the log no longer holds what was already read here.
        """
        new = self.absorb(self.log.read_events(self.state.last_seq, head=self.state.head))
        self._after_commit(new)
        return new

    def absorb(self, events: list[ev.Event]) -> list[ev.Event]:
        """Fold in events read from this log (by a polling thread, say) that follow the state.

        Events already folded are skipped; each new one must link onto the chain held here
        and match its own hash, or the log was rewritten under us.
        """
        new = [e for e in events if e.seq > self.state.last_seq]
        seq, head = self.state.last_seq, self.state.head
        for event in new:
            if event.seq != seq + 1 or event.prev_hash != head or event.expected_hash() != event.hash:
                raise LogRewritten(self.log.db, event.seq, None, event.hash)
            seq, head = event.seq, event.hash
        if self.book is not None:
            _refuse_unsigned(self.log.db, self.book.problems(new))
        for event in new:
            self.state.apply(event)
        if new:
            self.mark = (self.state.last_seq, self.state.head)
        return new

    def record(self, actions: list[tuple[str, dict[str, Any]]] | Any) -> list[ev.Event]:
        """Check and durably append ``actions`` in one transaction; fold them in.

        ``actions`` is a list of (kind, payload), or a callable that builds it
        from the current state (for actions that depend on what others wrote).
        """
        def catch_up(events: list[ev.Event]) -> None:
            self.absorb(events)

        provisional = 0  # events folded into the state before their commit
        held = self.state.last_seq  # the state's last event before this call

        def produce(last_seq: int, head: str) -> list[ev.Event]:
            nonlocal provisional
            wanted = self._with_seat(actions(self.state) if callable(actions) else actions)
            built = []
            stamp = self.log.clock()
            for kind, payload in wanted:
                if self.stated_at is not None:
                    payload = {**payload, ev.STATED_AT: self.stated_at}
                # Each is checked against the state as it is after the ones before it, so they
                # are folded in as they go (no copy of a large state); a failure undoes them below.
                self.state.check(kind, payload)
                (event,) = chain([(kind, payload)], last_seq, head, stamp)
                self.state.apply(event)
                provisional += 1
                built.append(event)
                last_seq, head = event.seq, event.hash
            return built

        try:
            new = self.log.transact(self.state.last_seq, catch_up, produce, known_head=self.state.head)
        except LogRewritten:
            raise  # refolding would silently adopt the rewritten log
        except (LogVanished, LogReplaced):
            # Possibly committed, but into a file no longer at the path: not recorded. The state
            # goes back to what it held, read through the connection still open on the old file.
            if provisional:
                try:
                    self.state = SessionState.from_events([e for e in self.log.read_events() if e.seq <= held])
                except NearError:
                    pass  # the seat stops on this error and draws nothing more from the state
            raise
        except BaseException:
            if provisional:
                # Nothing of this call was committed: fold the log again without it.
                self.state = SessionState.from_events(self.log.read_events())
            raise
        self.mark = (self.state.last_seq, self.state.head)  # committed now
        if self.book is not None:
            self.book.problems(new)  # this seat's own registration, if it just joined
        self._after_commit(new)
        return new

    def _with_seat(self, wanted: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        """``wanted``, preceded by this seat's ``seat_joined`` if the log does not know its key yet
        (after the session's first event, when that is what is recorded: it must stay first)."""
        key = self.log.seat
        if key is None or self.book is None or key.key_id in self.book.seats or not wanted:
            return list(wanted)
        earlier = self.state.last_seq
        # A log begun before seats signed: its first seat says which events carry no seal.
        unsigned = earlier + 1 if earlier and not self.book.seats else None
        joined = (ev.SEAT_JOINED, seats.joined_payload(key.name, key.public_raw, unsigned))
        if self.state.definition is None:
            return [*wanted[:1], joined, *wanted[1:]]
        return [joined, *wanted]

    def _after_commit(self, events: list[ev.Event]) -> None:
        """Hand committed, folded events to every after-commit hook before the caller hears of them.

        Every hook runs even if one fails (a pulled mirror must not stop a checkpoint); the first
        failure is raised afterwards. The events stand either way: they are already committed.
        """
        if not events:
            return
        failure: BaseException | None = None
        for hook in self.after_commit:
            try:
                hook(self, events)
            except Exception as exc:  # noqa: BLE001 — re-raised below, once the other hooks ran
                failure = failure or exc
        if failure is not None:
            raise failure

    # --------------------------------------------------------------- intents
    def set_attendance(self, member_id: str, mode: str) -> list[ev.Event]:
        return self.record([(ev.ATTENDANCE_SET, {"member_id": member_id, "mode": mode})])

    def record_letter(self, member_id: str, positions: dict[str, str]) -> list[ev.Event]:
        return self.record([(ev.LETTER_RECORDED, {"member_id": member_id, "positions": dict(positions)})])

    def withdraw_letter(self, member_id: str) -> list[ev.Event]:
        return self.record([(ev.LETTER_WITHDRAWN, {"member_id": member_id})])

    def open_vote(self, item_id: str, order: str = "roster", start: str | None = None) -> list[ev.Event]:
        """Open a roll call; alphabetical order with no start draws the first member by lot."""
        def build(state: SessionState):
            payload: dict[str, Any] = {"item_id": item_id, "order": order}
            if order == "alphabetical":
                chosen = start
                if chosen is None:
                    voters = sorted(m.id for m in state.members.values() if charter.may_vote(m))
                    if not voters:
                        raise RuleError("no member may vote")
                    chosen = secrets.choice(voters)
                    payload["drawn_by_lot"] = True
                payload["start"] = chosen
            return [(ev.VOTE_OPENED, payload)]
        return self.record(build)

    def record_vote(self, item_id: str, member_id: str, vote: str, expected: Any = ANY_ANSWER) -> list[ev.Event]:
        """A member's answer; ``expected``: the answer the seat saw before (None: not yet called).

        Checked inside the write transaction: if another seat answered for the member in the
        meantime, the answer is refused with what the other seat recorded, instead of being
        recorded as a correction the clerk never meant.
        """
        def build(state: SessionState):
            if expected is not ANY_ANSWER:
                item = state.items.get(item_id)
                now = item.votes.get(member_id) if item is not None else None
                if now != expected and member_id in state.members:
                    said = (now or "not called").upper().replace("_", " ")
                    raise RuleError(f"another seat has just recorded {state.members[member_id].name}: {said} — "
                                    "look at the row again before answering")
            return vote_actions(state, item_id, member_id, vote)
        return self.record(build)

    def undo_last(self, item_id: str) -> list[ev.Event]:
        """Undo the latest entry on an open roll call, as a correction event."""
        def build(state: SessionState):
            if item_id not in state.items:
                raise RuleError(f"there is no agenda item {item_id!r}")
            target = undo_target(state, item_id)
            if target is None:
                raise RuleError("nothing to undo on this item")
            actions: list[tuple[str, dict[str, Any]]] = [
                (ev.VOTE_CORRECTED, {"item_id": item_id, "member_id": target.member_id,
                                     "vote": target.before, "undo_of": target.seq})]
            return actions + undo_in_room(state, target)
        return self.record(build)

    def close_vote(self, item_id: str, expected: Tally | None = None) -> list[ev.Event]:
        """Close a roll call (freezing its tally); a carried admission admits its applicants.

        ``expected``: the closing tally the clerk saw and confirmed. Compared inside the write
        transaction, after what other seats wrote is folded in: if the recorded votes no longer
        give that tally, nothing is closed and the refusal says the figures as they are now.
        """
        def build(state: SessionState) -> list[tuple[str, dict[str, Any]]]:
            item = state.items.get(item_id)
            if expected is not None and item is not None and item.status == "open":
                now = state.closing_tally(item_id)
                if now != expected:
                    raise RuleError(
                        f"the figures of item {item_id} changed while the clerk looked at them (another seat "
                        f"recorded meanwhile; now yes {now.yes}, no {now.no}, abstain {now.abstain}, not voting "
                        f"{now.not_voting}) — nothing was closed; check them and close again")
            return close_actions(state, item_id)
        return self.record(build)

    def note_item(self, item_id: str) -> list[ev.Event]:
        return self.record([(ev.ITEM_NOTED, {"item_id": item_id})])

    def record_consensus(self, item_id: str, adopted: bool) -> list[ev.Event]:
        return self.record([(ev.CONSENSUS_RECORDED, {"item_id": item_id, "adopted": adopted})])

    def record_election(self, item_id: str, elected: list[str]) -> list[ev.Event]:
        return self.record([(ev.ELECTION_RECORDED, {"item_id": item_id, "elected": list(elected)})])

    def close_session(self, leave_pending: bool = False,
                      left_pending: Sequence[str] | None = None) -> list[ev.Event]:
        """Close the session, naming the items still pending as not taken up.

        ``left_pending``: the pending items the clerk saw and confirmed. Compared inside the write
        transaction: if another seat recorded or added an item meanwhile, nothing is closed.
        ``leave_pending`` (the command line's --leave-pending, which shows no list): whatever is
        pending at the close. With neither, the close is refused while an item is pending.
        """
        def build(state: SessionState) -> list[tuple[str, dict[str, Any]]]:
            pending = state.pending_items()
            if left_pending is not None:
                if sorted(left_pending) != sorted(pending):
                    now = ", ".join(pending) or "none"
                    raise RuleError(f"the items still pending changed while the clerk looked at them (now: {now}) "
                                    "— nothing was closed; check them and close again")
            elif not leave_pending:
                pending = []
            return [(ev.SESSION_CLOSED, {"left_pending": pending} if pending else {})]
        return self.record(build)

    def reopen_session(self, reason: str = "") -> list[ev.Event]:
        return self.record([(ev.SESSION_REOPENED, {"reason": reason})])

    # Agenda changes during the session (docs/rules.md, "Agenda changes during the session").
    def add_item(self, item: Item | dict[str, Any], after: str | None = None) -> list[ev.Event]:
        """Add an addendum: ``item`` (an ``Item`` or its mapping, as in an agenda file) placed
        after item ``after``, or at the end of the agenda. Checked as the agenda file's items are."""
        data = item.to_json() if isinstance(item, Item) else item

        def build(state: SessionState):
            # Stored as validated (text stripped), so the payload replays exactly as checked.
            checked = state.added_item(data).to_json() if state.definition is not None else data
            return [(ev.ITEM_ADDED, {"item": checked, "after": after})]
        return self.record(build)

    def withdraw_item(self, item_id: str, reason: str) -> list[ev.Event]:
        return self.record([(ev.ITEM_WITHDRAWN, {"item_id": item_id, "reason": _reason(reason)})])

    def postpone_item(self, item_id: str, reason: str) -> list[ev.Event]:
        return self.record([(ev.ITEM_POSTPONED, {"item_id": item_id, "reason": _reason(reason)})])

    def move_item(self, item_id: str, after: str) -> list[ev.Event]:
        return self.record([(ev.ITEM_MOVED, {"item_id": item_id, "after": after})])


def _refuse_unsigned(db: str, problems: list[tuple[int, str]]) -> None:
    if problems:
        seq, problem = problems[0]
        raise UnsignedEvent(db, seq, problem)


def _reason(reason: str) -> str:
    """A reason is display text, stored stripped (``check`` refuses what is not text)."""
    return reason.strip(EDGE_SPACE) if isinstance(reason, str) else reason


def vote_actions(state: SessionState, item_id: str, member_id: str, vote: str) -> list[tuple[str, dict[str, Any]]]:
    """A member's answer: recorded the first time, a correction when it already has one.

    A member with a letter in effect who answers is in the room: its attendance (in person) is
    recorded first, which sets the letter aside, and the answer is then its first answer in person
    (docs/decisions.md, "Written decision letters").
    """
    item = state.items.get(item_id)
    kind = ev.VOTE_CORRECTED if item is not None and member_id in item.votes else ev.VOTE_RECORDED
    actions: list[tuple[str, dict[str, Any]]] = []
    if (item is not None and item.status == "open" and member_id in state.members
            and not state.is_present(member_id) and state.letter_in_effect(member_id) is not None):
        actions.append((ev.ATTENDANCE_SET, {"member_id": member_id, "mode": "in_person"}))
    actions.append((kind, {"item_id": item_id, "member_id": member_id, "vote": vote}))
    return actions


def close_actions(state: SessionState, item_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Closing a vote, plus the admission it carries (Charter Art. 8.1, 9.2).

    The close event carries the frozen tally, so a reader can report closed items
    without folding every vote again (``SessionLog.read_summary``); ``check``
    refuses a close whose tally does not match the recorded votes.
    """
    item = state.items.get(item_id)
    if item is None or item.status != "open":
        return [(ev.VOTE_CLOSED, {"item_id": item_id})]  # refused by check, with the reason
    final = state.closing_tally(item_id)
    actions: list[tuple[str, dict[str, Any]]] = [
        (ev.VOTE_CLOSED, {"item_id": item_id, "tally": dataclasses.asdict(final)})
    ]
    if item.item.article == "8.1" and item.item.admits and final.outcome == "carried":
        applicants = [m for m in item.item.admits if state.members[m].status == "applicant"]
        if applicants:
            actions.append((ev.MEMBER_ADMITTED, {"item_id": item_id, "member_ids": applicants}))
    return actions


@dataclasses.dataclass(frozen=True)
class UndoTarget:
    """The entry an undo takes back: the member's answer in it, and the one it goes back to."""

    seq: int
    member_id: str
    vote: str | None
    before: str | None  # None: not called


def undo_target(state: SessionState, item_id: str) -> UndoTarget | None:
    """The entry ``undo_last`` would take back now: the latest that is neither an undo nor undone."""
    history = state.items[item_id].history
    undone = {h.undo_of for h in history if h.undo_of}
    for entry in reversed(history):
        if entry.undo_of or entry.seq in undone:
            continue
        return UndoTarget(entry.seq, entry.member_id, entry.vote,
                          _value_before(state, item_id, entry.member_id, entry.seq))
    return None


def undo_in_room(state: SessionState, target: UndoTarget) -> list[tuple[str, dict[str, Any]]]:
    """What else an undo takes back when the entry undone was a letter member's answer in the room.

    That answer was written together with the member's attendance (in person, the event just
    before it), which set its letter aside (``vote_actions``). Undoing only the answer would leave
    the member present with its letter gone: a slip on the wrong row, then backspace, would lose a
    letter. So, while nothing has changed the member's attendance since, the undo also marks it
    absent again and records its letter again, with the same positions (docs/decisions.md,
    "Written decision letters")."""
    letter = state.letters.get(target.member_id)
    marked = target.seq - 1
    if (letter is None or letter.superseded_seq != marked
            or state.attendance_seq.get(target.member_id) != marked):
        return []
    return [(ev.ATTENDANCE_SET, {"member_id": target.member_id, "mode": "absent"}),
            (ev.LETTER_RECORDED, {"member_id": target.member_id, "positions": dict(letter.positions)})]


def _value_before(state: SessionState, item_id: str, member_id: str, seq: int) -> str | None:
    """The member's answer on the item just before entry ``seq`` (None: not called)."""
    value = None
    for entry in state.items[item_id].history:
        if entry.seq >= seq:
            break
        if entry.member_id == member_id:
            value = entry.vote
    return value
