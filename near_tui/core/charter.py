"""The Charter's decision rules, one function each, with the article it implements.

Pure arithmetic on whole numbers: no floats, no I/O, no Textual. Every reading
taken where the text is silent or ambiguous is stated in docs/rules.md, with
the ``schema.Rules`` option that switches it.
"""

from __future__ import annotations

from typing import Literal

from .schema import Body, Member, Rules, Sub58Reading

Rule = Literal["two_thirds", "majority"]
Outcome = Literal["carried", "not_carried"]

TWO_THIRDS: Rule = "two_thirds"
MAJORITY: Rule = "majority"

SUB_5_8 = "sub-5.8"
VOTES_CAST: Sub58Reading = "votes_cast"
MEMBERS_WITH_VOTE: Sub58Reading = "members_with_vote"

# Charter Art. 9-2: in a year without a General Assembly the Working Committee may decide the
# items of Art. 8 clauses 1, 7 and 8; Subcommittee Regulations Art. 5.8 gives it coordinator
# replacements. Anything else it decides only by delegation (Art. 11.5).
WORKING_COMMITTEE_ARTICLES = frozenset({"8.1", "8.7", "8.8", SUB_5_8})


def rule_for_article(article: str | None) -> Rule | None:
    """Charter Art. 9.2 / 9.3: which threshold a decision under an Art. 8 clause needs.

    Art. 8 clauses 1-5 (admission and dismissal, fees, Charter amendment,
    dissolution, Secretariat venue) need two-thirds of the members voting
    (Art. 9.2). Clauses 6-11 need more than half (Art. 9.3), and so does the
    replacement of a subcommittee coordinator (Subcommittee Regulations Art. 5.8).
    """
    if article is None:
        return None
    if article == SUB_5_8:
        return MAJORITY
    clause = int(article.split(".", 1)[1])
    return TWO_THIRDS if clause <= 5 else MAJORITY


def sub58_reading(article: str | None, rules: Rules) -> Sub58Reading | None:
    """Subcommittee Regulations Art. 5.8: which reading of "a majority (more than half) yes vote" applies.

    None for any item not decided under Art. 5.8. ``rules.sub58_majority_of`` chooses:
    ``votes_cast`` (the default: more than half of the votes cast, as Charter Art. 9.3) or
    ``members_with_vote`` (the literal reading: more than half of the members with the right
    to vote, see ``majority_of_members_with_vote``).
    """
    return rules.sub58_majority_of if article == SUB_5_8 else None


def needs_delegation(body: Body, article: str | None) -> bool:
    """Charter Art. 9-2 and 11.5: a Working Committee decision outside its own competence.

    The Working Committee decides Art. 8 clauses 1, 7 and 8 (Art. 9-2) and coordinator
    replacements (Subcommittee Regulations Art. 5.8) itself; any other decision needs the
    General Assembly's delegation. Art. 9-2 holds "in years that the General Assembly is not
    held", which one agenda cannot show: the agenda is taken at its word (docs/rules.md).
    """
    return body == "working_committee" and article is not None and article not in WORKING_COMMITTEE_ARTICLES


def is_member(member: Member) -> bool:
    """Charter Art. 4-5: only member regional governments sit with a vote.

    Associate members (Art. 5-2), observers and applicants not yet admitted
    (Art. 8.1) take no part in quorum or votes.
    """
    return member.status == "member"


def may_vote(member: Member) -> bool:
    """Charter Art. 9.1: one vote per member, unless restricted under Fee Regs Art. 6."""
    return is_member(member) and member.voting == "full"


def has_right_to_vote(member: Member) -> bool:
    """Subcommittee Regulations Art. 5.8 "the members with the right to vote" (literal reading).

    Members with a full vote, present or not: absence does not take the right away, and a
    member restricted under Fee Regs Art. 6 has lost it (Fee Regs Art. 6 speaks of the right
    "to vote at the General Assembly and the Working Committee").
    """
    return may_vote(member)


