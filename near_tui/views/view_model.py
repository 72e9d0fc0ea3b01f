"""The one view model: what every surface shows, derived from the session state (no Textual, no I/O).

``build_board`` turns a ``SessionState`` (plus which item the clerk touched last,
and whether the log is followed live) into a ``Board``: plain, comparable values
with every word already chosen. The chair draws it, the web board receives it as
JSON (``Board.to_json``, computed on the server) and the clerk's panels read
their words from it, so no surface decides what to show and a test can read
exactly what each will show. Every colour is paired here with a word or symbol,
and every fixed word passes through ``near_tui.views.words``.

Nothing is counted or judged here: the figures are the core's ``Tally`` as it is,
every outcome (words, symbol, tone, reason) is ``near_tui.views.verdict``'s, and the
member being called is ``SessionState.now_calling``, the one the clerk's seats show.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from near_tui.core import charter, events as ev
from near_tui.core.schema import Member, Texts
from near_tui.core.state import SET_ASIDE, SessionState, Tally

from .verdict import BAD, GOOD, item_verdict, left_untaken, needed_of, rule_label, rule_words, verdict
from .words import LANGUAGE_TAGS, N_, _, agenda_language

# Events that move the chair's attention to an item (attendance and letters do not).
ITEM_EVENTS = frozenset({
    ev.VOTE_OPENED, ev.VOTE_CLOSED, ev.MEMBER_ADMITTED, ev.ITEM_NOTED,
    ev.CONSENSUS_RECORDED, ev.ELECTION_RECORDED,
})
AGENDA_EVENTS = frozenset({ev.ITEM_WITHDRAWN, ev.ITEM_POSTPONED, ev.ITEM_MOVED})

ANNOUNCEMENT_MAX = 100  # characters: a screen reader reads it whole before the next one


@dataclass(frozen=True)
class Focus:
    """The item the clerk acted on last, and how (``ev`` kind)."""

    item_id: str | None = None
    kind: str | None = None

    def after(self, events: list[ev.Event]) -> Focus:
        focus = self
        for event in events:
            if event.kind in ITEM_EVENTS:
                focus = Focus(event.payload["item_id"], event.kind)
            elif event.kind in AGENDA_EVENTS:
                # The hall sees the agenda change at once, the changed item marked.
                focus = Focus(event.payload["item_id"], event.kind)
            elif event.kind == ev.ITEM_ADDED:
                focus = Focus(event.payload["item"]["id"], event.kind)
            elif event.kind in (ev.SESSION_CLOSED, ev.SESSION_REOPENED):
                focus = Focus(None, event.kind)
        return focus


# ------------------------------------------------------------------ names
# The language of a name by its script; Han characters alone by the member's country, so that a
# Chinese name is drawn in Chinese forms and a Japanese one in Japanese forms.
_HAN_BY_COUNTRY = {"CN": "zh-Hans", "SG": "zh-Hans", "TW": "zh-Hant", "HK": "zh-Hant", "MO": "zh-Hant",
                   "JP": "ja", "KR": "ko", "KP": "ko"}
_CYRILLIC_BY_COUNTRY = {"MN": "mn", "RU": "ru", "KZ": "kk", "KG": "ky", "UA": "uk", "BY": "be"}
_LATIN_BY_COUNTRY = {"VN": "vi"}


def name_lang(text: str, country: str) -> str:
    """The BCP 47 tag of ``text``, a name of a member from ``country`` ("" : plain English)."""
    scripts = set()
    for ch in text:
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            scripts.add("hangul")
        elif 0x3040 <= code <= 0x30FF:
            scripts.add("kana")
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            scripts.add("han")
        elif 0x1800 <= code <= 0x18AF:
            scripts.add("mongolian")
        elif 0x0400 <= code <= 0x04FF:
            scripts.add("cyrillic")
        elif ch.isalpha() and code > 0x7F:
            scripts.add("latin+")
    if "hangul" in scripts:
        return "ko"
    if "kana" in scripts:
        return "ja"
    if "mongolian" in scripts:
        return "mn-Mong"
    if "han" in scripts:
        return _HAN_BY_COUNTRY.get(country, "zh")
    if "cyrillic" in scripts:
        return _CYRILLIC_BY_COUNTRY.get(country, "ru")
    if "latin+" in scripts:
        return _LATIN_BY_COUNTRY.get(country, "")
    return ""


@dataclass(frozen=True)
class Name:
    """A member's name as every surface shows it, each part with its language tag."""

    member_id: str
    name: str
    country: str
    lang: str  # of ``name`` ("" : English)
    native: str = ""
    native_lang: str = ""

    @property
    def full(self) -> str:
        return f"{self.name} {self.native}" if self.native else self.name


