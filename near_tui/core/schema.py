"""What a session is made of, as the program holds it: members, items, the session's facts, its rules
and its declaration's words, and the one check of text shown on screens and documents.

Plain frozen records, stored whole in the session-opened event (``to_json`` / ``from_json``). An
agenda or roster file is validated into them by ``near_tui.core.agenda_schema`` (pydantic), which
only the paths that read a file or a new addendum load: a seat reopening a session rebuilds its
records from the log, which holds them as they were validated (bench/RESULTS.md, start-up).

Key names are a published contract: extend, never rename.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Literal

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


def plain_text(value: str) -> str | None:
    """``value`` stripped of surrounding white space when it is acceptable display text, else None
    (``check_display_text`` then says why): the usual case, without building a message."""
    text = value.strip(EDGE_SPACE)
    return text if text and _REFUSED.search(text) is None else None


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


# ---------------------------------------------------------------- languages
# The languages of the Charter (Art. 20) an agenda may name in ``session.languages``; the first is
# the language of the record. Their words are near_tui.i18n's; their names, for messages, here.
LANGUAGE_CODES = ("en", "zh", "ja", "ko", "mn", "ru")
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
                  "mn": "Mongolian", "ru": "Russian"}
DEFAULT_LANGUAGES = ("en",)


# ---------------------------------------------------------------- records
def _field(default: Any = MISSING, *, factory: Any = MISSING, omit: Callable[[Any], bool] | None = None,
           load: Callable[[Any], Any] | None = None) -> Any:
    """A record's field. ``omit``: left out of the stored form when true of the value (so that
    sessions stored before the key existed rebuild byte for byte); ``load``: how its stored form
    is read back (default: as stored)."""
    metadata = {"omit": omit, "load": load}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def _stored(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_json()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_stored(v) for v in value]
    if isinstance(value, dict):
        return {k: _stored(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, kw_only=True)
class Record:
    """A frozen record whose stored form is a JSON mapping of its fields, in their order."""

    def to_json(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            omit = f.metadata.get("omit")
            if omit is None or not omit(value):
                out[f.name] = _stored(value)
        return out

    @classmethod
    def from_json(cls, data: Any) -> Any:
        """The record stored as ``data`` (written by ``to_json``); ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError(f"a stored {cls.__name__} is a mapping, not {type(data).__name__}")
        known = {f.name: f for f in fields(cls)}
        unknown = [key for key in data if key not in known]
        if unknown:
            raise ValueError(f"a stored {cls.__name__} has no key {unknown[0]!r}")
        values = {}
        for key, value in data.items():
            load = known[key].metadata.get("load")
            values[key] = load(value) if load is not None and value is not None else value
        try:
            return cls(**values)
        except TypeError as exc:  # a key without a default is missing
            raise ValueError(f"a stored {cls.__name__} is incomplete: {exc}") from None


def _none(value: Any) -> bool:
    return value is None


def _empty(value: Any) -> bool:
    return not value


@dataclass(frozen=True, kw_only=True)
class Texts(Record):
    """A record whose texts (``TEXT_KEYS``) may each be given in several languages
    (docs/agenda-format.md).

    The field keeps the record language's text, so every reader of ``item.title`` reads the
    record; the session's other languages sit in ``translations`` (language → key → text; a list
    entry is keyed ``preamble.2``), read with ``text(key, language)``.
    """

    TEXT_KEYS: ClassVar[tuple[str, ...]] = ()
    # Left out of the stored form when empty, so that sessions in one language rebuild byte for byte.
    translations: dict[str, dict[str, str]] = _field(factory=dict, omit=_empty)

    def text(self, key: str, language: str) -> str | None:
        """``key``'s text in ``language``, else the record language's (None: the key is not given)."""
        given = self.translations.get(language, {}).get(key)
        if given is not None:
            return given
        name, _, index = key.partition(".")
        value = getattr(self, name, None)
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


