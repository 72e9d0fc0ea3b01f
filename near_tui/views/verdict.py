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

from .words import N_, _, ngettext

# Tones name a meaning; each surface maps them to its colours, always beside the words.
GOOD, BAD, WARN, LIVE, PLAIN = "good", "bad", "warn", "live", "plain"

OUTCOME_WORDS = {"carried": N_("CARRIED"), "not_carried": N_("NOT CARRIED"), "no_quorum": N_("NO QUORUM")}
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
    # The reason without the figures a roll call's other lines already show (counts, quorum):
    # what a narrow line says instead of cutting the part that says why. "" = the reason itself.
    brief: str = ""
    # The reason only restates figures a roll call's panel shows beside it (yes, cast, needed,
    # still to call): a panel short of lines may leave it out (``why``) and lose nothing.
    figures_only: bool = False

    @property
    def short_reason(self) -> str:
        return self.brief or self.reason

    @property
    def why(self) -> str:
        """What the reason says beyond the figures a roll call's panel shows ("" when nothing)."""
        return self.brief or ("" if self.figures_only else self.reason)

    @property
    def label(self) -> str:
        """Symbol and words: "✔ CARRIED"."""
        return f"{self.symbol} {self.words}"


# Every word below goes through ``_``/``ngettext`` (views.words): English unless the surface
# being built asked for another language (near_tui.i18n.speaking).


def _cast_words(t: Tally) -> str:
    if t.members_with_vote is not None:  # Subcommittee Regs Art. 5.8, literal reading
        return _("{yes} yes of {base} members with a vote, {needed} needed").format(
            yes=t.yes, base=t.members_with_vote, needed=t.required_yes)
    if t.cast == 0:
        return _("no vote cast")
    return _("{yes} yes of {cast} cast, {needed} needed").format(yes=t.yes, cast=t.cast, needed=t.required_yes)


def _no_quorum_brief(closed: bool) -> str:
    return _("nothing was decided") if closed else _("closed now, nothing would be decided")


def _no_quorum_reason(t: Tally, closed: bool) -> str:
    # The count is the base ("of 77 members"): English says "members" for any base, other
    # languages decline the noun after it.
    figures = {"n": t.participating, "base": t.quorum_base, "quorum": t.quorum_required}
    if closed:
        return ngettext("{n} of {base} members took part; a quorum needs {quorum}: nothing was decided",
                        "{n} of {base} members took part; a quorum needs {quorum}: nothing was decided",
                        t.quorum_base).format(**figures)
    return ngettext("{n} of {base} members take part; a quorum needs {quorum}: closed now, nothing would be decided",
                    "{n} of {base} members take part; a quorum needs {quorum}: closed now, nothing would be decided",
                    t.quorum_base).format(**figures)


# An item taken off this session's agenda (docs/rules.md, "Agenda changes during the session").
SET_ASIDE_WORDS = {"withdrawn": (N_("WITHDRAWN"), "⊘", N_("withdrawn from the agenda")),
                   "postponed": (N_("POSTPONED"), "»", N_("postponed to a later session"))}


def _set_aside(status: str, reason: str | None) -> Verdict:
    words, symbol, said = SET_ASIDE_WORDS[status]
    return Verdict(status, True, _(words), symbol, PLAIN, f"{_(said)}: {reason}" if reason else _(said))


def verdict(t: Tally) -> Verdict:
    """What a roll call's tally means, open or closed (Charter Art. 9, docs/rules.md)."""
    if t.status in SET_ASIDE_WORDS:
        return _set_aside(t.status, None)
    if t.status == "pending":
        return Verdict("not_opened", False, _("VOTE NOT OPENED"), "○", PLAIN, _("the roll call has not been opened"))
    if t.status == "closed":
        if t.outcome == "no_quorum":
            return Verdict(t.outcome, True, _(OUTCOME_WORDS[t.outcome]), _SYMBOL[t.outcome], _TONE[t.outcome],
                           _no_quorum_reason(t, closed=True), _no_quorum_brief(closed=True))
        return Verdict(t.outcome, True, _(OUTCOME_WORDS[t.outcome]), _SYMBOL[t.outcome], _TONE[t.outcome],
                       _cast_words(t), figures_only=True)
    # Open: say what closing now would give only when no answer still to come can change it.
    if not t.quorum_met:
        return Verdict("no_quorum", False, _("NO QUORUM"), "⚠", WARN, _no_quorum_reason(t, closed=False),
                       _no_quorum_brief(closed=False))
    if t.decided is not None:
        if t.uncalled:
            reason = ngettext("{cast}; the {n} still to call cannot change it",
                              "{cast}; the {n} still to call cannot change it", t.uncalled)
            brief = ngettext("the {n} still to call cannot change it",
                             "the {n} still to call cannot change it", t.uncalled).format(n=t.uncalled)
        else:
            # Said so, not "every present member has answered": with only letters, nobody is present.
            reason = _("{cast}; nobody is left to call")
            brief = _("nobody is left to call")
        if t.members_with_vote is not None:  # the base no other line names is the why: kept
            brief = _cast_words(t)
        return Verdict(t.decided, False, _("DECIDED: {outcome}").format(outcome=_(OUTCOME_WORDS[t.decided])),
                       _SYMBOL[t.decided], _TONE[t.decided], reason.format(cast=_cast_words(t), n=t.uncalled),
                       brief)
    return Verdict("undecided", False, _("NOT DECIDED YET"), "●", LIVE,
                   ngettext("{n} still to call; {cast} so far", "{n} still to call; {cast} so far",
                            t.uncalled).format(n=t.uncalled, cast=_cast_words(t)), figures_only=True)


