"""The minutes: the session's record in words, written at close beside the declaration.

Where the declaration is the public text, the minutes are what a secretary checks it
against: who stood how at the close (in person, online, by letter, absent), every item
with its rule, quorum, yes / no / abstain / not voting and its outcome, every correction
(who was changed from what to what, and when), every letter, the addenda and the items
withdrawn, postponed or left pending, each reopening, the closing time (UTC) and the
chain head the signatures cover.

No figure is counted here: tallies come from ``SessionState.tally``, outcomes and their
reasons from ``near_tui.views.verdict``, the rule from ``rule_label`` / ``rule_words``, the
session-wide figures from the record (``build_record``). Names are listed as
``Member.full_name`` (name, native name beside it). The blocks are shared with the PDF
(``declaration_pdf.render_blocks``), so the Markdown and the PDF say the same thing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from near_tui.core import charter, events as ev
from near_tui.core.countries import country_name
from near_tui.core.state import SessionState, Tally
from near_tui.views.verdict import item_verdict, needed_of, rule_label, rule_words

from .declaration_text import Block, plural, render_markdown
from .file_names import MINUTES_MD, MINUTES_PDF

STANDING_HEADINGS = (("in_person", "In person"), ("online", "Online"), ("letter", "By letter"),
                     ("absent", "Absent"))
KIND_WORDS = {"decision": "roll-call decision", "election": "election", "consensus": "decision by consensus",
              "report": "report"}
# Whole sentences with named places, so that a translation can replace each one whole.
AT_CLOSE = "At the close, of {members}: {in_person} in person, {online} online, {letter} by letter, {absent} absent."
AT_CLOSE_ADMITTED = ("At the close, of {members}: {in_person} in person, {online} online, {letter} by letter, "
                     "{absent} absent, and {away} admitted during the session and not present.")
ADMITTED_AWAY = "Admitted during the session, not present ({count})"
NOT_VOTING_SOURCES = ("Not voting {total}: {answered} answered not voting, {silent} by a letter silent on the item, "
                      "{uncalled} not called before the close.")
NOT_CALLED = "Not called: {names}."
ANSWER_WORDS = {"yes": "YES", "no": "NO", "abstain": "ABSTAIN", "not_voting": "NOT VOTING", None: "not called"}


def utc(stamp: str | None) -> str:
    """``2018-10-29T09:04:00.000Z`` → ``2018-10-29 09:04:00 UTC`` (the log's own timestamps)."""
    if not stamp:
        return "—"
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S") + " UTC"


def _dates(session: dict[str, Any]) -> str:
    opens, closes = session["opens"], session.get("closes")
    return opens if not closes or closes == opens else f"{opens} to {closes}"


def one_line(text: str | None, missing: str = "no reason was recorded") -> str:
    """A reason typed at the session, on one line (a line break must not start a heading in the Markdown)."""
    return " ".join((text or "").split()) or missing


class _Minutes:
    def __init__(self, record: dict[str, Any], events: list[ev.Event], state: SessionState | None) -> None:
        self.record = record
        self.events = events
        self.state = state if state is not None else SessionState.from_events(events)
        self.blocks: list[Block] = []
        self.left_pending: set[str] = set()
        self.opened_at: dict[str, str] = {}
        self.closed_at: dict[str, str] = {}
        for event in events:
            p = event.payload
            if event.kind == ev.VOTE_OPENED:
                self.opened_at[p["item_id"]] = ev.stated_time(event)
            elif event.kind == ev.VOTE_CLOSED:
                self.closed_at[p["item_id"]] = ev.stated_time(event)
            elif event.kind == ev.SESSION_CLOSED:
                self.left_pending = set(p.get("left_pending", []))
            elif event.kind == ev.SESSION_REOPENED:
                self.left_pending = set()

    def add(self, kind: str, text: str = "") -> None:
        self.blocks.append(Block(kind, text))

    def name(self, member_id: str) -> str:
        member = self.state.members.get(member_id)
        return member.full_name if member is not None else member_id

    # ------------------------------------------------------------------ sections
    def build(self) -> list[Block]:
        session, log = self.record["session"], self.record["log"]
        self.add("title", f"Minutes of the {session['title']}")
        self.add("subtitle", f"Association of North East Asia Regional Governments (NEAR) · session {session['id']}")
        self.add("paragraph", f"Held in {session['venue']}, {_dates(session)}. Written at the close from the "
                              f"session's log ({plural(log['events'], 'event')}); the roll calls member by member "
                              "are in record.csv, the full record in record.json.")
        self.attendance()
        self.items()
        self.letters()
        self.agenda_changes()
        self.clock()
        self.close()
        return self.blocks

    def clock(self) -> None:
        """Where the recording clock went back (only then): the times after it are that clock's."""
        steps = ev.clock_steps_back(self.events)
        if not steps:
            return
        self.add("heading", "Recording clock")
        self.add("paragraph", "The clock that dated the log went back during the session; the times after each "
                              "step below are as that clock gave them, not the real time.")
        for earlier, later in steps:
            where = later.payload.get("item_id") if isinstance(later.payload, dict) else None
            self.add("bullet", f"Event {later.seq} ({later.kind.replace('_', ' ')}"
                               + (f", item {where}" if where else "") + f") is dated {utc(later.recorded_at)}, "
                               f"before event {earlier.seq}, dated {utc(earlier.recorded_at)}")

    def attendance(self) -> None:
        state, fig = self.state, self.record["figures"]
        now = state.session_figures()
        members = state.roster_members()
        self.add("heading", "Attendance")
        away = sum(1 for m in members if m.id in state.admitted and state.standing(m.id) == "absent")
        figures = {"members": plural(len(members), "member"), "in_person": now["in_person"],
                   "online": now["online"], "letter": now["letter"], "absent": now["absent"] - away, "away": away}
        self.add("paragraph", (AT_CLOSE_ADMITTED if away else AT_CLOSE).format(**figures))
        self.add("paragraph", f"Over the whole session {fig['attending']} members attended in person or online "
                              f"at some point, and {fig['taking_part']} took part in decisions, "
                              f"{fig['by_letter']} of them by letter only.")
        # A member admitted during the session was not a member at the start: it is listed as admitted,
        # not among the members who stayed away (it may not have been invited to attend).
        admitted_away = [m for m in members if m.id in state.admitted and state.standing(m.id) == "absent"]
        for standing, heading in STANDING_HEADINGS:
            listed = [m for m in members if state.standing(m.id) == standing and m not in admitted_away]
            self.add("subheading", f"{heading} ({len(listed)})")
            if not listed:
                self.add("paragraph", "None.")
                continue
            by_country: dict[str, list[str]] = {}
            for member in listed:
                by_country.setdefault(member.country, []).append(member.full_name)
            for code, names in by_country.items():
                self.add("bullet", f"{country_name(code, state.country_names)} ({len(names)}): {', '.join(names)}")
        if admitted_away:
            self.add("subheading", ADMITTED_AWAY.format(count=len(admitted_away)))
            for m in admitted_away:
                self.add("bullet", f"{m.full_name} ({country_name(m.country, state.country_names)}), "
                                   f"admitted by item {state.admitted[m.id]}")
        others = [m for m in state.members.values() if not charter.is_member(m)]
        if others:
            self.add("subheading", f"Associate members, observers and applicants, without a vote ({len(others)})")
            for m in others:
                self.add("bullet", f"{m.full_name} ({country_name(m.country, state.country_names)}, {m.status}, "
                                   f"{state.standing(m.id).replace('_', ' ')})")

    def items(self) -> None:
        self.add("heading", "Items")
        rows = {item["id"]: item for item in self.record["items"]}
        for item_id in self.state.item_order:
            self.item(item_id, rows.get(item_id, {}))

    def item(self, item_id: str, row: dict[str, Any]) -> None:
        it = self.state.items[item_id]
        item = it.item
        self.add("subheading", f"{item_id}. {item.title}")
        kind = KIND_WORDS.get(item.kind, item.kind)
        self.kind = kind[0].upper() + kind[1:] + (", added to the agenda during the session (addendum)"
                                                  if it.added else "")
        if it.status in ("withdrawn", "postponed"):
            self.add("paragraph", f"{self.kind}. {it.status.upper()}: {one_line(it.reason)}.")
            return
        if item.kind != "decision":
            self.other(item_id)
            return
        t: Tally = self.state.tally(item_id)
        abstentions = self.state.rules.abstentions_count_as_cast
        self.add("paragraph", f"{self.kind}. Rule: {rule_label(t.rule, t.reading)} — "
                              f"{rule_words(item.article, t.rule, abstentions, t.reading)}")
        if t.status == "pending":
            self.add("paragraph", "Not taken up: left pending at the close." if item_id in self.left_pending
                     else "Not put to the vote.")
            return
        met = "met" if t.quorum_met else "NOT met"
        self.add("paragraph", f"Quorum: {t.participating} of {t.quorum_base} members took part, "
                              f"{t.quorum_required} needed — {met}.")
        self.add("paragraph", f"Yes {t.yes} · No {t.no} · Abstain {t.abstain} · Not voting {t.not_voting} · "
                              f"{t.required_yes} yes needed {needed_of(t)}.")
        rows = row.get("roll_call", {}).get("members", [])
        if t.not_voting:
            # Not voting has three sources, which the minutes keep apart (record.json's rows' "source").
            said = {s: sum(1 for r in rows if r["answer"] == "not_voting" and r["source"] == s)
                    for s in ("recorded", "no_letter_position", "not_called")}
            self.add("paragraph", NOT_VOTING_SOURCES.format(total=t.not_voting, answered=said["recorded"],
                                                            silent=said["no_letter_position"],
                                                            uncalled=said["not_called"]))
            uncalled = [self.name(r["member_id"]) for r in rows if r["source"] == "not_called"]
            if uncalled:
                self.add("paragraph", NOT_CALLED.format(names=", ".join(uncalled)))
        v = item_verdict(self.state, item_id)
        self.add("paragraph", f"Outcome: {v.label} — {v.reason}.")
        self.add("paragraph", f"Roll call opened {utc(self.opened_at.get(item_id))}, "
                              f"closed {utc(self.closed_at.get(item_id))}.")
        admitted = [m for m, by in self.state.admitted.items() if by == item_id]
        if admitted:
            self.add("paragraph", "Admitted as members: " + ", ".join(self.name(m) for m in admitted) + ".")
        by_letter = [r for r in row.get("roll_call", {}).get("members", []) if r["source"] == "letter"]
        if by_letter:
            answers: dict[str, list[str]] = {}
            for r in by_letter:
                answers.setdefault(ANSWER_WORDS.get(r["answer"], r["answer"]), []).append(self.name(r["member_id"]))
            self.add("paragraph", f"Counted by letter ({len(by_letter)}):")
            for answer, names in answers.items():
                self.add("bullet", f"{answer} ({len(names)}): {', '.join(names)}")
        self.corrections(item_id)

    def corrections(self, item_id: str) -> None:
        """Each correction, then each undo: who, from what to what, when. They are listed apart, as
        the record counts them (``SessionState.answer_changes``); an answer given anew after an undo
        is a first answer and is not listed."""
        changes = self.state.answer_changes(item_id)
        for what, heading, empty in (("corrected", "Corrections", "Corrections: none."),
                                     ("undone", "Undone entries", None)):
            lines = [f"{utc(c.entry.recorded_at)} — {self.name(c.entry.member_id)}: "
                     f"{ANSWER_WORDS.get(c.before, c.before)} {what} to {ANSWER_WORDS.get(c.entry.vote, c.entry.vote)}"
                     for c in changes if c.what == what]
            if lines:
                self.add("paragraph", f"{heading}: {len(lines)}.")
            elif empty:
                self.add("paragraph", empty)
            for line in lines:
                self.add("bullet", line)

    def other(self, item_id: str) -> None:
        it = self.state.items[item_id]
        self.add("paragraph", f"{self.kind}. Rule: {rule_words(it.item.article, None, False)}.")
        v = item_verdict(self.state, item_id)
        if v.code in ("pending", "not_taken_up"):
            self.add("paragraph", "Not taken up: left pending at the close." if item_id in self.left_pending
                     else "Not taken up.")
            return
        if v.code == "elected":
            who = ", ".join(self.name(m) for m in it.elected)
            self.add("paragraph", f"Outcome: {v.label} — {who}.")
            return
        self.add("paragraph", f"Outcome: {v.label} — {v.reason}.")

    def letters(self) -> None:
        letters = self.record["letters"]
        self.add("heading", f"Letters ({len(letters)})")
        if not letters:
            self.add("paragraph", "No written decision letter was recorded.")
            return
        closed_at = {it["id"]: it["roll_call"]["closed_seq"] for it in self.record["items"] if "roll_call" in it}
        for letter in letters:
            positions = ", ".join(f"item {i}: {ANSWER_WORDS.get(v, v)}" for i, v in letter["positions"].items())
            fate = ""
            if letter.get("superseded_seq") is not None:
                fate = f"; set aside when the member was marked present (event {letter['superseded_seq']})"
            elif letter.get("withdrawn_seq") is not None:
                fate = f"; withdrawn (event {letter['withdrawn_seq']})"
            replaced = letter.get("replaced_seq")
            if replaced is not None:
                fate += f"; replaced by the member's letter of event {replaced}"
                # Its positions on votes closed while it stood were counted there; the new letter cannot reach them.
                ended = min(n for n in (replaced, letter.get("superseded_seq")) if n is not None)
                counted = [i for i in letter["positions"] if letter["seq"] < closed_at.get(i, ended) < ended]
                if counted:
                    which = " and ".join(f"item {i}" for i in counted)
                    fate += (f", which does not change what it counted on {which}, "
                             f"closed before then")
            self.add("bullet", f"{self.name(letter['member_id'])}, recorded {utc(letter['recorded_at'])} "
                               f"(event {letter['seq']}): {positions}{fate}")

    def agenda_changes(self) -> None:
        self.add("heading", "Changes to the agenda")
        lines = []
        # When each change was made (its stated time where the papers gave one), from its own event.
        when = {(event.kind, event.payload["item"]["id"] if event.kind == ev.ITEM_ADDED else event.payload["item_id"]):
                f"{utc(ev.stated_time(event))}, event {event.seq}"
                for event in self.events if event.kind in (ev.ITEM_ADDED, ev.ITEM_WITHDRAWN, ev.ITEM_POSTPONED)}
        for item_id in self.state.item_order:
            it = self.state.items[item_id]
            if it.added:
                lines.append(f"Item {item_id}, {it.item.title}: added during the session as an addendum "
                             f"({when[(ev.ITEM_ADDED, item_id)]})")
            if it.status in ("withdrawn", "postponed"):
                kind = ev.ITEM_WITHDRAWN if it.status == "withdrawn" else ev.ITEM_POSTPONED
                lines.append(f"Item {item_id}, {it.item.title}: {it.status} ({when[(kind, item_id)]}) — "
                             f"{one_line(it.reason)}")
            if item_id in self.left_pending:
                lines.append(f"Item {item_id}, {it.item.title}: not taken up (left pending at the close)")
        # A move is a change of order, kept only in the log's events: each one said where it put the item.
        for event in self.events:
            if event.kind == ev.ITEM_MOVED:
                moved = self.state.items[event.payload["item_id"]]
                lines.append(f"Item {moved.item.id}, {moved.item.title}: moved to come "
                             f"after item {event.payload['after']} ({utc(ev.stated_time(event))}, event {event.seq})")
        if not lines:
            self.add("paragraph", "None: the agenda was taken as adopted.")
        for line in lines:
            self.add("bullet", line)

    def close(self) -> None:
        log = self.record["log"]
        self.add("heading", "Close")
        for event in self.events:
            if event.kind == ev.SESSION_REOPENED:
                reason = one_line(event.payload.get("reason"), "no reason was given")
                self.add("bullet", f"Reopened {utc(ev.stated_time(event))} (event {event.seq}): {reason}")
            elif event.kind == ev.SESSION_CLOSED and log.get("reopened"):
                self.add("bullet", f"Closed {utc(ev.stated_time(event))} (event {event.seq})")
        if log.get("closed_at"):
            self.add("paragraph", f"The session was closed {utc(log['closed_at'])}, at event {log['events']}.")
        else:
            self.add("paragraph", f"The session was not closed at event {log['events']}.")
        if not log.get("reopened"):
            self.add("paragraph", "It was not reopened.")
        self.add("paragraph", f"Chain head: {log['chain_head']}")
        self.add("note", "This file is signed (minutes.md.minisig, and minutes.pdf.minisig for the PDF); check "
                         "it with near-tui verify or minisign\u00a0-Vm.")


def minutes_blocks(record: dict[str, Any], events: list[ev.Event],
                   state: SessionState | None = None) -> list[Block]:
    """The minutes of the session as of the last of ``events`` (``record``: ``build_record(events)``).

    ``state``: ``events`` already folded, when the caller holds it (default: folded here).
    """
    return _Minutes(record, events, state).build()


def minutes_markdown(record: dict[str, Any], events: list[ev.Event], state: SessionState | None = None) -> bytes:
    return render_markdown(minutes_blocks(record, events, state)).encode("utf-8")


def minutes_files(record: dict[str, Any], events: list[ev.Event],
                  state: SessionState | None = None) -> dict[str, bytes]:
    """``minutes.md`` and ``minutes.pdf`` by name, from one set of blocks."""
    blocks = minutes_blocks(record, events, state)
    from .declaration_pdf import render_blocks  # fpdf loads only when a PDF is written

    return {MINUTES_MD: render_markdown(blocks).encode("utf-8"), MINUTES_PDF: render_blocks(blocks, record)}
