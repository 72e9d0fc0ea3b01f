"""What a session starts from, and the one check of an agenda item.

``SessionDefinition`` is stored whole in the session-opened event; ``parse_item`` and
``item_problem`` judge an item the same way whether it comes from the agenda file
(near_tui.inputs.agenda_file) or is added as an addendum during the session (the core's state),
so both refuse the same items with the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .charter import SUB_5_8, needs_delegation
from .schema import DEFAULT_LANGUAGES, STORED, Body, DeclarationText, Item, Member, Rules, SessionInfo, as_written


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
            "session": self.session.model_dump(mode="json"),
            "rules": self.rules.model_dump(mode="json"),
            "items": [i.model_dump(mode="json") for i in self.items],
            "members": [m.model_dump(mode="json") for m in self.members],
        }
        if self.declaration is not None:
            payload["declaration"] = self.declaration.model_dump(mode="json")
        if self.countries:
            payload["countries"] = dict(self.countries)
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SessionDefinition:
        # The text was checked when the agenda was loaded; a stored payload is replayed
        # exactly as written (a session from before that check, too), so that the
        # declaration rebuilt from the log is the one that was signed.
        return cls(
            session=SessionInfo.model_validate(payload["session"], context=STORED),
            rules=Rules.model_validate(payload["rules"]),
            items=tuple(_ITEMS.validate_python(payload["items"], context=STORED)),
            # One validation call for the whole roster: 10,000 members open in a tenth of the time.
            members=tuple(MEMBER_LIST.validate_python(payload["members"], context=STORED)),
            declaration=(DeclarationText.model_validate(payload["declaration"], context=STORED)
                         if "declaration" in payload else None),
            countries=tuple((payload.get("countries") or {}).items()),
        )


_FIELD_HINTS = {
    "body": "general_assembly or working_committee",
    "kind": "decision, election, consensus, report or presentation",
    "status": "member, associate, observer or applicant",
    "voting": "full or restricted",
    "sub58_majority_of": "votes_cast (more than half of the votes cast) or members_with_vote "
                         "(more than half of the members with the right to vote)",
}


def describe_error(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    loc = error["loc"]
    field = str(loc[-1]) if loc else "value"
    where = ".".join(str(p) for p in loc)
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return f"unknown key {field!r} at {where} — remove it or correct its spelling"
    if kind == "missing":
        return f"missing key {field!r} at {where} — add it"
    if kind == "literal_error":
        return f"{field} {value!r} is not allowed — use {_FIELD_HINTS.get(field, error['msg'])}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"{field} {value!r} is not a date — write it as YYYY-MM-DD"
    if kind == "bool_type":
        return f"{field} must be true or false, not {value!r}"
    if kind == "string_type" and isinstance(value, (bool, int)):
        # `id: true` or `title: 2018`: YAML read a word or number; quoting keeps it as written.
        written = str(value).lower() if isinstance(value, bool) else str(value)
        return f'{where} must be text, not {type(value).__name__} {value!r} — quote it: {field}: "{written}"'
    if kind in ("string_type", "list_type", "dict_type", "model_type", "int_type", "int_parsing"):
        wanted = {"string_type": "text", "list_type": "a list", "dict_type": "a mapping",
                  "model_type": "a mapping of keys", "int_type": "a whole number",
                  "int_parsing": "a whole number"}[kind]
        return f"{where} must be {wanted}, not {type(value).__name__} {value!r} — fix the value"
    if kind == "too_short":
        return f"{where} is empty — it needs at least one entry"
    if kind == "string_pattern_mismatch":
        return f"{where} {value!r} has characters that are not allowed — use letters, digits, '.', '_' and '-'"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {error['msg']} — fix the value"


MEMBER_LIST = TypeAdapter(list[Member])
_ITEMS = TypeAdapter(list[Item])


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
    try:
        return Item.model_validate(as_written(data, languages), context={"languages": languages})
    except ValidationError as exc:
        errors = exc.errors()
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        key = str(error["loc"][0]) if error["loc"] else None
        if key == "resolution" and len(error["loc"]) > 1:
            key = str(error["loc"][1])  # carried / not_carried
        raise ItemInvalid(describe_error(error, Item), key) from None

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
