"""Two large figures side by side never run together, at every projector size.

With 30 yes beside 15 no the hall must read "30" and "15", not "3015": between two figures
at least 3 blank columns and at least twice the widest space between the digits of one
figure. The figures are read back from the characters on screen through the big font's
glyph table and compared with the test's own recount; the gaps are measured there too.
"""

from __future__ import annotations

import pytest

from chair import scenes
from chair.big_digits import read_figure, screen_lines, widest_blank_run
from near_tui.chair.app import build_app

# From the smallest terminal the chair supports to a 4K projector's.
SIZES = [(w, h) for w in (80, 90, 100, 110, 120, 140, 160, 180, 200, 220, 240) for h in (24, 32, 40, 45, 55, 67)]
TALLY = ("yes", "no", "abstain", "not-voting", "uncalled")


def answers_for_two_digit_figures() -> list[tuple[str, str]]:
    """Present members answering so that yes and no both run into two digits."""
    pattern = ["yes", "no", "yes", "no", "abstain"]
    return [(m, pattern[i % len(pattern)]) for i, m in enumerate(scenes.present_voters()[:-3])]


@pytest.mark.slow  # 66 terminal sizes
async def test_large_figures_stay_apart_and_read_as_the_recount_at_every_size(ga12_present, db_path):
    given = answers_for_two_digit_figures()
    ga12_present.open_vote("2")
    for member_id, vote in given:
        ga12_present.record_vote("2", member_id, vote)
    mine = scenes.recount("2", given)
    assert mine["yes"] >= 10 and mine["no"] >= 10  # the case that read "3015"
    measured = []

    app = build_app(db_path, poll_interval=0.05)
    async with app.run_test(size=SIZES[0]) as pilot:
        for size in SIZES:
            await pilot.resize_terminal(*size)  # waits until the app is idle, the new size laid out
            await pilot.pause()  # and drawn: a figure scales to its size when it renders
            lines = screen_lines(app)
            drawn = {}
            for cell in TALLY:
                figure = app.query_one(f"#{cell} .figure")
                found = read_figure(lines, figure.region)
                assert found is not None, f"{size}: no large figure in {cell}"
                drawn[cell] = found
                # The word over each figure stays with it: inside the figure's own cell.
                caption = app.query_one(f"#{cell} .caption").region
                cell_region = app.query_one(f"#{cell}").region
                assert cell_region.x <= caption.x and caption.right <= cell_region.right
                word_row = lines[caption.y][cell_region.x:cell_region.right]
                assert word_row.strip(), f"{size}: the word over {cell} is not on screen"
            read = {cell: int(text) for cell, (text, _, _) in drawn.items()}
            assert read == {"yes": mine["yes"], "no": mine["no"], "abstain": mine["abstain"],
                            "not-voting": mine["not_voting"], "uncalled": mine["uncalled"]}, size
            for left, right in zip(TALLY, TALLY[1:], strict=False):
                a, b = drawn[left][2], drawn[right][2]
                gap = b[0] - a[-1] - 1
                inner = max(widest_blank_run(a), widest_blank_run(b))
                assert gap >= 3 and gap >= 2 * inner, (size, left, right, gap, inner)
                measured.append((size, gap, inner))
            # Quorum and yes needed side by side below: apart too.
            quorum = read_figure(lines, app.query_one("#quorum .figure").region)
            needed = read_figure(lines, app.query_one("#needed .figure").region)
            if quorum is not None and needed is not None:
                gap = needed[2][0] - quorum[2][-1] - 1
                inner = max(widest_blank_run(quorum[2]), widest_blank_run(needed[2]))
                assert gap >= 3 and gap >= 2 * inner, (size, "quorum", "needed", gap, inner)

    assert len({size for size, _, _ in measured}) == len(SIZES)
