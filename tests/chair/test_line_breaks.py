"""The chair's line breaks keep CJK punctuation with its text (kinsoku), never widening a line."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from near_tui.chair.line_breaks import wrap

# The marks Chinese typesetting keeps off the start of a line, and those it keeps off the end.
CLOSING = "，。、；：！？）」』"
OPENING = "（「『"
REASONS = ["尚有17个待点名；目前所投12票中赞成12票，需7票",
           "所投15票中赞成15票，需8票；其余14个待点名者已无法改变结果",
           "获准加入（章程第8.1条，议题2）：Akita Prefecture 秋田県——会员 77 → 78"]


@pytest.mark.parametrize("text", REASONS)
@pytest.mark.parametrize("width", range(8, 41))
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(text, width):
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert not [line for line in lines[1:] if line[0] in CLOSING], lines
    assert not [line for line in lines[:-1] if line[-1] in OPENING], lines
    # Nothing lost or added but the spaces a break takes.
    assert "".join("".join(lines).split()) == "".join(text.split())
