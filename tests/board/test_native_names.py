"""The board names the member being called with its native name beside the name.

The report's ``calling`` gains ``native_name`` (only when the roster gives one; no key is
renamed), and the page shows both, each marked with its language.
"""

from __future__ import annotations

import pytest

from board.cdp import Browser, chromium_path
from board.support import BoardProcess
from clerk.native import native_session
from near_tui.board.feed import Follower
from near_tui.views.report import build_report
from support import wait_for_value


def calling(db: str) -> dict | None:
    follower = Follower(db)
    try:
        return next(i for i in follower.snapshot.report["items"] if i["id"] == "2")["calling"]
    finally:
        follower.close()


def test_the_report_gives_the_native_name_of_the_member_being_called(tmp_path):
    db, session = native_session(tmp_path)
    session.open_vote("2")
    assert calling(db) == {"id": "cn-heilongjiang", "name": "Heilongjiang Province", "country": "CN",
                           "native_name": "黑龙江省"}
    for member_id in ("cn-heilongjiang", "jp-aomori", "kr-busan", "mn-ulaanbaatar", "ru-sakha", "kr-sejong"):
        session.record_vote("2", member_id, "yes")
    # A member without a native name: the keys as before, none added.
    assert calling(db) == {"id": "jp-kyoto", "name": "Kyoto Prefecture", "country": "JP"}
    session.record_vote("2", "jp-kyoto", "no")
    assert calling(db) is None
    # The item's other keys are unchanged by it.
    assert "native_name" not in build_report(session.state)["items"][1]
    session.close_log()


@pytest.mark.skipif(chromium_path() is None, reason="needs Chromium: run scripts/test, which installs it")
async def test_the_page_shows_both_names_of_the_member_being_called(tmp_path, db_path):
    db, session = native_session(tmp_path)
    session.open_vote("2")
    expected = [
        ("Heilongjiang Province", "黑龙江省", "zh-Hans"),
        ("Aomori Prefecture", "青森県", "ja"),
        ("Busan Metropolitan City", "부산광역시", "ko"),
        ("Ulaanbaatar City", "Улаанбаатар хот", "mn"),
        ("Sakha Republic (Yakutia)", "Республика Саха (Якутия)", "ru"),
    ]
    ids = ["cn-heilongjiang", "jp-aomori", "kr-busan", "mn-ulaanbaatar", "ru-sakha"]

    async def value(browser, expression):
        return await browser.evaluate(expression)

    async def wait_for(browser, expression, wanted, timeout=10):
        await wait_for_value(lambda: browser.evaluate(expression), wanted, timeout, what=expression)

    async def scenario(url):
        async with Browser(tmp_path / "profile") as browser:
            await browser.emulate(1920, 1080)
            await browser.goto(url + "/")
            await browser.wait_for_text("● LIVE", timeout=20)
            for member_id, (name, native, lang) in zip(ids, expected, strict=True):
                await wait_for(browser, "document.getElementById('calling-native').textContent", native)
                assert await value(browser, "document.getElementById('calling-name').textContent") == name
                assert await value(browser, "document.getElementById('calling-name').lang") == "en"
                assert await value(browser, "document.getElementById('calling-native').lang") == lang
                assert not await value(browser, "document.getElementById('calling-native').hidden")
                assert f"{name} {native}" in await value(browser, "document.getElementById('calling').innerText")
                if member_id == "kr-busan":
                    await browser.screenshot(tmp_path / "board-native.png")  # for a person to look at
                session.record_vote("2", member_id, "yes")
            session.record_vote("2", "kr-sejong", "yes")
            await wait_for(browser, "document.getElementById('calling-name').textContent", "Kyoto Prefecture")
            assert await value(browser, "document.getElementById('calling-native').hidden")

    with BoardProcess(db) as board:
        await scenario(board.url)
    session.close_log()
