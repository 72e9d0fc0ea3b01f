"""The chair's agenda shows the agenda changes: addenda, withdrawn and postponed items.

An addendum says so in words before its title; a withdrawn or postponed item says so in its
outcome column with the reason the clerk gave, never as "not taken up" and with no figures.
The words are the verdict's (WITHDRAWN, POSTPONED, docs/rules.md); the reasons are the test's own.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console

import support
from chair import scenes
from near_tui.chair.app import build_app
from near_tui.i18n import words

TITLE = "Delay of the first fee [b]collection[/b] 東北アジア 기금"
WITHDRAWN = "Sponsor [b]withdrew[/b] it"
POSTPONED = "To the 13th General Assembly"


def changed(session) -> None:
    """Items 1-3 settled, an addendum after item 3, item 6 withdrawn and item 7 postponed."""
    scenes.between_items(session)
    session.add_item({"id": "A1", "title": TITLE, "kind": "decision", "article": "8.11"}, after="3")
    session.withdraw_item("6", WITHDRAWN)
    session.postpone_item("7", POSTPONED)


def agenda_lines(app) -> dict[str, str]:
    """The agenda table as plain text, one line per item, by item id."""
    console = Console(width=300, record=True)
    console.print(app.query_one("#agenda-scroll > Static").content)
    lines = {}
    for line in console.export_text().splitlines():
        words = line.split()
        if words:
            lines[words[0].lstrip("▶")] = line
    return lines


async def test_the_chair_agenda_names_addenda_and_set_aside_items_with_their_reason(ga12_present, db_path):
    changed(ga12_present)

    app = build_app(db_path, poll_interval=0.02)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert app.query_one("#views").current == "agenda"
        lines = agenda_lines(app)
        order = [key for key in lines if key in ("3", "A1", "4")]
        assert order == ["3", "A1", "4"], "the addendum right after item 3"
        assert f"ADDENDUM · {TITLE}" in lines["A1"]
        assert f"⊘ WITHDRAWN: {WITHDRAWN}" in lines["6"]
        assert f"» POSTPONED: {POSTPONED}" in lines["7"]
        for item in ("6", "7"):  # never voted: no figures after the reason
            assert "NOT TAKEN UP" not in lines[item].upper()
            assert lines[item].rstrip().endswith(WITHDRAWN if item == "6" else POSTPONED)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_agenda_with_an_addendum_and_items_set_aside(snap_compare, ga12_present, db_path, size, theme):
    changed(ga12_present)
    assert snap_compare(build_app(db_path, theme), terminal_size=size)


async def test_an_addendum_keeps_its_title_at_80x24_beside_chinese(ga12_present, db_path):
    """Two languages of label must not crowd out the title: it is data, the label is not."""
    changed(ga12_present)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one("#views").current == "agenda"
        screen = [strip.text for strip in app.screen._compositor.render_strips()]
        start = next(i for i, line in enumerate(screen) if line[:6].strip().lstrip("▶") == "A1")
        end = next(i for i in range(start + 1, len(screen)) if screen[i][:6].strip())
        row = screen[start:end]
        said = "\n".join(row)
        label = words("zh")._("ADDENDUM · ").strip(" ·")
        assert "ADDENDUM" in said and label in said
        assert f"·  {label}" not in said, "one space between the two languages"
        # The title whole, or its first words (two at least) ending in "…".
        shown = [line for line in row if TITLE[:4] in line]
        assert shown, f"the title is not shown: {row}"
        cut = shown[0][shown[0].index(TITLE[:4]):].split("  ")[0].rstrip()
        assert cut == TITLE or (cut.endswith("…") and TITLE.startswith(cut[:-1].rstrip())
                                and len(cut[:-1].split()) >= 2), cut


# A reason given in Chinese (data), with a mark after every few characters.
REASON_ZH = "各国意见不一，提案方撤回；秘书处将修订条文，于下届会议（2019年）再提交，届时附上译本。"
CLOSING_MARKS = "，。、；：！？）」』"


def cell_at(line: str, x: int) -> str:
    """The character that starts at cell ``x`` of ``line`` ("" when a wide one covers it)."""
    cells = 0
    for ch in line:
        if cells == x:
            return ch
        cells += cell_len(ch)
        if cells > x:
            return ""
    return ""


async def test_a_chinese_outcome_never_starts_a_line_with_a_closing_mark(ga12_present, db_path):
    changed(ga12_present)
    ga12_present.withdraw_item("8", REASON_ZH)
    app = build_app(db_path, poll_interval=0.02, language="zh")
    async with app.run_test(size=(80, 40)) as pilot:
        wrapped_at = set()
        for width in range(80, 161, 8):
            await pilot.resize_terminal(width, 40)
            await support.wait_for(lambda: app.size.width == width, what="the new width")  # noqa: B023
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.query_one("#agenda-scroll > Static")
            console = Console(width=table.content_size.width, record=True)
            console.print(table.content)
            lines = console.export_text().splitlines()
            x = lines[0].index("OUTCOME")  # the header's first line is English: cells are characters
            body = lines[2:]  # under the two header lines (English, then Chinese)
            starts = [cell_at(line, x) for line in body]
            assert not [line for line, ch in zip(body, starts, strict=True) if ch in CLOSING_MARKS], width
            # The reason is shown whole and once (after the word in both languages), over as many
            # lines as the column needs.
            row = next(i for i, line in enumerate(body) if line.lstrip().lstrip("▶").startswith("8 "))
            shown = "".join(line[line.index(ch):] if ch else "" for line, ch in
                            zip(body[row:], starts[row:], strict=True))
            assert "".join(shown.split()).count("".join(REASON_ZH.split())) == 1, width
            assert "WITHDRAWN" in shown and words("zh")._("WITHDRAWN") in shown, width
            wrapped_at.add(sum(1 for ch in starts[row + 1:] if ch))
        assert len(wrapped_at) > 1, "the widths broke the reason in more than one way"
