"""Load an agenda file and its roster into one validated ``SessionDefinition``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from near_tui.core.agenda_schema import MEMBER_LIST, Agenda, Roster, describe_error, languages_context
from near_tui.core.countries import DEFAULT_COUNTRY_NAMES
from near_tui.core.definition import SessionDefinition, item_problem
from near_tui.core.errors import InputError
from near_tui.core.schema import Member
from near_tui.core.untranslated import holders, untranslated

from .yaml_lines import line_of, load_yaml


def _validate(model, data: Any, file: Path, node: yaml.Node | None, prefix: tuple = (),
              context: dict[str, Any] | None = None):
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data, context=context)
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also makes the right one "missing"; the misspelling is what to fix.
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        error = {**error, "loc": prefix + tuple(error["loc"])}
        raise InputError(str(file), line_of(node, error["loc"]), describe_error(error, model)) from None


def _node_at(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def load_roster(path: Path, countries: dict[str, str] | None = None) -> tuple[tuple[Member, ...], Path, yaml.Node | None]:
    """The roster file's members; its ``countries:`` names are added to ``countries`` (if given)."""
    data, node = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(str(path), 1, "a roster file is a mapping with a 'members:' list — run `near-tui sample DIR` for an example (DIR/members-2018.yaml)")
    roster = _validate(Roster, data, path, node)
    if countries is not None:
        countries.update(roster.countries)
    members_node = _node_at(node, "members")
    members = tuple(m.record() for m in roster.members)
    _check_member_ids(members, path, members_node, ())
    return members, path, members_node


def _check_member_ids(members, file: Path, seq_node, prefix: tuple) -> None:
    seen: dict[str, int] = {}
    for index, member in enumerate(members):
        if member.id in seen:
            raise InputError(
                str(file), line_of(seq_node, prefix + (index,)),
                f"member id {member.id!r} is listed twice (entries {seen[member.id] + 1} and {index + 1}) — ids must be unique",
            )
        seen[member.id] = index


def load_agenda(path: str | Path) -> SessionDefinition:
    """Read and check an agenda file and its roster; raise InputError on the first problem."""
    path = Path(path)
    data, node = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(str(path), 1, "an agenda file is a mapping with session, roster and items — run `near-tui sample DIR` for an example (DIR/ga12-2018.yaml)")
    # A text may be given in each of the session's languages: the validators need to know them.
    agenda = _validate(Agenda, data, path, node, context=languages_context(data))
    info = agenda.session
    if info.closes is not None and info.closes < info.opens:
        raise InputError(str(path), line_of(node, ("session", "closes")), (
            f"session closes {info.closes.isoformat()}, before it opens ({info.opens.isoformat()}) — "
            "write the last day of the session as closes (or leave closes out for a one-day session)"))

    if isinstance(agenda.roster, str):
        roster_path = (path.parent / agenda.roster)
        if not roster_path.is_file():
            raise InputError(
                str(path), line_of(node, ("roster",)),
                f"roster file {agenda.roster!r} not found next to the agenda — check the name (it is relative to {path.parent}/)",
            )
        countries: dict[str, str] = {}
        members, _, members_node = load_roster(roster_path, countries)
        roster_file = roster_path
    else:
        countries = {}
        roster_file = path
        roster_node = _node_at(node, "roster")
        members = tuple(m.record() for m in _validate(MEMBER_LIST, agenda.roster, path, node, ("roster",)))
        if not members:
            raise InputError(str(path), line_of(node, ("roster",)), "the roster is empty — list the members")
        _check_member_ids(members, path, roster_node, ())
        members_node = roster_node

    items_node = _node_at(node, "items")
    items = tuple(i.record() for i in agenda.items)
    _check_items(items, members, path, items_node, agenda.session.body)
    countries.update(agenda.countries)  # the agenda's names win over its roster's
    known = {**DEFAULT_COUNTRY_NAMES, **countries}
    for index, member in enumerate(members):
        if member.country not in known:
            raise InputError(str(roster_file), line_of(members_node, (index,)) if members_node is not None else 1, (
                f"member {member.id!r}: country {member.country!r} has no name to print — add it under "
                f"countries: (e.g. countries: {{{member.country}: …}}) in the agenda or the roster file"))
    return SessionDefinition(agenda.session.record(), agenda.rules.record(), items, members,
                             None if agenda.declaration is None else agenda.declaration.record(),
                             tuple(sorted(countries.items())))


def _check_items(items, members, file: Path, items_node, body: str) -> None:
    by_id = {m.id: m for m in members}
    seen: dict[str, int] = {}
    admitted: dict[str, str] = {}
    for index, item in enumerate(items):
        if item.id in seen:
            raise InputError(str(file), line_of(items_node, (index,)), f"item id {item.id!r} is used twice (items {seen[item.id] + 1} and {index + 1}) — give each item its own id")
        seen[item.id] = index
        problem = item_problem(item, by_id, admitted, body)
        if problem is not None:
            key, message = problem
            # A missing key points at the item itself (line_of falls back to the nearest parent).
            raise InputError(str(file), line_of(items_node, (index, key)), message)
        for applicant in item.admits:
            admitted[applicant] = item.id




def untranslated_texts(path: str | Path, definition: SessionDefinition) -> list[str]:
    """One line per text the agenda gives in its record language but not in another of its
    languages (``near-tui check`` prints them as warnings): FILE:LINE: what — what happens."""
    languages = definition.session.languages
    if len(languages) < 2:
        return []
    path = Path(path)
    _, node = load_yaml(path)
    found = holders(definition.session, definition.items, definition.declaration)
    return [f"{path}:{line_of(node, missing.where)}: {missing.sentence}" for missing in untranslated(found, languages)]
