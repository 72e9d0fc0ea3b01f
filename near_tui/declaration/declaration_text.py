"""The declaration's text, built from the record as a list of blocks, then written as Markdown.

The blocks are shared with the PDF, so both say exactly the same thing. The shape
follows a NEAR assembly declaration (docs/declaration.md): where and when, who
attended and who took part, the principles the assembly reaffirmed (the agenda's
``declaration.preamble``), the numbered decisions each in its outcome's own words,
the closing commitment and a signature block.

What each item's outcome *is* comes from ``near_tui.views.verdict.item_verdict`` (and an
item's withdrawn/postponed status from the state): this module only chooses the
sentence that says it. Figures (who attended, who took part) come from the record.
The public text carries no vote figures unless the agenda asks for them
(``declaration.tallies: true``), and no clock time and no chain head: those are in
the minutes, record.json, the signatures and the PDF's page foot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list

from near_tui.core.countries import country_in_sentence, country_name
from near_tui.core.schema import DeclarationText, Member
from near_tui.core.state import SessionState
from near_tui.i18n import LOCALES, N_, SOURCE, Words, english_list, words
from near_tui.views.verdict import item_verdict

from . import countries as _marked  # noqa: F401 — the names' catalogue entries

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

def _per_body(w: Words, body: str, general_assembly: str, working_committee: str) -> str:
    """The sentence written for the body that held the session: each language words the two
    bodies in its own grammar (case, gender), so a body's name is never put into a sentence."""
    chosen = general_assembly if body == "general_assembly" else working_committee
    return w._(chosen)

# The defaults of an agenda without a `declaration` block (docs/declaration.md).
DEFAULT_CLOSING = N_("The member regional governments undertook to carry these decisions forward together, "
                     "in the spirit of trust and cooperation on which the Association rests.")
EN_DASH = "\u2013"


@dataclass(frozen=True)
class Block:
    kind: str  # title | subtitle | heading | subheading | paragraph | bullet | rule | note | signature
    text: str = ""
    detail: str = ""  # signature: the signatory's title, printed under the name


