"""The chair's words at 80x24 in each of the six languages, read off the screen as drawn.

A caption never wraps: it is on one line, or the language's word stands under the English one,
and the five captions over the tally are laid out alike (never one of them alone on two lines).
A note never breaks inside a word. The outcome's reason is whole, or, where the screen has no
lines for it, the documented short form: the reason without the figures the cells above it show
(docs/chair.md), which still names who was admitted and why the outcome cannot change. Expected
words come from the catalogues and figures from the sample's files (``scenes.recount``).
"""

from __future__ import annotations

import contextlib

import pytest

from chair import scenes
from chair.test_small_screen import flat, region_text, settled
from near_tui.chair.app import build_app
from near_tui.i18n import words

SIZE = (80, 24)
LANGUAGES = ["en", "zh", "ja", "ko", "mn", "ru"]
TALLY = (("yes", "YES"), ("no", "NO"), ("abstain", "ABSTAIN"), ("not-voting", "NOT VOTING"),
         ("uncalled", "UNCALLED"))


def shown_lines(app, selector: str) -> list[str]:
    """The lines the screen shows inside the widget's region, blank lines left out."""
    region = app.query_one(selector).content_region
    strips = app.screen._compositor.render_strips()
    lines = [strips[y].crop(region.x, region.right).text.strip() for y in range(region.y, region.bottom)]
    return [line for line in lines if line]


def layouts(english: str, language: str) -> dict[str, list[str]]:
    """The two ways a two-language text may stand: on one line, or one language a line."""
    native = words(language)._(english)
    if native == english:
        return {"one": [english], "stacked": [english]}
    return {"one": [f"{english} {native}"], "stacked": [english, native]}


def broken_at_spaces_by_language(lines: list[str], english: str, language: str) -> bool:
    """``lines`` say the note whole on one line, or each language on lines of its own, broken
    only at spaces (never inside a word)."""
    if lines in layouts(english, language).values():
        return True
    native = words(language)._(english)
    for cut in range(1, len(lines)):
        if " ".join(lines[:cut]) == english and " ".join(lines[cut:]) == native:
            return True
    return False


async def open_at(db_path: str, language: str):
    return build_app(db_path, poll_interval=0.02, language=language)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_tally_captions_never_wrap_and_stand_alike(ga12_present, db_path, language):
    scenes.vote_in_progress(ga12_present, answered=14)
    app = await open_at(db_path, language)
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        seen = set()
        for cell_id, english in TALLY:
            lines = shown_lines(app, f"#{cell_id} .caption")
            ways = layouts(english, language)
            assert lines in ways.values(), f"{cell_id}: {lines}"
            seen.add("one" if lines == ways["one"] else "stacked")
            # The caption's words stop above the figure: the figure's first line is its own.
            assert app.query_one(f"#{cell_id} .caption").region.bottom <= app.query_one(f"#{cell_id} .figure").region.y
        assert len(seen) == 1, f"the five captions are laid out alike, not {seen}"


@contextlib.asynccontextmanager
async def chair_on_item_2(session, db_path, language: str, answered: int | None):
    """The chair at 80x24 in ``language`` on item 2, ``answered`` members answered (None: closed)."""
    if answered is None:
        scenes.vote_closed(session)
    else:
        scenes.vote_in_progress(session, answered=answered)
    app = await open_at(db_path, language)
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        yield app


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("answered", [5, 17, None], ids=["undecided", "decided-while-open", "closed"])
async def test_the_decision_row_breaks_no_word(ga12_present, db_path, language, answered):
    # "ШААРДЛАГАТАЙ ДЭМЖЛЭГ" (yes needed) took two lines of an 18-column cell, and the note
    # "оролцсон/шаардлагатай" was cut inside its last word ("шаардлага" / "тай").
    async with chair_on_item_2(ga12_present, db_path, language, answered) as app:
        assert shown_lines(app, "#needed .caption") in layouts("YES NEEDED", language).values()
        assert broken_at_spaces_by_language(shown_lines(app, "#quorum .note"), "taking part/needed", language)
        assert shown_lines(app, "#quorum .caption") in layouts("QUORUM ✔ MET", language).values()
        assert shown_lines(app, "#outcome .caption") in layouts("OUTCOME", language).values()
        # What the yes needed are counted against: "of 49 cast", the cast recounted from the files.
        counts = scenes.recount("2", scenes.sample_votes("2")[:answered], closed=answered is None)
        english = f"of {counts['yes'] + counts['no']} cast"
        native = words(language)._("of {n} cast").format(n=counts["yes"] + counts["no"])
        said = [english] if native == english else [f"{english} {native}"], [english, native]
        assert shown_lines(app, "#needed .note") in said


def why_words(language: str, answered: int | None) -> list[str]:
    """What the reason must say however short it is, in English and in ``language``."""
    if answered is None:  # the admission, both halves: Akita, and the roster's size before and after
        return ["Akita Prefecture 秋田県", "77 → 78"]
    counts = scenes.recount("2", scenes.sample_votes("2")[:answered])
    n = counts["uncalled"]
    said = []
    for code in dict.fromkeys(["en", language]):
        said.append(words(code).ngettext("the {n} still to call cannot change it",
                                         "the {n} still to call cannot change it", n).format(n=n))
    return said


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("answered", [5, 17, None], ids=["undecided", "decided-while-open", "closed"])
async def test_the_reason_is_whole_or_its_short_form(ga12_present, db_path, language, answered):
    # In Mongolian and Russian the reason under a closed admission vote lost its last lines
    # ("… членов 77 →" with the 78 cut off): the row had no lines left for it.
    async with chair_on_item_2(ga12_present, db_path, language, answered) as app:
        vote = app.board.vote
        shown = region_text(app, "#outcome .note")
        assert shown in (flat(vote.outcome_note), flat(vote.outcome_why)), shown
        if language == "en":
            assert shown == flat(vote.outcome_note), "English has the lines for the whole reason"
        if answered == 5:
            assert shown == flat(vote.outcome_note), "the reason while undecided is whole in every language"
        if answered == 17:  # why it is decided, in English and in the language
            for said in why_words(language, answered):
                assert flat(said) in shown, said
        if answered is None:  # who was admitted, in both halves
            for said in why_words(language, answered):
                assert shown.count(flat(said)) == (1 if language == "en" else 2), said
        # The verdict above it is whole too.
        assert region_text(app, "#outcome .figure") == flat(vote.outcome)


async def test_a_short_form_with_no_room_either_ends_in_an_ellipsis(ga12_present, db_path):
    # Two lines fewer than 80x24: even the admission alone, in English and Mongolian, has no room.
    scenes.vote_closed(ga12_present)
    app = await open_at(db_path, "mn")
    async with app.run_test(size=(80, 22)) as pilot:
        await settled(app, pilot)
        shown = region_text(app, "#outcome .note")
        why = flat(app.board.vote.outcome_why)
        assert shown.endswith("…") and why.startswith(shown[:-1]), shown
        assert flat("Akita Prefecture 秋田県") in shown, "what fits is shown first, whole lines"
