"""The agenda and roster file formats, validated with pydantic into the program's records.

Each ``…Entry`` model checks one part of a file (or of an addendum typed during a session) and
gives, with ``record()``, the frozen record of near_tui.core.schema that the session stores.
Only reading a file or an addendum loads this module: pydantic and its validators are about
a sixth of the clerk's memory, which a seat reopening a session does without (bench/RESULTS.md).

Key names are a published contract: extend, never rename. Cross-field rules that need the whole
file (duplicate ids, ``admits`` pointing at applicants) live in ``agenda_file``, which knows the
line numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .schema import (
    ARTICLES,
    DEFAULT_LANGUAGES,
    EDGE_SPACE,
    LANGUAGE_CODES,
    LANGUAGE_NAMES,
    MEMBER_ID,
    Body,
    DeclarationText,
    Item,
    ItemKind,
    Member,
    MemberStatus,
    Record,
    Resolution,
    Rules,
    SessionInfo,
    Signatory,
    Sub58Reading,
    VotingRight,
    check_display_text,
    plain_text,
)


def display_text(*fields: str, owner: str) -> Any:
    """A field validator applying ``check_display_text`` to ``fields``.

    One line per model: ``_text = display_text("title", "description", owner="item {id}")``;
    ``owner`` names the record in messages (``{id}`` is the record's id, as repr).
    A ``None`` value (an optional field left out) passes.
    """
    def check(cls: type[BaseModel], value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        text = plain_text(value)
        if text is not None:
            return text  # the usual case, without building the message's label
        who = owner.format(id=repr(info.data.get("id", "?"))) if "{id}" in owner else owner
        return check_display_text(value, f"{who} {info.field_name}")
    check.__name__ = "_display_text_" + "_".join(fields)
    return field_validator(*fields)(classmethod(check))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    RECORD: ClassVar[type[Record]]

    def record(self) -> Any:
        """The program's record of what was validated (near_tui.core.schema): the very form a
        session stores and a seat reads back, so both paths build equal records."""
        return self.RECORD.from_json(self.model_dump(mode="json"))


# ---------------------------------------------------------------- languages


# ---------------------------------------------------------------- languages
def languages_context(data: Any) -> dict[str, Any]:
    """The validation context of an agenda mapping: its session's languages, when they are well
    formed (a wrong ``languages`` is reported by ``SessionInfo`` itself, at its line)."""
    session = data.get("session") if isinstance(data, dict) else None
    languages = session.get("languages") if isinstance(session, dict) else None
    if (isinstance(languages, list) and languages and len(set(languages)) == len(languages)
            and all(isinstance(code, str) and code in LANGUAGE_CODES for code in languages)):
        return {"languages": tuple(languages)}
    return {}


def _languages(info: ValidationInfo) -> tuple[str, ...]:
    return (info.context or {}).get("languages") or DEFAULT_LANGUAGES


def _in_languages_problem(value: dict[Any, Any], languages: tuple[str, ...], what: str) -> str | None:
    """What is wrong with a text written as ``{en: …, zh: …}``, or None."""
    first = languages[0]
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            return (f"{what} has a text in {code!r}, which is not a language near_tui speaks — use "
                    f"{', '.join(LANGUAGE_CODES)}, or remove that text")
        if code not in languages:
            return (f"{what} has a {code} text, but session.languages is [{', '.join(languages)}] — add "
                    f"{code} to session.languages or remove that text")
        if not isinstance(text, str):
            return f"{what} in {code} must be text, not {type(text).__name__} {text!r} — quote it"
        try:
            check_display_text(text, f"{what} in {code}")
        except ValueError as exc:
            return str(exc)
    if first not in value:
        return (f"{what} has no {first} text — the record's language ({LANGUAGE_NAMES[first]}, the first of "
                f"session.languages) needs every text; add {first}: \"…\"")
    return None


class TextsEntry(_Strict):
    """A record whose texts (``TEXT_KEYS``) may each be written as one string or, for a session in
    several languages, as a mapping ``{en: …, zh: …}`` (docs/agenda-format.md).

    The field keeps the record language's text, so every reader of ``item.title`` reads the
    record; the session's other languages sit in ``translations`` (language → key → text; a list
    entry is keyed ``preamble.2``), read with ``text(key, language)``.
    """

    TEXT_KEYS: ClassVar[tuple[str, ...]] = ()
    # Left out of the payload when empty, so that sessions in one language rebuild byte for byte.
    translations: dict[str, dict[str, str]] = Field(default_factory=dict, exclude_if=lambda v: not v)

    @model_validator(mode="before")
    @classmethod
    def _split_languages(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            return data
        if "translations" in data:
            raise ValueError("'translations' is not an agenda key — write a text in several languages "
                             "as a mapping, e.g. title: {en: \"…\", zh: \"…\"}")
        languages = _languages(info)
        split = dict(data)
        other: dict[str, dict[str, str]] = {}

        def pick(value: Any, key: str) -> Any:
            # A mapping with a problem is left whole: the field's own check reports it at its line.
            if not isinstance(value, dict) or _in_languages_problem(value, languages, key) is not None:
                return value
            for code, text in value.items():
                if code != languages[0]:
                    other.setdefault(code, {})[key] = text.strip(EDGE_SPACE)
            return value[languages[0]]

        for key in cls.TEXT_KEYS:
            value = data.get(key)
            if isinstance(value, list):
                split[key] = [pick(entry, f"{key}.{index}") for index, entry in enumerate(value)]
            elif value is not None:
                split[key] = pick(value, key)
        if other:
            split["translations"] = other
        return split


def as_written(data: Any, languages: tuple[str, ...]) -> Any:
    """A stored record (``translations`` beside each field, as ``to_json`` gives it) as an agenda
    file writes it (``{en: …, zh: …}`` per text), nested records too: what the checks read."""
    if isinstance(data, list):
        return [as_written(entry, languages) for entry in data]
    if not isinstance(data, dict):
        return data
    written = {key: as_written(value, languages) for key, value in data.items() if key != "translations"}
    for code, texts in (data.get("translations") or {}).items():
        if not isinstance(texts, dict):
            return data  # not ours to read: the record's own check says what is wrong
        for key, text in texts.items():
            field, _, index = key.partition(".")
            value = written.get(field)
            if index and isinstance(value, list) and int(index) < len(value):
                entry = value[int(index)]
                value[int(index)] = {**(entry if isinstance(entry, dict) else {languages[0]: entry}), code: text}
            elif not index:
                written[field] = {**(value if isinstance(value, dict) else {languages[0]: value}), code: text}
    return written


def _check_mapping(value: Any, info: ValidationInfo, what: str) -> Any:
    if isinstance(value, dict):
        raise ValueError(_in_languages_problem(value, _languages(info), what)
                         or f"{what} must be text or a mapping of languages")
    return value


def in_languages(*fields: str, owner: str) -> Any:
    """A before-validator for ``fields``: a mapping still there has a problem ``_split_languages``
    left for the field to report, so that the message points at the key's own line."""
    def check(cls: type, value: Any, info: ValidationInfo) -> Any:
        who = owner.format(id=repr(info.data.get("id", "?"))) if "{id}" in owner else owner
        return _check_mapping(value, info, f"{who} {info.field_name}")
    check.__name__ = "_in_languages_" + "_".join(fields)
    return field_validator(*fields, mode="before")(classmethod(check))


