"""The printed declaration breaks Chinese text mixed with Latin names as a typesetter would.

Each paragraph below is printed at many lengths (a growing run of filler characters before it), so
that a line break falls on every character of it once; the PDF is read back with pdftotext, the
text exactly as printed, line by line.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from near_tui.declaration.declaration_pdf import render_blocks
from near_tui.declaration.declaration_text import Block
from near_tui.i18n import words

# Chinese typesetting never starts a line with these, nor ends one with those.
CLOSING = "）」』】〕，。、；：！？…"
OPENING = "（「『【〔"
PARAGRAPHS = [
    "来自5个国家的29个会员地方政府的代表出席了会议：中华人民共和国（8）、日本（4）、大韩民国（5）、"
    "蒙古国（7）和俄罗斯联邦（5）。",
    "Sakha Republic (Yakutia)（俄罗斯联邦）当选为2018—2020年度联合会主席及2020年第十三届全体会议主办方。",
    "批准宁夏回族自治区与旅游专门委员会协调方中国河南省共同担任该专门委员会的联合协调方；"
    "《会费规定》「维持不变」……Jeollanam-do Province 전라남도、Ulaanbaatar City Улаанбаатар хот。",
]
FILLER = "会议"
RECORD = {"session": {"id": "ga12-2018", "opens": "2018-10-28"},
          "log": {"chain_head": "0" * 64, "closed_at": "2018-10-31T12:00:00+08:00"}}
LATIN_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def printed_lines(blocks: list[Block], folder) -> list[str]:
    pdf = folder / "lines.pdf"
    pdf.write_bytes(render_blocks(blocks, RECORD, w=words("zh")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    foot = ("ga12-2018", "第 ")
    return [line.strip().lstrip("•").strip() for line in text.splitlines()
            if line.strip() and not any(f in line for f in foot)]


# Every paragraph after 0 … 45 filler characters.
VARIANTS = [FILLER[: k % 2] + FILLER * (k // 2) + text for text in PARAGRAPHS for k in range(46)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The lines pdftotext reads from the variants printed as paragraphs and as list entries."""
    return {kind: printed_lines([Block(kind, text) for text in VARIANTS], tmp_path_factory.mktemp(kind))
            for kind in ("paragraph", "bullet")}


@pytest.mark.parametrize("kind", ["paragraph", "bullet"])
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(printed, kind):
    lines = printed[kind]
    starts = [line for line in lines if line[0] in CLOSING]
    ends = [line for line in lines if line[-1] in OPENING]
    assert not starts and not ends, (starts, ends)
    # Every character printed, none lost or added (pdftotext may space a break differently).
    assert "".join("".join(lines).split()) == "".join("".join(VARIANTS).split())


@pytest.mark.parametrize("kind", ["paragraph", "bullet"])
def test_a_latin_word_is_never_cut(printed, kind):
    lines = printed[kind]
    written = {w for text in PARAGRAPHS for w in LATIN_WORD.findall(text)}
    assert {w for line in lines for w in LATIN_WORD.findall(line)} == written


@pytest.mark.parametrize("kind", ["paragraph", "bullet"])
def test_a_latin_name_before_chinese_leaves_no_short_line(printed, kind):
    """Each line but a paragraph's last is filled: none is less than three quarters full
    (the chair of 2018, "Sakha Republic (Yakutia)", no longer stands alone on a line)."""
    lines = printed[kind]
    full = max(len(line) for line in lines if not LATIN_WORD.search(line))  # a line of Han only

    def last(line):  # a paragraph's last line may be short
        return any("".join(p.split()).endswith("".join(line.split())) for p in PARAGRAPHS)

    def ems(line):  # a Latin letter is narrower than a Han character: count one as half
        return sum(0.5 if c.isascii() else 1 for c in line)

    short = [line for line in lines if not last(line) and ems(line) < 0.75 * full]
    assert not short
    assert any(line.startswith("Sakha Republic (Yakutia)（俄罗斯联邦）当选为") for line in lines)