def in_quorum_base(member: Member, rules: Rules) -> bool:
    """Charter Art. 9.2/9.3 "members present": the base is the members on the roster.

    A member whose vote is restricted (Fee Regs Art. 6) is still a member, so by
    default it stays in the base; ``restricted_count_toward_quorum: false``
    leaves it out of both the base and the count.
    """
    if not is_member(member):
        return False
    return member.voting == "full" or rules.restricted_count_toward_quorum


def quorum_required(base: int) -> int:
    """Charter Art. 9.2/9.3: "more than half of the members present" — the least count that is."""
    return base // 2 + 1


def quorum_met(participating: int, base: int) -> bool:
    """Charter Art. 9.2/9.3: more than half of the members take part (2p > base)."""
    return 2 * participating > base


def votes_cast(yes: int, no: int, abstain: int, rules: Rules) -> int:
    """Charter Art. 9.2/9.3 "members voting": yes + no (UN GA rule 86), or with abstentions if the rules say so."""
    return yes + no + (abstain if rules.abstentions_count_as_cast else 0)


def is_carried(rule: Rule, yes: int, cast: int, *, of_members_with_vote: int | None = None) -> bool:
    """Charter Art. 9.2 (two-thirds: 3*yes >= 2*cast) and 9.3 (more than half: 2*yes > cast).

    Nothing is carried with no vote cast. ``of_members_with_vote`` is given only under the
    literal reading of Subcommittee Regulations Art. 5.8, and then replaces ``cast`` as the
    count the majority is taken of (``majority_of_members_with_vote``).
    """
    if of_members_with_vote is not None:
        return majority_of_members_with_vote(rule, yes, of_members_with_vote)
    if cast <= 0:
        return False
    if rule == TWO_THIRDS:
        return 3 * yes >= 2 * cast
    return 2 * yes > cast


def majority_of_members_with_vote(rule: Rule, yes: int, with_vote: int) -> bool:
    """Subcommittee Regulations Art. 5.8, literal reading: "the members with the right to vote
    cast a majority (more than half) yes vote" — 2*yes > the members with the right to vote.

    Abstentions, members not voting and absent members all weigh like a no. Nine members with a
    vote and four yes: not carried, whatever the number of votes cast.
    """
    if rule != MAJORITY:
        raise ValueError("the Art. 5.8 literal reading is a majority rule")
    return with_vote > 0 and 2 * yes > with_vote


def required_yes(rule: Rule, cast: int, *, of_members_with_vote: int | None = None) -> int:
    """The least yes that carries with ``cast`` members voting (at least 1).

    Under the literal Art. 5.8 reading (``of_members_with_vote`` given) the least yes that is
    more than half of the members with the right to vote, whatever is cast.
    """
    if of_members_with_vote is not None:
        return of_members_with_vote // 2 + 1
    if rule == TWO_THIRDS:
        need = -(-2 * cast // 3)  # ceil(2*cast/3) in integers
    else:
        need = cast // 2 + 1
    return max(1, need)


def certain_outcome(rule: Rule, yes: int, no: int, abstain: int, uncalled: int, rules: Rules,
                    *, of_members_with_vote: int | None = None) -> Outcome | None:
    """The outcome once no answer of the uncalled members can change it, else None.

    Each uncalled answer moves the margin by a fixed step: a yes raises it, a
    no lowers it most, an abstention or no answer sits between. So the two
    extreme cases (all yes, all no) bound every possibility. Under the literal
    Art. 5.8 reading only the yes count moves, so the same two cases bound it.
    """
    base = of_members_with_vote
    best = is_carried(rule, yes + uncalled, votes_cast(yes + uncalled, no, abstain, rules),
                      of_members_with_vote=base)
    worst = is_carried(rule, yes, votes_cast(yes, no + uncalled, abstain, rules), of_members_with_vote=base)
    if worst:
        return "carried"
    if not best:
        return "not_carried"
    return None
