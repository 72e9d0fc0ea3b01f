"""Reading a running Textual app the way the clerk sees it."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot as _Pilot

# Pilot's own press, before tests/conftest.py makes each key wait for the write it starts. The tests
# of keys pressed WHILE a write is under way (a held lock, a held key) press with this one.
PRESS_AT_ONCE = _Pilot.press


def toasts(app: Any) -> list[tuple[str, str]]:
    """The notifications the app shows now, oldest first, as (title, message).

    Textual keeps them in a private collection; this is the one place the suite reads it, so a
    Textual upgrade that renames it is mended here.
    """
    return [(n.title, n.message) for n in app._notifications]


def toast_messages(app: Any) -> list[str]:
    return [message for _title, message in toasts(app)]


def toasted(app: Any, words: str) -> bool:
    """Whether a notification now shown holds ``words`` in its message."""
    return any(words in message for message in toast_messages(app))


def screen_text(app: Any) -> str:
    """Every line of the terminal as the app last composed it (dialogs over their screen), plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def text_of(widget: Any) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())


def clerk_app(db: str, item: str | None = None, order: str = "roster", held_keys: bool = False,
              **options: Any) -> Any:
    """The clerk's app exactly as the CLI builds it, with a clock that makes every render reproducible.

    Pilot presses keys milliseconds apart, as fast as a held key repeats: unless ``held_keys``,
    the app counts every key as a new press (the tests of the repeat rule pass True)."""
    from near_tui.clerk import build_app
    from near_tui.clerk.key_repeat import KeyRepeat

    from .agendas import FixedClock

    if not held_keys:
        options.setdefault("key_repeat", KeyRepeat(first=0.0, gap=0.0))
    return build_app(db, item=item, clock=FixedClock("2018-10-29T10:00:00"), order=order, **options)


async def wait_for_screen(app: Any, kind: type, timeout: float = 60) -> Any:
    """Wait (bounded) until the app shows a ``kind`` screen that has mounted its widgets.

    A screen pushed from a worker's callback is on the stack a moment before its children are
    composed; reading it then finds nothing, so "shown" here means both."""
    from .waits import wait_for

    def shown() -> Any:
        screen = app.screen
        return screen if isinstance(screen, kind) and screen.is_mounted and screen.children else None

    return await wait_for(shown, timeout=timeout, what=f"the {kind.__name__}")


def events(db: str) -> list:
    """Every event of the log at ``db``, read through a read-only session."""
    from near_tui.service.session import Session

    session = Session.open(db, readonly=True)
    try:
        return session.log.read_events()
    finally:
        session.close_log()
