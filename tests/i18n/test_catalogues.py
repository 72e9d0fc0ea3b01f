"""The catalogues against the code: every word shown has a translation in every language,
with the same placeholders, and no catalogue keeps words the code no longer shows.

The texts are extracted from the code with Babel's own extractor, from the modules babel.cfg
lists (the same list scripts/catalogues uses), so a new ``_("...")`` anywhere in them fails
here until each language has it.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from near_tui.i18n import LANGUAGES, LOCALES, SOURCE, ngettext, speaking, words
from near_tui.i18n.catalogue import read_catalogue

ROOT = Path(__file__).resolve().parents[2]
OTHER = [code for code in LANGUAGES if code != SOURCE]


def shown_texts() -> dict[str, tuple[str, ...]]:
    """msgid → (msgid,) or (singular, plural), with where each is shown, from the code itself."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, tuple[str, ...]] = {}
    where: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map):
        texts = (message,) if isinstance(message, str) else tuple(message)
        found[texts[0]] = texts
        where[texts[0]] = f"{filename}:{lineno}"
    shown_texts.where = where  # type: ignore[attr-defined]
    return found


SHOWN = shown_texts()


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_code_marks_the_words_it_shows():
    # A guard against an extraction that silently finds nothing (a moved module, a wrong cfg).
    assert len(SHOWN) >= 200
    assert all(text.strip() for text in SHOWN)


def missing_in(catalogue, shown: dict[str, tuple[str, ...]]) -> list[str]:
    """Each shown text the catalogue does not translate (absent, empty, fuzzy, or without plurals)."""
    missing = []
    for msgid, texts in shown.items():
        entry = catalogue.get(msgid)
        where = getattr(shown_texts, "where", {}).get(msgid, "?")
        if entry is None or entry.fuzzy or not entry.string or (
                isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(f"{where}: {msgid!r}")
        elif len(texts) == 2 and not entry.pluralizable:
            missing.append(f"{where}: {msgid!r} has no plural forms")
    return missing


@pytest.mark.parametrize("code", OTHER)
def test_every_shown_text_has_a_translation(code):
    missing = missing_in(read_catalogue(LOCALES[code]), SHOWN)
    assert not missing, f"{code}: {len(missing)} shown texts without a translation:\n" + "\n".join(missing)


def test_the_check_catches_an_absent_empty_fuzzy_or_singular_entry():
    from babel.messages.catalog import Catalog

    catalogue = Catalog(locale="ja")
    catalogue.add("YES", "賛成")
    catalogue.add("NO", "")
    catalogue.add("QUORUM", "定足数", flags=("fuzzy",))
    catalogue.add("{n} member", "会員{n}")
    shown = {"YES": ("YES",), "NO": ("NO",), "QUORUM": ("QUORUM",), "ABSTAIN": ("ABSTAIN",),
             "{n} member": ("{n} member", "{n} members")}
    assert [line.split(": ", 1)[1] for line in missing_in(catalogue, shown)] == [
        "'NO'", "'QUORUM'", "'ABSTAIN'", "'{n} member' has no plural forms"]


@pytest.mark.parametrize("code", OTHER)
def test_no_catalogue_keeps_a_text_the_code_no_longer_shows(code):
    catalogue = read_catalogue(LOCALES[code])
    stale = [m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id]
    stale = [msgid for msgid in stale if msgid not in SHOWN]
    assert not stale, f"{code}: entries no module shows (run scripts/catalogues): {stale}"


def placeholder_problems(catalogue) -> list[str]:
    """Each translation whose placeholders are not exactly its English text's."""
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str):
            pairs = [(message.id, message.string)]
        else:
            # Every plural form says the plural's placeholders (a Russian "1" form still names {n}).
            pairs = [(message.id[1], form) for form in message.string]
        for source, translated in pairs:
            if fields(source) != fields(translated):
                wrong.append(f"{source!r} → {translated!r}: {sorted(fields(source))} ≠ {sorted(fields(translated))}")
    return wrong


@pytest.mark.parametrize("code", OTHER)
def test_translations_keep_every_placeholder(code):
    wrong = placeholder_problems(read_catalogue(LOCALES[code]))
    assert not wrong, f"{code}: placeholders dropped or renamed:\n" + "\n".join(wrong)


def test_the_placeholder_check_catches_a_dropped_or_renamed_one():
    from babel.messages.catalog import Catalog

    catalogue = Catalog(locale="ru")
    catalogue.add("{n} of {base} members", "{n} из {base}")                 # kept, moved
    catalogue.add("Item {id}: {result}.", "Пункт {id}.")                    # dropped
    catalogue.add("Calling {name}.", "Вызывается: {имя}.")                  # renamed (translated)
    catalogue.add(("{n} member", "{n} members"), ("{n} член", "{n} члена", "членов"))  # a form drops {n}
    problems = placeholder_problems(catalogue)
    assert len(problems) == 3
    assert any("Item {id}" in p for p in problems) and any("Calling" in p for p in problems)
    assert any("'членов'" in p for p in problems)


@pytest.mark.parametrize("code", OTHER)
def test_plural_forms_are_the_languages_own(code):
    # The header's rule is CLDR's for the language (Babel's), so a hand-edited header cannot
    # give Russian two forms or Chinese two.
    catalogue = read_catalogue(LOCALES[code])
    expected = {"zh": 1, "ja": 1, "ko": 1, "mn": 2, "ru": 3}[code]
    assert catalogue.num_plurals == expected
    for message in catalogue:
        if message.id and isinstance(message.id, tuple) and message.string:
            assert len(message.string) == expected, message.id


def test_russian_plurals_follow_the_count():
    # one: 1, 21, 101; few: 2-4, 22-24; many: 5-20, 11-14, 25 — CLDR's categories for Russian.
    singular, plural = SHOWN["{n} member"]
    catalogue = read_catalogue("ru")
    forms = catalogue.get(singular).string
    category_index = {"one": 0, "few": 1, "many": 2}
    for n in (1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111):
        want = forms[category_index[Locale("ru").plural_form(n)]]
        with speaking("ru"):
            assert ngettext(singular, plural, n) == want, n


def test_unknown_texts_stay_in_english_and_beside_shows_both():
    assert words("zh")._("no such text in any catalogue") == "no such text in any catalogue"
    from near_tui.i18n import beside
    for code in OTHER:
        for msgid, texts in list(SHOWN.items())[:5]:
            if len(texts) == 1:
                own = words(code)._(msgid)
                assert beside(code)._(msgid) in (msgid, f"{msgid} {own}")
