"""The full record of a session, folded from its log: what ``record.json`` and ``record.csv`` hold.

Everything here is a pure function of the events, so closing the same log twice,
or rebuilding the record later from the database, gives the same bytes. Nothing
reads the clock: dates come from the agenda and the events' own timestamps, and
every list has an explicit order (roster order, agenda order or log order).

Who attended and who took part is counted across the whole session, from
snapshots taken as each roll call closes and once more at the end of the log:

- a member *attended* if it was marked in person or online in any snapshot, or had an answer of
  its own on record when a roll call closed (given in the hall, so it was there, even if it left
  before that close);
- a member *took part in decisions* if any roll call counted it toward quorum
  (present, by a letter in effect, or with an answer on record), or, when no
  roll call was held, if it was present or had a letter at the end;
- a member took part *by letter* if it took part but never attended.

The 12th GA sample gives 29 attending, 50 taking part, 21 of them by letter.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from near_tui.core import charter, events as ev
from near_tui.core.countries import country_name
from near_tui.core.state import SessionState
from near_tui.views.report import item_report

from .file_names import RECORD_CSV, declaration_names

FORMAT = "near-tui/record/1"
CSV_NAME = RECORD_CSV
CSV_HEADER = ("item_id", "item_title", "member_id", "member_name", "member_native_name", "country", "attendance",
              "answer", "source", "corrections", "undos", "history")


@dataclass
class Snapshot:
    """Who was there, and how each member stood, at one moment of the session."""

    present: set[str] = field(default_factory=set)
    participating: set[str] = field(default_factory=set)
    rows: list[dict[str, Any]] = field(default_factory=list)  # roll-call rows (item closes only)
    closed_seq: int = 0


def _native(member) -> dict[str, str]:
    """``native_name`` when the roster gives one: absent otherwise, so older records rebuild byte for byte."""
    return {"native_name": member.native_name} if member.native_name else {}


def _attendance_of(state: SessionState, member_id: str) -> str:
    """in_person | online | letter | absent: ``SessionState.standing``, as the clerk's screens show it."""
    return state.standing(member_id)


def _snapshot(state: SessionState, item_id: str | None) -> Snapshot:
    """Take stock of the roster now; with ``item_id``, also each member's answer on it."""
    snap = Snapshot(closed_seq=state.last_seq)
    item = state.items[item_id] if item_id is not None else None
    changes = state.answer_changes(item_id) if item_id is not None else []
    for member in state.members.values():
        if state.is_present(member.id) and member.status in ("member", "associate", "observer"):
            snap.present.add(member.id)
        elif item is not None and member.id in item.votes:
            # Its answer given in the hall (a letter's positions are not answers): it was there, even
            # if marked absent again before the vote closed; never "by letter" for want of a snapshot.
            snap.present.add(member.id)
        if not charter.is_member(member):
            continue
        in_base = charter.in_quorum_base(member, state.rules)
        # The tally's own test (SessionState.takes_part): present, letter, or an answer on record.
        participating = in_base and (state.takes_part(item.item.id, member.id) if item is not None
                                     else state.is_participating(member.id))
        if participating:
            snap.participating.add(member.id)
        if item is None:
            continue
        if not charter.may_vote(member):
            answer, source = None, "restricted"
        elif not participating:
            answer, source = None, "absent"
        else:
            answer, source = state.position(item.item.id, member.id)
            if source == "uncalled":
                answer, source = "not_voting", "not_called"
        history = [
            {"seq": h.seq, "vote": h.vote, "kind": h.kind, "recorded_at": h.recorded_at,
             **({"undo_of": h.undo_of} if h.undo_of is not None else {})}
            for h in item.history if h.member_id == member.id
        ]
        mine = [c.what for c in changes if c.entry.member_id == member.id]
        snap.rows.append({
            "member_id": member.id, "name": member.name, **_native(member), "country": member.country,
            "attendance": _attendance_of(state, member.id), "in_quorum_base": in_base,
            "participating": participating, "answer": answer, "source": source,
            "corrections": mine.count("corrected"), "undos": mine.count("undone"),
            "history": history,
        })
    return snap


@dataclass
class Replay:
    """The state at the end of the events, and what was seen along the way."""

    state: SessionState
    item_snapshots: dict[str, Snapshot]
    final: Snapshot
    opened_at: str
    closed_at: str | None
    reopened: int
    attendance_changes: list[dict[str, Any]]
    letters: list[dict[str, Any]]
    # Each close of the log and the reopening before it: where its signed files went (``closed_folder``).
    closes: list[dict[str, Any]] = field(default_factory=list)


