"""A span of session days, as each language writes it in a declaration."""

from __future__ import annotations

import datetime as dt

import pytest

from near_tui.i18n import words

NNBSP = "\u202f"  # CLDR's narrow no-break space between the year and "оны"


@pytest.mark.parametrize("first,last,written", [
    # The year and month once when they are shared: the day comes last in Mongolian.
    ((2018, 10, 28), (2018, 10, 31), f"2018{NNBSP}оны аравдугаар сарын 28–31"),
    ((2018, 10, 30), (2018, 11, 2), f"2018{NNBSP}оны аравдугаар сарын 30 – арван нэгдүгээр сарын 2"),
    ((2018, 12, 30), (2019, 1, 2),
     f"2018{NNBSP}оны арван хоёрдугаар сарын 30 – 2019{NNBSP}оны нэгдүгээр сарын 2"),
    ((2018, 10, 28), (2018, 10, 28), f"2018{NNBSP}оны аравдугаар сарын 28"),
])
def test_a_mongolian_span_names_its_year_and_month_once(first, last, written):
    assert words("mn").days(dt.date(*first), dt.date(*last)) == written


@pytest.mark.parametrize("code,written", [
    ("zh", "2018年10月28日至31日"), ("ja", "2018年10月28日～31日"), ("ko", "2018년 10월 28일~31일"),
    ("ru", "28–31 октября 2018"),
])
def test_the_other_languages_keep_their_span(code, written):
    assert words(code).days(dt.date(2018, 10, 28), dt.date(2018, 10, 31)) == written