class MemberEntry(_Strict):
    RECORD = Member

    id: str = Field(min_length=1)
    name: str
    country: str = Field(min_length=2, max_length=2)
    status: MemberStatus = "member"
    voting: VotingRight = "full"
    # The name in the member's own script (黑龙江省, 青森県, 부산광역시, Улаанбаатар хот), shown beside
    # `name` wherever a member is listed. Left out of the payload when absent (older sessions
    # rebuild byte for byte).
    native_name: str | None = Field(default=None, exclude_if=lambda v: v is None)

    _text = display_text("name", "native_name", owner="member {id}")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not MEMBER_ID.match(v):
            raise ValueError(
                f"member id {v!r} must be lowercase letters, digits and hyphens, e.g. jp-akita"
            )
        return v

    @field_validator("country")
    @classmethod
    def _country_shape(cls, v: str) -> str:
        if not (v.isascii() and v.isalpha() and v.isupper()):
            raise ValueError(f"country {v!r} must be a two-letter upper-case code such as JP")
        return v


def _country_names(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    """``countries:``: a two-letter code → the country's name as documents print it."""
    for code, name in value.items():
        if not (len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()):
            raise ValueError(f"countries: {code!r} must be a two-letter upper-case code such as JP")
        check_display_text(name, f"countries {code}")
    return value


# ``countries:`` (agenda or roster file): the names the declaration and the minutes print.
CountryNames = Annotated[dict[str, str], AfterValidator(_country_names)]


class Roster(_Strict):
    members: list[MemberEntry] = Field(min_length=1)
    countries: CountryNames = Field(default_factory=dict)


class SessionEntry(TextsEntry):
    RECORD = SessionInfo

    TEXT_KEYS = ("title", "venue")

    # The languages of the session's documents and screens; the first is the record's. Left out of
    # the payload at its default. First, so that a wrong list is the error reported, not a text's.
    languages: tuple[str, ...] = Field(default=DEFAULT_LANGUAGES, exclude_if=lambda v: v == DEFAULT_LANGUAGES)
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str
    body: Body
    venue: str
    opens: dt.date
    closes: dt.date | None = None

    _languages_text = in_languages("title", "venue", owner="session")
    _text = display_text("title", "venue", owner="session")

    @field_validator("languages", mode="before")
    @classmethod
    def _known_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not value:
            raise ValueError("session.languages must be a list such as [en, zh] — the first is the record's language")
        for code in value:
            if code not in LANGUAGE_CODES:
                raise ValueError(f"session.languages has {code!r}, which is not a language near_tui speaks — "
                                 f"use {', '.join(LANGUAGE_CODES)}")
        repeated = [code for code in value if list(value).count(code) > 1]
        if repeated:
            raise ValueError(f"session.languages names {repeated[0]} twice — list each language once")
        return tuple(value)


class RulesEntry(_Strict):
    """Readings of the Charter a session may switch (docs/rules.md lists each with its article)."""

    RECORD = Rules

    # Art. 9.2/9.3 "members voting": yes + no by default (UN GA rule 86).
    abstentions_count_as_cast: bool = False
    # Fee Regs Art. 6 + Charter Art. 9.1: a restricted member stays in the
    # quorum base and counts toward quorum when it attends.
    restricted_count_toward_quorum: bool = True
    # Subcommittee Regs Art. 5.8: more than half of the votes cast (default), or of the members
    # with the right to vote. Left out of the stored payload at its default, so sessions
    # recorded before the option existed rebuild their signed record byte for byte.
    sub58_majority_of: Sub58Reading = Field(default="votes_cast", exclude_if=lambda v: v == "votes_cast")

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ResolutionEntry(TextsEntry):
    """What the declaration says of a decision or consensus item, in the past tense.

    ``carried`` is said when the vote carried (a consensus item: when it was adopted),
    ``not_carried`` otherwise; either may be left out (the declaration then says it plainly).
    """

    RECORD = Resolution

    TEXT_KEYS = ("carried", "not_carried")

    carried: str | None = Field(default=None, exclude_if=lambda v: v is None)
    not_carried: str | None = Field(default=None, exclude_if=lambda v: v is None)

    _languages_text = in_languages("carried", "not_carried", owner="resolution")
    _text = display_text("carried", "not_carried", owner="resolution")


class ItemEntry(TextsEntry):
    RECORD = Item

    # "heading": the declaration's heading for the item, where the agenda gives one.
    TEXT_KEYS = ("title", "description", "office", "noted", "heading")

    id: str = Field(min_length=1)
    title: str
    kind: ItemKind
    article: str | None = None
    admits: list[str] = Field(default_factory=list)
    description: str | None = None
    # Elections: how many are elected (the next Chair: 1).
    seats: int = Field(default=1, ge=1)
    # Working Committee only: the General Assembly decision that delegated this item (Charter
    # Art. 11.5); agenda_file says where it is required. Left out of the payload when absent.
    delegated_by: str | None = Field(default=None, exclude_if=lambda v: v is None)
    # Declaration texts, each left out of the payload when absent:
    # decision/consensus outcome words, the office an election fills, what a report's noting says.
    resolution: ResolutionEntry | None = Field(default=None, exclude_if=lambda v: v is None)
    office: str | None = Field(default=None, exclude_if=lambda v: v is None)
    noted: str | None = Field(default=None, exclude_if=lambda v: v is None)
    # The item's heading in the declaration, when its title (the agenda's wording) is not how the
    # declaration should head it. Left out of the payload when absent.
    heading: str | None = Field(default=None, exclude_if=lambda v: v is None)

    # The id is shown on every screen too: it gets the same check.
    _id_text = display_text("id", owner="item")
    _languages_text = in_languages("title", "description", "office", "noted", "heading", owner="item {id}")
    _text = display_text("title", "description", "delegated_by", "office", "noted", "heading", owner="item {id}")

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: object) -> object:
        # `id: 3` is what people type; it means the item called "3". yaml_lines reads a number
        # only when written as str() writes it back (so `011`, `0x1F`, `1:30` stay text as written).
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        return v

    @field_validator("article")
    @classmethod
    def _known_article(cls, v: str | None) -> str | None:
        if v is not None and v not in ARTICLES:
            raise ValueError(
                f"article {v!r} is not a Charter Art. 8 clause; use one of "
                + ", ".join(ARTICLES)
            )
        return v


