"""The agenda and roster file formats (validated with pydantic).

Key names are a published contract: extend, never rename. Cross-field rules
that need the whole file (duplicate ids, ``admits`` pointing at applicants)
live in ``agenda_file``, which knows the line numbers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

MemberStatus = Literal["member", "associate", "observer", "applicant"]
VotingRight = Literal["full", "restricted"]
ItemKind = Literal["decision", "election", "consensus", "report", "presentation"]
Body = Literal["general_assembly", "working_committee"]
# Subcommittee Regulations Art. 5.8: what "a majority (more than half) yes vote" is a majority of
# (docs/rules.md, "Subcommittee Regulations Art. 5.8: two readings").
Sub58Reading = Literal["votes_cast", "members_with_vote"]

# Charter Art. 8 clauses 1..11, plus the Subcommittee Regulations Art. 5.8
# (replacement of a coordinator by the Working Committee).
ARTICLES = tuple(f"8.{n}" for n in range(1, 12)) + ("sub-5.8",)

MEMBER_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# ---------------------------------------------------------------- display text
# Names, titles and descriptions reach the terminal, the chair's projector and
# the signed declaration as they are, so they must be plain one-line text
# (docs/decisions.md, "Text from files").

# Stripped from both ends before the check: ASCII space, TAB, LF, CR (a YAML
# block scalar ends with LF) and the Unicode space separators (NBSP, U+3000...).
EDGE_SPACE = " \t\n\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"

_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = ("\u061c\u200e\u200f"          # directional marks
              "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"  # zero-width space, word joiner, invisible operators, ZWNBSP
              "\u206a\u206b\u206c\u206d\u206e\u206f"  # deprecated format characters
              "\ufff9\ufffa\ufffb")            # interlinear annotation
# Anything refused, wherever it is in the (stripped) value.
_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI_CONTROLS + _INVISIBLE + "\u2028\u2029\ud800-\udfff]")

_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI "
             "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
_C1_NAMES = ("PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
             "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC").split()
_SHORT_NAMES = {
    0x7F: "DEL", 0x2028: "LS", 0x2029: "PS",
    0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
    0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
    0x200E: "LRM", 0x200F: "RLM", 0x061C: "ALM", 0x200B: "ZWSP", 0x2060: "WJ", 0xFEFF: "ZWNBSP",
}


def character_name(ch: str) -> str:
    """How a message names ``ch`` without printing it, e.g. ``ESC, U+001B``."""
    code = ord(ch)
    if code < 0x20:
        short = _C0_NAMES[code]
    elif 0x80 <= code < 0xA0:
        short = _C1_NAMES[code - 0x80]
    elif 0xD800 <= code < 0xE000:
        short = "surrogate"
    else:
        short = _SHORT_NAMES.get(code) or unicodedata.name(ch, "").lower() or "unnamed"
    return f"{short}, U+{code:04X}"


_PLAIN = "names, titles and descriptions must be plain one-line text"


def refused_character_problem(ch: str) -> tuple[str, str]:
    """(what ``ch`` is, how to fix it) for a character display text refuses; never ``ch`` itself."""
    name = character_name(ch)
    if ch == "\t":
        return f"a tab ({name})", f"replace it with a space: {_PLAIN}"
    if ch in _LINE_BREAKS:
        return f"a line break ({name})", f"write it on one line: {_PLAIN} (a description is one paragraph)"
    if ch in _BIDI_CONTROLS:
        return (f"a bidirectional-text control ({name})",
                "remove it: it can show the text in another order than it is stored")
    if "\ud800" <= ch <= "\udfff":
        return f"a lone surrogate ({name})", "remove the \\u escape: it is half of a character, not text"
    if ch in _INVISIBLE:
        return (f"an invisible formatting character ({name})",
                "remove it: invisible characters make names that look the same differ")
    if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
        return f"a control character ({name})", f"remove it: {_PLAIN}"
    return f"a character that is not text ({name})", f"remove it: {_PLAIN}"


def check_display_text(value: object, what: str) -> str:
    """Return ``value`` stripped of surrounding white space, or raise ValueError.

    ``what`` names the value in the message, e.g. ``"item '3' title"`` or
    ``"--reason"``. Refused: empty or white-space-only text, and anywhere inside
    it control characters (C0, DEL, C1, so also TAB and line breaks), U+2028/9,
    bidirectional embeddings, overrides and isolates, directional marks and
    zero-width spaces. The message never contains the character itself.
    """
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, not {type(value).__name__}")
    text = value.strip(EDGE_SPACE)
    if not text:
        if value:
            raise ValueError(f"{what} is only white space — write the text")
        raise ValueError(f"{what} is empty — write the text")
    bad = _REFUSED.search(text)
    if bad is not None:
        position = len(value) - len(value.lstrip(EDGE_SPACE)) + bad.start() + 1
        kind, fix = refused_character_problem(bad.group())
        raise ValueError(f"{what} contains {kind} at position {position} — {fix}")
    return text


# Validation context of a payload this program stored itself (the session-opened
# event): replayed as written, so that a signed declaration rebuilds byte for byte.
STORED = {"stored": True}


def display_text(*fields: str, owner: str) -> Any:
    """A field validator applying ``check_display_text`` to ``fields``.

    One line per model: ``_text = display_text("title", "description", owner="item {id}")``;
    ``owner`` names the record in messages (``{id}`` is the record's id, as repr).
    A ``None`` value (an optional field left out) passes.
    """
    def check(cls: type[BaseModel], value: str | None, info: ValidationInfo) -> str | None:
        if value is None or (info.context is not None and info.context.get("stored")):
            return value
        text = value.strip(EDGE_SPACE)
        if text and _REFUSED.search(text) is None:
            return text  # the usual case, without building the message's label
        who = owner.format(id=repr(info.data.get("id", "?"))) if "{id}" in owner else owner
        return check_display_text(value, f"{who} {info.field_name}")
    check.__name__ = "_display_text_" + "_".join(fields)
    return field_validator(*fields)(classmethod(check))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- languages
# The languages of the Charter (Art. 20) an agenda may name in ``session.languages``; the first is
# the language of the record. Their words are near_tui.i18n's; their names, for messages, here.
LANGUAGE_CODES = ("en", "zh", "ja", "ko", "mn", "ru")
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
                  "mn": "Mongolian", "ru": "Russian"}
DEFAULT_LANGUAGES = ("en",)


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


class Texts(_Strict):
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
        if not isinstance(data, dict) or (info.context or {}).get("stored"):
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

    def text(self, key: str, language: str) -> str | None:
        """``key``'s text in ``language``, else the record language's (None: the key is not given)."""
        given = self.translations.get(language, {}).get(key)
        if given is not None:
            return given
        field, _, index = key.partition(".")
        value = getattr(self, field, None)
        if index and value is not None:
            return str(value[int(index)])
        return None if value is None else str(value)

    def untranslated(self, languages: tuple[str, ...]) -> list[tuple[str, str]]:
        """(key, language) of every text given in the record language but not in another of ``languages``."""
        keys: list[str] = []
        for key in self.TEXT_KEYS:
            value = getattr(self, key, None)
            if isinstance(value, list):
                keys.extend(f"{key}.{index}" for index in range(len(value)))
            elif value is not None:
                keys.append(key)
        return [(key, code) for code in languages[1:] for key in keys
                if key not in self.translations.get(code, {})]


def as_written(data: Any, languages: tuple[str, ...]) -> Any:
    """A stored record (``translations`` beside each field, as ``model_dump`` gives it) as an agenda
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


class Member(_Strict):
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

    @property
    def full_name(self) -> str:
        """``name`` with ``native_name`` beside it: how a member is listed in running text."""
        return f"{self.name} {self.native_name}" if self.native_name else self.name

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
    stored = info.context is not None and info.context.get("stored")
    for code, name in value.items():
        if not (len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()):
            raise ValueError(f"countries: {code!r} must be a two-letter upper-case code such as JP")
        if not stored:
            check_display_text(name, f"countries {code}")
    return value


# ``countries:`` (agenda or roster file): the names the declaration and the minutes print.
CountryNames = Annotated[dict[str, str], AfterValidator(_country_names)]


class Roster(_Strict):
    members: list[Member] = Field(min_length=1)
    countries: CountryNames = Field(default_factory=dict)


class SessionInfo(Texts):
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


class Rules(_Strict):
    """Readings of the Charter a session may switch (docs/rules.md lists each with its article)."""

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


class Resolution(Texts):
    """What the declaration says of a decision or consensus item, in the past tense.

    ``carried`` is said when the vote carried (a consensus item: when it was adopted),
    ``not_carried`` otherwise; either may be left out (the declaration then says it plainly).
    """

    TEXT_KEYS = ("carried", "not_carried")

    carried: str | None = Field(default=None, exclude_if=lambda v: v is None)
    not_carried: str | None = Field(default=None, exclude_if=lambda v: v is None)

    _languages_text = in_languages("carried", "not_carried", owner="resolution")
    _text = display_text("carried", "not_carried", owner="resolution")


class Item(Texts):
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
    resolution: Resolution | None = Field(default=None, exclude_if=lambda v: v is None)
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


class Signatory(Texts):
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
    if info.context is not None and info.context.get("stored"):
        return value
    return check_display_text(value, "declaration preamble paragraph")


class DeclarationText(Texts):
    """The public declaration's own words (agenda key ``declaration``, docs/declaration.md)."""

    TEXT_KEYS = ("preamble", "closing")

    # Paragraphs printed before the decisions, in order (the principles the assembly reaffirmed).
    preamble: list[Annotated[str, BeforeValidator(_paragraph_languages), AfterValidator(_paragraph)]] = Field(default_factory=list)
    # The closing commitment; a general sentence when left out.
    closing: str | None = None
    signatories: list[Signatory] = Field(default_factory=list)
    # Vote figures in the public declaration; the minutes always have them. Strict: `tallies: "no"`
    # is a mistake to point at, not a true value.
    tallies: bool = Field(default=False, strict=True)

    _languages_text = in_languages("closing", owner="declaration")
    _text = display_text("closing", owner="declaration")


class Agenda(_Strict):
    session: SessionInfo
    declaration: DeclarationText | None = None
    # A path relative to the agenda file, or the members inline; checked by
    # agenda_file so that errors point into the right file.
    roster: str | list[object]
    rules: Rules = Field(default_factory=Rules)
    items: list[Item] = Field(min_length=1)
    countries: CountryNames = Field(default_factory=dict)
