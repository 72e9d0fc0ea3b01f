"""CSV imports (attendance, letters, votes, results): the whole file is checked before anything is written.

The file is read and its rows checked on their own first. Then, inside the one
write transaction (so against the log as it is at that moment, other seats'
latest answers included), each row becomes actions rehearsed on a copy of the
state; the first row that the Charter or the state refuses is reported as
``FILE:LINE: ...`` and nothing is recorded. Only a file that passes whole is
appended.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from near_tui.core import events as ev
from near_tui.core.errors import InputError, RuleError
from near_tui.core.schema import MEMBER_ID
from near_tui.core.state import ATTENDANCE_MODES, POSITIONS, VOTES, SessionState
from near_tui.inputs.yaml_lines import MAX_CSV_ROWS, read_text

from .session import Session, close_actions, vote_actions

Row = tuple[int, dict[str, str]]

HEADERS = {
    "attendance": ("member_id", "mode"),
    "letters": ("member_id", "item_id", "position"),
    "votes": ("item_id", "member_id", "vote"),
    "results": ("item_id", "result", "elected"),
}
RESULTS = ("noted", "adopted", "not_adopted", "elected")


# Columns holding a word from a fixed list (in_person, yes, not_voting...): read case-blind, with
# a space or hyphen for the underscore, as spreadsheets and people write them ("In person", "Yes",
# "not voting"); nothing else is guessed (docs/hardening.md, "Hostile files").
WORD_COLUMNS = ("mode", "position", "vote")
_WORDS = frozenset(ATTENDANCE_MODES + POSITIONS + VOTES)


def _word(cell: str) -> str:
    word = "_".join(cell.lower().replace("-", " ").replace("_", " ").split())
    return word if word in _WORDS else cell  # anything else stays as written, for the message


def read_rows(path: Path, header: tuple[str, ...]) -> list[Row]:
    """Rows of a CSV with exactly ``header`` (any order); BOM, CRLF and stray spaces are fine.

    A spreadsheet's export may end every line with a comma (an empty last column): empty
    columns after the named ones are dropped; a value in one is refused.
    """
    text = read_text(path)
    wanted = ",".join(header)
    if not text.strip():
        raise InputError(str(path), 1, f"the file is empty — its first line must be the header {wanted}")
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    try:
        first = next(reader)
    except csv.Error as exc:
        raise InputError(str(path), 1, f"not a readable CSV ({exc}) — save it as comma-separated text") from None
    got = [c.strip().lower() for c in first]
    while got and not got[-1]:
        got.pop()  # "member_id,mode," from a spreadsheet
    if sorted(got) != sorted(header):
        missing = [c for c in header if c not in got]
        extra = [c for c in got if c not in header]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            detail.append("unexpected " + ", ".join(repr(c) for c in extra))
        raise InputError(str(path), 1, f"wrong header ({'; '.join(detail)}) — the first line must be {wanted}")
    rows: list[Row] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines (or a spreadsheet's ",,,") are harmless
            if any("\n" in cell for cell in record):
                # A stray quote swallows the lines after it; point at the line it opened on.
                start = line - sum(cell.rstrip("\n").count("\n") for cell in record)
                raise InputError(str(path), start, "a quoted value here runs over several lines — is a quote left open? Close or remove it")
            if len(record) > len(got) and not any(cell.strip() for cell in record[len(got):]):
                record = record[: len(got)]  # trailing commas
            if len(record) != len(got):
                raise InputError(str(path), line, f"expected {len(got)} fields ({wanted}), found {len(record)} — check the commas on this line")
            if len(rows) >= MAX_CSV_ROWS:
                raise InputError(str(path), line, f"more than {MAX_CSV_ROWS} rows — no session needs that many; is it the right file?")
            row = {name: cell.strip() for name, cell in zip(got, record, strict=True)}
            for name in WORD_COLUMNS:
                if name in row:
                    row[name] = _word(row[name])
            if "member_id" in row and MEMBER_ID.match(row["member_id"].lower()):
                row["member_id"] = row["member_id"].lower()  # ids are lowercase, so "CN-Henan" is cn-henan
            rows.append((line, row))
    except csv.Error as exc:
        raise InputError(str(path), reader.line_num, f"not a readable CSV line ({exc}) — check the quotes") from None
    if not rows:
        raise InputError(str(path), 1, "the file has a header but no rows — nothing to import")
    return rows


def _rehearse_rows(path: Path, state: SessionState, steps: list[tuple[int, list]]) -> list:
    """Rehearse (line, actions) steps in order; return all the actions."""
    scratch = state.copy()
    everything = []
    for line, actions in steps:
        try:
            if callable(actions):
                actions = actions(scratch)
            _rehearse_one(scratch, actions)
        except RuleError as exc:
            raise InputError(str(path), line, f"{exc}") from None
        everything.extend(actions)
    return everything


def _rehearse_one(scratch: SessionState, actions) -> None:
    # In place on the one copy: copying a big state for every row would make imports quadratic.
    for kind, payload in actions:
        scratch.check(kind, payload)
        scratch.apply(ev.Event(scratch.last_seq + 1, kind, payload, "", scratch.head, scratch.head))


def _need(path: Path, line: int, value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InputError(str(path), line, f"{what} {value!r} is not allowed — use one of {', '.join(allowed)}")


def _known_member(path: Path, line: int, state: SessionState, member_id: str) -> None:
    if member_id not in state.members:
        raise InputError(str(path), line, f"member {member_id!r} is not on the session's roster — check the id (ids look like jp-akita)")


def _known_item(path: Path, line: int, state: SessionState, item_id: str) -> None:
    if item_id not in state.items:
        raise InputError(str(path), line, f"item {item_id!r} is not on the agenda — use one of {', '.join(state.item_order)}")


def plan_attendance(state: SessionState, path: Path, rows: list[Row]) -> list:
    seen: dict[str, int] = {}
    steps = []
    for line, row in rows:
        member_id, mode = row["member_id"], row["mode"]
        _known_member(path, line, state, member_id)
        _need(path, line, mode, ATTENDANCE_MODES, "mode")
        if member_id in seen:
            raise InputError(str(path), line, f"member {member_id!r} is listed twice (first on line {seen[member_id]}) — keep one row")
        seen[member_id] = line
        steps.append((line, [(ev.ATTENDANCE_SET, {"member_id": member_id, "mode": mode})]))
    return _rehearse_rows(path, state, steps)


def plan_letters(state: SessionState, path: Path, rows: list[Row]) -> list:
    letters: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        member_id, item_id, position = row["member_id"], row["item_id"], row["position"]
        _known_member(path, line, state, member_id)
        _known_item(path, line, state, item_id)
        _need(path, line, position, POSITIONS, "position")
        if (member_id, item_id) in seen:
            raise InputError(str(path), line, f"{member_id!r} already has a position on item {item_id!r} (line {seen[member_id, item_id]}) — keep one row")
        seen[member_id, item_id] = line
        letters.setdefault(member_id, {})[item_id] = position
        first_line.setdefault(member_id, line)
    steps = [(first_line[m], [(ev.LETTER_RECORDED, {"member_id": m, "positions": p})]) for m, p in letters.items()]
    return _rehearse_rows(path, state, steps)


def plan_votes(state: SessionState, path: Path, rows: list[Row], uncalled_not_voting: bool = False) -> list:
    """Open, answer and close each item the file names. A file that leaves a present member of an
    item without a row is refused unless ``uncalled_not_voting`` (docs/decisions.md): closing would
    count that member as not voting, which the papers may not say. A wrong row is reported first:
    the members left uncalled are only known once every row is read."""
    by_item: dict[str, list[Row]] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        item_id, member_id, vote = row["item_id"], row["member_id"], row["vote"]
        _known_item(path, line, state, item_id)
        _known_member(path, line, state, member_id)
        _need(path, line, vote, VOTES, "vote")
        if (item_id, member_id) in seen:
            raise InputError(str(path), line, f"{member_id!r} already votes on item {item_id!r} (line {seen[item_id, member_id]}) — keep one row")
        seen[item_id, member_id] = line
        by_item.setdefault(item_id, []).append((line, row))
    steps: list[tuple[int, Any]] = []
    uncalled: list[tuple[int, str]] = []  # (line, why) of each item closed with members not called
    for item_id, item_rows in by_item.items():
        first = item_rows[0][0]
        if state.items[item_id].status != "open":
            steps.append((first, [(ev.VOTE_OPENED, {"item_id": item_id, "order": "roster"})]))
        for line, row in item_rows:
            steps.append((line, _vote_step(row)))
        # Closing may admit applicants (Art. 8.1): decided on the rehearsed state.
        steps.append((item_rows[-1][0], _close_step(item_id, item_rows[-1][0], uncalled)))
    actions = _rehearse_rows(path, state, steps)
    if uncalled and not uncalled_not_voting:
        line, why = uncalled[0]
        raise InputError(str(path), line, why)
    return actions


def _vote_step(row: dict[str, str]) -> Callable[[SessionState], list]:
    return lambda state: vote_actions(state, row["item_id"], row["member_id"], row["vote"])


def _close_step(item_id: str, line: int, uncalled: list[tuple[int, str]]) -> Callable[[SessionState], list]:
    def close(state: SessionState) -> list:
        count = state.tally(item_id).uncalled
        if count:
            first = state.members[state.now_calling(item_id)]
            who = "member is" if count == 1 else "members are"
            uncalled.append((line, f"item {item_id!r}: {count} present {who} not called in this file, the first "
                                   f"{first.name} ({first.id}) — add a row for each (vote not_voting if it did "
                                   "not answer), or pass --uncalled-not-voting to count them as not voting"))
        return close_actions(state, item_id)
    return close


def plan_results(state: SessionState, path: Path, rows: list[Row]) -> list:
    """The results of the items that are not roll calls: a report noted, a consensus adopted or
    not, an election with the members it elected (as many as the item's seats)."""
    seen: dict[str, int] = {}
    steps = []
    for line, row in rows:
        item_id, result, elected_cell = row["item_id"], row["result"], row["elected"]
        _known_item(path, line, state, item_id)
        _need(path, line, result, RESULTS, "result")
        if item_id in seen:
            raise InputError(str(path), line, f"item {item_id!r} already has a result on line {seen[item_id]} — keep one row")
        seen[item_id] = line
        item = state.items[item_id].item
        if item.kind == "decision":
            raise InputError(str(path), line, f"item {item_id!r} is a decision: its outcome is its roll call's — "
                                              "import its answers with `near-tui import votes` instead")
        elected = [m.strip() for m in elected_cell.split(";")] if elected_cell else []
        if result != "elected":
            if elected:
                raise InputError(str(path), line, f"elected is filled but the result is {result} — leave elected "
                                                  "empty, or make the result elected")
            payload: dict[str, Any] = {"item_id": item_id}
            if result == "noted":
                steps.append((line, [(ev.ITEM_NOTED, payload)]))
            else:
                steps.append((line, [(ev.CONSENSUS_RECORDED, {**payload, "adopted": result == "adopted"})]))
            continue
        if any(not m for m in elected) or len(elected) != item.seats:
            raise InputError(str(path), line, f"item {item_id!r} elects {item.seats} member(s) but elected names "
                                              f"{sum(1 for m in elected if m)} — give {item.seats} member id(s) "
                                              "separated by ;")
        for member_id in elected:
            _known_member(path, line, state, member_id)
        if len(set(elected)) != len(elected):
            raise InputError(str(path), line, "elected names a member twice — name each member once")
        steps.append((line, [(ev.ELECTION_RECORDED, {"item_id": item_id, "elected": elected})]))
    return _rehearse_rows(path, state, steps)


PLANS = {"attendance": plan_attendance, "letters": plan_letters, "votes": plan_votes, "results": plan_results}


def import_file(session: Session, what: str, path: str | Path, **options: Any) -> int:
    """Check the whole file, then record it in one transaction; return the events written.

    The rows are planned inside the write transaction, against the log as it stands then:
    an answer another seat records while the file is read is seen, never answered twice.
    """
    path = Path(path)
    rows = read_rows(path, HEADERS[what])
    return len(session.record(lambda state: PLANS[what](state, path, rows, **options)))
