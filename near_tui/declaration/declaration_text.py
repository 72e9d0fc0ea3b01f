"""The declaration's text, built from the record as a list of blocks, then written as Markdown.

The blocks are shared with the PDF, so both say exactly the same thing. The
shape follows a NEAR assembly declaration: where and when, who attended and
who took part, the numbered decisions with their outcome and tally, and the
closing lines. Every sentence is composed here from the record's figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .countries import country_name

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

BODY_NAMES = {"general_assembly": "General Assembly", "working_committee": "Working Committee"}


@dataclass(frozen=True)
class Block:
    kind: str  # title | subtitle | heading | subheading | paragraph | bullet | rule | note
    text: str = ""


def long_date(iso: str) -> str:
    """``2018-10-29`` → ``29 October 2018`` (no locale involved)."""
    day = dt.date.fromisoformat(iso[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _when(session: dict[str, Any]) -> str:
    opens, closes = session["opens"], session.get("closes")
    if not closes or closes == opens:
        return f"on {long_date(opens)}"
    return f"from {long_date(opens)} to {long_date(closes)}"


def join_words(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _member_of(member: dict[str, Any]) -> str:
    """``Akita Prefecture of Japan``, ``Sakha Republic (Yakutia) of the Russian Federation``."""
    name = country_name(member["country"])
    article = "the " if member["country"] in ("KR", "RU") else ""
    return f"{member['name']} of {article}{name}"


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


def _decision_lines(item: dict[str, Any], record: dict[str, Any], names: dict[str, dict]) -> list[str]:
    outcome = item["outcome"]
    abst = record["rules"].get("abstentions_count_as_cast", False)
    quorum = (f"{item['participating']} of the {item['quorum_base']} members took part "
              f"(quorum: {item['quorum_required']}).")
    if outcome == "pending":
        return ["This item was not put to the vote."]
    if outcome == "no_quorum":
        return [f"No decision was taken: only {item['participating']} of the {item['quorum_base']} members "
                f"took part, fewer than the {item['quorum_required']} a quorum requires. "
                f"Answers on record: {_tally_text(item)}."]
    verdict = "Approved" if outcome == "carried" else "Not approved"
    lines = [f"{verdict} by roll call: {_tally_text(item)}. It needed "
             f"{_rule_text(item, abst)} to pass{_reading_text(item)}; {quorum}"]
    admitted = item.get("admitted") or []
    if admitted:
        who = join_words([_member_of(names[m]) for m in admitted])
        fig = record["figures"]
        lines.append(
            f"{who} {'was' if len(admitted) == 1 else 'were'} accordingly admitted as "
            f"{'a member' if len(admitted) == 1 else 'members'}. The Association now counts "
            f"{_plural(fig['members_at_end'], 'member')} from {_plural(fig['countries_at_end'], 'country', 'countries')}"
            f" and {_plural(fig['associates_at_end'], 'associate member')}."
        )
    return lines


def _other_lines(item: dict[str, Any], body: str) -> list[str]:
    kind, outcome = item["kind"], item["outcome"]
    if kind == "election":
        if outcome != "elected":
            return ["No election was recorded for this item."]
        chosen = join_words([_member_of(e) for e in item["elected"]])
        return [f"Elected: {chosen}."]
    if kind == "consensus":
        return {"adopted": ["Approved by consensus of the participating members."],
                "not_adopted": ["Consensus was not reached; the item was not approved."]}.get(
            outcome, ["No decision was recorded for this item."])
    if outcome == "noted":
        return [f"The {body} took note of it."]
    return ["This item was not taken up."]


def build_blocks(record: dict[str, Any]) -> list[Block]:
    session, fig, log = record["session"], record["figures"], record["log"]
    body = BODY_NAMES.get(session["body"], session["body"])
    names = {m["id"]: m for m in record["members"]}
    blocks = [
        Block("title", f"Declaration of the {session['title']}"),
        Block("subtitle", "Association of North East Asia Regional Governments (NEAR)"),
        Block("paragraph", f"The {session['title']} was held in {session['venue']} {_when(session)}."),
    ]

    countries = fig["attending_by_country"]
    if fig["attending"]:
        text = (f"Representatives of {_plural(fig['attending'], 'member regional government')} from "
                f"{_plural(len(countries), 'country', 'countries')} attended: {_by_country(countries)}.")
    else:
        text = "No member regional government was represented in person or online."
    blocks.append(Block("paragraph", text))
    letter_part = (f", {fig['by_letter']} of them by written letter of decision" if fig["by_letter"] else "")
    blocks.append(Block("paragraph",
                        f"In all, {_plural(fig['taking_part'], 'member regional government')} took part in "
                        f"the decisions of the {body}{letter_part}."))
    decisions = [i for i in record["items"] if i["kind"] == "decision" and i["outcome"] != "pending"]
    if decisions:
        short = [i["id"] for i in decisions if not i["quorum_met"]]
        if short:
            blocks.append(Block("paragraph", f"The quorum was not reached on item(s) {join_words(short)}."))
        else:
            blocks.append(Block("paragraph",
                                "More than half of the members took part in every vote, so each decision "
                                "had its quorum (Charter Art. 9)."))

    blocks.append(Block("heading", "Members represented, by country"))
    _member_lists(blocks, record, lambda m: m["attended"] and m["status"] == "member")
    if fig["by_letter"]:
        blocks.append(Block("heading", "Members taking part by written letter, by country"))
        _member_lists(blocks, record, lambda m: m["by_letter"])
    others = fig["other_participants_attending"]
    if others:
        blocks.append(Block("paragraph", "Also present, without a vote: " + join_words(
            [f"{names[m]['name']} ({country_name(names[m]['country'])}, {names[m]['status']})" for m in others]
        ) + "."))

    blocks.append(Block("heading", "Decisions"))
    blocks.append(Block("paragraph",
                        f"Having gone through the agenda, the participating members of the {body} "
                        "reached the following results."))
    for item in record["items"]:
        blocks.append(Block("subheading", f"{item['id']}. {item['title']}"))
        if item.get("description"):
            blocks.append(Block("paragraph", item["description"]))
        if item.get("delegated_by"):
            blocks.append(Block("paragraph", f"Delegated to the {body} by the General Assembly "
                                             f"(Charter Art. 11.5): {item['delegated_by'].rstrip('.')}."))
        lines = (_decision_lines(item, record, names) if item["kind"] == "decision"
                 else _other_lines(item, body))
        blocks.extend(Block("paragraph", line) for line in lines)

    blocks.append(Block("rule"))
    blocks.append(Block("paragraph",
                        "The member regional governments undertook to carry these decisions forward "
                        "together, in the spirit of trust and cooperation on which the Association rests."))
    blocks.append(Block("paragraph", f"{session['venue']}, {long_date(session.get('closes') or session['opens'])}."))
    closed = f", closed at {log['closed_at']} (UTC)" if log.get("closed_at") else ", not closed"
    blocks.append(Block("note",
                        f"Written by near-tui from the log of session {session['id']}: {log['events']} events"
                        f"{closed}; chain head {log['chain_head']}. The signed full record is record.json; "
                        "each vote, member by member, is in record.csv."))
    return blocks


def _member_lists(blocks: list[Block], record: dict[str, Any], keep) -> None:
    grouped: dict[str, list[str]] = {}
    for member in record["members"]:
        if keep(member):
            grouped.setdefault(member["country"], []).append(member["name"])
    for code, names in grouped.items():
        blocks.append(Block("bullet", f"{country_name(code)} ({len(names)}): {', '.join(names)}"))


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


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
            out.append(f"### {text}")
        elif block.kind == "bullet":
            out.append(f"- {text}")
        elif block.kind == "rule":
            out.append("---")
        elif block.kind == "note":
            out.append(f"*{text}*")
        else:
            out.append(text)
        previous = block.kind
    return "\n\n".join(out) + "\n"


def declaration_markdown(record: dict[str, Any]) -> bytes:
    return render_markdown(build_blocks(record)).encode("utf-8")
