"""The one verdict of an item, in words, for every surface (no I/O, no Textual).

The clerk's indicators, the close dialog, the closed panel, the chair, the web
board, the report table and the agenda lists all call ``verdict`` (a roll call)
or ``item_verdict`` (any item): none of them chooses its own words for an
outcome. A vote open without a quorum says NO QUORUM everywhere, with the
figures that make it so.
"""

from __future__ import annotations

from dataclasses import dataclass

from near_tui.core import charter
from near_tui.core.schema import Rules
from near_tui.core.state import SessionState, Tally

# Tones name a meaning; each surface maps them to its colours, always beside the words.
GOOD, BAD, WARN, LIVE, PLAIN = "good", "bad", "warn", "live", "plain"

OUTCOME_WORDS = {"carried": "CARRIED", "not_carried": "NOT CARRIED", "no_quorum": "NO QUORUM"}
_SYMBOL = {"carried": "✔", "not_carried": "✘", "no_quorum": "⚠"}
_TONE = {"carried": GOOD, "not_carried": BAD, "no_quorum": WARN}


@dataclass(frozen=True)
class Verdict:
    code: str  # carried | not_carried | no_quorum | undecided | not_opened | noted | adopted | ...
    final: bool  # True once it is the outcome on record (vote closed, result recorded)
    words: str  # upper-case words for screens: "CARRIED", "DECIDED: NOT CARRIED", "NO QUORUM"
    symbol: str  # ✔ ✘ ⚠ ● ○ ■, always shown with the words
    tone: str
    reason: str  # one sentence with the figures behind the words

    @property
    def label(self) -> str:
        """Symbol and words: "✔ CARRIED"."""
        return f"{self.symbol} {self.words}"


def _cast_words(t: Tally) -> str:
    if t.members_with_vote is not None:  # Subcommittee Regs Art. 5.8, literal reading
        return f"{t.yes} yes of {t.members_with_vote} members with a vote, {t.required_yes} needed"
    return "no vote cast" if t.cast == 0 else f"{t.yes} yes of {t.cast} cast, {t.required_yes} needed"


def _no_quorum_reason(t: Tally, tense: str) -> str:
    return (f"{t.participating} of {t.quorum_base} members {tense} part; "
            f"a quorum needs {t.quorum_required}")


# An item taken off this session's agenda (docs/rules.md, "Agenda changes during the session").
SET_ASIDE_WORDS = {"withdrawn": ("WITHDRAWN", "⊘", "withdrawn from the agenda"),
                   "postponed": ("POSTPONED", "»", "postponed to a later session")}


def _set_aside(status: str, reason: str | None) -> Verdict:
    words, symbol, said = SET_ASIDE_WORDS[status]
    return Verdict(status, True, words, symbol, PLAIN, f"{said}: {reason}" if reason else said)


def verdict(t: Tally) -> Verdict:
    """What a roll call's tally means, open or closed (Charter Art. 9, docs/rules.md)."""
    if t.status in SET_ASIDE_WORDS:
        return _set_aside(t.status, None)
    if t.status == "pending":
        return Verdict("not_opened", False, "VOTE NOT OPENED", "○", PLAIN, "the roll call has not been opened")
    if t.status == "closed":
        if t.outcome == "no_quorum":
            reason = _no_quorum_reason(t, "took") + ": nothing was decided"
        else:
            reason = _cast_words(t)
        return Verdict(t.outcome, True, OUTCOME_WORDS[t.outcome], _SYMBOL[t.outcome], _TONE[t.outcome], reason)
    # Open: say what closing now would give only when no answer still to come can change it.
    if not t.quorum_met:
        return Verdict("no_quorum", False, "NO QUORUM", "⚠", WARN,
                       _no_quorum_reason(t, "take") + ": closed now, nothing would be decided")
    if t.decided is not None:
        rest = (f"the {t.uncalled} still to call cannot change it" if t.uncalled
                else "every present member has answered")
        return Verdict(t.decided, False, "DECIDED: " + OUTCOME_WORDS[t.decided], _SYMBOL[t.decided],
                       _TONE[t.decided], f"{_cast_words(t)}; {rest}")
    return Verdict("undecided", False, "NOT DECIDED YET", "●", LIVE,
                   f"{t.uncalled} still to call; {_cast_words(t)} so far")


