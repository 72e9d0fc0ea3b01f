"""The board in each of the six languages, laid out by a real browser: no word runs out of its
box, no outcome is cut, and on a wall screen the figures are in view without scrolling.

Long words and long titles are what other languages bring: a Mongolian caption of twelve
capitals ("ДУУДАГДААГҮЙ", uncalled) ran out of its figure box, and the agenda cut the status
of items not yet voted to "САНАЛ ХУРААЛТ ЭХЛЭ…", which reads "vote started" (the "not" of
"ЭХЛЭЭГҮЙ" is at the end of the word). The session here is the 12th GA sample in all six
languages, with the long Russian and Mongolian session titles it would have.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from board.cdp import Browser, chromium_path
from board.support import BoardProcess
from chair import scenes
from near_tui.i18n import LANGUAGES, words
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from support import AGENDA_DIR, GA12, GA12_ATTENDANCE, GA12_LETTERS, FixedClock, wait_for_value

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Chromium: run scripts/test, which installs it")

TITLES = {  # the team's drafts, as long as such titles are
    "ja": "北東アジア地域自治体連合第12回総会",
    "ko": "동북아시아 지역자치단체연합 제12차 총회",
    "mn": "Зүүн хойд Азийн бүс нутгийн засаг захиргааны холбооны 12 дугаар Ерөнхий Ассамблей",
    "ru": "12-я Генеральная ассамблея Ассоциации региональных администраций стран Северо-Восточной Азии",
}


@pytest.fixture
def six_languages(tmp_path, db_path):
    """The sample in all six languages, item 1 elected, item 2's roll call decided with 12 still to call."""
    agenda = yaml.safe_load(GA12.read_text(encoding="utf-8"))
    agenda["session"]["languages"] = list(LANGUAGES)
    agenda["session"]["title"].update(TITLES)
    path = tmp_path / "ga12-six.yaml"
    path.write_text(yaml.safe_dump(agenda, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(AGENDA_DIR / agenda["roster"], tmp_path / agenda["roster"])
    session = Session.create(load_agenda(path), db_path, clock=FixedClock())
    import_file(session, "attendance", GA12_ATTENDANCE)
    import_file(session, "letters", GA12_LETTERS)
    session.record_election("1", ["ru-sakha"])
    scenes.vote_in_progress(session, answered=17)
    yield session
    session.close_log()


# Each element whose text runs out of it (wider than its box) or is cut with an ellipsis.
OVERFLOWING = """[...document.querySelectorAll('.figure dt, .agenda .result, .needs dt, #verdict-words')]
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent)"""

# Each caption of one word that takes more than one line: broken inside the word.
BROKEN_WORDS = """[...document.querySelectorAll('.figure dt')]
    .filter(e => e.offsetParent !== null && !e.textContent.trim().includes(' '))
    .filter(e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length > 1; })
    .map(e => e.textContent)"""


@pytest.mark.parametrize("code", list(LANGUAGES))
async def test_every_word_fits_its_box_on_a_wall_and_a_phone(six_languages, db_path, tmp_path, code):
    status = words(code)._("VOTE NOT OPENED")

    async def scenario(url):
        async with Browser(tmp_path / "profile") as browser:
            await browser.emulate(1920, 1080)
            await browser.goto(f"{url}/?lang={code}")
            await browser.wait_for_text(status, timeout=20)
            assert await browser.evaluate(OVERFLOWING) == []
            assert await browser.evaluate(BROKEN_WORDS) == []
            # The figures of the vote in view on the wall, whatever the title's length.
            bottom = await browser.evaluate("document.getElementById('figures').getBoundingClientRect().bottom")
            assert bottom <= 1080, f"the figures end at {bottom}px, below a 1080-pixel screen"
            # Every item's status whole, in the page's language.
            shown = await browser.evaluate("[...document.querySelectorAll('.agenda .result')].map(e => e.innerText)")
            assert sum(1 for text in shown if text.endswith(status)) == 5, shown  # items 4-8
            await browser.screenshot(tmp_path / f"board-{code}-wall.png")

            await browser.emulate(390, 844, scale=2, mobile=True)
            await wait_for_value(lambda: browser.evaluate("window.innerWidth"), 390, 10, what="the phone's width")
            assert await browser.evaluate(OVERFLOWING) == []
            assert await browser.evaluate(BROKEN_WORDS) == []
            await browser.screenshot(tmp_path / f"board-{code}-phone.png")

    with BoardProcess(db_path) as board:
        await scenario(board.url)
