"""`near-tui chair --serve` at a venue: no request to the internet, no chair left running.

Each browser gets its own chair process; it must end when its browser goes away, and
when the server itself is stopped or killed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import aiohttp
import pytest

from board.support import Links, free_port, kind_of, outside_references, wait_until
from chair import scenes


def served_chairs(db: str) -> list[int]:
    """Chair processes started for a browser on ``db`` (found wherever they are, orphans too)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if b"chair" in argv and b"--served" in argv and db.encode() in argv and state != "Z":
            found.append(int(pid))
    return found


@pytest.fixture
def server(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "near_tui", "chair", "--db", db_path, "--serve",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process, f"http://127.0.0.1:{port}"
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)
    for pid in served_chairs(db_path):  # never leave one behind, even when a test fails
        os.kill(pid, signal.SIGKILL)


async def page(client: aiohttp.ClientSession, base: str) -> str:
    for _ in range(150):  # wait for the server to listen (at most ~15 s)
        try:
            async with client.get(base + "/") as response:
                return await response.text()
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.1)
    raise AssertionError("the chair server never answered")


async def open_screen(client: aiohttp.ClientSession, base: str) -> aiohttp.ClientWebSocketResponse:
    """Connect as the browser page does, and wait until the chair has drawn its screen."""
    ws = await client.ws_connect(base.replace("http", "ws") + "/ws?width=100&height=30")
    await ws.send_json(["resize", {"width": 100, "height": 30}])
    screen = b""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while b"NOW CALLING" not in screen:
        message = await ws.receive(timeout=max(0.1, deadline - loop.time()))
        assert message.type == aiohttp.WSMsgType.BINARY or message.type == aiohttp.WSMsgType.TEXT, message
        if message.type == aiohttp.WSMsgType.BINARY:
            screen += message.data
    return ws


async def test_the_served_page_and_its_assets_reference_nothing_outside_this_machine(server):
    _, base = server

    async def fetch_all():
        async with aiohttp.ClientSession() as client:
            html = await page(client, base)
            links = Links()
            links.feed(html)
            found = {"/": ("text/html", html)}
            # The stylesheet, the script and the font the page declares.
            refs = links.urls + [m for m in ("static/fonts/RobotoMono-VariableFont_wght.ttf",) if m in html]
            for ref in refs:
                target = urljoin(base + "/", ref)
                assert urlparse(target).netloc == urlparse(base).netloc, ref
                async with client.get(target) as response:
                    assert response.status == 200, target
                    body = await response.read()
                    found[ref] = (response.headers["Content-Type"], body.decode("utf-8", "replace"))
            return found

    found = await fetch_all()
    assert any(ref.endswith("textual.js") for ref in found) and any(ref.endswith(".ttf") for ref in found)
    for ref, (content_type, text) in found.items():
        if ref.endswith(".ttf"):
            continue
        assert outside_references(text, base, kind_of(content_type)) == [], ref
    assert "fonts.googleapis.com" not in found["/"][1]


async def test_no_chair_is_left_running_after_a_browser_disconnects(server, db_path):
    process, base = server

    async def visit(abruptly: bool):
        async with aiohttp.ClientSession() as client:
            await page(client, base)
            ws = await open_screen(client, base)
            assert len(served_chairs(db_path)) == 1  # the browser's own chair
            if abruptly:  # a laptop lid closed, a phone out of range: no closing handshake
                ws._response.connection.transport.abort()
            else:  # the tab closed
                await ws.close()

    for abruptly in (False, True):
        await visit(abruptly)
        assert wait_until(lambda: served_chairs(db_path) == [], timeout=10), served_chairs(db_path)
    assert process.poll() is None  # the server still serves the next browser


@pytest.mark.parametrize("stop", ["kill", "terminate"])
async def test_no_chair_is_left_running_after_the_server_stops(server, db_path, stop):
    process, base = server

    async def visit():
        async with aiohttp.ClientSession() as client:
            await page(client, base)
            ws = await open_screen(client, base)
            assert len(served_chairs(db_path)) == 1
            getattr(process, stop)()
            # Killed, the server can ask nothing of its chairs: each sees its pipe close, and ends.
            # Terminated (ctrl+c), it ends every browser's session at once, and each chair quits.
            ended = await asyncio.get_running_loop().run_in_executor(
                None, wait_until, lambda: served_chairs(db_path) == [], 15)
            await ws.close()
            return ended

    assert await visit(), served_chairs(db_path)
    process.wait(timeout=15)