def closed_folder(reopened: int) -> str:
    """The folder, inside the session's output folder, of the files signed at a close made after
    ``reopened`` reopenings: the first close's set is never overwritten (docs/declaration.md)."""
    return "." if reopened == 0 else f"reopened-{reopened}"


def replay(events: Iterable[ev.Event]) -> Replay:
    """Fold the events one by one, snapshotting each roll call as it closes."""
    state = SessionState()
    snaps: dict[str, Snapshot] = {}
    opened_at, closed_at, reopened = "", None, 0
    changes: list[dict[str, Any]] = []
    letters: list[dict[str, Any]] = []
    closes: list[dict[str, Any]] = []
    last_reopening: dict[str, Any] | None = None
    open_letter: dict[str, dict[str, Any]] = {}
    for event in events:
        state.apply(event)
        p = event.payload
        if event.kind == ev.SESSION_OPENED:
            opened_at = ev.stated_time(event)
        elif event.kind == ev.VOTE_CLOSED:
            snaps[p["item_id"]] = _snapshot(state, p["item_id"])
        elif event.kind == ev.SESSION_CLOSED:
            closed_at = ev.stated_time(event)
            closes.append({"event": event.seq, "at": closed_at, "folder": closed_folder(reopened),
                           **({"after_reopening": last_reopening} if last_reopening else {})})
        elif event.kind == ev.SESSION_REOPENED:
            closed_at, reopened = None, reopened + 1
            last_reopening = {"event": event.seq, "at": ev.stated_time(event),
                              "reason": " ".join(str(p.get("reason") or "").split())}
        elif event.kind == ev.ATTENDANCE_SET:
            changes.append({"seq": event.seq, "member_id": p["member_id"], "mode": p["mode"],
                            "recorded_at": ev.stated_time(event)})
            held = state.letters.get(p["member_id"])
            if held is not None and held.superseded_seq == event.seq:
                open_letter[p["member_id"]]["superseded_seq"] = event.seq
        elif event.kind == ev.LETTER_RECORDED:
            earlier = open_letter.get(p["member_id"])
            if earlier is not None:
                # A new letter replaces the one on record (docs/rules.md). Only a replaced letter carries
                # the key, so a record with none rebuilds byte for byte as before.
                earlier["replaced_seq"] = event.seq
            entry = {"seq": event.seq, "member_id": p["member_id"], "recorded_at": ev.stated_time(event),
                     "positions": {k: p["positions"][k] for k in sorted(p["positions"], key=_item_key)},
                     "superseded_seq": None, "withdrawn_seq": None}
            letters.append(entry)
            open_letter[p["member_id"]] = entry
        elif event.kind == ev.LETTER_WITHDRAWN:
            entry = open_letter.pop(p["member_id"], None)
            if entry is not None:
                entry["withdrawn_seq"] = event.seq
    final = _snapshot(state, None) if state.definition is not None else Snapshot()
    return Replay(state, snaps, final, opened_at, closed_at, reopened, changes, letters, closes)


def _item_key(item_id: str) -> tuple:
    return (0, int(item_id), "") if item_id.isdigit() else (1, 0, item_id)


def _country_counts(state: SessionState, ids: set[str]) -> list[dict[str, Any]]:
    """Per country, in the roster's order of countries; only countries with someone."""
    order: list[str] = []
    counts: dict[str, int] = {}
    for member in state.members.values():
        if member.country not in counts:
            order.append(member.country)
            counts[member.country] = 0
        if member.id in ids:
            counts[member.country] += 1
    names = state.country_names
    return [{"code": c, "name": country_name(c, names), "count": counts[c]} for c in order if counts[c]]


