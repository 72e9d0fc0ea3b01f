"""The board in a real browser: Debian's Chromium, headless, driven over the DevTools Protocol.

scripts/test installs Chromium. The screenshots are saved in the test's tmp folder
(``board-wall.png``, ``board-phone.png``) for a person to look at.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from board.cdp import Browser, chromium_path
from board.support import ITEMS, MEMBERS, BoardProcess, scripts_session
from support import wait_for_value

# BCP 47 tags the page should give each member's name: by its script, and Han characters by the
# member's country (so a Chinese name takes Chinese glyph forms); a name in Latin letters is English.
LANG = {"cn-heilongjiang": "zh-Hans", "jp-aomori": "ja", "kr-busan": "ko", "mn-ulaanbaatar": "mn",
        "ru-primorsky": "ru", "cn-inner-mongolia": "mn-Mong", "jp-markup": "en", "kr-gyeongbuk": "en"}

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Chromium: run scripts/test, which installs it")


async def figure(browser: Browser, name: str) -> str:
    return await browser.evaluate(f"document.getElementById('f-{name}').textContent")


async def wait_for(browser: Browser, expression: str, wanted, timeout: float = 10):
    return await wait_for_value(lambda: browser.evaluate(expression), wanted, timeout, what=expression)


async def test_a_recorded_vote_changes_the_page_in_the_browser(tmp_path, db_path):
    session = scripts_session(tmp_path, db_path)
    session.open_vote("1")
    answers = [(MEMBERS[0][0], "yes"), (MEMBERS[1][0], "no")]
    for member_id, vote in answers:
        session.record_vote("1", member_id, vote)

    async def scenario(url):
        async with Browser(tmp_path / "profile") as browser:
            await browser.emulate(1920, 1080)
            await browser.goto(url + "/")
            text = await browser.wait_for_text("● LIVE", timeout=20)
            assert ITEMS[0]["title"] in text
            assert await figure(browser, "yes") == "1" and await figure(browser, "no") == "1"
            # The member being called, in its own script and marked with its language.
            assert await browser.evaluate("document.getElementById('calling-name').textContent") == MEMBERS[2][1]
            assert await browser.evaluate("document.getElementById('calling-name').lang") == "ko"

            session.record_vote("1", MEMBERS[2][0], "yes")
            answers.append((MEMBERS[2][0], "yes"))
            yes = sum(1 for _, vote in answers if vote == "yes")
            await wait_for(browser, "document.getElementById('f-yes').textContent", str(yes))
            assert await figure(browser, "uncalled") == str(len(MEMBERS) - len(answers))
            # Screen readers hear the new tally, in one short sentence (within the 3 s pause between two).
            spoken = await wait_for(browser, "document.getElementById('announce').textContent",
                                    f"Item 1: yes {yes}, no 1, abstain 0. Calling {MEMBERS[3][1]}.", timeout=5)
            assert len(spoken) <= 100

            # Every member is called by its name as written, in its script, marked with its language;
            # names that look like markup are shown as written, and nothing in them runs.
            for member_id, name, _country in MEMBERS[3:]:
                await wait_for(browser, "document.getElementById('calling-name').textContent", name)
                assert await browser.evaluate("document.getElementById('calling-name').lang") == LANG[member_id]
                if member_id == "jp-markup":
                    await browser.screenshot(tmp_path / "board-wall.png")
                if member_id == "cn-inner-mongolia":  # the Mongolian script, on a phone held upright
                    await browser.emulate(390, 844, scale=2, mobile=True)
                    await wait_for(browser, "window.innerWidth", 390)  # laid out for the phone
                    await browser.screenshot(tmp_path / "board-phone.png")
                    await browser.emulate(1920, 1080)
                session.record_vote("1", member_id, "abstain")
                answers.append((member_id, "abstain"))
            await wait_for(browser, "document.getElementById('calling-name').textContent",
                           "■ EVERY PRESENT MEMBER HAS ANSWERED — the vote can be closed")
            assert await figure(browser, "abstain") == str(sum(1 for _, v in answers if v == "abstain"))
            assert ITEMS[2]["title"] in await browser.text()
            assert await browser.evaluate("document.images.length") == 0
            assert await browser.evaluate("document.title") == "Test Assembly · live board"

            # Nothing the page asked for went anywhere but this board.
            assert browser.requests
            assert {urlparse(u).netloc for u in browser.requests if not u.startswith("data:")} == \
                {urlparse(url).netloc}

    with BoardProcess(db_path) as board:
        await scenario(board.url)
    session.close_log()
    assert (tmp_path / "board-wall.png").stat().st_size > 10_000
    assert (tmp_path / "board-phone.png").stat().st_size > 10_000


async def test_the_page_says_not_live_when_the_board_stops(tmp_path, db_path):
    session = scripts_session(tmp_path, db_path)
    session.close_log()

    async def scenario(board):
        async with Browser(tmp_path / "profile") as browser:
            await browser.goto(board.url + "/")
            await browser.wait_for_text("● LIVE", timeout=20)
            board.stop()
            text = await browser.wait_for_text("NOT LIVE", timeout=10)
            assert "lost the connection to this board" in text
            # Screen readers hear it too, at once, in one short sentence.
            spoken = await browser.evaluate("document.getElementById('announce').textContent")
            assert spoken == "Not live: lost the connection to this board."
            assert "No item under way" in text  # what was on screen stays, marked as not live

    board = BoardProcess(db_path).wait_ready()
    try:
        await scenario(board)
    finally:
        board.stop()