def not_taken_up() -> Verdict:
    """An item still to come when the session closed: the minutes say "not taken up"."""
    return Verdict("not_taken_up", True, "NOT TAKEN UP", "○", PLAIN, "the session closed before it was taken up")


def item_verdict(state: SessionState, item_id: str) -> Verdict:
    """The verdict of any agenda item: a roll call's, or the recorded result of the others."""
    item = state.items[item_id]
    if item.status in SET_ASIDE_WORDS:  # any kind: never voted nor recorded, with the reason why
        return _set_aside(item.status, item.reason)
    if item.item.kind == "decision":
        return verdict(state.tally(item_id))
    if item.result is None:
        return Verdict("pending", False, "TO COME", "○", PLAIN, "not taken up yet")
    if item.result == "noted":
        return Verdict("noted", True, "NOTED", "■", PLAIN, f"the {item.item.kind} was noted")
    if item.result == "adopted":
        return Verdict("adopted", True, "ADOPTED", "✔", GOOD, "adopted by consensus")
    if item.result == "not_adopted":
        return Verdict("not_adopted", True, "NOT ADOPTED", "✘", BAD, "no consensus was reached")
    names = ", ".join(state.members[m].full_name for m in item.elected if m in state.members)
    return Verdict("elected", True, "ELECTED", "✔", GOOD, names)


def article_words(article: str | None, rules: Rules | None = None) -> str:
    """Where an item's rule comes from, for screens: "Charter Art. 8.3", or for a coordinator
    replacement "Subcommittee Regulations Art. 5.8" with the reading ``rules`` choose."""
    if article is None:
        return ""
    if article != charter.SUB_5_8:
        return f"Charter Art. {article}"
    reading = charter.sub58_reading(article, rules) if rules is not None else None
    return "Subcommittee Regulations Art. 5.8" + {
        charter.VOTES_CAST: ", read as more than half of the votes cast",
        charter.MEMBERS_WITH_VOTE: ", literal reading: more than half of all members with a vote",
    }.get(reading, "")


def needed_of(t: Tally) -> str:
    """What ``required_yes`` is counted against, after "N needed": "of 5 cast", "of 9 with a vote"."""
    if t.members_with_vote is not None:  # Subcommittee Regs Art. 5.8, literal reading
        return f"of {t.members_with_vote} with a vote"
    return f"of {t.cast} cast"


def rule_label(rule: str | None, reading: str | None = None) -> str:
    """The threshold in a few characters, for narrow columns (``Tally.rule``, ``Tally.reading``).

    ">½ all": more than half of all the members with a vote (Art. 5.8, literal reading).
    """
    if reading == charter.MEMBERS_WITH_VOTE:
        return ">½ all"
    return {charter.TWO_THIRDS: "⅔", charter.MAJORITY: ">½"}.get(rule, "—")


_RULE_WORDS = {
    charter.TWO_THIRDS: "TWO-THIRDS of members voting",
    charter.MAJORITY: "MORE THAN HALF of members voting",
}


def rule_words(article: str | None, rule: str | None, abstentions_cast: bool, reading: str | None = None) -> str:
    """The threshold in words with the article it comes from, for the chair's and the clerk's screens.

    Pass ``Tally.rule`` and ``Tally.reading``: for a Subcommittee Regulations Art. 5.8 item the
    words say which reading decides (docs/rules.md, "Subcommittee Regulations Art. 5.8: two readings").
    """
    if rule is None:
        return "no vote"
    counted = "yes + no + abstain" if abstentions_cast else "yes + no"
    if reading == charter.MEMBERS_WITH_VOTE:
        return "MORE THAN HALF of all members with a vote · Subcommittee Regs Art. 5.8, literal reading"
    if reading == charter.VOTES_CAST or article == charter.SUB_5_8:
        return f"MORE THAN HALF of votes cast ({counted}) · Subcommittee Regs Art. 5.8, read as votes cast"
    source = f"Charter Art. {'9.2' if rule == charter.TWO_THIRDS else '9.3'}, decision under Art. {article}"
    return f"{_RULE_WORDS[rule]} ({counted}) · {source}"