def member_name(member: Member) -> Name:
    native = member.native_name or ""
    return Name(member.id, member.name, member.country, name_lang(member.name, member.country),
                native, name_lang(native, member.country) if native else "")


# ---------------------------------------------------------------- figures
@dataclass(frozen=True)
class Quorum:
    participating: int
    required: int
    base: int
    met: bool

    @property
    def words(self) -> str:
        return _("QUORUM ✔ MET") if self.met else _("QUORUM ✘ NOT MET")

    @property
    def figure(self) -> str:
        return f"{self.participating}/{self.required}"

    @property
    def tone(self) -> str:
        return GOOD if self.met else BAD

    @property
    def sentence(self) -> str:
        return _("{words} — {participating} of {base} members take part; a quorum needs {required}").format(
            words=self.words, participating=self.participating, base=self.base, required=self.required)


@dataclass(frozen=True)
class Figures:
    """A roll call's figures, for an item that has them (open or closed, never set aside)."""

    yes: int
    no: int
    abstain: int
    not_voting: int
    uncalled: int
    cast: int
    cast_words: str
    required_yes: int
    needed_of: str
    quorum: Quorum

    @property
    def short(self) -> str:
        """yes · no · abstain, for one agenda line."""
        return f"{self.yes} · {self.no} · {self.abstain}"


def item_figures(state: SessionState, item_id: str) -> Figures | None:
    """The figures of a roll call open or closed; None for an item that has none: another kind,
    a vote not opened, a withdrawn or postponed item (never voted: no figures, no quorum verdict)."""
    item = state.items[item_id]
    if item.item.kind != "decision" or item.status not in ("open", "closed"):
        return None
    t: Tally = state.tally(item_id)  # frozen once closed: exactly the record's figures
    abstentions_cast = state.rules.abstentions_count_as_cast
    return Figures(t.yes, t.no, t.abstain, t.not_voting, t.uncalled, t.cast,
                   _("yes + no + abstain") if abstentions_cast else _("yes + no"),
                   t.required_yes, needed_of(t),
                   Quorum(t.participating, t.quorum_required, t.quorum_base, t.quorum_met))


# ----------------------------------------------------------- item status
KIND_WORDS = {"decision": N_("Decision by roll call"), "election": N_("Election"),
              "consensus": N_("Decision by consensus"), "report": N_("Report"), "presentation": N_("Presentation")}


def status_of(state: SessionState, item_id: str) -> tuple[str, str]:
    """(code, words) of an item's status: to come, open, decided, closed, withdrawn or postponed
    with the reason, not taken up (a session closed with the item still to come, as the minutes say)."""
    item = state.items[item_id]
    if item.status in SET_ASIDE:
        words = {"withdrawn": _("withdrawn"), "postponed": _("postponed")}[item.status]
        return item.status, f"{words}: {item.reason}" if item.reason else words
    if left_untaken(state, item_id):
        return "not_taken_up", _("not taken up")
    if item.status == "pending":
        return "to_come", _("to come")
    if item.status == "open":
        if state.tally(item_id).decided is not None:
            return "decided", _("open — the outcome can no longer change")
        return "open", _("open")
    if item.item.kind == "decision":
        return "closed", _("closed")
    return "decided", _("decided")


