"""declaration.pdf as `near-tui close` writes it: whatever the length of the text above, the closing
words, the place and date and every signature line are on one page (the PDF is signed by hand)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from support import near

CLOSING = "The members agreed to uphold this Declaration together."
PARAGRAPH = "The assembly reaffirmed reciprocity and equality between its members."
AGENDA = """\
session: {id: pdf-2024, title: "Test Assembly", body: general_assembly, venue: "Pohang", opens: 2024-05-01}
declaration:
  preamble: PREAMBLE
  closing: "CLOSING"
  signatories:
    - {name: "Kim Min-su", title: "Governor of Gyeongsangbuk-do Province, Chair of the Test Assembly"}
    - {name: "Lee Ji-won", title: "Secretary-General of the Test Assembly"}
roster:
  - {id: kr-busan, name: "Busan Metropolitan City", country: KR, status: member}
  - {id: kr-jeju, name: "Jeju Special Self-Governing Province", country: KR, status: member}
  - {id: jp-kyoto, name: "Kyoto Prefecture", country: JP, status: member}
items:
  - {id: "1", title: "Secretariat report", kind: report, noted: "The assembly took note of the report."}
"""


@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "k.key"
    assert near("keygen", "--out", path).exit_code == 0
    return path


def closed_pdf(folder: Path, key: Path, paragraphs: int) -> list[str]:
    """Close a session whose preamble has ``paragraphs`` paragraphs; the text of each page of its PDF."""
    preamble = "[" + ", ".join([f'"{PARAGRAPH}"'] * paragraphs) + "]"
    agenda = folder / "agenda.yaml"
    agenda.write_text(textwrap.dedent(AGENDA).replace("PREAMBLE", preamble).replace("CLOSING", CLOSING),
                      encoding="utf-8")
    db = folder / "s.sqlite"
    for args in (("new", agenda, "--db", db), ("import", "attendance", "--db", db, write_present(folder)),
                 ("close", "--db", db, "--key", key, "--out", folder / "out", "--leave-pending")):
        done = near(*args)
        assert done.exit_code == 0, done.output
    return [" ".join(page.extract_text().split()) for page in PdfReader(folder / "out" / "declaration.pdf").pages]


def write_present(folder: Path) -> Path:
    path = folder / "attendance.csv"
    path.write_text("member_id,mode\nkr-busan,in_person\nkr-jeju,in_person\njp-kyoto,in_person\n")
    return path


# One short paragraph is a line and a space: these counts move the end of the text from the
# middle of the first page, across its foot, and down the second.
COUNTS = range(3, 40, 3)


def test_the_signing_part_is_never_split_and_is_moved_whole_when_it_would_be(tmp_path, key):
    moved = []
    for paragraphs in COUNTS:
        folder = tmp_path / str(paragraphs)
        folder.mkdir()
        pages = closed_pdf(folder, key, paragraphs)
        holding = [i for i, text in enumerate(pages) if "Lee Ji-won" in text]
        assert len(holding) == 1, paragraphs
        page = pages[holding[0]]
        # Everything the agenda gave for the end of the declaration is on that one page.
        for words in (CLOSING, "Pohang, 1 May 2024.", "Kim Min-su",
                      "Governor of Gyeongsangbuk-do Province, Chair of the Test Assembly", "Lee Ji-won",
                      "Secretary-General of the Test Assembly"):
            assert words in page, (paragraphs, words)
        if holding[0] > 0 and page.startswith(CLOSING):
            moved.append(paragraphs)  # the page break fell inside the signing part: it went over whole
    assert moved, "no length tried put the end of the text where the signing part would have been split"


def words(k: int) -> str:
    """Paragraph ``k``: four or five lines of words that name it (p3a0 p3a1 …), so that each line
    of the PDF says which paragraph it belongs to."""
    return " ".join(f"p{k}a{i}" for i in range(70))


def test_a_paragraph_split_over_two_pages_keeps_two_lines_on_each(tmp_path, key):
    seen_split = 0
    for lead in range(10, 32, 2):
        folder = tmp_path / f"lead{lead}"
        folder.mkdir()
        preamble = [PARAGRAPH] * lead + [words(k) for k in range(4)]
        agenda = folder / "agenda.yaml"
        agenda.write_text(textwrap.dedent(AGENDA).replace("PREAMBLE", "[" + ", ".join(f'"{p}"' for p in preamble)
                                                          + "]").replace("CLOSING", CLOSING), encoding="utf-8")
        db = folder / "s.sqlite"
        for args in (("new", agenda, "--db", db), ("close", "--db", db, "--key", key, "--out", folder / "out",
                                                   "--leave-pending")):
            assert near(*args).exit_code == 0
        pages = [page.extract_text().splitlines() for page in PdfReader(folder / "out" / "declaration.pdf").pages]
        for k in range(4):
            per_page = [sum(1 for line in lines if f"p{k}a" in line) for lines in pages]
            on = [n for n in per_page if n]
            assert sum(on) >= 4, (lead, k, per_page)  # the paragraph is there, line by line
            if len(on) > 1:
                seen_split += 1
                assert len(on) == 2 and min(on) >= 2, (lead, k, per_page)
    assert seen_split, "no length tried split a paragraph over two pages"
