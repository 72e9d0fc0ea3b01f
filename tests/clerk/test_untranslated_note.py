"""The end-of-session dialog's two lines on untranslated texts, at the widths they are given."""

from __future__ import annotations

from rich.cells import cell_len

from near_tui.clerk.untranslated_note import heading, names
from near_tui.core.untranslated import Missing


def missing(who: str, code: str = "zh", text: str = "title") -> Missing:
    return Missing(("items", 0, "title"), code, who, text, "en")


def test_one_text_in_one_language_reads_in_the_singular():
    assert heading([missing("item A7")]) == ("1 text untranslated:", "the Chinese declaration will use the English one")
    assert names([missing("item A7")]) == "  item A7: zh title"


def test_declarations_are_named_while_the_line_fits_then_by_code_then_counted():
    assert heading([missing("item 1", "ru")]) == ("1 text untranslated:",
                                                  "the Russian declaration will use the English one")
    # Two languages by name take 85 cells, more than the dialog's 76: by code, in the order of the
    # six languages whatever order the texts came in.
    two = [missing("item 1", "ja"), missing("item 1", "zh")]
    assert heading(two) == ("2 texts untranslated:", "the zh and ja declarations will use the English ones")
    four = [missing("item 1", code) for code in ("zh", "ja", "ko", "ru")]
    assert heading(four) == ("4 texts untranslated:", "4 declarations will use the English ones")
    # At a width that holds the names, the names.
    assert heading(two, cells=100)[1] == "the Chinese and Japanese declarations will use the English ones"


def test_a_name_too_long_for_the_line_is_cut_in_cells_and_the_rest_counted():
    # 50 Chinese characters take 100 cells: the first text is cut, the other two are counted.
    who = "signatory " + "金" * 50
    line = names([missing(who), missing("item 1"), missing("item 2")])
    assert cell_len(line) <= 76 and line.startswith("  signatory 金") and line.endswith("…; … and 2 more"), line


def test_as_many_whole_texts_as_fit_then_the_rest_counted():
    texts = [missing(f"item {n}", code) for n in range(1, 11) for code in ("zh", "ja")]
    line = names(texts)
    shown = line.split("; … and ")[0]
    named = shown.count(" title")
    assert cell_len(line) <= 76 and line.endswith(f"; … and {len(texts) - named} more"), line
    assert shown == "  " + "; ".join(f"item {n}: zh title, ja title" for n in range(1, named // 2 + 1))
