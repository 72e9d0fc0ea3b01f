"""A board page kept open through a session equals a page loaded fresh, at every step.

One Chromium page stays open through an admission, three addenda, a move, a withdrawal and
an early close; after each step a second browser loads the board fresh, and the two pages'
content must be the same. The words the hall reads are checked against the test's own
recount of the roster and against the record's order (``near-tui report --json``). The
wall and laptop layouts are measured in the same run, and screenshots kept for a person.
"""

from __future__ import annotations

import json

import pytest
import yaml

from board.cdp import Browser, chromium_path
from board.support import BoardProcess, page_at_event
from chair import scenes
from support import near, wait_for_value

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Chromium: run scripts/test, which installs it")

CONTENT = "document.querySelector('main').outerHTML + document.querySelector('header').innerText"



def report(db: str) -> dict:
    done = near("report", "--db", db, "--json")  # the command's own code, in this process
    assert done.exit_code == 0, done.stderr
    return json.loads(done.stdout)


def members_on_roster() -> int:
    roster = yaml.safe_load(scenes.ROSTER.read_text(encoding="utf-8"))["members"]
    return sum(1 for m in roster if m["status"] == "member")


async def test_a_page_kept_open_equals_a_fresh_one_through_agenda_changes_and_a_close(ga12_present, db_path, tmp_path):
    session = ga12_present
    session.record_election("1", ["ru-sakha"])
    session.open_vote("2")
    present = scenes.present_voters()
    for member_id in present[:10]:
        session.record_vote("2", member_id, "yes")

    async def scenario(url: str) -> None:
        async with Browser(tmp_path / "kept", 1920, 1080) as kept, Browser(tmp_path / "fresh", 1920, 1080) as fresh:
            await kept.emulate(1280, 720)
            await kept.goto(url + "/")
            await page_at_event(kept, session.state.last_seq, 15)
            # A laptop during a roll call: the quorum line is on the first screen.
            bottom = await kept.evaluate("document.getElementById('quorum').getBoundingClientRect().bottom")
            assert 0 < bottom <= 720, bottom
            await kept.screenshot(tmp_path / "board-1280x720.png")
            await kept.emulate(1920, 1080)

            async def same(step: str) -> str:
                await page_at_event(kept, session.state.last_seq, 15)
                await fresh.goto(url + "/")
                await page_at_event(fresh, session.state.last_seq, 15)
                kept_dom, fresh_dom = await kept.evaluate(CONTENT), await fresh.evaluate(CONTENT)
                assert kept_dom == fresh_dom, step
                # The agenda in the record's order, added and moved items included.
                rows = await kept.evaluate("[...document.querySelectorAll('#agenda li')].map(li => li.dataset.item)")
                assert rows == [item["id"] for item in report(db_path)["items"]], step
                return await kept.text()

            for member_id in present[10:]:
                session.record_vote("2", member_id, "yes")
            session.close_vote("2")  # carried: the applicant is admitted (Charter Art. 8.1)
            text = await same("admission")
            before = members_on_roster()
            assert f"members {before} → {before + 1}" in text and "Akita Prefecture" in text
            assert f"Members {before + 1} ·" in text
            assert "ROLL CALL CLOSED" in text

            session.note_item("3")
            for number in range(1, 5):
                session.add_item({"id": f"A{number}", "title": f"Addendum {number}", "kind": "decision",
                                  "article": "8.11"})
                await same(f"addendum {number}")
            session.open_vote("4")
            for member_id in present[:5]:
                session.record_vote("4", member_id, "no")
            await same("a roll call with twelve items on the agenda")
            # The wall during a roll call: twelve items and the attendance line without scrolling.
            fits = await kept.evaluate("[document.documentElement.scrollHeight, innerHeight, "
                                       "document.getElementById('attendance').getBoundingClientRect().bottom]")
            await kept.screenshot(tmp_path / "board-1920x1080-roll-call.png")
            assert fits[0] <= fits[1] and fits[2] <= fits[1], fits
            session.close_vote("4")
            session.move_item("A1", "3")
            await same("move")
            session.withdraw_item("6", "asked by its sponsor")
            text = await same("withdraw")
            # A withdrawn item shows no figures and no quorum verdict, and says why.
            assert await kept.evaluate("document.getElementById('figures').hidden") is True
            assert await kept.evaluate("document.getElementById('quorum').hidden") is True
            row = await kept.evaluate("document.querySelector('#agenda li[data-item=\"6\"]').innerText")
            assert "WITHDRAWN: asked by its sponsor" in row and "yes" not in row.lower()
            spoken = await kept.evaluate("document.getElementById('announce').textContent")
            assert spoken == "Item 6 withdrawn: asked by its sponsor." and len(spoken) <= 100

            session.close_session(leave_pending=True)
            text = await same("early close")
            pending = [item["id"] for item in report(db_path)["items"] if item["status"] == "pending"]
            assert pending
            for item_id in pending:
                row = await kept.evaluate(f"document.querySelector('#agenda li[data-item=\"{item_id}\"]').innerText")
                assert "NOT TAKEN UP" in row, row
            assert "VOTE NOT OPENED" not in text

            # The wall: twelve items and the attendance line without scrolling.
            assert len(report(db_path)["items"]) == 12
            fits = await kept.evaluate("[document.documentElement.scrollHeight, innerHeight, "
                                       "document.getElementById('attendance').getBoundingClientRect().bottom]")
            assert fits[0] <= fits[1] and fits[2] <= fits[1], fits
            await kept.screenshot(tmp_path / "board-1920x1080.png")
            await kept.emulate(390, 844, scale=2, mobile=True)
            await wait_for_value(lambda: kept.evaluate("innerWidth"), 390, what="the phone's width")
            await kept.screenshot(tmp_path / "board-390x844.png")

    with BoardProcess(db_path) as board:
        await scenario(board.url)
    for name in ("board-1280x720.png", "board-1920x1080.png", "board-390x844.png"):
        assert (tmp_path / name).stat().st_size > 10_000
