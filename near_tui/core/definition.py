"""What a session starts from, and the one check of an agenda item.

``SessionDefinition`` is stored whole in the session-opened event; ``parse_item`` and
``item_problem`` judge an item the same way whether it comes from the agenda file
(near_tui.inputs.agenda_file) or is added as an addendum during the session (the core's state),
so both refuse the same items with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .charter import SUB_5_8, needs_delegation
from .schema import DEFAULT_LANGUAGES, Body, DeclarationText, Item, Member, Rules, SessionInfo


@dataclass(frozen=True)
class SessionDefinition:
    """Everything a session starts from; stored whole in the session-opened event."""

    session: SessionInfo
    rules: Rules
    items: tuple[Item, ...]
    members: tuple[Member, ...]
    # The agenda's `declaration` block; None when the file has none (left out of the payload).
    declaration: DeclarationText | None = None
    # ``countries:`` of the agenda and its roster: code → name, over the six NEAR countries' defaults
    # (near_tui.core.countries). Left out of the payload when empty.
    countries: tuple[tuple[str, str], ...] = ()

    def to_payload(self) -> dict[str, Any]:
        payload = {
            "session": self.session.to_json(),
            "rules": self.rules.to_json(),
            "items": [i.to_json() for i in self.items],
            "members": [m.to_json() for m in self.members],
        }
        if self.declaration is not None:
            payload["declaration"] = self.declaration.to_json()
        if self.countries:
            payload["countries"] = dict(self.countries)
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SessionDefinition:
        # Read back as stored, without validating again: the agenda was checked when the session
        # was created, and a stored payload is replayed exactly as written (a session from before
        # a check, too), so that the declaration rebuilt from the log is the one that was signed.
        # No pydantic here: a seat reopening a session does without it (core.agenda_schema).
        return cls(
            session=SessionInfo.from_json(payload["session"]),
            rules=Rules.from_json(payload["rules"]),
            items=tuple(Item.from_json(i) for i in payload["items"]),
            members=tuple(Member.from_json(m) for m in payload["members"]),
            declaration=(DeclarationText.from_json(payload["declaration"])
                         if "declaration" in payload else None),
            countries=tuple((payload.get("countries") or {}).items()),
        )


def item_problem(item: Item, members: dict[str, Member], admitted: dict[str, str],
                 body: Body) -> tuple[str, str] | None:
    """What is wrong with one agenda item, or None: (the key at fault, message).

    The one check of an item, for the agenda file and for an addendum added during the session
    (``SessionState``), so both refuse the same items with the same words. ``members``: the
    roster by id as it stands; ``admitted``: applicant id -> the item already admitting it.
    """
    if item.kind == "decision" and item.article is None:
        return "article", f"decision item {item.id!r} has no article — add article: \"8.N\" (Charter Art. 8 clause) so its threshold is known"
    if item.kind != "decision" and item.article is not None:
        return "article", f"item {item.id!r} is {'an' if item.kind[0] in 'aeiou' else 'a'} {item.kind}, which is not voted on — remove its article or make it kind: decision"
    if item.admits and item.article != "8.1":
        return "admits", f"item {item.id!r} admits members but is not an Art. 8.1 admission — set article: \"8.1\" or remove admits"
    claimed = dict(admitted)
    for applicant in item.admits:
        member = members.get(applicant)
        if member is None:
            return "admits", f"admits {applicant!r}, which is not on the roster — add it to the roster as status: applicant, or fix the id"
        if member.status != "applicant":
            return "admits", f"admits {applicant!r}, whose status is {member.status} — only applicants can be admitted"
        if applicant in claimed:
            return "admits", f"{applicant!r} is already admitted by item {claimed[applicant]!r} — list it under one item only"
        claimed[applicant] = item.id
    return _declaration_key_problem(item) or _competence_problem(item, body)


def _competence_problem(item: Item, body: Body) -> tuple[str, str] | None:
    """What the body holding the session may decide (docs/rules.md, "What each body decides")."""
    if body == "general_assembly":
        if item.article == SUB_5_8:
            return "article", (
                f"item {item.id} decides under Subcommittee Regulations Art. 5.8, which gives coordinator "
                "replacements to the Working Committee — hold the item at a Working Committee, or give "
                "the Charter Art. 8 clause the General Assembly decides it under (e.g. article: \"8.11\")")
        if item.delegated_by is not None:
            return "delegated_by", (
                f"item {item.id} has delegated_by, but a General Assembly decides under Charter Art. 8 "
                "without delegation — remove delegated_by, or set body: working_committee if the "
                "Working Committee holds this session")
        return None
    if item.delegated_by is not None and item.kind in ("report", "presentation"):
        return "delegated_by", (
            f"item {item.id} is a {item.kind}, which decides nothing, so nothing was delegated — remove "
            "delegated_by")
    if item.delegated_by is None and needs_delegation(body, item.article):
        return "article", (
            f"item {item.id} decides under Charter Art. {item.article}, which a Working Committee may decide "
            "only when the General Assembly delegated it (Charter Art. 9-2, 11.5) — add delegated_by: "
            "\"<the General Assembly decision>\" or hold the item at a General Assembly")
    return None


class ItemInvalid(ValueError):
    """An item mapping that is not a valid item; ``key`` names the field at fault (e.g. "title")."""

    def __init__(self, message: str, key: str | None) -> None:
        super().__init__(message)
        self.key = key


def parse_item(data: Any, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Item:
    """An item given as a mapping (an addendum's payload), validated as the agenda file's items are,
    for a session in ``languages`` (its texts may be ``{en: …, zh: …}``, or stored with their
    ``translations``).

    Raises ItemInvalid with the same words ``check`` would print for that item in a file.
    """
    # Loaded only when an addendum is checked: a seat opening a session needs no validator.
    from .agenda_schema import item_from_mapping

    problem = item_from_mapping(data, languages)
    if isinstance(problem, Item):
        return problem
    message, key = problem
    raise ItemInvalid(message, key)


# Which kinds of item may carry each of the declaration's keys (docs/declaration.md): a
# `resolution` says what was decided, so only items that decide; an `office` is what an
# election fills; `noted` is what the assembly took note of.
_DECLARATION_KEYS = {
    "resolution": (("decision", "consensus"), "a decision or consensus item"),
    "office": (("election",), "an election"),
    "noted": (("report", "presentation"), "a report or presentation"),
}
# What an item of each kind writes instead, for the message's fix.
_OWN_KEY = {
    "decision": 'resolution: {carried: "…", not_carried: "…"}',
    "consensus": 'resolution: {carried: "…", not_carried: "…"}',
    "election": 'office: "…"',
    "report": 'noted: "…"',
    "presentation": 'noted: "…"',
}


def _declaration_key_problem(item: Item) -> tuple[str, str] | None:
    for key, (kinds, which) in _DECLARATION_KEYS.items():
        if getattr(item, key) is not None and item.kind not in kinds:
            return key, (
                f"item {item.id!r} is {'an' if item.kind[0] in 'aeiou' else 'a'} {item.kind}, and {key} "
                f"belongs only to {which} — remove {key} (the declaration's words for {'an' if item.kind[0] in 'aeiou' else 'a'} "
                f"{item.kind} go in {_OWN_KEY[item.kind]}), or correct the item's kind")
    words = item.resolution
    if words is not None and words.carried is None and words.not_carried is None:
        return "resolution", (
            f"item {item.id!r} has a resolution with no text — write carried: \"…\" and/or "
            "not_carried: \"…\" (past tense), or remove resolution")
    return None
