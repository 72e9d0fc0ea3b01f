"""The chair at 80x24 beside a second language: no text is cut, and the footer speaks it too.

A second language doubles every sentence; at the smallest size the rule, the outcome's reason,
the admission and the native name of the member called must still be read whole, the title
must end in "…" where it has no room, and the keys must be named in the chair's language.
What the screen must hold comes from the sample's roster and the catalogue, and the screen is
read as drawn (the compositor's cells), not from the widgets' text.
"""

from __future__ import annotations

import pytest
import yaml
from rich.cells import cell_len

import support
from chair import scenes
from near_tui.chair.app import build_app
from near_tui.i18n import words

SIZE = (80, 24)


def region_text(app, selector: str) -> str:
    """What the screen shows inside the widget's region, its lines joined without their blanks."""
    region = app.query_one(selector).content_region
    strips = app.screen._compositor.render_strips()
    lines = [strips[y].crop(region.x, region.x + region.width).text for y in range(region.y, region.bottom)]
    return "".join("".join(lines).split())


def flat(text: str) -> str:
    return "".join(text.split())


def native_names() -> dict[str, str]:
    roster = yaml.safe_load(scenes.ROSTER.read_text(encoding="utf-8"))["members"]
    return {m["id"]: m.get("native_name", "") for m in roster}


async def settled(app, pilot) -> None:
    await support.wait_for(lambda: app.query_one("#views").current == "vote", what="the roll call on screen")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("language", ["zh", "ru"])
async def test_an_open_roll_call_at_80x24_in_two_languages_shows_every_word_whole(ga12_present, db_path, language):
    scenes.vote_in_progress(ga12_present, answered=14)
    answered = {m for m, _ in scenes.sample_votes("2")[:14]}
    calling = next(m for m in scenes.present_voters() if m not in answered)
    app = build_app(db_path, poll_interval=0.02, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        vote = app.board.vote
        # The rule and the outcome's reason, both languages, to their last character.
        assert any(ord(ch) > 0x7F for ch in vote.rule), "the rule has its second language"
        assert region_text(app, "#item-rule") == flat(f"RULE: {vote.rule}")
        assert region_text(app, "#outcome .note") == flat(vote.outcome_note)
        # The member called: the English name drawn, and under it the name in its own script.
        assert native_names()[calling] and region_text(app, "#calling-native") == flat(native_names()[calling])
        assert flat(scenes.names()[calling]) in region_text(app, "#calling-name")
        # The bar says the call is on in both languages; the screen names the member once.
        bar = region_text(app, "#calling")
        assert bar == flat(f"▶ NOW CALLING {words(language)._('▶ NOW CALLING')}")
        screen = flat("".join(strip.text for strip in app.screen._compositor.render_strips()))
        assert screen.count(flat(scenes.names()[calling])) == 1
        assert screen.count(flat(native_names()[calling])) == 1


async def test_the_admission_under_a_closed_vote_is_read_whole_at_80x24(ga12_present, db_path):
    scenes.vote_closed(ga12_present)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        note = region_text(app, "#outcome .note")
        assert note == flat(app.board.vote.outcome_note)
        # Both halves of the admission: Akita, and the roster's size before and after (77 → 78).
        assert note.count("秋田県") == 2 and note.count("77→78") == 2
        assert not note.endswith("·")


async def test_a_title_with_no_room_ends_in_an_ellipsis(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=2)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        shown = region_text(app, "#session-title")
        whole = flat(f"{app.board.title} · {app.board.venue}")
        assert shown != whole, "the sample's Chinese title and venue do not fit 80 columns"
        assert shown.endswith("…") and whole.startswith(shown[:-1])


async def test_the_footer_names_the_keys_in_the_chair_language_and_follows_the_l_key(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=2)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        labels = ("Agenda", "Light/dark", "Language", "Quit")
        footer = app.screen._compositor.render_strips()[-1].text
        for label in labels:
            assert f"{label} {words('zh')._(label)}" in footer, footer
        await pilot.press("l")  # the session's next language: English alone
        await support.wait_for(lambda: "议程" not in app.screen._compositor.render_strips()[-1].text,
                               what="the footer back in English")
        footer = app.screen._compositor.render_strips()[-1].text
        assert all(label in footer for label in labels)


@pytest.mark.parametrize("language", ["zh", "ja", "ko", "mn", "ru"])
async def test_every_key_label_fits_80_columns_in_every_language(ga12_present, db_path, language):
    scenes.vote_in_progress(ga12_present, answered=2)
    app = build_app(db_path, poll_interval=0.02, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        footer = app.screen._compositor.render_strips()[-1].text
        assert f"Quit {words(language)._('Quit')}" in footer, footer


async def test_a_caption_too_long_for_one_line_puts_each_language_on_its_own(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=14)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(app, pilot)
        region = app.query_one("#quorum .caption").content_region
        strips = app.screen._compositor.render_strips()
        lines = [strips[y].crop(region.x, region.right).text.strip() for y in range(region.y, region.bottom)]
        english, chinese = "QUORUM ✔ MET", words("zh")._("QUORUM ✔ MET")  # 50 of 77 take part: met
        assert cell_len(f"{english} {chinese}") > region.width, "the scene must be one where both do not fit"
        assert [line for line in lines if line] == [english, chinese]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_agenda_in_two_languages_shows_every_outcome_whole(ga12_present, db_path, size):
    scenes.between_items(ga12_present)  # item 1 elected Sakha, item 2 admitted Akita, item 3 noted
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=size) as pilot:
        await support.wait_for(lambda: app.query_one("#views").current == "agenda", what="the agenda")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = region_text(app, "#agenda-scroll")
        for line in app.board.agenda:
            if line.elected:
                continue
            assert flat(line.result) in shown, line.result
        # Who was elected, whole, in the roster's own words: the name and the name in its script.
        roster = {m["id"]: m for m in scenes.roster()}
        assert flat(f"{roster['ru-sakha']['name']} {roster['ru-sakha']['native_name']}") in shown
        assert "…" not in "".join(line.result for line in app.board.agenda)  # the words themselves are whole
        # And the whole agenda on the screen, to its last item.
        assert flat(app.board.agenda[-1].result) in shown and shown.count("VOTENOTOPENED") == 5


async def test_a_rule_too_long_for_one_line_puts_each_language_on_its_own(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=14)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=(160, 45)) as pilot:
        await settled(app, pilot)
        region = app.query_one("#item-rule").content_region
        strips = app.screen._compositor.render_strips()
        lines = [strips[y].crop(region.x, region.right).text.rstrip() for y in range(region.y, region.bottom)]
        english, chinese = app.board.vote.rule.parts
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese) and not any("\u4e00" <= ch <= "\u9fff" for ch in english)
        assert lines == [f"RULE: {english}", chinese]


