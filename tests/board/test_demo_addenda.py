"""The demo's own three addenda, applied as its README applies them, while the chair and a board
page are open: both show exactly the agenda and the figures the record holds.

The session is the demo's (the 12th GA sample with its attendance and letters), replayed with
the commands of ``agenda/README.md`` ("Replaying the whole session"): its results, the main
agenda's votes, then the three ``near-tui agenda add`` lines run as written. The first addendum
is then voted live (the clerk's answers, one by one, from the addenda's vote file) and the two
others imported. After each step the chair (Pilot, its screen read back through the big font's
glyph table) and one Chromium page kept open are compared with the test's own recount of the
sample's files and with the record's order (``near-tui report --json``); at the end the kept page
is compared with a page loaded fresh.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import support
from board.cdp import Browser, chromium_path
from board.support import BoardProcess, page_at_event
from chair import scenes
from chair.big_digits import read_figure, screen_lines
from near_tui.chair.app import build_app
from near_tui.service.session import Session

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Chromium: run scripts/test, which installs it")

ADDENDA = ("A1", "A2", "A3")
CONTENT = "document.querySelector('main').outerHTML + document.querySelector('header').innerText"


def readme_commands() -> list[list[str]]:
    """The README's replay, one command a line, without the leading ``near-tui``."""
    text = (support.AGENDA_DIR / "README.md").read_text(encoding="utf-8")
    block = text.split("## Replaying the whole session", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line)[1:] for line in block.splitlines() if line.strip()]


def near(db: str, args: list[str]) -> None:
    """One README command on this test's database, run from the sample's folder as the README says."""
    args = [db if previous == "--db" else a for previous, a in zip(["", *args[:-1]], args, strict=True)]
    proc = subprocess.run([sys.executable, "-m", "near_tui", *args], cwd=support.AGENDA_DIR,
                          capture_output=True, text=True, timeout=120, env=support.child_env())
    assert proc.returncode == 0, f"{args}: {proc.stderr}"


def report(db: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "near_tui", "report", "--db", db, "--json"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return json.loads(out)


def answers(path: Path, item_id: str) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["member_id"], r["vote"]) for r in csv.DictReader(f) if r["item_id"] == item_id]


def short(counts) -> str:
    return f"{counts['yes']} · {counts['no']} · {counts['abstain']}"


def carried(item_id: str, counts) -> bool:
    """Charter Art. 9: A1 (Art. 8.2) two-thirds of yes + no, A2 and A3 (Art. 8.11) more than half."""
    cast = counts["yes"] + counts["no"]
    return cast > 0 and (3 * counts["yes"] >= 2 * cast if item_id == "A1" else 2 * counts["yes"] > cast)


# ------------------------------------------------------------------ the chair's screen
def chair_agenda_rows(app) -> dict[str, tuple[str, str]]:
    """(the row's text, its yes · no · abstain or "") of each agenda row the chair draws."""
    rows = {}
    for line in screen_lines(app):
        found = re.match(r"^\s*▶?\s*([0-9]+|A[0-9]+)\s{2,}(.*)$", line)
        if found:
            figures = re.search(r"(\d+ · \d+ · \d+)\s*$", line)
            rows[found.group(1)] = (found.group(2), figures.group(1) if figures else "")
    return rows


def chair_figures(app) -> dict[str, str]:
    """The five figures as the hall reads them: the block glyphs on screen, read back."""
    lines = screen_lines(app)
    read = {}
    for cell in ("yes", "no", "abstain", "not-voting", "uncalled"):
        figure = app.query_one(f"#{cell} .figure")
        drawn = read_figure(lines, figure.content_region)
        read[cell] = drawn[0] if drawn is not None else figure.text  # plain bold when no room
    return read


async def chair_shows_agenda(app, pilot, order: list[str], seq: int) -> dict[str, tuple[str, str]]:
    """The chair's agenda screen once the chair has read the log up to event ``seq``."""
    await support.wait_for(lambda: app.board.seq >= seq, timeout=20, what=f"the chair at event {seq}")
    await pilot.pause()
    if app.query_one("#views").current != "agenda":
        await pilot.press("a")
    await support.wait_for(lambda: list(chair_agenda_rows(app)) == order, timeout=20,
                           what=f"the chair's agenda in the record's order {order}")
    return chair_agenda_rows(app)


# ------------------------------------------------------------------ the board page

