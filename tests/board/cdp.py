"""A headless Chromium driven over the Chrome DevTools Protocol (aiohttp's websocket client).

Why not Selenium: the DevTools Protocol is what chromedriver itself speaks to the browser, and
aiohttp (already a dependency) talks it directly, so the test needs no driver binary whose version
must match the browser, no extra package, and nothing that might try to download one. It also
gives what the test needs beyond Selenium's reach: every request the page makes (to prove none
leaves the machine) and device emulation for the phone-size screenshot.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import aiohttp

# Debian's package is `chromium`; other distributions name it otherwise.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
         "--no-default-browser-check", "--mute-audio", "--remote-debugging-port=0", "--remote-allow-origins=*")


def chromium_path() -> str | None:
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


class Browser:
    """One Chromium process with a fresh profile, and its first page."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 800) -> None:
        binary = chromium_path()
        if binary is None:
            raise RuntimeError("no Chromium on this machine: scripts/test installs Debian's `chromium`")
        self.profile = profile
        self.log = profile.with_name(profile.name + "-chromium.log")  # a pipe nobody reads could fill up
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True)  # its own process group: its helpers end with it
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future] = {}
        self.requests: list[str] = []  # every URL the page asked for
        self.client: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task | None = None

    async def __aenter__(self) -> Browser:
        port_file = self.profile / "DevToolsActivePort"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited: {self.log.read_text(errors='replace')[-2000:]}")
            if loop.time() > deadline:
                raise RuntimeError("chromium did not open its DevTools port within 30 s")
            await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        self.client = aiohttp.ClientSession()
        async with self.client.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json(content_type=None)
        page = next(t for t in targets if t["type"] == "page")
        self.ws = await self.client.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        self.reader = asyncio.create_task(self._read())
        await self.send("Page.enable")
        await self.send("Network.enable")
        return self

    async def __aexit__(self, *exc) -> None:
        if self.reader is not None:
            self.reader.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self.client is not None:
            await self.client.close()
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._signal_group(signal.SIGKILL)  # any renderer or helper still there
        self.process.wait()

    def _signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.waiting:
                self.waiting.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.requestWillBeSent":
                self.requests.append(data["params"]["request"]["url"])

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        call = next(self.ids)
        answer = asyncio.get_running_loop().create_future()
        self.waiting[call] = answer
        await self.ws.send_json({"id": call, "method": method, "params": params})
        data = await asyncio.wait_for(answer, 30)
        if "error" in data:
            raise RuntimeError(f"{method}: {data['error']}")
        return data["result"]

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def text(self) -> str:
        """What a reader sees: the page's rendered text."""
        return await self.evaluate("document.body ? document.body.innerText : ''") or ""

    async def wait_for_text(self, wanted: str, timeout: float) -> str:
        """The page's text once it contains ``wanted``; AssertionError with the last text at the deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        text = ""
        while loop.time() < deadline:
            text = await self.text()
            if wanted in text:
                return text
            await asyncio.sleep(0.05)
        raise AssertionError(f"the page never showed {wanted!r} within {timeout} s; it showed:\n{text}")

    async def emulate(self, width: int, height: int, scale: float = 1, mobile: bool = False) -> None:
        await self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=scale, mobile=mobile)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