@dataclass(frozen=True)
class AgendaLine:
    item_id: str
    title: str
    kind: str
    result: str  # the item's verdict, symbol and words, e.g. "✔ CARRIED"; "NOT TAKEN UP" after an early close
    figures: str  # "45 · 0 · 2" (yes · no · abstain) for roll calls, else ""
    tone: str
    current: bool
    added: bool = False  # an addendum: added to the agenda during the session
    status: str = "to_come"  # code: to_come | open | decided | closed | withdrawn | postponed | not_taken_up
    status_words: str = ""
    reason: str = ""  # the verdict's sentence (or why it was set aside)
    finished: bool = False  # nothing more happens to it at this session: one line on a wall screen
    numbers: Figures | None = None
    elected: tuple[Name, ...] = ()
    kind_words: str = ""
    detail: str = ""  # the figures in words ("yes 30 · no 15 · abstain 2 · not voting 1"), else ""
    title_lang: str = ""  # the language tag of ``title`` as shown (the record's when not given in the one asked)
    label: str = ""  # the verdict's symbol and words alone ("✔ ELECTED"), which ``result`` may follow with more
    set_aside_reason: str = ""  # why a withdrawn or postponed item was set aside, as given ("" otherwise)


def shown_text(state: SessionState, texts: Texts, key: str) -> tuple[str, str]:
    """An agenda text in the language the surface is built in, where the agenda gives it, else in
    the record's language; with the BCP 47 tag of the language it is in (for a page's ``lang``)."""
    asked = agenda_language()
    record = state.definition.session.languages[0] if state.definition is not None else "en"
    given = asked if key in texts.translations.get(asked, {}) else record
    return texts.text(key, asked) or "", LANGUAGE_TAGS.get(given, given)


def agenda_line(state: SessionState, item_id: str, current: bool) -> AgendaLine:
    item = state.items[item_id]
    code, words = status_of(state, item_id)
    said = item_verdict(state, item_id)
    result, tone, reason = said.label, said.tone, said.reason
    if said.code == "elected":
        result = f"{said.label}: {said.reason}"
    if item.status in SET_ASIDE and item.reason:
        result = f"{said.label}: {item.reason}"  # the hall reads why it is not taken up
    numbers = item_figures(state, item_id)
    elected = tuple(member_name(state.members[m]) for m in item.elected if m in state.members)
    finished = code in ("closed", "withdrawn", "postponed", "not_taken_up") or (
        code == "decided" and item.status == "closed")
    detail = ""
    if numbers is not None:
        detail = _("yes {yes} · no {no} · abstain {abstain} · not voting {not_voting}").format(
            yes=numbers.yes, no=numbers.no, abstain=numbers.abstain, not_voting=numbers.not_voting)
        if item.status == "open":
            detail += " · " + _("uncalled {n}").format(n=numbers.uncalled)
    title, title_lang = shown_text(state, item.item, "title")
    return AgendaLine(item_id, title, item.item.kind, result, numbers.short if numbers else "", tone,
                      current, item.added, code, words, reason, finished, numbers, elected,
                      _(KIND_WORDS.get(item.item.kind, item.item.kind)), detail, title_lang, said.label,
                      (item.reason or "") if item.status in SET_ASIDE else "")


# ---------------------------------------------------------------- roll call
@dataclass(frozen=True)
class VotePanel:
    """A roll-call item: live while open, final once closed."""

    item_id: str
    position: str  # "item 4 of 12"
    title: str
    rule: str  # the threshold in words, with its article
    open: bool
    quorum: Quorum
    yes: int
    no: int
    abstain: int
    not_voting: int  # answered "not voting", a letter silent on the item, or (closed) never called
    uncalled: int  # open votes: present members not called yet (0 once closed)
    cast: int
    cast_words: str  # what "cast" adds up ("yes + no")
    required_yes: int
    needed_of: str  # what required_yes is counted against: "of 49 cast" (verdict.needed_of)
    outcome: str  # the verdict's symbol and words, e.g. "✔ CARRIED", "● NOT DECIDED YET"
    outcome_tone: str  # the verdict's tone (good, bad, warn, live, plain)
    outcome_note: str  # the verdict's reason, with the figures behind it
    calling: str  # the member being called, or what happens next
    calling_name: str  # just the member's name, drawn large ("" when nobody is being called)
    calling_native: str = ""  # the name in the member's own script, shown under it ("" when none)
    state_words: str = ""  # "ROLL CALL OPEN" / "ROLL CALL CLOSED": the same words on every surface
    calling_member: Name | None = None
    # "not_opened", "open" or "closed". The hall is shown a roll call once it is open; the clerk's
    # console also shows one not opened yet, with the answers its letters already give.
    stage: str = "open"
    rule_short: str = ""  # the threshold in a few characters ("⅔", ">½"), for narrow lines
    outcome_reason: str = ""  # the verdict's reason alone (``outcome_note`` adds the admissions)
    outcome_brief: str = ""  # the reason without the figures the panel's other lines show (narrow lines)
    # The note without the figures the panel's figures show (``Verdict.why``, then the admissions):
    # what a projector short of lines shows instead of cutting the note.
    outcome_why: str = ""
    # How far the calling has gone (``SessionState.call_progress``): answered of the members present.
    answered: int = 0
    present: int = 0


