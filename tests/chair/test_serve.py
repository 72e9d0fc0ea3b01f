"""`near-tui chair --serve`: the same view in a browser, over loopback only."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import aiohttp

from chair import scenes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def fetch_page_and_screen(port: int) -> tuple[str, str]:
    """The page, then what the app sends down its websocket for a few seconds (bounded)."""
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as client:
        for _ in range(100):  # wait for the server to listen (at most ~10 s)
            try:
                async with client.get(base + "/") as response:
                    page = await response.text()
                    break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("the chair server never answered")
        screen = b""
        async with client.ws_connect(base + "/ws?width=120&height=40") as ws:
            await ws.send_json(["resize", {"width": 120, "height": 40}])
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 15
            while b"NOW CALLING" not in screen and loop.time() < deadline:
                try:
                    message = await ws.receive(timeout=deadline - loop.time())
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break
        return page, screen.decode("utf-8", "replace")


async def test_serve_shows_the_chair_view_in_a_browser_on_loopback(ga12_present, db_path):
    scenes.vote_in_progress(ga12_present)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "near_tui", "chair", "--db", db_path, "--serve",
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page, screen = await fetch_page_and_screen(port)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert f"ws://127.0.0.1:{port}/ws" in page  # bound to loopback by default
    assert "NOW CALLING" in screen and "Adoption of New Members" in screen


def test_wrong_db_is_one_line_and_no_server(tmp_path):
    result = subprocess.run([sys.executable, "-m", "near_tui", "chair", "--db", str(tmp_path / "none.sqlite"),
                             "--serve", "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no such session database" in result.stderr


async def test_serve_caps_its_chairs_and_points_the_next_browser_to_the_board(ga12_present, db_path):
    """With --max-viewers 1, a second browser gets a page naming `near-tui board` and no chair process."""
    scenes.vote_in_progress(ga12_present)
    port = 18412
    server = subprocess.Popen([sys.executable, "-m", "near_tui", "chair", "--db", db_path, "--serve",
                               "--port", str(port), "--max-viewers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    async def scenario() -> tuple[int, str, int, int]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as client:
            for _ in range(100):
                try:
                    async with client.get(base + "/") as response:
                        assert response.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            async with client.ws_connect(base + "/ws?width=80&height=24") as ws:
                await ws.send_json(["resize", {"width": 80, "height": 24}])
                await ws.receive(timeout=20)  # the first chair runs
                async with client.get(base + "/") as response:
                    status, page = response.status, await response.text()
                try:
                    async with client.ws_connect(base + "/ws?width=80&height=24"):
                        refused = 0
                except aiohttp.WSServerHandshakeError as exc:
                    refused = exc.status
            for _ in range(100):  # the first browser gone, the next one gets a chair again
                async with client.get(base + "/") as response:
                    again = response.status
                if again == 200:
                    break
                await asyncio.sleep(0.1)
            return status, page, refused, again

    try:
        status, page, refused, again = await scenario()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert status == 503 and "All 1 chair views are in use" in page
    assert f"near-tui board --db {db_path}" in page
    assert refused == 503  # the websocket itself is refused too: no second chair process
    assert again == 200
