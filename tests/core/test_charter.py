"""Charter Art. 9 arithmetic: boundaries, and a property test against an independent implementation."""

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, strategies as st

from near_tui.core import charter
from near_tui.core.schema import Rules

DEFAULT = Rules()
WITH_ABSTAIN = Rules(abstentions_count_as_cast=True)


@pytest.mark.parametrize("article, rule", [
    ("8.1", "two_thirds"), ("8.2", "two_thirds"), ("8.3", "two_thirds"), ("8.4", "two_thirds"),
    ("8.5", "two_thirds"), ("8.6", "majority"), ("8.7", "majority"), ("8.10", "majority"),
    ("8.11", "majority"), ("sub-5.8", "majority"), (None, None),
])
def test_article_picks_the_threshold(article, rule):
    assert charter.rule_for_article(article) == rule


@pytest.mark.parametrize("yes, cast, carried", [
    (2, 3, True),    # exactly two-thirds carries
    (1, 2, False),   # one short
    (20, 30, True),
    (19, 29, False),  # 19/29 = 0.655.. one short of 2/3
    (33, 49, True),   # 33/49 = 0.673
    (32, 49, False),
    (0, 0, False),   # nothing cast never carries
    (1, 1, True),
])
def test_two_thirds_boundaries(yes, cast, carried):
    assert charter.is_carried("two_thirds", yes, cast) is carried


@pytest.mark.parametrize("yes, cast, carried", [
    (2, 4, False),   # a tie is not more than half
    (3, 4, True),
    (3, 5, True),
    (2, 5, False),
    (0, 0, False),
    (1, 1, True),
])
def test_majority_boundaries(yes, cast, carried):
    assert charter.is_carried("majority", yes, cast) is carried


@pytest.mark.parametrize("participating, base, met", [
    (39, 77, True), (38, 77, False),   # 12th GA before Akita: 39 needed
    (39, 78, False), (40, 78, True),   # exactly half is no quorum
    (29, 77, False), (50, 77, True), (50, 78, True),
])
def test_quorum_is_more_than_half(participating, base, met):
    assert charter.quorum_met(participating, base) is met
    # "More than half of the members", counted with exact fractions, not with the code's formula.
    from fractions import Fraction
    assert charter.quorum_required(base) == min(p for p in range(base + 2) if Fraction(p) > Fraction(base, 2))


def test_abstentions_are_not_cast_by_default():
    assert charter.votes_cast(10, 5, 7, DEFAULT) == 15
    assert charter.votes_cast(10, 5, 7, WITH_ABSTAIN) == 22


@pytest.mark.parametrize("rule", ["two_thirds", "majority"])
@pytest.mark.parametrize("cast", range(0, 40))
def test_required_yes_is_the_least_yes_that_carries(rule, cast):
    need = charter.required_yes(rule, cast)
    assert need >= 1
    if cast:
        assert charter.is_carried(rule, need, cast)
        assert not charter.is_carried(rule, need - 1, cast)


# --- an independent reading of Art. 9, with fractions instead of integer tricks ---------------
def reference_carried(rule, yes, no, abstain, count_abstain):
    voting = yes + no + (abstain if count_abstain else 0)
    if voting == 0:
        return False
    share = Fraction(yes, voting)
    return share >= Fraction(2, 3) if rule == "two_thirds" else share > Fraction(1, 2)


def reference_certain(rule, yes, no, abstain, uncalled, count_abstain):
    outcomes = set()
    for answers in product("ynax", repeat=uncalled):
        outcomes.add(reference_carried(
            rule, yes + answers.count("y"), no + answers.count("n"),
            abstain + answers.count("a"), count_abstain))
    if outcomes == {True}:
        return "carried"
    if outcomes == {False}:
        return "not_carried"
    return None


@given(
    rule=st.sampled_from(["two_thirds", "majority"]),
    yes=st.integers(0, 120), no=st.integers(0, 120), abstain=st.integers(0, 120),
    count_abstain=st.booleans(),
)
def test_carried_agrees_with_reference(rule, yes, no, abstain, count_abstain):
    rules = Rules(abstentions_count_as_cast=count_abstain)
    cast = charter.votes_cast(yes, no, abstain, rules)
    assert charter.is_carried(rule, yes, cast) == reference_carried(rule, yes, no, abstain, count_abstain)


@given(
    rule=st.sampled_from(["two_thirds", "majority"]),
    yes=st.integers(0, 12), no=st.integers(0, 12), abstain=st.integers(0, 6),
    uncalled=st.integers(0, 5), count_abstain=st.booleans(),
)
def test_certain_outcome_agrees_with_every_possible_answer(rule, yes, no, abstain, uncalled, count_abstain):
    rules = Rules(abstentions_count_as_cast=count_abstain)
    assert charter.certain_outcome(rule, yes, no, abstain, uncalled, rules) == reference_certain(
        rule, yes, no, abstain, uncalled, count_abstain)