def _member_name(state: SessionState, member_id: str) -> str:
    """The English name and country: what the block font may draw large (ASCII only)."""
    member = state.members[member_id]
    return f"{member.name} ({member.country})"


def vote_panel(state: SessionState, item_id: str) -> VotePanel:
    item = state.items[item_id]
    tally = state.tally(item_id)  # frozen once closed: exactly the record's figures
    is_open = item.status == "open"
    said = verdict(tally)
    note = said.reason
    why = [said.why]
    calling_name = calling_native = ""
    calling_member = None
    answered, present = state.call_progress(item_id)
    if is_open:
        calling_id = state.now_calling(item_id)
        if calling_id is not None:
            member = state.members[calling_id]
            calling_member = member_name(member)
            calling_name = _member_name(state, calling_id)
            calling_native = member.native_name or ""
            calling = _("▶ NOW CALLING  {name} ({country})").format(name=member.full_name, country=member.country)
        elif present == 0:  # only letters: "every present member" would be true of nobody
            calling = _("■ NO MEMBER PRESENT TO CALL — the vote can be closed")
        else:
            calling = _("■ EVERY PRESENT MEMBER HAS ANSWERED — the vote can be closed")
    elif item.status == "closed":
        for admission in admissions(state):
            if admission.item_id == item_id:  # announced with the roster's size before and after
                note += " · " + admission.words
                why.append(admission.words)
        calling = _("■ VOTE CLOSED")
    else:
        calling = said.label  # "○ VOTE NOT OPENED"
    abstentions_cast = state.rules.abstentions_count_as_cast
    position = state.item_order.index(item_id) + 1
    return VotePanel(
        item_id=item_id,
        position=_("ITEM {id} · {n} of {total}").format(id=item_id, n=position, total=len(state.item_order)),
        title=item.item.text("title", agenda_language()) or item.item.title,
        rule=rule_words(item.item.article, tally.rule, abstentions_cast, tally.reading),
        open=is_open,
        quorum=Quorum(tally.participating, tally.quorum_required, tally.quorum_base, tally.quorum_met),
        yes=tally.yes, no=tally.no, abstain=tally.abstain,
        not_voting=tally.not_voting, uncalled=tally.uncalled,
        cast=tally.cast,
        cast_words=_("yes + no + abstain") if abstentions_cast else _("yes + no"),
        required_yes=tally.required_yes, needed_of=needed_of(tally),
        outcome=said.label, outcome_tone=said.tone, outcome_note=note,
        calling=calling, calling_name=calling_name, calling_native=calling_native,
        state_words=(_("ROLL CALL OPEN") if is_open else _("ROLL CALL CLOSED") if item.status == "closed"
                     else said.words),
        calling_member=calling_member,
        stage="open" if is_open else "closed" if item.status == "closed" else "not_opened",
        rule_short=rule_label(tally.rule, tally.reading),
        outcome_reason=said.reason,
        outcome_brief=said.short_reason,
        outcome_why=" · ".join(filter(None, why)),
        answered=answered, present=present,
    )


