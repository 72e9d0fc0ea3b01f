"""The languages near_tui speaks to the hall, the public and the record.

Every fixed word the chair, the board, the declaration and the minutes show is
written in English in the code, marked with ``_()`` or ``ngettext()``, and
looked up in a gettext catalogue (``locale/<locale>/LC_MESSAGES/near_tui.po``)
for the other languages of the Charter (docs/languages.md). The ``.po`` files
are the only form kept: Babel compiles each one the first time a process needs
it (``catalogue.compiled``), so a corrected translation takes effect without a
build step and a wheel carries text files only.

Two ways to ask for words:

- ``words(code)`` gives a ``Words`` bound to one language, for documents built
  once per language (the declaration and the minutes);
- ``_``/``ngettext`` at module level use the language of the surface being built,
  set with ``speaking(code)`` (the view model of the chair and the board).

Placeholders are ``str.format`` names: ``_("{n} of {m}").format(n=.., m=..)``,
so a translation may put them in its own order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import re
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Babel (CLDR's dates and numbers) and the catalogues are loaded when a language other than the
# code's English is first asked for, or a date written: the clerk's console, which speaks English,
# starts without them (bench/RESULTS.md, start-up).

# The languages of the Charter (Art. 20), as an agenda writes them (session.languages), with the
# name each language has for itself (what a viewer picks from).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "mn": "Монгол",
    "ru": "Русский",
}
# A Mongolian long date's leading year ("2018 оны", with CLDR's narrow no-break space).
_MN_YEAR = re.compile(r"^[0-9]+\s+оны\s+")
SOURCE = "en"  # the language the code's words are written in
# The Babel/CLDR locale of each code: Simplified Chinese; Mongolian in Cyrillic (CLDR's default).
LOCALES: dict[str, str] = {"en": "en", "zh": "zh_Hans", "ja": "ja", "ko": "ko", "mn": "mn", "ru": "ru"}
# The BCP 47 tag a page's or document's ``lang`` attribute carries.
TAGS: dict[str, str] = {"en": "en", "zh": "zh-Hans", "ja": "ja", "ko": "ko", "mn": "mn-Cyrl", "ru": "ru"}


class UnknownLanguage(ValueError):
    """A language code that is not one of ``LANGUAGES``."""


def check_code(code: str) -> str:
    if code not in LANGUAGES:
        raise UnknownLanguage(f"{code!r} is not a language near_tui speaks — use one of {', '.join(LANGUAGES)}")
    return code


@dataclass(frozen=True, eq=False)
class Words:
    """The words of one language (or of two side by side, see ``beside``)."""

    code: str
    catalogue: gettext.NullTranslations
    also: Words | None = None  # beside: the second language, shown after the first
    agenda: str | None = None  # the language of the agenda's texts, when not this one's

    def _(self, message: str) -> str:
        text = self.catalogue.gettext(message)
        if self.also is not None:
            other = self.also._(message)
            return text if other == text else f"{text} {other}"
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        text = self.catalogue.ngettext(singular, plural, n)
        if self.also is not None:
            other = self.also.ngettext(singular, plural, n)
            return text if other == text else f"{text} {other}"
        return text

    @property
    def texts(self) -> str:
        """The language whose agenda texts to show: the second of a pair shown side by side."""
        return self.agenda or (self.also.code if self.also is not None else self.code)

    @property
    def locale(self) -> Locale:
        from babel import Locale

        return Locale.parse(LOCALES[self.code])

    @property
    def tag(self) -> str:
        return TAGS[self.code]

    def date(self, day: dt.date, format: str = "long") -> str:
        """``day`` as this language writes it (29 October 2018, 2018年10月29日, 29 октября 2018 г.)."""
        from babel.dates import format_date

        if self.code == SOURCE:
            # The record's English keeps the day-month-year order of NEAR's own documents.
            return f"{day.day} {format_date(day, 'MMMM y', locale='en_GB')}"
        if self.code == "ru":
            # "31 октября 2018", without the "г." CLDR adds: a declaration's sentence ends after it.
            return format_date(day, "d MMMM y", locale=self.locale)
        return format_date(day, format, locale=self.locale)

    def days(self, first: dt.date, last: dt.date) -> str:
        """From ``first`` to ``last`` as this language writes a span of days (28–31 October 2018,
        2018年10月28日至31日); one date when they are the same day."""
        if last <= first:
            return self.date(first)
        if self.code in ("zh", "ja", "ko"):
            from babel.dates import format_interval

            span = format_interval(first, last, "yMMMMd", locale=self.locale)
            return re.sub(r"\s*–\s*", "至", span) if self.code == "zh" else span
        if self.code == "ru" and (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{self.date(last)}"
        if self.code == "mn" and first.year == last.year:
            # The year (and month) once, as the day comes last: "2018 оны аравдугаар сарын 28–31",
            # "2018 оны аравдугаар сарын 30 – арван нэгдүгээр сарын 2".
            end = self.date(last)
            if first.month == last.month:
                return re.sub(r"\d+$", f"{first.day}–{last.day}", end)
            return f"{self.date(first)} – {_MN_YEAR.sub('', end)}"
        return f"{self.date(first)} – {self.date(last)}"

    def number(self, n: int | float) -> str:
        if self.code == SOURCE:
            return str(n)  # as the English record always wrote it (a signed declaration rebuilds the same)
        from babel.numbers import format_decimal

        return format_decimal(n, locale=self.locale)


@cache
def words(code: str) -> Words:
    """The words of language ``code`` (English: the code's own words)."""
    check_code(code)
    if code == SOURCE:
        return Words(code, gettext.NullTranslations())
    from .catalogue import compiled

    return Words(code, compiled(LOCALES[code]))


@cache
def english_with_texts_in(code: str) -> Words:
    """English words, with the agenda's texts in ``code`` where it gives them."""
    return Words(SOURCE, words(SOURCE).catalogue, agenda=code)


def beside(code: str) -> Words:
    """English with ``code``'s words after it ("YES 赞成"); English alone for ``en``."""
    if code == SOURCE:
        return words(SOURCE)
    return Words(SOURCE, words(SOURCE).catalogue, also=words(code))


ENGLISH = words(SOURCE)
_current: ContextVar[Words] = ContextVar("near_tui_words", default=ENGLISH)


@contextlib.contextmanager
def speaking(language: str | Words) -> Iterator[Words]:
    """Within the block, ``_``/``ngettext`` give the words of ``language`` (a code or ``Words``)."""
    chosen = language if isinstance(language, Words) else words(language)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def current() -> Words:
    return _current.get()


def _(message: str) -> str:
    return _current.get()._(message)


def agenda_language() -> str:
    """The language in which the surface being built shows the agenda's own texts."""
    return _current.get().texts


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.get().ngettext(singular, plural, n)


def english_list(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: a list as the record's English writes it ("" for none)."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def N_(message: str) -> str:
    """Marks ``message`` for the catalogues where it is written, translated where it is shown."""
    return message