def long_date(iso: str) -> str:
    """``2018-10-29`` → ``29 October 2018`` (no locale involved)."""
    day = dt.date.fromisoformat(iso[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_span(opens: str, closes: str | None) -> str:
    """The session's dates as a declaration writes them: ``28–31 October 2018``,
    ``30 October – 2 November 2018``, ``29 October 2018`` for one day."""
    first = dt.date.fromisoformat(opens[:10])
    last = dt.date.fromisoformat(closes[:10]) if closes else first
    if last <= first:
        return long_date(opens)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{EN_DASH}{last.day} {MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]} {EN_DASH} {last.day} {MONTHS[last.month - 1]} {last.year}"
    return f"{long_date(opens)} {EN_DASH} {long_date(last.isoformat())}"


def join_words(parts: list[str], w: Words | None = None) -> str:
    """``a``, ``a and b``, ``a, b and c``; in another language, as it lists (``a、b和c``)."""
    if w is not None and w.code != SOURCE:
        return format_list(parts, locale=LOCALES[w.code]) if parts else ""
    return english_list(parts)


def day_in(w: Words, iso: str) -> str:
    """A date as the declaration's language writes it (``29 October 2018``, ``2018年10月29日``)."""
    return long_date(iso) if w.code == SOURCE else w.date(dt.date.fromisoformat(iso[:10]))


def span_in(w: Words, opens: str, closes: str | None) -> str:
    """The session's dates in the declaration's language."""
    if w.code == SOURCE:
        return date_span(opens, closes)
    first = dt.date.fromisoformat(opens[:10])
    return w.days(first, dt.date.fromisoformat(closes[:10]) if closes else first)


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 member``, ``6 countries``: the count with its word (the declaration, minutes and verify)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


SMALL_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_in(w: Words, n: int) -> str:
    """A count in running prose: in English ``one`` to ``ten`` in words, figures above (``29``)."""
    if w.code == SOURCE and 0 <= n < len(SMALL_NUMBERS):
        return SMALL_NUMBERS[n]
    return w.number(n)


def _country(code: str, w: Words, names: dict[str, str]) -> str:
    """The country inside a sentence: in English with "the" where it takes one ("of the Republic of Korea")."""
    return country_in_sentence(code, names) if w.code == SOURCE else w._(country_name(code, names))


def _member_of(member: Member, w: Words, names: dict[str, str]) -> str:
    """``Akita Prefecture of Japan``, ``the Sakha Republic (Yakutia) of the Russian Federation``: a member
    named inside a sentence by its English name only (its own script is in the member lists), with "the"
    before a republic as English writes it."""
    name = f"the {member.name}" if w.code == SOURCE and "Republic" in member.name.split() else member.name
    return w._("{member} of {country}").format(member=name, country=_country(member.country, w, names))


def sentence_start(text: str, w: Words) -> str:
    """``the Sakha Republic …`` opening a sentence: ``The Sakha Republic …`` (Cyrillic has capitals
    too: a Russian clause ``теперь …`` opens its sentence as ``Теперь …``; Han and Hangul have none)."""
    return text[:1].upper() + text[1:]


def item_heading(state: SessionState, item_id: str, w: Words) -> str:
    """How the declaration heads an item: its ``heading`` (else its title), after its number; an
    addendum is headed without its id, a label of the session (A1), not a number of the agenda."""
    held = state.items[item_id]
    words_ = held.item.text("heading", w.code) if held.item.heading else held.item.text("title", w.code)
    return words_ if held.added else f"{item_id}. {words_}"


def _reopened_line(record: dict[str, Any], w: Words) -> str | None:
    """After a reopening, the declaration of the later close says when, and why."""
    closes = record["log"].get("closes") or []
    if len(closes) < 2 or "after_reopening" not in closes[-1]:
        return None
    again = closes[-1]
    return w._("The session was closed on {closed} and reopened on {reopened} ({reason}). This declaration was "
               "written at its close on {closed_again}; the declaration signed at the earlier close is kept "
               "unchanged beside it.").format(
        closed=day_in(w, closes[-2]["at"]), reopened=day_in(w, again["after_reopening"]["at"]),
        reason=again["after_reopening"]["reason"] or w._("no reason was given"),
        closed_again=day_in(w, again["at"]))


def _by_country(counts: list[dict[str, Any]], w: Words) -> str:
    return join_words([w._("{country} ({count})").format(country=w._(c["name"]), count=w.number(c["count"]))
                       for c in counts], w)


def _rule_text(item: dict[str, Any], abstentions_cast: bool, w: Words) -> str:
    """The threshold with its figures, e.g. ``at least two-thirds of the votes cast (33 of 49)``."""
    figures = {"needed": w.number(item["required_yes"])}
    if item.get("members_with_vote") is not None:
        return w._("more than half of the members with the right to vote ({needed} of {base})").format(
            base=w.number(item["members_with_vote"]), **figures)
    figures["cast"] = w.number(item["cast"])
    if item["rule"] == "two_thirds":
        if abstentions_cast:
            return w._("at least two-thirds of the votes cast, abstentions included ({needed} of {cast})").format(**figures)
        return w._("at least two-thirds of the votes cast ({needed} of {cast})").format(**figures)
    if abstentions_cast:
        return w._("more than half of the votes cast, abstentions included ({needed} of {cast})").format(**figures)
    return w._("more than half of the votes cast ({needed} of {cast})").format(**figures)


def _reading_text(item: dict[str, Any], w: Words) -> str:
    """Which reading of Subcommittee Regulations Art. 5.8 decided (docs/rules.md), as a clause."""
    reading = item.get("reading")
    if reading == "votes_cast":
        return w._(", reading Subcommittee Regulations Art. 5.8 as a majority of the votes cast")
    if reading == "members_with_vote":
        return w._(", reading Subcommittee Regulations Art. 5.8 literally")
    return ""


def _tally_text(item: dict[str, Any], w: Words) -> str:
    said = [w._("{n} in favour").format(n=w.number(item["yes"])),
            w._("{n} against").format(n=w.number(item["no"])),
            w._("{n} abstaining").format(n=w.number(item["abstain"]))]
    if item["not_voting"]:
        said.append(w._("{n} not voting").format(n=w.number(item["not_voting"])))
    return join_words(said, w)


def _figures_line(item: dict[str, Any], record: dict[str, Any], w: Words) -> str:
    """The vote figures of a closed roll call (only with ``declaration.tallies: true``)."""
    quorum = w._("{n} of the {base} members took part (quorum: {quorum})").format(
        n=w.number(item["participating"]), base=w.number(item["quorum_base"]),
        quorum=w.number(item["quorum_required"]))
    if item["outcome"] == "no_quorum":
        return w._("Answers on record: {tally}; {quorum}.").format(tally=_tally_text(item, w), quorum=quorum)
    abst = record["rules"].get("abstentions_count_as_cast", False)
    return w._("Roll call: {tally}. It needed {rule} to pass{reading}; {quorum}.").format(
        tally=_tally_text(item, w), rule=_rule_text(item, abst, w), reading=_reading_text(item, w), quorum=quorum)


NOT_TAKEN_UP = N_("This item was not taken up.")


def _said(words: Any, key: str, w: Words) -> str | None:
    """The agenda's own words for an outcome, in the declaration's language where given."""
    return words.text(key, w.code) if words is not None and getattr(words, key) else None


def _decision_lines(state: SessionState, item: dict[str, Any], record: dict[str, Any],
                    tallies: bool, body: str, w: Words) -> list[str]:
    entry = state.items[item["id"]].item
    verdict = item_verdict(state, item["id"])
    if verdict.code in ("not_opened", "not_taken_up"):
        return [w._(NOT_TAKEN_UP)]
    if not verdict.final:
        return [w._("This item was still open when the session closed.")]
    words = entry.resolution
    lines: list[str] = []
    if verdict.code == "no_quorum":
        lines.append(w._("No decision was taken on this item: fewer members took part in the vote than the "
                         "quorum requires (Charter Art. 9)."))
    elif verdict.code == "carried":
        if _said(words, "carried", w):
            lines.append(_said(words, "carried", w))
        elif not item.get("admitted"):  # an admission's own sentence follows
            lines.append(_per_body(w, body, N_("The General Assembly approved it."),
                                   N_("The Working Committee approved it.")))
    else:  # not_carried
        lines.append(_said(words, "not_carried", w) or _per_body(
            w, body, N_("The General Assembly did not approve it."), N_("The Working Committee did not approve it.")))
    admitted = item.get("admitted") or []
    if verdict.code == "carried" and admitted:
        fig = record["figures"]
        count = w._("the Association now counts {members} from {countries} and {associates}.").format(
            members=w.ngettext("{n} member", "{n} members", fig["members_at_end"]).format(
                n=count_in(w, fig["members_at_end"])),
            countries=w.ngettext("{n} country", "{n} countries", fig["countries_at_end"]).format(
                n=count_in(w, fig["countries_at_end"])),
            associates=w.ngettext("{n} associate member", "{n} associate members", fig["associates_at_end"]).format(
                n=count_in(w, fig["associates_at_end"])))
        if _said(words, "carried", w):
            # The resolution already says who was admitted, in the agenda's words: only the new count.
            lines.append(sentence_start(count, w))
        else:
            who = join_words([_member_of(state.members[m], w, state.country_names) for m in admitted], w)
            lines.append(w.ngettext("{who} was thereby admitted as a member; {count}",
                                    "{who} were thereby admitted as members; {count}",
                                    len(admitted)).format(who=sentence_start(who, w), count=count))
    if tallies:
        lines.append(_figures_line(item, record, w))
    return lines


def _other_lines(state: SessionState, item_id: str, body: str, w: Words) -> list[str]:
    entry = state.items[item_id].item
    verdict = item_verdict(state, item_id)
    if verdict.code == "elected":
        chosen = [state.members[m] for m in state.items[item_id].elected if m in state.members]
        who = sentence_start(join_words([_member_of(m, w, state.country_names) for m in chosen], w), w)
        if entry.office:
            return [w.ngettext("{who} was elected {office}.", "{who} were elected {office}.", len(chosen)).format(
                who=who, office=entry.text("office", w.code))]
        return [w.ngettext("{who} was elected.", "{who} were elected.", len(chosen)).format(who=who)]
    if verdict.code == "adopted":
        return [_said(entry.resolution, "carried", w) or _per_body(
            w, body, N_("The General Assembly adopted it by consensus."),
            N_("The Working Committee adopted it by consensus."))]
    if verdict.code == "not_adopted":
        return [_said(entry.resolution, "not_carried", w)
                or w._("Consensus was not reached; the item was not adopted.")]
    if verdict.code == "noted":
        if entry.noted:
            return [entry.text("noted", w.code)]
        if entry.kind == "presentation":
            return [_per_body(w, body, N_("The General Assembly took note of the presentation."),
                              N_("The Working Committee took note of the presentation."))]
        return [_per_body(w, body, N_("The General Assembly took note of the report."),
                          N_("The Working Committee took note of the report."))]
    return [w._(NOT_TAKEN_UP)]


def _own_words(state: SessionState, item_id: str) -> bool:
    """Whether the agenda gives this item's outcome in its own words (then its description is left out:
    a description says what is proposed, in the present tense, not what was decided)."""
    entry = state.items[item_id].item
    if entry.kind in ("decision", "consensus"):
        return entry.resolution is not None
    if entry.kind == "election":
        return entry.office is not None
    return entry.noted is not None


def _item_blocks(state: SessionState, item: dict[str, Any], record: dict[str, Any],
                 body: str, tallies: bool, w: Words) -> list[Block]:
    held = state.items[item["id"]]
    entry = held.item
    blocks = [Block("subheading", item_heading(state, item["id"], w))]
    if held.added:
        blocks.append(Block("paragraph", w._("Added to the agenda during the session.")))
    if held.status in ("withdrawn", "postponed"):
        said = (w._("This item was withdrawn from the agenda.") if held.status == "withdrawn"
                else w._("This item was postponed to a later session."))
        # The reason was typed at the session, in the record's language.
        why = f" {held.reason.rstrip('.')}." if held.reason else ""
        blocks.append(Block("paragraph", f"{said}{why}"))
        return blocks
    verdict = item_verdict(state, item["id"])
    if item.get("description") and not _own_words(state, item["id"]) and verdict.final:
        blocks.append(Block("paragraph", entry.text("description", w.code)))
    if item.get("delegated_by"):
        # Only a Working Committee's item is delegated (core.definition refuses it at a General Assembly).
        delegated = w._("Delegated to the Working Committee by the General Assembly (Charter Art. 11.5): {decision}.")
        blocks.append(Block("paragraph", delegated.format(decision=item["delegated_by"].rstrip("."))))
    lines = (_decision_lines(state, item, record, tallies, body, w) if item["kind"] == "decision"
             else _other_lines(state, item["id"], body, w))
    blocks.extend(Block("paragraph", line) for line in lines)
    return blocks


def build_blocks(record: dict[str, Any], state: SessionState, language: str = SOURCE) -> list[Block]:
    """The declaration of the session ``record`` was built from, in ``language`` (one of the
    session's languages; the agenda's texts in it where given, else the record's); ``state`` is
    the same log folded (``SessionState.from_events(events)``), for the verdicts and the agenda's
    own words."""
    w = words(language)
    session, fig = record["session"], record["figures"]
    info = state.definition.session if state.definition is not None else None
    title = info.text("title", language) if info is not None else session["title"]
    venue = info.text("venue", language) if info is not None else session["venue"]
    text = state.definition.declaration if state.definition is not None else None
    text = text or DeclarationText()
    body = session["body"]
    blocks = [
        Block("title", w._("Declaration of the {session}").format(session=title)),
        Block("subtitle", w._("Association of North East Asia Regional Governments (NEAR)")),
        Block("paragraph", w._("The {session} was held in {venue}, {dates}.").format(
            session=title, venue=venue, dates=span_in(w, session["opens"], session.get("closes")))),
    ]

    countries = fig["attending_by_country"]
    if fig["attending"]:
        line = w.ngettext(
            "It was attended by representatives of {n} member regional government from {countries}: {list}.",
            "It was attended by representatives of {n} member regional governments from {countries}: {list}.",
            fig["attending"]).format(
            n=count_in(w, fig["attending"]), list=_by_country(countries, w),
            countries=w.ngettext("{n} country", "{n} countries", len(countries)).format(n=count_in(w, len(countries))))
    else:
        line = w._("No member regional government was represented in person or online.")
    blocks.append(Block("paragraph", line))
    blocks.append(Block("paragraph", _took_part(w, body, fig["taking_part"], fig["by_letter"])))
    verdicts = {i["id"]: item_verdict(state, i["id"]).code for i in record["items"]
                if i["kind"] == "decision" and state.items[i["id"]].status == "closed"}
    short = [i for i, code in verdicts.items() if code == "no_quorum"]
    if short:
        blocks.append(Block("paragraph", w.ngettext("The quorum was not reached on item {items}.",
                                                    "The quorum was not reached on items {items}.",
                                                    len(short)).format(items=join_words(short, w))))
    # Only what holds item by item: an item without its quorum is named above; no sentence says every
    # vote had one (the 12th GA's addenda were answered by 29 of 78), each vote's figures are the minutes'.
    reopened = _reopened_line(record, w)
    if reopened:
        blocks.append(Block("paragraph", reopened))

    blocks.extend(Block("paragraph", text.text(f"preamble.{index}", language))
                  for index in range(len(text.preamble)))

    def represented(m: dict[str, Any]) -> bool:
        return m["attended"] and m["status"] == "member"

    if any(represented(m) for m in record["members"]):  # no heading over an empty list (letters only)
        blocks.append(Block("heading", w._("Members represented, by country")))
        _member_lists(blocks, record, state, represented, w)
    if fig["by_letter"]:
        blocks.append(Block("heading", w._("Members taking part by written letter, by country")))
        _member_lists(blocks, record, state, lambda m: m["by_letter"], w)
    others = fig["other_participants_attending"]
    if others:
        blocks.append(Block("paragraph", w._("Also present, without a vote: {list}.").format(list=join_words(
            [w._("{member} ({country}, {status})").format(
                member=state.members[m].full_name,
                country=w._(country_name(state.members[m].country, state.country_names)),
                status=w._(STATUS_WORDS.get(state.members[m].status, state.members[m].status)))
             for m in others], w))))

    blocks.append(Block("heading", w._("Decisions")))
    blocks.append(Block("paragraph", _per_body(
        w, body, N_("The participating members of the General Assembly discussed the agenda with the following results."),
        N_("The participating members of the Working Committee discussed the agenda with the following results."))))
    for item in record["items"]:
        blocks.extend(_item_blocks(state, item, record, body, text.tallies, w))

    blocks.append(Block("rule"))
    blocks.append(Block("paragraph", text.text("closing", language) if text.closing else w._(DEFAULT_CLOSING)))
    blocks.append(Block("paragraph", w._("{venue}, {date}.").format(
        venue=venue, date=day_in(w, session.get("closes") or session["opens"]))))
    signatories = text.signatories or ()
    if signatories:
        blocks.extend(Block("signature", s.name, s.text("title", language)) for s in signatories)
    else:
        # No signatories named: one line for whoever presided to sign.
        blocks.append(Block("signature", "", _per_body(w, body, N_("Chair of the General Assembly"),
                                                       N_("Chair of the Working Committee"))))
    blocks.append(Block("note", w._("Session {session}. The minutes of the session hold the full record, "
                                    "vote by vote.").format(session=session["id"])))
    return blocks


def _took_part(w: Words, body: str, n: int, letters: int) -> str:
    """How many members took part in the decisions, and how many of them by letter."""
    if body == "general_assembly":
        said = (w.ngettext("In all, {n} member regional government took part in the decisions of the General "
                           "Assembly, {letters} of them by written letter of decision.",
                           "In all, {n} member regional governments took part in the decisions of the General "
                           "Assembly, {letters} of them by written letter of decision.", n) if letters else
                w.ngettext("In all, {n} member regional government took part in the decisions of the General Assembly.",
                           "In all, {n} member regional governments took part in the decisions of the General "
                           "Assembly.", n))
    else:
        said = (w.ngettext("In all, {n} member regional government took part in the decisions of the Working "
                           "Committee, {letters} of them by written letter of decision.",
                           "In all, {n} member regional governments took part in the decisions of the Working "
                           "Committee, {letters} of them by written letter of decision.", n) if letters else
                w.ngettext("In all, {n} member regional government took part in the decisions of the Working Committee.",
                           "In all, {n} member regional governments took part in the decisions of the Working "
                           "Committee.", n))
    return said.format(n=count_in(w, n), letters=count_in(w, letters))


# How a participant without a vote is described ("associate", "observer").
STATUS_WORDS = {"associate": N_("associate"), "observer": N_("observer"), "applicant": N_("applicant"),
                "member": N_("member")}


def _member_lists(blocks: list[Block], record: dict[str, Any], state: SessionState, keep, w: Words) -> None:
    grouped: dict[str, list[str]] = {}
    for member in record["members"]:
        if keep(member):
            grouped.setdefault(member["country"], []).append(state.members[member["id"]].full_name)
    for code, names in grouped.items():
        blocks.append(Block("bullet", w._("{country} ({count}): {names}").format(
            country=w._(country_name(code, state.country_names)), count=w.number(len(names)),
            names=w._(", ").join(names))))


# Escaped only where Markdown would act on them, so that the files read cleanly as plain text too
# (">½" stays ">½"): emphasis, code, a link's bracket, a backslash before punctuation, an HTML tag's
# "<", and a line start that would make a heading, a quote or a list.
_MD_INLINE = re.compile(r"([`*_\[\]]|\\(?=[!-/:-@\[-`{-~])|<(?=[A-Za-z/!?]))")
_MD_LINE_START = re.compile(r"^([#>+-]|\d+[.)])(?=\s|$)")


def _md_inline(text: str) -> str:
    return _MD_INLINE.sub(r"\\\1", text)


def _md(text: str) -> str:
    text = _md_inline(text)
    # A paragraph that starts like a heading, a quote or a list item ("1. ") would be read as one.
    return _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


def render_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    previous = ""
    for block in blocks:
        text = _md(block.text)
        if block.kind == "bullet" and previous == "bullet":
            out[-1] += f"\n- {text}"  # consecutive bullets make one list
        elif block.kind == "title":
            out.append(f"# {text}")
        elif block.kind == "subtitle":
            out.append(f"*{text}*")
        elif block.kind == "heading":
            out.append(f"## {text}")
        elif block.kind == "subheading":
            out.append(f"### {_md_inline(block.text)}")
        elif block.kind == "bullet":
            out.append(f"- {text}")
        elif block.kind == "rule":
            out.append("---")
        elif block.kind == "note":
            out.append(f"*{text}*")
        elif block.kind == "signature":
            # The name in bold, the title under it (a backslash ends a line); the PDF adds the line to sign on.
            lines = [f"**{text}**" if text else "", _md(block.detail)]
            out.append("\\\n".join(t for t in lines if t))
        else:
            out.append(text)
        previous = block.kind
    return "\n\n".join(out) + "\n"


def declaration_markdown(record: dict[str, Any], state: SessionState, language: str = SOURCE) -> bytes:
    return render_markdown(build_blocks(record, state, language)).encode("utf-8")
