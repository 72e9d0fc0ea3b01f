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
from dataclasses import dataclass
from typing import Any

from near_tui.core.schema import DeclarationText, Member
from near_tui.core.state import SessionState
from near_tui.views.verdict import item_verdict

from .countries import country_name

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

BODY_NAMES = {"general_assembly": "General Assembly", "working_committee": "Working Committee"}

# The defaults of an agenda without a `declaration` block (docs/declaration.md).
DEFAULT_CLOSING = ("The member regional governments undertook to carry these decisions forward together, "
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


def join_words(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 member``, ``6 countries``: the count with its word (the declaration, minutes and verify)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _country(code: str) -> str:
    return ("the " if code in ("KR", "RU") else "") + country_name(code)


def _member_of(member: Member) -> str:
    """``Akita Prefecture 秋田県 of Japan``, ``Sakha Republic (Yakutia) … of the Russian Federation``."""
    return f"{member.full_name} of {_country(member.country)}"


def _by_country(counts: list[dict[str, Any]]) -> str:
    return join_words([f"{c['name']} ({c['count']})" for c in counts])


def _rule_text(item: dict[str, Any], abstentions_cast: bool) -> str:
    """The threshold with its figures, e.g. ``at least two-thirds of the votes cast (33 of 49)``."""
    if item.get("members_with_vote") is not None:
        return f"more than half of the members with the right to vote ({item['required_yes']} of {item['members_with_vote']})"
    cast = "the votes cast, abstentions included" if abstentions_cast else "the votes cast"
    share = "at least two-thirds" if item["rule"] == "two_thirds" else "more than half"
    return f"{share} of {cast} ({item['required_yes']} of {item['cast']})"


def _reading_text(item: dict[str, Any]) -> str:
    """Which reading of Subcommittee Regulations Art. 5.8 decided (docs/rules.md), as a clause."""
    return {"votes_cast": ", reading Subcommittee Regulations Art. 5.8 as a majority of the votes cast",
            "members_with_vote": ", reading Subcommittee Regulations Art. 5.8 literally"}.get(item.get("reading"), "")


def _tally_text(item: dict[str, Any]) -> str:
    words = [f"{item['yes']} in favour", f"{item['no']} against", f"{item['abstain']} abstaining"]
    if item["not_voting"]:
        words.append(f"{item['not_voting']} not voting")
    return join_words(words)


def _figures_line(item: dict[str, Any], record: dict[str, Any]) -> str:
    """The vote figures of a closed roll call (only with ``declaration.tallies: true``)."""
    quorum = (f"{item['participating']} of the {item['quorum_base']} members took part "
              f"(quorum: {item['quorum_required']})")
    if item["outcome"] == "no_quorum":
        return f"Answers on record: {_tally_text(item)}; {quorum}."
    abst = record["rules"].get("abstentions_count_as_cast", False)
    return (f"Roll call: {_tally_text(item)}. It needed {_rule_text(item, abst)} to pass"
            f"{_reading_text(item)}; {quorum}.")


NOT_TAKEN_UP = "This item was not taken up."


def _decision_lines(state: SessionState, item: dict[str, Any], record: dict[str, Any],
                    tallies: bool, body: str) -> list[str]:
    entry = state.items[item["id"]].item
    verdict = item_verdict(state, item["id"])
    if not verdict.final:
        return [NOT_TAKEN_UP if verdict.code == "not_opened" else "This item was still open when the session closed."]
    words = entry.resolution
    lines: list[str] = []
    if verdict.code == "no_quorum":
        lines.append("No decision was taken on this item: fewer members took part in the vote than the "
                     "quorum requires (Charter Art. 9).")
    elif verdict.code == "carried":
        if words and words.carried:
            lines.append(words.carried)
        elif not item.get("admitted"):  # an admission's own sentence follows
            lines.append(f"The {body} approved it.")
    else:  # not_carried
        lines.append(words.not_carried if words and words.not_carried else f"The {body} did not approve it.")
    admitted = item.get("admitted") or []
    if verdict.code == "carried" and admitted:
        fig = record["figures"]
        count = (f"the Association now counts {plural(fig['members_at_end'], 'member')} from "
                 f"{plural(fig['countries_at_end'], 'country', 'countries')} and "
                 f"{plural(fig['associates_at_end'], 'associate member')}.")
        who = join_words([_member_of(state.members[m]) for m in admitted])
        one = len(admitted) == 1
        # The resolution text says who was admitted in the agenda's words; the names in every
        # script and the new count come from the record.
        lines.append(f"{who} {'was' if one else 'were'} thereby admitted as "
                     f"{'a member' if one else 'members'}; {count}")
    if tallies:
        lines.append(_figures_line(item, record))
    return lines


def _other_lines(state: SessionState, item_id: str, body: str) -> list[str]:
    entry = state.items[item_id].item
    verdict = item_verdict(state, item_id)
    if verdict.code == "elected":
        chosen = [state.members[m] for m in state.items[item_id].elected if m in state.members]
        who = join_words([_member_of(m) for m in chosen])
        was = "was" if len(chosen) == 1 else "were"
        if entry.office:
            return [f"{who} {was} elected {entry.office}."]
        return [f"{who} {was} elected."]
    if verdict.code == "adopted":
        words = entry.resolution
        return [words.carried if words and words.carried else f"The {body} adopted it by consensus."]
    if verdict.code == "not_adopted":
        words = entry.resolution
        return [words.not_carried if words and words.not_carried
                else "Consensus was not reached; the item was not adopted."]
    if verdict.code == "noted":
        return [entry.noted or f"The {body} took note of the {entry.kind}."]
    return [NOT_TAKEN_UP]


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
                 body: str, tallies: bool) -> list[Block]:
    held = state.items[item["id"]]
    blocks = [Block("subheading", f"{item['id']}. {item['title']}")]
    if held.added:
        blocks.append(Block("paragraph", "Added to the agenda during the session."))
    if held.status in ("withdrawn", "postponed"):
        said = "withdrawn from the agenda" if held.status == "withdrawn" else "postponed to a later session"
        why = f" {held.reason.rstrip('.')}." if held.reason else ""
        blocks.append(Block("paragraph", f"This item was {said}.{why}"))
        return blocks
    verdict = item_verdict(state, item["id"])
    if item.get("description") and not _own_words(state, item["id"]) and verdict.final:
        blocks.append(Block("paragraph", item["description"]))
    if item.get("delegated_by"):
        blocks.append(Block("paragraph", f"Delegated to the {body} by the General Assembly "
                                         f"(Charter Art. 11.5): {item['delegated_by'].rstrip('.')}."))
    lines = (_decision_lines(state, item, record, tallies, body) if item["kind"] == "decision"
             else _other_lines(state, item["id"], body))
    blocks.extend(Block("paragraph", line) for line in lines)
    return blocks


def build_blocks(record: dict[str, Any], state: SessionState) -> list[Block]:
    """The declaration of the session ``record`` was built from; ``state`` is the same log folded
    (``SessionState.from_events(events)``), for the verdicts and the agenda's own words."""
    session, fig = record["session"], record["figures"]
    text = state.definition.declaration if state.definition is not None else None
    text = text or DeclarationText()
    body = BODY_NAMES.get(session["body"], session["body"])
    blocks = [
        Block("title", f"Declaration of the {session['title']}"),
        Block("subtitle", "Association of North East Asia Regional Governments (NEAR)"),
        Block("paragraph", f"The {session['title']} was held in {session['venue']}, "
                           f"{date_span(session['opens'], session.get('closes'))}."),
    ]

    countries = fig["attending_by_country"]
    if fig["attending"]:
        line = (f"It was attended by representatives of {plural(fig['attending'], 'member regional government')} "
                f"from {plural(len(countries), 'country', 'countries')}: {_by_country(countries)}.")
    else:
        line = "No member regional government was represented in person or online."
    blocks.append(Block("paragraph", line))
    letter_part = (f", {fig['by_letter']} of them by written letter of decision" if fig["by_letter"] else "")
    blocks.append(Block("paragraph",
                        f"In all, {plural(fig['taking_part'], 'member regional government')} took part in "
                        f"the decisions of the {body}{letter_part}."))
    verdicts = {i["id"]: item_verdict(state, i["id"]).code for i in record["items"]
                if i["kind"] == "decision" and state.items[i["id"]].status == "closed"}
    short = [i for i, code in verdicts.items() if code == "no_quorum"]
    if short:
        blocks.append(Block("paragraph", f"The quorum was not reached on item{'s' if len(short) > 1 else ''} "
                                         f"{join_words(short)}."))
    elif verdicts:
        blocks.append(Block("paragraph", "More than half of the members took part in every vote, so each "
                                         "decision had its quorum (Charter Art. 9)."))

    blocks.extend(Block("paragraph", p) for p in text.preamble)

    blocks.append(Block("heading", "Members represented, by country"))
    _member_lists(blocks, record, state, lambda m: m["attended"] and m["status"] == "member")
    if fig["by_letter"]:
        blocks.append(Block("heading", "Members taking part by written letter, by country"))
        _member_lists(blocks, record, state, lambda m: m["by_letter"])
    others = fig["other_participants_attending"]
    if others:
        blocks.append(Block("paragraph", "Also present, without a vote: " + join_words(
            [f"{state.members[m].full_name} ({country_name(state.members[m].country)}, {state.members[m].status})"
             for m in others]) + "."))

    blocks.append(Block("heading", "Decisions"))
    blocks.append(Block("paragraph", f"The participating members of the {body} discussed the agenda "
                                     "with the following results."))
    for item in record["items"]:
        blocks.extend(_item_blocks(state, item, record, body, text.tallies))

    blocks.append(Block("rule"))
    blocks.append(Block("paragraph", text.closing or DEFAULT_CLOSING))
    blocks.append(Block("paragraph", f"{session['venue']}, {long_date(session.get('closes') or session['opens'])}."))
    signatories = text.signatories or ()
    if signatories:
        blocks.extend(Block("signature", s.name, s.title) for s in signatories)
    else:
        # No signatories named: one line for whoever presided to sign.
        blocks.append(Block("signature", "", f"Chair of the {body}"))
    blocks.append(Block("note", f"Session {session['id']}. The minutes of the session hold the full record, "
                                "vote by vote."))
    return blocks


def _member_lists(blocks: list[Block], record: dict[str, Any], state: SessionState, keep) -> None:
    grouped: dict[str, list[str]] = {}
    for member in record["members"]:
        if keep(member):
            grouped.setdefault(member["country"], []).append(state.members[member["id"]].full_name)
    for code, names in grouped.items():
        blocks.append(Block("bullet", f"{country_name(code)} ({len(names)}): {', '.join(names)}"))


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(text: str) -> str:
    text = text.translate(_MD_SPECIAL)
    # A paragraph that starts like a numbered list ("1. ") would be renumbered by a renderer.
    head, dot, rest = text.partition(". ")
    if dot and head.isdigit() and not text.startswith("#"):
        text = f"{head}\\. {rest}"
    return text


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
            out.append(f"### {block.text.translate(_MD_SPECIAL)}")
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


def declaration_markdown(record: dict[str, Any], state: SessionState) -> bytes:
    return render_markdown(build_blocks(record, state)).encode("utf-8")
