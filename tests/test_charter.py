"""Charter Art. 9 arithmetic: boundaries, and a property test against an independent implementation."""

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, strategies as st

from near_tui import charter
from near_tui.schema import Rules

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
    assert charter.quorum_required(base) == min(p for p in range(base + 2) if charter.quorum_met(p, base))


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