def item_panel(state: SessionState, item_id: str) -> VotePanel | AgendaLine:
    """One item as the clerk's indicators show it: a roll call not withdrawn nor postponed as its
    ``VotePanel`` (not opened yet, open or closed), any other item as its ``AgendaLine`` (a set-aside
    roll call included: it was never voted, so it has no figures and no quorum). A roll call the
    session closed without opening is an ``AgendaLine`` too: NOT TAKEN UP, as every surface says,
    and no letters' preview of a vote that will not be held."""
    item = state.items[item_id]
    if item.item.kind == "decision" and item.status not in SET_ASIDE and not left_untaken(state, item_id):
        return vote_panel(state, item_id)
    return agenda_line(state, item_id, False)


# --------------------------------------------------------------- admissions
@dataclass(frozen=True)
class Admission:
    """Applicants an Art. 8.1 vote admitted: announced, with the roster before and after."""

    item_id: str
    names: tuple[Name, ...]
    members_before: int
    members_after: int
    words: str
    lead: str = ""  # the words before the names, and after them: a surface tags each name with its language
    tail: str = ""


def admissions(state: SessionState) -> tuple[Admission, ...]:
    by_item: dict[str, list[str]] = {}
    for member_id, item_id in state.admitted.items():  # in the order they were recorded
        by_item.setdefault(item_id, []).append(member_id)
    count = len(state.roster_members()) - len(state.admitted)
    out = []
    for item_id, member_ids in by_item.items():
        names = tuple(member_name(state.members[m]) for m in member_ids)
        before, count = count, count + len(member_ids)
        lead = _("Admitted (Charter Art. 8.1, item {item}): ").format(item=item_id)
        tail = _(" — members {before} → {after}").format(before=before, after=count)
        out.append(Admission(item_id, names, before, count, lead + ", ".join(n.full for n in names) + tail,
                             lead, tail))
    return tuple(out)


# ------------------------------------------------------------ the current item
_WHY = {
    ev.VOTE_CLOSED: N_("its roll call has just closed"),
    ev.MEMBER_ADMITTED: N_("its admission has just been recorded"),
    ev.ITEM_NOTED: N_("its result has just been recorded"),
    ev.CONSENSUS_RECORDED: N_("its result has just been recorded"),
    ev.ELECTION_RECORDED: N_("its result has just been recorded"),
    ev.ITEM_ADDED: N_("it has just been added to the agenda"),
    ev.ITEM_WITHDRAWN: N_("it has just been withdrawn"),
    ev.ITEM_POSTPONED: N_("it has just been postponed"),
    ev.ITEM_MOVED: N_("it has just been moved on the agenda"),
    ev.VOTE_OPENED: N_("its roll call was opened last"),
}


@dataclass(frozen=True)
class Current:
    """The item the hall looks at, and why it is that one."""

    item_id: str | None
    why: str
    line: AgendaLine | None
    vote: VotePanel | None
    heading: str = ""  # "Item 4 · Decision by roll call"
    state_words: str = ""  # "ROLL CALL OPEN", "ROLL CALL CLOSED", "WITHDRAWN: …": the same on every surface
    title: str = ""


def current_item(state: SessionState, focus: Focus) -> Current:
    open_id = state.open_item
    if open_id is not None:
        item_id, why = open_id, _("its roll call is open")
    else:
        item_id = focus.item_id if focus.item_id in state.items else None
        why = _(_WHY.get(focus.kind or "", N_("the clerk acted on it last")))
    if item_id is None:
        title = _("The session is closed") if state.closed else _("No item under way")
        return Current(None, "", None, None, title=title)
    line = agenda_line(state, item_id, True)
    vote = vote_panel(state, item_id) if line.numbers is not None else None
    heading = _("Item {id} · {kind}").format(id=item_id, kind=line.kind_words)
    said = vote.state_words if vote is not None else line.status_words.upper()
    return Current(item_id, why, line, vote, heading, said, line.title)