# --- Subcommittee Regulations Art. 5.8: the literal reading (docs/rules.md) ---------------------
@pytest.mark.parametrize("yes, with_vote, carried", [
    (4, 9, False),   # the case that splits the readings: four yes of nine members with a vote
    (5, 9, True),
    (5, 10, False),  # exactly half is not more than half
    (6, 10, True),
    (1, 1, True),
    (0, 0, False),   # nobody with a vote: nothing carries
])
def test_literal_58_reading_boundaries(yes, with_vote, carried):
    # ``cast`` is given as 0 on purpose: under this reading the votes cast do not matter.
    assert charter.is_carried("majority", yes, 0, of_members_with_vote=with_vote) is carried


def test_literal_58_reading_is_a_majority_rule_only():
    with pytest.raises(ValueError):
        charter.is_carried("two_thirds", 3, 3, of_members_with_vote=4)


@pytest.mark.parametrize("article, reading, expected", [
    ("sub-5.8", "votes_cast", "votes_cast"),
    ("sub-5.8", "members_with_vote", "members_with_vote"),
    ("8.11", "members_with_vote", None),  # Art. 9 decisions have no 5.8 reading
    ("8.3", "votes_cast", None),
    (None, "members_with_vote", None),
])
def test_the_58_reading_applies_to_58_items_only(article, reading, expected):
    assert charter.sub58_reading(article, Rules(sub58_majority_of=reading)) == expected


def test_the_58_reading_defaults_to_votes_cast():
    assert Rules().sub58_majority_of == "votes_cast"


@pytest.mark.parametrize("with_vote", range(0, 40))
@pytest.mark.parametrize("cast", [0, 1, 7])
def test_required_yes_under_the_literal_reading(with_vote, cast):
    # The least yes that is more than half of the members with a vote, counted with fractions
    # (at least 1: with nobody entitled nothing can carry, and the figure shown stays 1).
    if with_vote == 0:
        least = 1
    else:
        least = min(y for y in range(with_vote + 1) if Fraction(y, with_vote) > Fraction(1, 2))
    assert charter.required_yes("majority", cast, of_members_with_vote=with_vote) == least


def reference_literal_carried(yes, with_vote):
    return with_vote > 0 and Fraction(yes, with_vote) > Fraction(1, 2)


def reference_literal_certain(yes, uncalled, with_vote):
    # Every answer the uncalled members could give; only their yes answers count under this reading.
    outcomes = {reference_literal_carried(yes + answers.count("y"), with_vote)
                for answers in product("ynax", repeat=uncalled)}
    if outcomes == {True}:
        return "carried"
    if outcomes == {False}:
        return "not_carried"
    return None


@given(
    yes=st.integers(0, 12), no=st.integers(0, 12), abstain=st.integers(0, 6),
    not_voting=st.integers(0, 6), uncalled=st.integers(0, 5), absent=st.integers(0, 12),
    count_abstain=st.booleans(),
)
def test_literal_58_reading_agrees_with_every_possible_answer(yes, no, abstain, not_voting, uncalled, absent,
                                                              count_abstain):
    # The members with a vote are everyone who answered, is still to call, or is absent.
    with_vote = yes + no + abstain + not_voting + uncalled + absent
    rules = Rules(abstentions_count_as_cast=count_abstain, sub58_majority_of="members_with_vote")
    cast = charter.votes_cast(yes, no, abstain, rules)
    assert charter.is_carried("majority", yes, cast, of_members_with_vote=with_vote) == \
        reference_literal_carried(yes, with_vote)
    assert charter.certain_outcome("majority", yes, no, abstain, uncalled, rules,
                                   of_members_with_vote=with_vote) == \
        reference_literal_certain(yes, uncalled, with_vote)


@given(yes=st.integers(0, 40), no=st.integers(0, 40))
def test_the_two_58_readings_agree_when_every_member_with_a_vote_says_yes_or_no(yes, no):
    # Nobody abstained, stayed silent or stayed away: the cast are all the members with a vote.
    cast = charter.votes_cast(yes, no, 0, Rules())
    assert charter.is_carried("majority", yes, cast) == \
        charter.is_carried("majority", yes, cast, of_members_with_vote=yes + no)


@pytest.mark.parametrize("body, article, needs", [
    ("working_committee", "8.1", False), ("working_committee", "8.7", False),
    ("working_committee", "8.8", False), ("working_committee", "sub-5.8", False),
    ("working_committee", "8.2", True), ("working_committee", "8.3", True), ("working_committee", "8.4", True),
    ("working_committee", "8.5", True), ("working_committee", "8.6", True), ("working_committee", "8.9", True),
    ("working_committee", "8.10", True), ("working_committee", "8.11", True),
    ("working_committee", None, False),  # not a decision: no clause to check
    ("general_assembly", "8.3", False), ("general_assembly", "8.11", False),
])
def test_which_working_committee_decisions_need_a_delegation(body, article, needs):
    # Charter Art. 9-2 (clauses 1, 7, 8), Subcommittee Regs 5.8, and Art. 11.5 for the rest.
    assert charter.needs_delegation(body, article) is needs
