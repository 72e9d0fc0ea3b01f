"""Waiting for a condition instead of for a fixed time.

A fixed sleep is either too short on a loaded machine (a flaky test) or too long everywhere (a
slow suite). These poll the condition and return as soon as it holds; at the deadline they fail
with what was awaited, so a test never hangs and never passes on luck.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

DEFAULT_TIMEOUT = 10.0


def wait_until(condition: Callable[[], Any], timeout: float = DEFAULT_TIMEOUT, step: float = 0.02,
               what: str = "the condition") -> Any:
    """Poll ``condition()`` until it is truthy and return its value; AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s (last: {value!r})")
        time.sleep(step)


async def wait_for(condition: Callable[[], Any], timeout: float = DEFAULT_TIMEOUT, step: float = 0.02,
                   what: str = "the condition") -> Any:
    """``wait_until`` for async code: the event loop (a Textual app, a server) runs between polls."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if loop.time() >= deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s (last: {value!r})")
        await asyncio.sleep(step)


async def wait_for_value(read: Callable[[], Awaitable[Any]], wanted: Any, timeout: float = DEFAULT_TIMEOUT,
                         step: float = 0.05, what: str = "the value") -> Any:
    """Await ``read()`` until it gives ``wanted`` (a page's expression, a server's answer)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await read()
        if value == wanted:
            return value
        if loop.time() >= deadline:
            raise AssertionError(f"{what} is {value!r}, never {wanted!r} within {timeout} s")
        await asyncio.sleep(step)


class Calls:
    """Counts the finished calls of one method (a follower's polls), leaving what it does alone.

    ``owner`` is an object, or a class for every instance (then give pytest's ``monkeypatch``, so
    the class is put back after the test).
    """

    def __init__(self, owner: object, name: str, monkeypatch: Any = None) -> None:
        self.count = 0
        original = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            try:
                return original(*args, **kwargs)
            finally:
                self.count += 1

        if monkeypatch is not None:
            monkeypatch.setattr(owner, name, counted)
        else:
            setattr(owner, name, counted)


class SteppedClock:
    """Stands in for a screen module's ``time`` (``monkeypatch.setattr(module, "time", clock)``), so a
    test of a "pressed at once" rule says when each key comes (``clock.now += 1.5``) whatever the
    machine's load: the rule is tested on the times it is given, not on how fast the keys went."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now
