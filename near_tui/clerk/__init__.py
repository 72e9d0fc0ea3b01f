"""The clerk's full-screen console (Textual): attendance, letters, roll calls, other items.

Importing the package loads no Textual (the CLI imports ``clerk.commands`` at start);
``build_app`` and ``ClerkApp`` load it on first use.
"""

import gc

__all__ = ["ClerkApp", "build_app"]


def pause_collector() -> None:
    """Pause Python's cyclic garbage collector for the console's start-up.

    Loading Textual and the console creates some seventy thousand objects the collector tracks, all
    living as long as the process; every 700 new ones start a collection, and the older generations
    are scanned again and again: about 4% of the CPU to the first frame (bench/RESULTS.md, start-up).
    Imports and the first screen leave next to no cyclic garbage, so nothing piles up meanwhile.
    The app collects once, freezes what start-up built and resumes the collector after its first
    frame (``_freeze_start_up_heap``); the caller resumes it too if the console never gets there
    (``gc.enable()`` in a ``finally``).
    """
    gc.disable()


def __getattr__(name: str):
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
