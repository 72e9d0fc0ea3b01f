"""Where a line may break, in each kind of writing the Charter's languages use."""

from __future__ import annotations

import pytest

from near_tui.i18n.line_breaks import break_units

MIXED = "Sakha Republic (Yakutia)（俄罗斯联邦）当选为主席：大韩民国（5）、Jeollanam-do Province 전라남도。"


@pytest.mark.parametrize("language", ["en", "zh", "ja", "ko", "mn", "ru"])
def test_the_pieces_give_the_text_back_and_keep_latin_words_whole(language):
    units = break_units(MIXED, language)
    assert "".join(units) == MIXED
    for word in ("Sakha ", "Republic ", "(Yakutia)", "Jeollanam-do ", "Province "):
        assert any(word in unit for unit in units), (word, units)


def test_chinese_breaks_between_characters_but_never_before_a_closing_mark():
    units = break_units(MIXED, "zh")
    assert {"当", "选", "为"} <= set(units)
    assert not [u for u in units[1:] if u[0] in "）。、："]
    assert not [u for u in units[:-1] if u.rstrip()[-1] in "（"]
    assert "（5）、" in units


@pytest.mark.parametrize("language", ["en", "ko", "ru", "mn"])
def test_a_spaced_language_breaks_at_spaces_only(language):
    """A Chinese name in an English, Korean or Russian document is printed whole."""
    text = "Ningxia Hui Autonomous Region 宁夏回族自治区, Hunan Province 湖南省"
    assert break_units(text, language) == ["Ningxia ", "Hui ", "Autonomous ", "Region ", "宁夏回族自治区, ",
                                           "Hunan ", "Province ", "湖南省"]
