"""What the board's tests share: a session with names in every member script, the real
``near-tui board`` process on a free loopback port, and a Server-Sent Events reader."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import aiohttp

from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, member, write_agenda

# (id, name, country): every script of the association, and two names that look like markup.
MEMBERS = [
    ("cn-heilongjiang", "黑龙江省", "CN"),
    ("jp-aomori", "青森県", "JP"),
    ("kr-busan", "부산광역시", "KR"),
    ("mn-ulaanbaatar", "Улаанбаатар хот", "MN"),
    ("ru-primorsky", "Приморский край", "RU"),
    ("cn-inner-mongolia", "ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ", "CN"),
    ("jp-markup", "<img src=x onerror=\"document.title='owned'\"> [b]Tag[/b]", "JP"),
    ("kr-gyeongbuk", "Gyeongsangbuk-do", "KR"),
]
ITEMS = [
    {"id": "1", "title": "Распределение сертификатов · 会員証の配布", "kind": "decision", "article": "8.11"},
    {"id": "2", "title": "사무국 보고", "kind": "report"},
    {"id": "3", "title": "<b>Not bold</b> & 次期議長", "kind": "decision", "article": "8.2"},
]


def scripts_session(folder: Path, db: str) -> Session:
    """A session whose members write their names in their own scripts, all present."""
    roster = [dict(member(mid, country=country), name=name) for mid, name, country in MEMBERS]
    agenda = write_agenda(folder, roster, ITEMS)
    session = Session.create(load_agenda(agenda), db, clock=FixedClock())
    for mid, _, _ in MEMBERS:
        session.set_attendance(mid, "in_person")
    return session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


class BoardProcess:
    """``near-tui board --db DB --port PORT`` in a child process, as a user starts it."""

    def __init__(self, db: str, *args: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "near_tui", "board", "--db", db, "--port", str(self.port), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=child_env())
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors, False), daemon=True).start()

    def _read(self, stream, into: list[str], signals_ready: bool) -> None:
        for line in stream:
            into.append(line)
            if signals_ready and "live on http" in line:
                self.ready.set()
        if signals_ready:
            self.ready.set()  # ended: wait_ready reports why

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 30) -> BoardProcess:
        if not self.ready.wait(timeout) or not any("live on http" in line for line in self.lines):
            raise AssertionError(f"the board did not start: {''.join(self.lines + self.errors)}")
        return self

    def stop(self, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"the board did not stop within {timeout} s of SIGTERM") from None

    def __enter__(self) -> BoardProcess:
        return self.wait_ready()

    def __exit__(self, *exc) -> None:
        self.stop()


class Stream:
    """One viewer of /events: its messages, parsed, with the time each arrived."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response
        self.buffer = b""

    async def messages(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            while b"\n\n" not in self.buffer:
                chunk = await self.response.content.readany()
                if not chunk:
                    return
                self.buffer += chunk
            block, self.buffer = self.buffer.split(b"\n\n", 1)
            data = [line[5:].lstrip(b" ") for line in block.split(b"\n") if line.startswith(b"data:")]
            if data:
                yield json.loads(b"\n".join(data))

    async def next(self, timeout: float = 10) -> dict[str, Any]:
        return await asyncio.wait_for(anext(self.messages()), timeout)

    async def until(self, predicate, timeout: float = 10) -> dict[str, Any]:
        """The first message for which ``predicate`` holds (AssertionError at the deadline)."""
        async def find():
            async for message in self.messages():
                if predicate(message):
                    return message
            raise AssertionError("the stream ended")
        try:
            return await asyncio.wait_for(find(), timeout)
        except TimeoutError:
            raise AssertionError(f"no such message within {timeout} s") from None


async def page_at_event(browser: Any, seq: int, timeout: float = 20, live: bool = True) -> None:
    """Wait (bounded) until a board page in ``browser`` (board.cdp.Browser) shows record event
    ``seq`` in its footer, and says LIVE unless ``live`` is False (a page whose clock the test holds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        chain = await browser.evaluate("(document.getElementById('chain') || {}).textContent || ''")
        if chain.startswith(f"Record event {seq} ") and (not live or "● LIVE" in await browser.text()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the page never reached event {seq}: {await browser.text()}")


def item(message: dict[str, Any], item_id: str) -> dict[str, Any] | None:
    """The agenda line of ``item_id`` in an /events message's picture."""
    return next((i for i in message["picture"]["agenda"] if i["item_id"] == item_id), None)


def wait_until(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


# Any scheme-qualified or protocol-relative reference, and CSS ways of loading something.
URL = re.compile(r"""(?:[a-z][a-z0-9+.-]*:)?//(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost|\[[0-9a-f:.]+\])(?::\d+)?""",
                 re.I)
CSS_LOAD = re.compile(r"""@import|url\(\s*['"]?([^'")\s]+)""", re.I)
# Text that names a URL without the browser ever fetching it: comments and XML namespaces.
NOT_FETCHED = {
    "css": re.compile(r"/\*.*?\*/", re.S),
    "html": re.compile(r"<!--.*?-->|\sxmlns(?::\w+)?=\"[^\"]*\"", re.S),
    "js": None,
}


def outside_references(text: str, base: str, kind: str = "html") -> list[str]:
    """Every place ``text`` (a page, stylesheet or script served from ``base``) could load
    something from another host."""
    if NOT_FETCHED[kind] is not None:
        text = NOT_FETCHED[kind].sub(" ", text)
    here = urlparse(base).netloc
    found = []
    for url in URL.findall(text):
        if urlparse(url if ":" in url.split("//")[0] else "http:" + url).netloc != here:
            found.append(url)
    for match in CSS_LOAD.finditer(text):
        target = match.group(1)
        if match.group(0).lower() == "@import" or (target and not target.startswith(("data:", "/"))
                                                   and urlparse(urljoin(base, target)).netloc != here):
            found.append(match.group(0))
    return found


def kind_of(content_type: str) -> str:
    return "css" if "css" in content_type else "js" if "javascript" in content_type else "html"
