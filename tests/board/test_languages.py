"""The board in each viewer's language: the page, its lang attributes and the live messages."""

from __future__ import annotations

import re

import aiohttp
import pytest

from board.support import MEMBERS, BoardProcess, Stream, item, scripts_session
from near_tui.board.page import PAGE_WORDS, chosen_language
from near_tui.board.server import _static
from near_tui.i18n import LANGUAGES, TAGS, words


@pytest.fixture
def session(tmp_path, db_path):
    s = scripts_session(tmp_path, db_path)
    s.open_vote("1")
    yield s
    s.close_log()


def test_every_word_of_the_page_is_listed_for_the_catalogues():
    shown = set(re.findall(r"\{\{(.+?)\}\}", _static("index.html").decode("utf-8")))
    assert shown and shown <= set(PAGE_WORDS)


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_the_page_adds_no_english_punctuation_around_translated_words(code):
    # A full stop after a translated link read "记录数据（JSON）." in Chinese: the template
    # may join translated words with spaces and markup only, never with a sentence's punctuation.
    from near_tui.board.page import page

    html = page(_static("index.html").decode("utf-8"), code).decode("utf-8")
    body = re.sub(r"<script.*?</script>|<style.*?</style>|<!--.*?-->", "", html, flags=re.S)
    between = re.findall(r">([^<]*)<", body)
    assert [text for text in between if re.fullmatch(r"\s*[.,;:]\s*", text)] == []


@pytest.mark.parametrize("asked, accept, wanted", [
    ("zh", "ru", "zh"),                       # ?lang= first
    (None, "ru-RU,ru;q=0.9,en;q=0.8", "ru"),  # then the browser's first language we speak
    (None, "fr-FR, ko;q=0.5, ja;q=0.7", "ja"),  # by weight, skipping one we do not speak
    (None, "fr, de;q=0.5", "en"),             # none of ours: the record's language
    ("xx", None, "en"),                       # an unknown ?lang= is ignored
    (None, "mn;q=0, ko", "ko"),               # q=0 means "not this one"
])
def test_the_page_language_follows_the_query_then_accept_language(asked, accept, wanted):
    assert chosen_language(asked, accept, "en") == wanted


async def test_each_language_gets_its_page_and_its_messages(session, db_path):
    async def scenario(url):
        async with aiohttp.ClientSession() as client:
            for code in LANGUAGES:
                async with client.get(url + f"/?lang={code}") as response:
                    text = await response.text()
                assert f'<html lang="{TAGS[code]}" data-lang="{code}">' in text
                assert f"<dt>{words(code)._('Yes needed')}</dt>" in text
                # Every language is offered, each link in its own language.
                for other, name in LANGUAGES.items():
                    assert f'lang="{TAGS[other]}"' in text and name in text
            async with client.get(url + "/", headers={"Accept-Language": "ko-KR,ko;q=0.9"}) as response:
                assert '<html lang="ko"' in await response.text()
            async with client.get(url + "/events?lang=ru") as response:
                stream = Stream(response)
                session.record_vote("1", MEMBERS[0][0], "yes")
                message = await stream.until(lambda m: m["chain_head"] == session.state.head
                                             and m["picture"]["status"] == words("ru")._("● SESSION OPEN"))
                line = item(message, "1")
                assert line["numbers"]["yes"] == 1
                assert message["picture"]["current"]["vote"]["state_words"] == "ПОИМЁННОЕ ГОЛОСОВАНИЕ ИДЁТ"
                # The agenda gives no Russian titles: the record's, marked as English.
                assert line["title_lang"] == "en"

    with BoardProcess(db_path) as board:
        await scenario(board.url)


# Keys of the picture that hold codes for the page's script, never shown as words.
CODES = {"mode", "stage", "kind", "tone", "outcome_tone", "status", "member_id", "country", "head",
         "announcement_kind", "native_lang", "title_lang", "venue_lang", "lang"}


def words_of_data() -> set[str]:
    """Every Latin word the sample's own files give: names, titles, texts (shown as written)."""
    import yaml

    from support import AGENDA_DIR, GA12

    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            found.update(re.findall(r"[A-Za-z]+", node))

    walk(yaml.safe_load(GA12.read_text(encoding="utf-8")))
    walk(yaml.safe_load((AGENDA_DIR / "members-2018.yaml").read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_word_the_board_shows_is_in_the_viewer_language_or_the_files(ga12_present, code):
    # The catalogue test finds the texts the code marks; this one finds a word shown without a
    # mark: every Latin word of the picture is a code, a country code or the files' own words.
    import json

    from chair import scenes
    from near_tui.board.feed import encode
    from near_tui.i18n import speaking
    from near_tui.views.view_model import build_board

    scenes.between_items(ga12_present)  # an election, an admission carried, a report noted
    ga12_present.open_vote("4")
    for member_id, vote in scenes.sample_votes("4")[:5]:
        ga12_present.record_vote("4", member_id, vote)
    with speaking(code):
        board = build_board(ga12_present.state)
    message = json.loads(encode(board, True, None, words(code)).decode("utf-8").split("data: ", 1)[1])
    data = words_of_data()
    stray: set[tuple[str, str]] = set()

    def walk(node, key: str = "") -> None:
        if isinstance(node, dict):
            for k, value in node.items():
                walk(value, k)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)
        elif isinstance(node, str) and key not in CODES:
            stray.update((key, w) for w in re.findall(r"[A-Za-z]{2,}", node)
                         if w not in data and not (len(w) == 2 and w.isupper()))  # JP, MN: a country

    picture = message["picture"]
    picture["live_announcement"] = picture["live_announcement"][0]  # (sentence, its kind's code)
    walk(picture)
    assert not stray, f"{code}: words shown in English: {sorted(stray)}"
