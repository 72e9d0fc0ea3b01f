"""What the clerk's screens show, computed from the session state (no Textual here).

Labels and the "where was the clerk" rule for resuming live in one place so that every
screen, and the tests, agree on them; the figures and verdicts are the view model's
(``near_tui.views.view_model``), never counted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from near_tui.core import charter
from near_tui.core.schema import Member
from near_tui.core.state import SessionState
from near_tui.core.untranslated import Missing, missing_in
from near_tui.views.verdict import rule_label
from near_tui.views.view_model import AgendaLine, agenda_line

MODE_LABEL = {"in_person": "in person", "online": "online", "absent": "absent"}
ANSWER_LABEL = {"yes": "YES", "no": "NO", "abstain": "ABSTAIN", "not_voting": "NOT VOTING", None: "—"}
COUNTRY_NAME = {"CN": "China", "JP": "Japan", "KR": "Rep. of Korea", "KP": "DPR Korea",
                "MN": "Mongolia", "RU": "Russia", "VN": "Viet Nam"}
STATUS_LABEL = {"associate": "associate", "observer": "observer", "applicant": "applicant"}


def item_rule_label(state: SessionState, item_id: str) -> str:
    """The item's threshold in a few characters ("⅔", ">½", "—"), as the report and the chair
    label it (``verdict.rule_label``, with the Art. 5.8 reading the tally applies)."""
    if state.items[item_id].item.kind != "decision":
        return rule_label(None)
    t = state.tally(item_id)
    return rule_label(t.rule, t.reading)


def item_status(state: SessionState, item_id: str) -> str:
    """One short phrase for the agenda's status column and toasts: "✔ CARRIED 49–0–0", "● NOT DECIDED YET 21–0–0"."""
    return status_phrase(agenda_line(state, item_id, False))


def status_phrase(line: AgendaLine) -> str:
    """An agenda line's verdict with its figures in one phrase ("⊘ WITHDRAWN: reason" for an item set aside).

    The words and whether there are figures are the view model's (``near_tui.views.view_model``),
    as on the chair and the board: a withdrawn or postponed item has none, an item still to come
    when the session closed is "not taken up".
    """
    if line.numbers is not None:
        return f"{line.result} {line.numbers.yes}–{line.numbers.no}–{line.numbers.abstain}"
    return line.result


def uncalled_members(state: SessionState, item_id: str) -> list[str]:
    """Present members not called yet on an open vote, in call order (the tally's ``uncalled``, by name)."""
    item = state.items[item_id]
    if item.status != "open":
        return []
    return [m for m in state.call_order(item_id)
            if state.takes_part(item_id, m) and state.position(item_id, m)[1] == "uncalled"]


def resume_item(state: SessionState) -> str | None:
    """The item the clerk was on: the open vote, else the first pending item."""
    if state.open_item is not None:
        return state.open_item
    for item_id in state.item_order:
        if state.items[item_id].status == "pending":
            return item_id
    return state.item_order[0] if state.item_order else None


STANDING_LABEL = {"in_person": "in person", "online": "online", "letter": "by letter", "absent": "absent"}


def attendance_label(state: SessionState, member: Member) -> str:
    """How the member stands now, in words (``SessionState.standing``: the same on every screen)."""
    return STANDING_LABEL[state.standing(member.id)]


LETTER_SHORT = {"yes": "Y", "no": "N", "abstain": "A"}


def letter_summary(state: SessionState, member_id: str, cells: int | None = None) -> str:
    """A member's letter in at most ``cells`` cells: each item and its position ("2:Y 4:N"), else the
    same without the colons ("2Y 4N"), else how many of each ("5Y 1N"), which always fits a column.
    The letters screen shows the highlighted member's whole letter in words below the list."""
    letter = state.letters.get(member_id)
    if letter is None:
        return ""
    forms = [" ".join(f"{i}:{LETTER_SHORT[p]}" for i, p in letter.positions.items()),
             " ".join(f"{i}{LETTER_SHORT[p]}" for i, p in letter.positions.items())]
    for form in forms:
        if cells is None or len(form) <= cells:
            return form
    counts = {p: sum(1 for v in letter.positions.values() if v == p) for p in LETTER_SHORT}
    return " ".join(f"{n}{LETTER_SHORT[p]}" for p, n in counts.items() if n)


def letter_state(state: SessionState, member_id: str) -> str:
    letter = state.letters.get(member_id)
    if letter is None:
        return ""
    if letter.in_effect:
        return "in effect"
    return f"superseded: {MODE_LABEL[state.mode(member_id)]}" if state.is_present(member_id) \
        else "superseded (was present)"


def country_counts(state: SessionState) -> list[tuple[str, int, int, int]]:
    """Per country, in roster order: (country, present, by letter, members)."""
    rows: dict[str, list[int]] = {}
    for member in state.roster_members():
        row = rows.setdefault(member.country, [0, 0, 0])
        row[2] += 1
        if state.is_present(member.id):
            row[0] += 1
        elif state.letter_in_effect(member.id) is not None:
            row[1] += 1
    return [(country, present, letters, members) for country, (present, letters, members) in rows.items()]


def not_counted(state: SessionState) -> list[Member]:
    """Associates, observers and applicants: listed apart, never counted."""
    return [m for m in state.members.values() if not charter.is_member(m)]


@dataclass(frozen=True)
class CloseSummary:
    """What closing the session now would do, for the confirmation dialog.

    Every agenda item is in exactly one of ``recorded``, ``in_progress`` and ``not_taken_up``,
    so their lengths add up to ``total``, the number of items on the agenda.
    """

    session_id: str
    title: str
    blocking: str | None  # why the close must wait (a roll call still open), or None
    recorded: list[tuple[str, str]]  # (item id, status phrase) of the items dealt with
    not_taken_up: list[tuple[str, str]]  # (item id, title) of the items still pending
    already_closed: bool
    in_progress: list[tuple[str, str]] = field(default_factory=list)  # (item id, title): a roll call open
    total: int = 0  # items on the agenda
    # Texts another language's declaration will give in the record's language, as `near-tui close` says.
    untranslated: list[Missing] = field(default_factory=list)


def close_summary(state: SessionState) -> CloseSummary:
    """Items dealt with, items the declaration will list as not taken up, what blocks the close, and
    the texts a declaration will give in the record's language."""
    blocking = None
    if state.open_item is not None and not state.closed:
        blocking = (f"The vote on item {state.open_item} is still open: close it first "
                    f"(r, then c on its roll call: type the item number and press enter).")
    groups: dict[str, list[tuple[str, str]]] = {"closed": [], "open": [], "pending": []}
    for item_id in state.item_order:
        item = state.items[item_id]
        shown = item_status(state, item_id) if item.status == "closed" else item.item.title
        # Withdrawn and postponed items were dealt with: only pending ones are left pending.
        groups[item.status if item.status in ("open", "pending") else "closed"].append((item_id, shown))
    session = state.definition.session
    return CloseSummary(session.id, session.title, blocking, groups["closed"], groups["pending"], state.closed,
                        in_progress=groups["open"], total=len(state.item_order), untranslated=missing_in(state))


def default_key_path(given: str | None, session_id: str) -> tuple[str, bool]:
    """(key file to offer, whether it exists): ``--key`` if given, else keys/<session id>.key."""
    path = given if given else f"keys/{session_id}.key"
    return path, Path(path).is_file()