def not_taken_up() -> Verdict:
    """An item still to come when the session closed: the minutes say "not taken up"."""
    return Verdict("not_taken_up", True, _("NOT TAKEN UP"), "○", PLAIN, _("the session closed before it was taken up"))


def left_untaken(state: SessionState, item_id: str) -> bool:
    """Whether the session closed with ``item_id`` still to come: the one test of "not taken up",
    which the verdict and the status words both read."""
    return state.items[item_id].status == "pending" and state.closed


def item_verdict(state: SessionState, item_id: str) -> Verdict:
    """The verdict of any agenda item: a roll call's, or the recorded result of the others."""
    item = state.items[item_id]
    if item.status in SET_ASIDE_WORDS:  # any kind: never voted nor recorded, with the reason why
        return _set_aside(item.status, item.reason)
    if left_untaken(state, item_id):  # every surface says what the minutes say
        return not_taken_up()
    if item.item.kind == "decision":
        return verdict(state.tally(item_id))
    if item.result is None:
        return Verdict("pending", False, _("TO COME"), "○", PLAIN, _("not taken up yet"))
    if item.result == "noted":
        noted = _("the presentation was noted") if item.item.kind == "presentation" else _("the report was noted")
        return Verdict("noted", True, _("NOTED"), "■", PLAIN, noted)
    if item.result == "adopted":
        return Verdict("adopted", True, _("ADOPTED"), "✔", GOOD, _("adopted by consensus"))
    if item.result == "not_adopted":
        return Verdict("not_adopted", True, _("NOT ADOPTED"), "✘", BAD, _("no consensus was reached"))
    names = _(", ").join(state.members[m].full_name for m in item.elected if m in state.members)
    return Verdict("elected", True, _("ELECTED"), "✔", GOOD, names)


def article_words(article: str | None, rules: Rules | None = None) -> str:
    """Where an item's rule comes from, for screens: "Charter Art. 8.3", or for a coordinator
    replacement "Subcommittee Regulations Art. 5.8" with the reading ``rules`` choose."""
    if article is None:
        return ""
    if article != charter.SUB_5_8:
        return _("Charter Art. {article}").format(article=article)
    reading = charter.sub58_reading(article, rules) if rules is not None else None
    if reading == charter.VOTES_CAST:
        return _("Subcommittee Regulations Art. 5.8, read as more than half of the votes cast")
    if reading == charter.MEMBERS_WITH_VOTE:
        return _("Subcommittee Regulations Art. 5.8, literal reading: more than half of all members with a vote")
    return _("Subcommittee Regulations Art. 5.8")


def needed_of(t: Tally) -> str:
    """What ``required_yes`` is counted against, after "N needed": "of 5 cast", "of 9 with a vote"."""
    if t.members_with_vote is not None:  # Subcommittee Regs Art. 5.8, literal reading
        return _("of {n} with a vote").format(n=t.members_with_vote)
    return _("of {n} cast").format(n=t.cast)


def rule_label(rule: str | None, reading: str | None = None) -> str:
    """The threshold in a few characters, for narrow columns (``Tally.rule``, ``Tally.reading``).

    ">½ all": more than half of all the members with a vote (Art. 5.8, literal reading).
    """
    if reading == charter.MEMBERS_WITH_VOTE:
        return ">½ all"
    return {charter.TWO_THIRDS: "⅔", charter.MAJORITY: ">½"}.get(rule or "", "—")


def rule_words(article: str | None, rule: str | None, abstentions_cast: bool, reading: str | None = None) -> str:
    """The threshold in words with the article it comes from, for the chair's and the clerk's screens.

    Pass ``Tally.rule`` and ``Tally.reading``: for a Subcommittee Regulations Art. 5.8 item the
    words say which reading decides (docs/rules.md, "Subcommittee Regulations Art. 5.8: two readings").
    """
    if rule is None:
        return _("no vote")
    counted = _("yes + no + abstain") if abstentions_cast else _("yes + no")
    if reading == charter.MEMBERS_WITH_VOTE:
        return _("MORE THAN HALF of all members with a vote · Subcommittee Regs Art. 5.8, literal reading")
    if reading == charter.VOTES_CAST or article == charter.SUB_5_8:
        return _("MORE THAN HALF of votes cast ({counted}) · Subcommittee Regs Art. 5.8, read as votes cast").format(
            counted=counted)
    if rule == charter.TWO_THIRDS:
        return _("TWO-THIRDS of members voting ({counted}) · Charter Art. 9.2, decision under Art. {article}").format(
            counted=counted, article=article)
    return _("MORE THAN HALF of members voting ({counted}) · Charter Art. 9.3, decision under Art. {article}").format(
        counted=counted, article=article)
