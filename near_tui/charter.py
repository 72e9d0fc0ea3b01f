"""The Charter's decision rules, one function each, with the article it implements.

Pure arithmetic on whole numbers: no floats, no I/O, no Textual. The readings
chosen where the Charter is silent are the defaults in DOMAIN.md and are
switched by ``schema.Rules``.
"""

from __future__ import annotations

from typing import Literal

from .schema import Member, Rules

Rule = Literal["two_thirds", "majority"]
Outcome = Literal["carried", "not_carried"]

TWO_THIRDS: Rule = "two_thirds"
MAJORITY: Rule = "majority"


def rule_for_article(article: str | None) -> Rule | None:
    """Charter Art. 9.2 / 9.3: which threshold a decision under an Art. 8 clause needs.

    Art. 8 clauses 1-5 (admission and dismissal, fees, Charter amendment,
    dissolution, Secretariat venue) need two-thirds of the members voting
    (Art. 9.2). Clauses 6-11 need more than half (Art. 9.3), and so does the
    replacement of a subcommittee coordinator (Subcommittee Regulations Art. 5.8).
    """
    if article is None:
        return None
    if article == "sub-5.8":
        return MAJORITY
    clause = int(article.split(".", 1)[1])
    return TWO_THIRDS if clause <= 5 else MAJORITY


def is_member(member: Member) -> bool:
    """Charter Art. 4-5: only member regional governments sit with a vote.

    Associate members (Art. 5-2), observers and applicants not yet admitted
    (Art. 8.1) take no part in quorum or votes.
    """
    return member.status == "member"


def may_vote(member: Member) -> bool:
    """Charter Art. 9.1: one vote per member, unless restricted under Fee Regs Art. 6."""
    return is_member(member) and member.voting == "full"


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


def is_carried(rule: Rule, yes: int, cast: int) -> bool:
    """Charter Art. 9.2 (two-thirds: 3*yes >= 2*cast) and 9.3 (more than half: 2*yes > cast).

    Nothing is carried with no vote cast.
    """
    if cast <= 0:
        return False
    if rule == TWO_THIRDS:
        return 3 * yes >= 2 * cast
    return 2 * yes > cast


def required_yes(rule: Rule, cast: int) -> int:
    """The least yes that carries with ``cast`` members voting (at least 1)."""
    if rule == TWO_THIRDS:
        need = -(-2 * cast // 3)  # ceil(2*cast/3) in integers
    else:
        need = cast // 2 + 1
    return max(1, need)


def certain_outcome(rule: Rule, yes: int, no: int, abstain: int, uncalled: int, rules: Rules) -> Outcome | None:
    """The outcome once no answer of the uncalled members can change it, else None.

    Each uncalled answer moves the margin by a fixed step: a yes raises it, a
    no lowers it most, an abstention or no answer sits between. So the two
    extreme cases (all yes, all no) bound every possibility.
    """
    best = is_carried(rule, yes + uncalled, votes_cast(yes + uncalled, no, abstain, rules))
    worst = is_carried(rule, yes, votes_cast(yes, no + uncalled, abstain, rules))
    if worst:
        return "carried"
    if not best:
        return "not_carried"
    return None