# --------------------------------------------------------------- the picture
@dataclass(frozen=True)
class Board:
    title: str
    venue: str
    mode: str  # "vote" (one item's roll call) or "agenda" (between items)
    vote: VotePanel | None
    agenda: tuple[AgendaLine, ...]
    quorum: Quorum  # the session's attendance, as of now
    attendance: str  # "in person 29 · online 0 · by letter 21 · absent 28"
    status: str  # "SESSION OPEN" / "SESSION CLOSED"
    seq: int
    current: Current | None = None
    admissions: tuple[Admission, ...] = ()
    members_total: int = 0
    announcement: str = ""  # one sentence of at most ANNOUNCEMENT_MAX characters
    announcement_kind: str = ""  # tally | outcome | agenda | session | not_live | "" (nothing to say)
    not_live: str | None = None  # why the surface does not follow the log now (None: live)
    closed: bool = False
    head: str = ""
    attendance_line: str = ""  # "Members 78 · in person 29 · …", for the board's foot of the agenda
    live_announcement: tuple[str, str] = ("", "")  # (sentence, kind) when live: given back when live again
    title_lang: str = ""  # the language tags of ``title`` and ``venue`` as shown
    venue_lang: str = ""

    def to_json(self) -> dict:
        """The picture as plain JSON for the web board, which draws it and decides nothing."""
        data = dataclasses.asdict(self)
        data["quorum"]["words"], data["quorum"]["sentence"] = self.quorum.words, self.quorum.sentence
        for line, out in zip(self.agenda, data["agenda"], strict=True):
            _figures_json(line.numbers, out.get("numbers"))
        if self.current is not None and self.current.line is not None:
            _figures_json(self.current.line.numbers, data["current"]["line"].get("numbers"))
        if self.current is not None and self.current.vote is not None:
            data["current"]["vote"]["quorum"]["words"] = self.current.vote.quorum.words
            data["current"]["vote"]["quorum"]["sentence"] = self.current.vote.quorum.sentence
        for name in _names(data):
            name["full"] = f"{name['name']} {name['native']}" if name["native"] else name["name"]
        return data


def _figures_json(numbers: Figures | None, out: dict | None) -> None:
    if numbers is not None and out is not None:
        out["quorum"]["words"], out["quorum"]["sentence"] = numbers.quorum.words, numbers.quorum.sentence


def _names(node):
    """Every Name in the JSON tree (dicts with a member_id and a native)."""
    if isinstance(node, dict):
        if "member_id" in node and "native" in node:
            yield node
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _names(value)


def session_quorum(state: SessionState) -> Quorum:
    """The session's quorum as of now, the figures the clerk's session bar shows."""
    participating, base = state.session_participation()
    return Quorum(participating, charter.quorum_required(base), base, charter.quorum_met(participating, base))


@dataclass(frozen=True)
class SessionNow:
    """The session as of now: its quorum over the roster, its attendance in words, whether it is closed."""

    quorum: Quorum
    attendance: str  # "in person 29 · online 0 · by letter 21 · absent 28"
    closed: bool
    in_person: int = 0  # the figures of ``attendance``, for a surface that sets them apart
    online: int = 0
    letter: int = 0
    absent: int = 0


def session_now(state: SessionState) -> SessionNow:
    figures = state.session_figures()
    return SessionNow(session_quorum(state), _(
        "in person {in_person} · online {online} · by letter {letter} · absent {absent}").format(**figures),
        state.closed, figures["in_person"], figures["online"], figures["letter"], figures["absent"])


