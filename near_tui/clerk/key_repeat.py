"""One answer per press: telling a held key's auto-repeat from a new press of the same key.

A terminal sends a held key as the same key again and again: first after its repeat delay
(X11 waits 660 ms by default, Windows and macOS about 500 ms), then many times a second
(25 to 30 by default). Textual hands those on as ordinary key events, so a held ``y``
answered every remaining member within a second, and thirty backspaces at that speed undid
a whole roll call.

The rule (docs/clerk.md, "One answer per press"): a key counts as a new press unless

- it is the same key as the last one counted, less than ``first`` seconds after it
  (covers the repeat delay: the first repeat of a held key), or
- it comes less than ``gap`` seconds after a key already judged a repeat of it (the
  repeats that follow while the key stays down).

Any other key in between ends a hold: a terminal stops repeating a key once another is
pressed. A person answering two members in a row with the same word presses again after
hearing the second answer, well over ``first`` after the first press; a press that comes
sooner is refused with a word, never turned into an answer for someone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FIRST = 0.8  # seconds: above the common repeat delays (500–660 ms), below a second deliberate answer
GAP = 0.5  # seconds: above the slowest common repeat interval (Windows' slowest: 400 ms)


@dataclass
class KeyRepeat:
    """Judges each key event of the guarded keys: ``is_repeat(key, at)``; ``at`` in seconds."""

    first: float = FIRST
    gap: float = GAP
    _key: str | None = field(default=None, repr=False)  # the key of the last event judged
    _counted: float = field(default=0.0, repr=False)  # when that key was last counted as a press
    _last: float = field(default=0.0, repr=False)  # when its last event came (counted or not)

    def is_repeat(self, key: str, at: float) -> bool:
        held = key == self._key and (at - self._counted < self.first
                                     or (self._last != self._counted and at - self._last < self.gap))
        if not held:
            self._counted = at
        self._key, self._last = key, at
        return held

    def other_key(self) -> None:
        """A key outside the guarded ones was pressed: whatever was held was let go."""
        self._key = None

