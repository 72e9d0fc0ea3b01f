"""The texts a session gives in its record's language but not in another of its languages.

Each such text is shown in the record's language wherever the other language is asked for (the
declaration in that language, the chair, the board). Nothing is refused for it; ``near-tui check``
(for the agenda file), ``near-tui agenda add`` (for an addendum, given with ``--in``) and
``near-tui close`` (for the whole session, addenda included) each say so, one line per text, in
the one sentence below; the clerk's end-of-session dialog names the same texts (``missing_in``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .schema import LANGUAGE_NAMES, DeclarationText, Item, SessionInfo, Texts

if TYPE_CHECKING:
    from .state import SessionState

# (the record holding texts, where it sits in an agenda file, how a message names it)
Holder = tuple[Texts, tuple[Any, ...], str]


def described(key: str) -> str:
    """``carried`` → "resolution (carried)", ``preamble.1`` → "preamble paragraph 2"."""
    field, _, index = key.partition(".")
    if index:
        return f"{field} paragraph {int(index) + 1}"
    return {"carried": "resolution (carried)", "not_carried": "resolution (not carried)",
            "noted": "noted text"}.get(field, field)


def holders(session: SessionInfo | None, items: Sequence[Item], declaration: DeclarationText | None) -> list[Holder]:
    """Every record of a session that holds texts, in the order an agenda file writes them (an
    item's place in ``items`` is its place in the file's ``items:``)."""
    found: list[Holder] = []
    if session is not None:
        found.append((session, ("session",), "the session"))
    for index, item in enumerate(items):
        found.append((item, ("items", index), f"item {item.id}"))
        if item.resolution is not None:
            found.append((item.resolution, ("items", index, "resolution"), f"item {item.id}"))
    if declaration is not None:
        found.append((declaration, ("declaration",), "the declaration"))
        for index, signatory in enumerate(declaration.signatories):
            found.append((signatory, ("declaration", "signatories", index), f"signatory {signatory.name}"))
    return found


class Missing(NamedTuple):
    """One text given in the record's language but not in ``code``."""

    where: tuple[Any, ...]  # where it sits in an agenda file
    code: str  # the language it lacks
    who: str  # what holds it: "item A7", "the session"
    text: str  # which of its texts: "title", "resolution (carried)"
    record: str  # the record's language, whose text the ``code`` declaration shows instead

    @property
    def sentence(self) -> str:
        """What is missing and what follows, in the words every surface uses."""
        return (f"{self.who} has no {self.code} {self.text} — the {LANGUAGE_NAMES[self.code]} declaration "
                f"will use the {LANGUAGE_NAMES[self.record]} one")


def untranslated(found: list[Holder], languages: Sequence[str]) -> list[Missing]:
    """Every text of ``found`` given in the record's language (the first of ``languages``) but not
    in another."""
    if len(languages) < 2:
        return []
    missing = []
    for holder, where, who in found:
        for key, code in holder.untranslated(tuple(languages)):
            field, _, index = key.partition(".")
            missing.append(Missing(where + ((field, int(index)) if index else (field,)), code, who,
                                   described(key), languages[0]))
    return missing


def missing_in(state: SessionState) -> list[Missing]:
    """``untranslated`` of a session as its log holds it: the agenda it opened with and every
    addendum, in agenda order."""
    if state.definition is None:
        return []
    items = [state.items[item_id].item for item_id in state.item_order]
    found = holders(state.definition.session, items, state.definition.declaration)
    return untranslated(found, state.definition.session.languages)


def untranslated_in(state: SessionState) -> list[str]:
    """``missing_in``'s sentences, one per text."""
    return [missing.sentence for missing in missing_in(state)]
