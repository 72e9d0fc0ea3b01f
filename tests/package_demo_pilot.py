"""Run by tests/test_package.py with the python of a venv where only the built wheel is installed.

Builds the demo session exactly as `near-tui demo` does (prepare_demo, in the current directory, which
is not a checkout) and drives the clerk's app under Textual's pilot: the opening screen's attendance
and one roll-call answer. The expected figures come from the sample's CSVs, counted here.

Usage: python package_demo_pilot.py VENV SAMPLE_DIR   (SAMPLE_DIR: written by `near-tui sample`)
"""

from __future__ import annotations

import asyncio
import csv
import sys
from pathlib import Path

import near_tui
from near_tui.clerk.app import build_app
from near_tui.cli.clerk import prepare_demo

venv, sample = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
# The package under test is the installed wheel, not a checkout on some path.
assert Path(near_tui.__file__).resolve().is_relative_to(venv), near_tui.__file__

with (sample / "ga12-2018-attendance.csv").open(newline="", encoding="utf-8") as f:
    attendance = list(csv.DictReader(f))
with (sample / "ga12-2018-letters.csv").open(newline="", encoding="utf-8") as f:
    letters = list(csv.DictReader(f))
in_person = sum(1 for row in attendance if row["mode"] == "in_person")
online = sum(1 for row in attendance if row["mode"] == "online")
by_letter = len({row["member_id"] for row in letters})
letter_yes_on_2 = sum(1 for row in letters if row["item_id"] == "2" and row["position"] == "yes")

made = prepare_demo()
# Not a checkout: the demo goes to sessions/ under the current directory.
assert Path(made.db).parent == Path.cwd() / "sessions", made.db
assert Path(made.key).is_file() and made.folder.is_dir()


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def drive() -> None:
    app = build_app(made.db, key_path=made.key, out_dir=str(made.folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert f"in person {in_person} · online {online} · by letter {by_letter}" in text, text
        # Item 2 (the admission) from the agenda: enter opens it, enter again takes the roster order.
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await app.writes_settled()  # the write runs in a worker; a person looks before the next key
        await pilot.pause()
        assert app.state.items["2"].status == "open", screen_text(app)
        first = app.state.now_calling("2")
        await pilot.press("y")
        await app.writes_settled()
        await pilot.pause()
        assert app.state.position("2", first)[0] == "yes"
        assert app.state.tally("2").yes == letter_yes_on_2 + 1


asyncio.run(drive())
print(f"demo ok: {made.db}")