def build_record(events: list[ev.Event]) -> dict[str, Any]:
    """The whole record of the session as of the last of ``events``."""
    rp = replay(events)
    state = rp.state
    if state.definition is None:
        raise ValueError("the log holds no session")
    info = state.definition.session
    roll_calls = list(rp.item_snapshots.values())
    if roll_calls:
        participants = set().union(*(s.participating for s in roll_calls))
    else:
        participants = set(rp.final.participating)
    snapshots = roll_calls + [rp.final]
    attended = set().union(*(s.present for s in snapshots))
    member_ids = {m.id for m in state.members.values() if charter.is_member(m)}
    attending_members = attended & member_ids
    by_letter = participants - attended
    opening = {m.id: m for m in state.definition.members}

    members = []
    for member in state.members.values():
        members.append({
            "id": member.id, "name": member.name, **_native(member), "country": member.country,
            "status_at_open": opening[member.id].status, "status": member.status,
            "voting": member.voting, "admitted_by": state.admitted.get(member.id),
            "attended": member.id in attended, "took_part": member.id in participants,
            "by_letter": member.id in by_letter, "attendance_at_end": _attendance_of(state, member.id),
        })

    items = []
    for item_id in state.item_order:
        entry = item_report(state, item_id)
        entry["description"] = state.items[item_id].item.description
        if "elected" in entry:
            entry["elected"] = [
                {"id": m, "name": state.members[m].name, "country": state.members[m].country}
                for m in entry["elected"]
            ]
        snap = rp.item_snapshots.get(item_id)
        if snap is not None:
            item = state.items[item_id]
            entry["roll_call"] = {"order": item.order, "start": item.start,
                                  "closed_seq": snap.closed_seq, "members": snap.rows}
        items.append(entry)

    roster = state.roster_members()
    record: dict[str, Any] = {
        "format": FORMAT,
        "session": {"id": info.id, "title": info.title, "body": info.body, "venue": info.venue,
                    "opens": info.opens.isoformat(),
                    "closes": info.closes.isoformat() if info.closes else None},
        "rules": state.definition.rules.to_json(),
        "log": {"events": state.last_seq, "chain_head": state.head, "opened_at": rp.opened_at,
                "closed": state.closed, "closed_at": rp.closed_at, "reopened": rp.reopened,
                # Only a reopened log lists its closes, so a record never reopened rebuilds byte for byte.
                **({"closes": rp.closes} if rp.reopened else {})},
        "figures": {
            "attending": len(attending_members),
            "attending_by_country": _country_counts(state, attending_members),
            "taking_part": len(participants),
            "by_letter": len(by_letter),
            "by_letter_by_country": _country_counts(state, by_letter),
            "other_participants_attending": sorted(attended - member_ids,
                                                   key=list(state.members).index),
            "members_at_end": len(roster),
            "countries_at_end": len({m.country for m in roster}),
            "associates_at_end": sum(1 for m in state.members.values() if m.status == "associate"),
            "observers": sum(1 for m in state.members.values() if m.status == "observer"),
            "admitted": [{"id": m, "by_item": by} for m, by in state.admitted.items()],
        },
        "members": members,
        "attendance_changes": rp.attendance_changes,
        "letters": rp.letters,
        "items": items,
    }
    record["files"] = {CSV_NAME: {"sha256": hashlib.sha256(record_csv(record)).hexdigest()}}
    languages = info.languages
    if len(languages) > 1:
        # One signed declaration per language of the session (the first: the record's). A session
        # in one language keeps the record it always had.
        record["session"]["languages"] = list(languages)
        for code in languages:
            for name in declaration_names(code, languages[0]):
                record["files"][name] = {"language": code}
    return record


def languages_of(state: SessionState) -> tuple[str, ...]:
    """The session's languages, the record's first (an older session: English only)."""
    return state.definition.session.languages if state.definition is not None else ("en",)


def record_json(record: dict[str, Any]) -> bytes:
    """``record.json``: indented, keys in the record's own fixed order, UTF-8, final newline."""
    return (json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


# A spreadsheet reads a cell starting with one of these as a formula (or, for TAB and CR, may
# shift it so that it does): such a cell gets a leading apostrophe, shown as text by Excel,
# LibreOffice and Google Sheets (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# UTF-8 with a byte order mark: Excel opens a CSV without one in the legacy code page and turns
# 黑龙江省 into mojibake; with it, every script shows as written (docs/declaration.md, "record.csv").
CSV_BOM = b"\xef\xbb\xbf"


def spreadsheet_safe(value: Any) -> str:
    """The cell as text, with an apostrophe before a leading ``= + - @`` TAB or CR."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def record_csv(record: dict[str, Any]) -> bytes:
    """``record.csv``: one row per member per roll-call item, in agenda then roster order.

    UTF-8 with a BOM, CRLF line ends; every cell spreadsheet-safe (``spreadsheet_safe``). The exact
    names and titles are in ``record.json``.
    """
    out = io.StringIO(newline="")
    # CRLF rows (RFC 4180): with it, the csv module quotes a cell holding a lone CR or LF, so no
    # value can ever start a row of its own.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for item in record["items"]:
        roll = item.get("roll_call")
        if roll is None:
            continue
        for row in roll["members"]:
            history = ">".join(h["vote"] or "uncalled" for h in row["history"])
            writer.writerow([spreadsheet_safe(cell) for cell in (
                item["id"], item["title"], row["member_id"], row["name"], row.get("native_name"), row["country"],
                row["attendance"], row["answer"] or "", row["source"], row["corrections"], row["undos"], history)])
    return CSV_BOM + out.getvalue().encode("utf-8")