async def page_rows(browser: Browser) -> list[dict]:
    return await browser.evaluate(
        "[...document.querySelectorAll('#agenda li')].map(li => ({id: li.dataset.item,"
        " short: (li.querySelector('.short') || {}).textContent || '',"
        " result: li.querySelector('.result').textContent, text: li.innerText}))")


async def test_the_demo_addenda_reach_the_chair_and_a_kept_board_page_as_recorded(tmp_path):
    db = str(tmp_path / "demo.sqlite")
    commands = readme_commands()
    new, *rest = commands
    assert new[0] == "new"
    near(db, new)  # creates the session
    # The demo's session: its attendance and letters recorded (as ``near-tui demo`` records them);
    # the chair and the page open on it, then the README's results and the main agenda's votes.
    demo = [c for c in rest if c[:2] in (["import", "attendance"], ["import", "letters"])]
    main_part = [c for c in rest if c[:2] in (["import", "results"], ["import", "votes"]) and "addenda" not in " ".join(c)]
    adds = [c for c in rest if c[:2] == ["agenda", "add"]]
    assert len(demo) == 2 and len(main_part) == 2
    assert [c[c.index("--id") + 1] for c in adds] == list(ADDENDA)
    for command in demo:
        near(db, command)
    addenda_votes = support.GA12_ADDENDA_VOTES
    expected = {item: scenes.recount(item, answers(addenda_votes, item), closed=True) for item in ADDENDA}

    app = build_app(db, poll_interval=0.05)
    with BoardProcess(db) as board:
        async with app.run_test(size=(160, 45)) as pilot, Browser(tmp_path / "kept", 1920, 1080) as kept:
            await kept.goto(board.url + "/")
            await page_at_event(kept, report(db)["events"])

            # The results and the main agenda's votes, imported as the README imports them.
            for command in main_part:
                near(db, command)
                record = report(db)
                await page_at_event(kept, record["events"])
                rows = await page_rows(kept)
                assert [r["id"] for r in rows] == [item["id"] for item in record["items"]]
                # Every outcome in the report's own words, on the page and on the chair.
                said = {item["id"]: f"{item['verdict']['symbol']} {item['verdict']['words']}" for item in record["items"]}
                for row in rows:
                    assert row["result"].startswith(said[row["id"]]), (row, said[row["id"]])
                await chair_shows_agenda(app, pilot, list(said), record["events"])
                await support.wait_for(lambda said=said: all(
                    words in chair_agenda_rows(app).get(item_id, ("", ""))[0] for item_id, words in said.items()),
                    timeout=20,
                    what=f"the chair's agenda in the report's words {said}: {chair_agenda_rows(app)}")
            for item_id in ("2", "4", "5", "6", "7", "8"):
                counts = scenes.recount(item_id, scenes.sample_votes(item_id), closed=True)
                assert rows[[r["id"] for r in rows].index(item_id)]["short"] == short(counts), item_id

            # The three addenda, added as the README adds them: each appears at once, in its place.
            for command in adds:
                near(db, command)
                record = report(db)
                order = [item["id"] for item in record["items"]]
                await page_at_event(kept, record["events"])
                rows = await page_rows(kept)
                assert [r["id"] for r in rows] == order
                added = command[command.index("--id") + 1]
                title = command[command.index("--title") + 1]
                row = next(r for r in rows if r["id"] == added)
                assert title in row["text"] and row["short"] == ""  # not voted yet: no figures
                chair_rows = await chair_shows_agenda(app, pilot, order, record["events"])
                assert chair_rows[added][1] == ""

            # A1 voted live, answer by answer as the clerk calls: the chair's large figures and the
            # page's figures are the test's own count after each answer.
            clerk = Session.open(db)
            clerk.open_vote("A1")
            given: list[tuple[str, str]] = []
            for member_id, vote in answers(addenda_votes, "A1")[:6]:
                clerk.record_vote("A1", member_id, vote)
                given.append((member_id, vote))
                mine = scenes.recount("A1", given)
                want = {"yes": str(mine["yes"]), "no": str(mine["no"]), "abstain": str(mine["abstain"]),
                        "not-voting": str(mine["not_voting"]), "uncalled": str(mine["uncalled"])}
                await support.wait_for(lambda want=want: app.query_one("#views").current == "vote"
                                       and chair_figures(app) == want, timeout=20,
                                       what=f"the chair's figures {want}")
                await page_at_event(kept, clerk.state.last_seq)
                page = await kept.evaluate("Object.fromEntries(['yes','no','abstain','not_voting','uncalled']"
                                           ".map(n => [n, document.getElementById('f-' + n).textContent]))")
                assert page == {k.replace("-", "_"): v for k, v in want.items()}
            for member_id, vote in answers(addenda_votes, "A1")[6:]:
                clerk.record_vote("A1", member_id, vote)
            clerk.close_vote("A1")
            clerk.close_log()
            # A2 and A3 imported from the addenda's vote file (A1's rows already recorded by hand).
            rest_file = tmp_path / "a2-a3-votes.csv"
            with addenda_votes.open(encoding="utf-8", newline="") as f:
                rows_in = [r for r in csv.DictReader(f) if r["item_id"] != "A1"]
            with rest_file.open("w", encoding="utf-8", newline="") as f:
                out = csv.DictWriter(f, fieldnames=["item_id", "member_id", "vote"])
                out.writeheader()
                out.writerows({k: r[k] for k in ("item_id", "member_id", "vote")} for r in rows_in)
            near(db, ["import", "votes", "--db", db, str(rest_file)])

            record = report(db)
            order = [item["id"] for item in record["items"]]
            await page_at_event(kept, record["events"])
            # The chair: the last addendum's closed roll call, read from its glyphs.
            a3 = expected["A3"]
            await support.wait_for(lambda: app.query_one("#views").current == "vote" and chair_figures(app) == {
                "yes": str(a3["yes"]), "no": str(a3["no"]), "abstain": str(a3["abstain"]),
                "not-voting": str(a3["not_voting"]), "uncalled": "0"}, timeout=20, what="A3's figures on the chair")
            chair_rows = await chair_shows_agenda(app, pilot, order, record["events"])
            rows = {r["id"]: r for r in await page_rows(kept)}
            assert list(rows) == order
            for item in ADDENDA:
                counts = expected[item]
                assert carried(item, counts), item  # the report says the three were carried
                assert rows[item]["short"] == short(counts) == chair_rows[item][1], item
                assert "CARRIED" in rows[item]["result"] and "NOT CARRIED" not in rows[item]["result"]
                assert "CARRIED" in chair_rows[item][0] and "NOT CARRIED" not in chair_rows[item][0]
                # The record agrees with the recount (the report is the record, not the view).
                entry = next(i for i in record["items"] if i["id"] == item)
                assert (entry["yes"], entry["no"], entry["abstain"], entry["not_voting"]) == (
                    counts["yes"], counts["no"], counts["abstain"], counts["not_voting"])
            # Every main-agenda roll call too: the page and the chair show the recount of the files.
            for item_id in ("2", "4", "5", "6", "7", "8"):
                counts = scenes.recount(item_id, scenes.sample_votes(item_id), closed=True)
                assert rows[item_id]["short"] == short(counts) == chair_rows[item_id][1], item_id

            # On the wall no outcome is cut: an election's names included (item 1: Sakha).
            cut = await kept.evaluate("[...document.querySelectorAll('#agenda .result')]"
                                      ".filter(r => r.scrollWidth > r.clientWidth + 1).map(r => r.textContent)")
            assert cut == []
            assert "Sakha Republic (Yakutia)" in rows["1"]["result"]
            await kept.screenshot(tmp_path / "board-1920x1080-addenda.png")
            # The attendance line, as the record counts it, with no figure parted from its word
            # when it wraps (on the wall and on a phone).
            modes = scenes.attendance()
            in_person = sum(mode == "in_person" for mode in modes.values())
            online = sum(mode == "online" for mode in modes.values())
            letter = len(set(scenes.letters()) - {m for m, mode in modes.items() if mode in ("in_person", "online")})
            # The roster's members and the applicant item 2 admitted (Akita, README: 77 -> 78).
            members = sum(m["status"] == "member" for m in scenes.roster()) + 1
            line = (f"Members {members} · in person {in_person} · online {online} · "
                    f"by written letter {letter} · absent {members - in_person - online - letter}")
            for width, height, scale in ((1920, 1080, 1), (390, 844, 2)):
                await kept.emulate(width, height, scale=scale, mobile=width < 600)
                assert await kept.evaluate("document.getElementById('attendance').textContent") == line
                parted = await kept.evaluate("[...document.querySelectorAll('#attendance .phrase')]"
                                             ".filter(p => p.getClientRects().length > 1).map(p => p.textContent)")
                assert parted == [], (width, parted)
            await kept.emulate(1920, 1080)

            # A page kept open through all of it equals a page loaded now.
            kept_dom = await kept.evaluate(CONTENT)
            await kept.goto(board.url + "/")
            await page_at_event(kept, record["events"])
            assert await kept.evaluate(CONTENT) == kept_dom