# Marks that close a phrase in Chinese typesetting and may not start a line (kinsoku).
CLOSING_MARKS = "，。、；：！？）」』"


async def test_no_chinese_line_starts_with_a_closing_mark_at_80x24(ga12_present, db_path):
    # An addendum put to the vote with 12 yes so far: the Chinese reason is just one comma too
    # long for its cell, where a break by cells would put the comma first on the next line.
    scenes.between_items(ga12_present)
    ga12_present.add_item({"id": "A1", "title": "Fee collection", "kind": "decision", "article": "8.11"},
                          after="3")
    ga12_present.open_vote("A1")
    for member_id in scenes.present_voters()[:12]:
        ga12_present.record_vote("A1", member_id, "yes")
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        note = app.query_one("#outcome .note")
        region = note.content_region
        strips = app.screen._compositor.render_strips()
        lines = [strips[y].crop(region.x, region.right).text.strip() for y in range(region.y, region.bottom)]
        reason = app.board.vote.outcome_note
        assert any(mark in reason for mark in CLOSING_MARKS), "the reason has a mark to place"
        assert flat("".join(lines)) == flat(reason), "the reason whole"
        starts = [line for line in lines if line and line[0] in CLOSING_MARKS]
        assert not starts, f"lines start with a closing mark: {lines}"


async def test_each_key_acts_in_every_language_the_l_key_steps_through(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present, answered=2)
    session = yaml.safe_load((scenes.AGENDA_DIR / "ga12-2018.yaml").read_text(encoding="utf-8"))["session"]
    steps = list(dict.fromkeys(["ja", *session["languages"]]))  # the one asked for, then the session's
    app = build_app(db_path, poll_interval=0.02, language="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)

        def footer() -> str:
            return app.screen._compositor.render_strips()[-1].text

        for language in [*steps, steps[0]]:  # round, and back to a language spoken before
            said = [label if language == "en" else f"{label} {words(language)._(label)}"
                    for label in ("Agenda", "Light/dark", "Language", "Quit")]
            await support.wait_for(lambda: all(s in footer() for s in said),  # noqa: B023
                                   what=f"the footer in {language}")
            theme = app.theme
            await pilot.press("t")
            assert app.theme != theme, f"t in {language}"
            await pilot.press("l")
        views = app.query_one("#views")
        await pilot.press("a")
        await support.wait_for(lambda: views.current == "agenda", what="the agenda shown by a")
        await pilot.press("q")
        await support.wait_for(lambda: not app.is_running, what="q to end the chair")


@pytest.mark.parametrize("language", ["zh", "ja", "ko", "mn", "ru"])
@pytest.mark.parametrize("answered", [17, None], ids=["decided-while-open", "closed"])
async def test_the_verdict_is_read_whole_at_80x24_in_every_language(ga12_present, db_path, language, answered):
    # The Mongolian verdict "✔ ТОДОРХОЙ БОЛСОН: БАТЛАГДСАН" lost its last word ("carried") at
    # 80x24: its reason took the lines first. The verdict comes first; the reason may give way.
    if answered is None:
        scenes.vote_closed(ga12_present)
    else:
        scenes.vote_in_progress(ga12_present, answered=answered)  # 38 yes of 38 cast: decided
    app = build_app(db_path, poll_interval=0.02, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settled(app, pilot)
        outcome = app.board.vote.outcome
        assert any(ord(ch) > 0x7F for ch in outcome.split("✔")[-1]), outcome  # in both languages
        assert region_text(app, "#outcome .figure") == flat(outcome)