def _short(text: str, limit: int = ANNOUNCEMENT_MAX) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def announcement(state: SessionState, focus: Focus, current: Current, not_live: str | None) -> tuple[str, str]:
    """(sentence, kind): what a screen reader hears now, at most ``ANNOUNCEMENT_MAX`` characters."""
    if not_live is not None:
        return _short(_("Not live: {why}").format(why=not_live)), "not_live"
    if focus.kind == ev.SESSION_CLOSED and state.closed:
        return _("The session is closed."), "session"
    if focus.kind == ev.SESSION_REOPENED and not state.closed:
        return _("The session is reopened."), "session"
    if current.item_id is None or current.line is None:
        return "", ""
    line, item_id = current.line, current.item_id
    if focus.kind == ev.MEMBER_ADMITTED and focus.item_id == item_id and state.open_item is None:
        found = [a for a in admissions(state) if a.item_id == item_id]
        if found:
            a = found[-1]
            return _short(_("Admitted: {names}. Members {before} → {after}.").format(
                names=", ".join(n.name for n in a.names), before=a.members_before, after=a.members_after)), "outcome"
    if current.vote is not None and current.vote.open:
        v = current.vote
        text = _("Item {id}: yes {yes}, no {no}, abstain {abstain}.").format(
            id=item_id, yes=v.yes, no=v.no, abstain=v.abstain)
        if v.calling_member is not None:
            text += " " + _("Calling {name}.").format(name=v.calling_member.name)
        return _short(text), "tally"
    if line.numbers is not None:  # a closed roll call: its outcome
        n = line.numbers
        return _short(_("Item {id}: {result}. Yes {yes}, no {no}, abstain {abstain}.").format(
            id=item_id, result=line.result.split(" ", 1)[-1].lower(), yes=n.yes, no=n.no, abstain=n.abstain)), "outcome"
    if line.status in ("withdrawn", "postponed") or focus.kind in (ev.ITEM_ADDED, ev.ITEM_MOVED):
        what = {ev.ITEM_ADDED: _("added to the agenda"), ev.ITEM_MOVED: _("moved on the agenda")}.get(
            focus.kind or "", line.status_words)
        return _short(_("Item {id} {what}.").format(id=item_id, what=what)), "agenda"
    return _short(_("Item {id}: {result}.").format(id=item_id, result=line.result.split(" ", 1)[-1].lower())), "outcome"


def with_liveness(board: Board, not_live: str | None) -> Board:
    """``board`` as a surface shows it when it is not live (``not_live``: why) or live again.

    The announcement says NOT LIVE with its reason; once live again it is the board's own.
    """
    if not_live == board.not_live:
        return board
    if not_live is None:
        return dataclasses.replace(board, not_live=None, announcement=board.live_announcement[0],
                                   announcement_kind=board.live_announcement[1])
    said = _short(_("Not live: {why}").format(why=not_live))
    return dataclasses.replace(board, not_live=not_live, announcement=said, announcement_kind="not_live")


def build_board(state: SessionState, focus: Focus = Focus(), not_live: str | None = None) -> Board:
    """What every surface shows for ``state``.

    The chair's mode: the open roll call if there is one; otherwise the roll call the clerk
    just closed, kept up until the clerk moves to another item (so the chair can read out the
    result); otherwise the agenda with the outcomes so far.
    """
    assert state.definition is not None
    info = state.definition.session
    current = state.open_item
    if current is None and focus.kind in (ev.VOTE_CLOSED, ev.MEMBER_ADMITTED):
        current = focus.item_id
    highlight = current or focus.item_id
    figures = state.session_figures()
    session = session_now(state)
    now = current_item(state, focus)
    said, kind = announcement(state, focus, now, not_live)
    live_said = announcement(state, focus, now, None)
    return Board(
        title=shown_text(state, info, "title")[0],
        venue=f"{shown_text(state, info, 'venue')[0]} · {info.opens.isoformat()}",
        title_lang=shown_text(state, info, "title")[1],
        venue_lang=shown_text(state, info, "venue")[1],
        mode="vote" if current is not None else "agenda",
        vote=vote_panel(state, current) if current is not None else None,
        agenda=tuple(agenda_line(state, i, i == highlight) for i in state.item_order),
        quorum=session.quorum,
        attendance=session.attendance,
        status=_("■ SESSION CLOSED") if state.closed else _("● SESSION OPEN"),
        seq=state.last_seq,
        current=now,
        admissions=admissions(state),
        members_total=len(state.roster_members()),
        announcement=said,
        announcement_kind=kind,
        not_live=not_live,
        closed=state.closed,
        head=state.head,
        live_announcement=live_said,
        attendance_line=_("Members {total} · in person {in_person} · online {online} · by written letter {letter} "
                          "· absent {absent}").format(total=len(state.roster_members()), **figures),
    )
