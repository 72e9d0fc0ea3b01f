"""``near-tui agenda add|withdraw|postpone|move``: the agenda changed during the session, headless.

Each command records one event in the session's log (docs/rules.md, "Agenda changes during the
session"), checked by the same rules as the clerk's agenda screen. A refusal is one line naming the
flag at fault (``--article: ...``), exit status 2, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from near_tui.core.errors import NearError

from .support import DB_HELP, at_option, friendly, seat_key_option

# The item field (ItemRefused.key) -> the flag that sets it.
FLAGS = {
    "id": "--id", "title": "--title", "kind": "--kind", "article": "--article", "admits": "--admits",
    "description": "--description", "seats": "--seats", "delegated_by": "--delegated-by",
    "carried": "--carried", "not_carried": "--not-carried", "office": "--office", "noted": "--noted",
    "after": "--after", "item": "--item", "reason": "--reason", "heading": "--heading",
}


# The texts --in may give in another language, as flag names (the item's field, "-" for "_").
TRANSLATABLE = ("title", "description", "heading", "office", "noted", "carried", "not-carried")
TRANSLATABLE_FIELDS = {key.replace("-", "_") for key in TRANSLATABLE}


@click.group("agenda")
def agenda() -> None:
    """Change the agenda of a session in progress: add an addendum, withdraw, postpone or move an item."""


def _record(db: str, act: Callable[[Any], Any], at: str | None = None):
    """Open DB, run ``act(session)``; a refused change becomes one line naming its flag."""
    from near_tui.core.state import ItemRefused
    from near_tui.service.session import Session

    session = Session.open(db)
    session.stated_at = at
    try:
        act(session)
        return session.state
    except ItemRefused as exc:
        flag = FLAGS.get(exc.key or "")
        raise NearError(f"{flag}: {exc}" if flag else str(exc)) from None
    finally:
        session.close_log()


@agenda.command("add")
@click.option("--db", required=True, help=DB_HELP)
@click.option("--id", "item_id", required=True, help="The new item's id, unique on the agenda (e.g. A1).")
@click.option("--title", required=True, help="The item's title, as read out.")
@click.option("--kind", required=True, help="decision, election, consensus, report or presentation.")
@click.option("--article", default=None, help="A decision's clause: 8.1 … 8.11 (Charter Art. 8) or sub-5.8.")
@click.option("--admits", default=None, help="Art. 8.1 only: the applicants it admits, ids separated by commas.")
@click.option("--after", default=None, help="The item it follows (default: the end of the agenda).")
@click.option("--description", default=None, help="One paragraph saying what is decided.")
@click.option("--seats", type=int, default=None, help="An election: how many are elected (default 1).")
@click.option("--office", default=None, help="An election: the office it fills.")
@click.option("--noted", default=None, help="A report: what the declaration says of it, a whole sentence in the past tense.")
@click.option("--carried", default=None, help="A decision or consensus: the declaration's sentence if carried, e.g. \"The General Assembly approved …\".")
@click.option("--not-carried", "not_carried", default=None, help="… and if not carried.")
@click.option("--delegated-by", "delegated_by", default=None,
              help="A Working Committee session: the General Assembly decision that delegated it.")
@click.option("--heading", default=None, help="The item's heading in the declaration (default: its title).")
@click.option("--in", "texts", type=(str, str, str), multiple=True, metavar="LANG KEY TEXT",
              help="A text in another of the session's languages, e.g. --in zh title \"推迟首次征收会费\"; "
                   f"KEY is one of {', '.join(TRANSLATABLE)}. Repeat for each text.")
@at_option
@seat_key_option
@friendly
def add(db: str, item_id: str, title: str, kind: str, article: str | None, admits: str | None,
        after: str | None, description: str | None, seats: int | None, office: str | None,
        noted: str | None, carried: str | None, not_carried: str | None, delegated_by: str | None,
        heading: str | None, texts: tuple[tuple[str, str, str], ...], at: str | None) -> None:
    """Add an addendum to the agenda, checked as an item of the agenda file is."""
    item: dict[str, Any] = {"id": item_id, "title": title, "kind": kind}
    optional = {"article": article, "description": description, "seats": seats, "office": office,
                "noted": noted, "delegated_by": delegated_by, "heading": heading}
    item.update({k: v for k, v in optional.items() if v is not None})
    if admits is not None:
        item["admits"] = [a.strip() for a in admits.split(",") if a.strip()]
        if not item["admits"]:
            raise NearError("--admits: names no applicant — give the applicants' ids separated by commas, "
                            "or leave --admits out")
    resolution = {k: v for k, v in (("carried", carried), ("not_carried", not_carried)) if v is not None}
    if resolution:
        item["resolution"] = resolution
    state = _record(db, lambda s: s.add_item(in_languages(item, texts, s.state.definition.session.languages),
                                             after=after), at)
    added = state.items[item_id].item
    where = state.item_order.index(item_id) + 1
    click.echo(f"added item {added.id} ({added.kind}{', Charter Art. ' + added.article if added.article else ''}) "
               f"as item {where} of {len(state.item_order)}")
    # In the words `near-tui check` says of an agenda file's texts, with the flag that gives one.
    from near_tui.core.untranslated import holders, untranslated

    for missing in untranslated(holders(None, [added], None), state.definition.session.languages):
        click.echo(f"--in: {missing.sentence} (add --in {missing.code} {FLAGS[missing.where[-1]][2:]} \"…\")",
                   err=True)


def in_languages(item: dict[str, Any], texts: tuple[tuple[str, str, str], ...],
                 languages: tuple[str, ...]) -> dict[str, Any]:
    """``item`` with each ``--in LANG KEY TEXT`` beside the record language's text, as an agenda
    file writes a text in several languages (``title: {en: …, zh: …}``)."""
    if not texts:
        return item
    item = {**item, "resolution": dict(item.get("resolution", {}))}
    for given_code, key, text in texts:
        code = given_code.lower()  # "ZH" is zh, as language codes are read everywhere else
        _check_language(code, key, languages)
        field = key.replace("-", "_")
        if field not in TRANSLATABLE_FIELDS:
            raise NearError(f"--in: {key!r} is not a text an item has in several languages — use one of "
                            f"{', '.join(TRANSLATABLE)}")
        holder = item["resolution"] if field in ("carried", "not_carried") else item
        if holder.get(field) is None:
            from near_tui.core.schema import LANGUAGE_NAMES  # on use: `near-tui --help` needs no schema

            raise NearError(f"--in: {code} {key} is given without --{key} — give the "
                            f"{LANGUAGE_NAMES[languages[0]]} text too, with --{key} \"…\"")
        given = holder[field]
        holder[field] = {**(given if isinstance(given, dict) else {languages[0]: given}), code: text}
    if not item["resolution"]:
        del item["resolution"]
    return item


def _check_language(code: str, key: str, languages: tuple[str, ...]) -> None:
    """Refuse an ``--in`` language the session cannot take, naming ``--in`` (the flag that gave it)
    rather than the text it would have joined; and the record language itself, which would silently
    replace the text given with ``--title`` (or ``--noted``...) by another."""
    others = ", ".join(languages[1:]) or "none"
    if code == languages[0]:
        raise NearError(f"--in: {code} is this session's record language — its {key} is the one given with "
                        f"--{key} \"…\"; --in gives the same text in another of its languages ({others})")
    if code not in languages:
        from near_tui.core.schema import LANGUAGE_NAMES  # on use: `near-tui --help` needs no schema

        known = "" if code in LANGUAGE_NAMES else f" ({code!r} is not a language near_tui speaks)"
        raise NearError(f"--in: {code} is not one of this session's languages ({', '.join(languages)}){known} — "
                        f"give the text in one of {others}, or leave this --in out")


def _set_aside(verb: str, method: str):
    @agenda.command(verb, help=f"{verb.capitalize()} an item not yet taken up, saying why "
                               f"(it is never voted or recorded at this session).")
    @click.option("--db", required=True, help=DB_HELP)
    @click.option("--item", "item_id", required=True, help="The item's id.")
    @click.option("--reason", required=True, help="Why, in one line (it goes into the minutes).")
    @at_option
    @seat_key_option
    @friendly
    def command(db: str, item_id: str, reason: str, at: str | None) -> None:
        state = _record(db, lambda s: getattr(s, method)(item_id, reason), at)
        click.echo(f"item {item_id} {state.items[item_id].status}: {state.items[item_id].reason}")
    return command


_set_aside("withdraw", "withdraw_item")
_set_aside("postpone", "postpone_item")


@agenda.command("move")
@click.option("--db", required=True, help=DB_HELP)
@click.option("--item", "item_id", required=True, help="The item to move (one not yet taken up).")
@click.option("--after", required=True, help="The item it will follow.")
@at_option
@seat_key_option
@friendly
def move(db: str, item_id: str, after: str, at: str | None) -> None:
    """Move an item not yet taken up to follow another item."""
    state = _record(db, lambda s: s.move_item(item_id, after), at)
    click.echo(f"item {item_id} moved after item {after}: " + ", ".join(state.item_order))