@dataclass(frozen=True, kw_only=True)
class Member(Record):
    id: str
    name: str
    country: str
    status: MemberStatus = "member"
    voting: VotingRight = "full"
    # The name in the member's own script (黑龙江省, 青森県, 부산광역시, Улаанбаатар хот), shown beside
    # `name` wherever a member is listed. Left out of the stored form when absent.
    native_name: str | None = _field(None, omit=_none)

    @property
    def full_name(self) -> str:
        """``name`` with ``native_name`` beside it: how a member is listed in running text."""
        return f"{self.name} {self.native_name}" if self.native_name else self.name


@dataclass(frozen=True, kw_only=True)
class SessionInfo(Texts):
    TEXT_KEYS = ("title", "venue")

    # The languages of the session's documents and screens; the first is the record's. Left out of
    # the stored form at its default.
    languages: tuple[str, ...] = _field(DEFAULT_LANGUAGES, omit=lambda v: v == DEFAULT_LANGUAGES, load=tuple)
    id: str
    title: str
    body: Body
    venue: str
    opens: dt.date = _field(load=dt.date.fromisoformat)
    closes: dt.date | None = _field(None, load=dt.date.fromisoformat)


@dataclass(frozen=True, kw_only=True)
class Rules(Record):
    """Readings of the Charter a session may switch (docs/rules.md lists each with its article)."""

    # Art. 9.2/9.3 "members voting": yes + no by default (UN GA rule 86).
    abstentions_count_as_cast: bool = False
    # Fee Regs Art. 6 + Charter Art. 9.1: a restricted member stays in the
    # quorum base and counts toward quorum when it attends.
    restricted_count_toward_quorum: bool = True
    # Subcommittee Regs Art. 5.8: more than half of the votes cast (default), or of the members
    # with the right to vote. Left out of the stored form at its default, so sessions
    # recorded before the option existed rebuild their signed record byte for byte.
    sub58_majority_of: Sub58Reading = _field("votes_cast", omit=lambda v: v == "votes_cast")


@dataclass(frozen=True, kw_only=True)
class Resolution(Texts):
    """What the declaration says of a decision or consensus item, in the past tense.

    ``carried`` is said when the vote carried (a consensus item: when it was adopted),
    ``not_carried`` otherwise; either may be left out (the declaration then says it plainly).
    """

    TEXT_KEYS = ("carried", "not_carried")

    carried: str | None = _field(None, omit=_none)
    not_carried: str | None = _field(None, omit=_none)


@dataclass(frozen=True, kw_only=True)
class Item(Texts):
    # "heading": the declaration's heading for the item, where the agenda gives one.
    TEXT_KEYS = ("title", "description", "office", "noted", "heading")

    id: str
    title: str
    kind: ItemKind
    article: str | None = None
    admits: list[str] = _field(factory=list)
    description: str | None = None
    # Elections: how many are elected (the next Chair: 1).
    seats: int = 1
    # Working Committee only: the General Assembly decision that delegated this item (Charter
    # Art. 11.5). Left out of the stored form when absent.
    delegated_by: str | None = _field(None, omit=_none)
    # Declaration texts, each left out of the stored form when absent: decision/consensus outcome
    # words, the office an election fills, what a report's noting says.
    resolution: Resolution | None = _field(None, omit=_none, load=Resolution.from_json)
    office: str | None = _field(None, omit=_none)
    noted: str | None = _field(None, omit=_none)
    # The item's heading in the declaration, when its title (the agenda's wording) is not how the
    # declaration should head it. Left out of the stored form when absent.
    heading: str | None = _field(None, omit=_none)


@dataclass(frozen=True, kw_only=True)
class Signatory(Texts):
    TEXT_KEYS = ("title",)

    name: str
    title: str


def _signatories(stored: list[Any]) -> list[Signatory]:
    return [Signatory.from_json(entry) for entry in stored]


@dataclass(frozen=True, kw_only=True)
class DeclarationText(Texts):
    """The public declaration's own words (agenda key ``declaration``, docs/declaration.md)."""

    TEXT_KEYS = ("preamble", "closing")

    # Paragraphs printed before the decisions, in order (the principles the assembly reaffirmed).
    preamble: list[str] = _field(factory=list)
    # The closing commitment; a general sentence when left out.
    closing: str | None = None
    signatories: list[Signatory] = _field(factory=list, load=_signatories)
    # Vote figures in the public declaration; the minutes always have them.
    tallies: bool = False