class SignatoryEntry(TextsEntry):
    RECORD = Signatory

    TEXT_KEYS = ("title",)

    name: str
    title: str

    _languages_text = in_languages("title", owner="signatory")
    _text = display_text("name", "title", owner="signatory")


def _paragraph_languages(value: Any, info: ValidationInfo) -> Any:
    return _check_mapping(value, info, "declaration preamble paragraph")


def _paragraph(value: str, info: ValidationInfo) -> str:
    """One preamble paragraph: display text, checked like every other text (the error's line is
    the entry's own: the list index is part of the error's location)."""
    return check_display_text(value, "declaration preamble paragraph")


class DeclarationEntry(TextsEntry):
    """The public declaration's own words (agenda key ``declaration``, docs/declaration.md)."""

    RECORD = DeclarationText

    TEXT_KEYS = ("preamble", "closing")

    # Paragraphs printed before the decisions, in order (the principles the assembly reaffirmed).
    preamble: list[Annotated[str, BeforeValidator(_paragraph_languages), AfterValidator(_paragraph)]] = Field(default_factory=list)
    # The closing commitment; a general sentence when left out.
    closing: str | None = None
    signatories: list[SignatoryEntry] = Field(default_factory=list)
    # Vote figures in the public declaration; the minutes always have them. Strict: `tallies: "no"`
    # is a mistake to point at, not a true value.
    tallies: bool = Field(default=False, strict=True)

    _languages_text = in_languages("closing", owner="declaration")
    _text = display_text("closing", owner="declaration")


class Agenda(_Strict):
    session: SessionEntry
    declaration: DeclarationEntry | None = None
    # A path relative to the agenda file, or the members inline; checked by
    # agenda_file so that errors point into the right file.
    roster: str | list[object]
    rules: RulesEntry = Field(default_factory=RulesEntry)
    items: list[ItemEntry] = Field(min_length=1)
    countries: CountryNames = Field(default_factory=dict)


# ---------------------------------------------------------------- messages
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


MEMBER_LIST = TypeAdapter(list[MemberEntry])


def item_from_mapping(data: Any, languages: tuple[str, ...]) -> Item | tuple[str, str | None]:
    """The item ``data`` describes (an addendum's mapping, for a session in ``languages``), or (what
    is wrong, the key at fault) in the words ``check`` prints for an item of a file."""
    try:
        item: Item = ItemEntry.model_validate(as_written(data, languages), context={"languages": languages}).record()
    except ValidationError as exc:
        errors = exc.errors()
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        key = str(error["loc"][0]) if error["loc"] else None
        if key == "resolution" and len(error["loc"]) > 1:
            key = str(error["loc"][1])  # carried / not_carried
        return describe_error(error, ItemEntry), key
    return item

