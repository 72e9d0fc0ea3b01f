"""The letters screen at 80 columns shows every letter whole: no column is cut, nothing scrolls sideways.

The positions expected are read here from the sample's letters file (and from the letter this test
records), never from the screen's code. The list shows each letter in the longest of its forms that
fits ("2:Y 4:N", else "2Y 4N", else how many of each, "5Y 1N"); the line under the list gives the
highlighted member's letter in words, whole.
"""

from __future__ import annotations

import csv
from collections import defaultdict

from textual.widgets import DataTable

from near_tui.service.session import Session
from support import GA12_LETTERS, clerk_app, screen_text, text_of

SHORT = {"yes": "Y", "no": "N", "abstain": "A"}
WORD = {"yes": "YES", "no": "NO", "abstain": "ABSTAIN"}


def sample_letters() -> dict[str, dict[str, str]]:
    letters: dict[str, dict[str, str]] = defaultdict(dict)
    with GA12_LETTERS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            letters[row["member_id"]][row["item_id"]] = row["position"]
    return letters


def forms(positions: dict[str, str]) -> list[str]:
    counts = [f"{sum(1 for p in positions.values() if p == word)}{short}" for word, short in SHORT.items()
              if word in positions.values()]
    return [" ".join(f"{i}:{SHORT[p]}" for i, p in positions.items()),
            " ".join(f"{i}{SHORT[p]}" for i, p in positions.items()), " ".join(counts)]


async def test_every_sample_letter_is_whole_at_80_columns(present_db):
    letters = sample_letters()
    assert len(letters) == 21
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.max_scroll_x == 0, "the list is wider than the screen: a column is cut"
        for member_id, positions in letters.items():
            shown = table.get_cell(member_id, "positions").plain
            assert shown in forms(positions)[:2], (member_id, shown)  # six items: a form that names them
        lines = screen_text(app).splitlines()
        first = app.state.members["cn-anhui"]
        row = next(line for line in lines if first.name in line)
        assert row.rstrip().endswith(table.get_cell("cn-anhui", "positions").plain)
        detail = text_of(app.screen.query_one("#letter-detail"))
        said = "  ".join(f"{i}:{WORD[p]}" for i, p in letters["cn-anhui"].items())
        assert detail == f"{first.name}: letter in effect — {said}"


async def test_a_letter_on_nine_items_is_counted_in_the_list_and_given_whole_below(present_db):
    session = Session.open(present_db)
    for n in (1, 2, 3):
        session.add_item({"id": f"A{n}", "title": f"Addendum {n}", "kind": "decision", "article": "8.11"})
    letter = {"2": "yes", "4": "yes", "5": "yes", "6": "no", "7": "yes", "8": "yes",
              "A1": "abstain", "A2": "yes", "A3": "no"}
    session.record_letter("cn-inner-mongolia", letter)
    session.close_log()
    app = clerk_app(present_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"inner")  # the cursor on Inner Mongolia: its letter in words below the list
        await pilot.pause()
        said = "  ".join(f"{i}:{WORD[p]}" for i, p in letter.items())
        assert text_of(app.screen.query_one("#letter-detail")) == \
            f"Inner Mongolia Autonomous Region: letter in effect — {said}"
        await pilot.press("escape")  # the whole list again, with its longest names
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.max_scroll_x == 0
        assert table.get_cell("cn-inner-mongolia", "positions").plain == forms(letter)[2] == "6Y 2N 1A"
