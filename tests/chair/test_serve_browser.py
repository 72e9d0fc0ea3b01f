"""`near-tui chair --serve` in a real browser: a page left ends its chair; a restarted server is
found again by itself (an unattended remote projector needs no click)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from board.cdp import Browser, chromium_path
from board.support import free_port, wait_until
from chair import scenes
from chair.test_serve_offline import served_chairs

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Chromium: run scripts/test, which installs it")


def start_server(db: str, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "near_tui", "chair", "--db", db, "--serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def until(condition, timeout: float) -> bool:
    return await asyncio.get_running_loop().run_in_executor(None, wait_until, condition, timeout)


async def shows_chair(browser: Browser, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            shown = await browser.evaluate("document.body && document.body.classList.contains('-first-byte') && "
                                           "!document.body.classList.contains('-closed')")
        except RuntimeError as error:  # asked while the page was still navigating: ask again
            if "navigated or closed" not in str(error):
                raise
            shown = False
        if shown:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the page never showed a chair")


async def test_leaving_the_page_ends_its_chair_and_a_restarted_server_is_found_again(ga12_present, db_path, tmp_path):
    scenes.vote_in_progress(ga12_present)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    servers = [start_server(db_path, port)]

    async def scenario():
        async with Browser(tmp_path / "profile") as browser:
            assert await until(lambda: os.system(f"curl -s -o /dev/null {url}") == 0, 20)
            await browser.goto(url)
            await shows_chair(browser)
            assert await until(lambda: len(served_chairs(db_path)) == 1, 20)
            # Away to another page, as a tab does: its chair ends (pagehide, cache or not).
            await browser.goto("about:blank")
            assert await until(lambda: served_chairs(db_path) == [], 15), served_chairs(db_path)
            # Back: a page restored from the back/forward cache starts a new chair.
            history = await browser.send("Page.getNavigationHistory")
            back = history["entries"][history["currentIndex"] - 1]
            assert back["url"] == url
            await browser.send("Page.navigateToHistoryEntry", entryId=back["id"])
            await shows_chair(browser)
            assert await until(lambda: len(served_chairs(db_path)) == 1, 20)
            # The server restarts: the page finds it again by itself and shows a chair.
            servers[0].terminate()
            servers[0].wait(timeout=20)
            assert await until(lambda: served_chairs(db_path) == [], 15)
            await asyncio.sleep(1)
            servers.append(start_server(db_path, port))
            await shows_chair(browser, timeout=40)
            assert await until(lambda: len(served_chairs(db_path)) == 1, 20)

    try:
        await scenario()
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=30)
        for pid in served_chairs(db_path):
            os.kill(pid, signal.SIGKILL)
