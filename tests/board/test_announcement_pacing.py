"""The board's voice keeps its pace: during a roll call at most one tally sentence per 3 seconds,
the latest one waiting for the pause; an outcome at once.

The page's clock is the test's: before the page's script runs, ``Date.now`` and the timers are
replaced by a virtual clock that moves only when the test advances it. So the test shows the
pacing exactly (a sentence is not spoken at 2,999 ms, and is at 3,000 ms) without a single
sleep, whatever the machine's load. The expected tallies are the test's own count of the
answers it gave.
"""

from __future__ import annotations

import pytest

from board.cdp import Browser, chromium_path
from board.support import BoardProcess, page_at_event
from chair import scenes

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Chromium: run scripts/test, which installs it")

PAUSE_MS = 3000  # docs/board.md: at most one tally sentence every 3 seconds

# A clock the test moves: timers fire in order when it advances, never on their own; every
# sentence the live region takes is kept with the virtual time it was spoken at.
VIRTUAL_CLOCK = """
(() => {
  let now = 1700000000000, next = 0;
  const timers = new Map();
  Date.now = () => now;
  window.setTimeout = (fn, ms, ...args) => { next += 1; timers.set(next, {at: now + Math.max(0, ms || 0), fn, args}); return next; };
  window.clearTimeout = (id) => { timers.delete(id); };
  window.__advance = (ms) => {
    const end = now + ms;
    for (;;) {
      let due = null;
      for (const [id, t] of timers) if (t.at <= end && (due === null || t.at < timers.get(due).at)) due = id;
      if (due === null) break;
      const t = timers.get(due);
      timers.delete(due);
      now = t.at;
      t.fn(...t.args);
    }
    now = end;
  };
  window.__spoken = [];
  document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("announce");
    new MutationObserver(() => window.__spoken.push([now, region.textContent]))
      .observe(region, {childList: true, characterData: true, subtree: true});
  });
})();
"""



def tally_sentence(counts) -> str:
    return f"Item 2: yes {counts['yes']}, no {counts['no']}, abstain {counts['abstain']}."


async def test_tally_sentences_wait_their_turn_and_an_outcome_does_not(ga12_present, db_path, tmp_path):
    session = ga12_present
    session.open_vote("2")
    votes = scenes.sample_votes("2")

    async def scenario(url: str) -> None:
        async with Browser(tmp_path / "voice", 1280, 800) as page:
            await page.send("Page.addScriptToEvaluateOnNewDocument", source=VIRTUAL_CLOCK)
            await page.goto(url + "/")
            await page_at_event(page, live=False, seq=session.state.last_seq)
            spoken = await page.evaluate("window.__spoken")
            assert len(spoken) == 1 and spoken[0][1].startswith(tally_sentence(scenes.recount("2", [])))
            first_at = spoken[0][0]

            # Three answers inside the pause: nothing more is said until it ends, then only the latest.
            for n in range(1, 4):
                session.record_vote("2", *votes[n - 1])
                await page_at_event(page, live=False, seq=session.state.last_seq)
            assert len(await page.evaluate("window.__spoken")) == 1, "a tally spoken inside the pause"
            await page.evaluate(f"window.__advance({PAUSE_MS - 1})")
            assert len(await page.evaluate("window.__spoken")) == 1, "spoken before its 3 s"
            await page.evaluate("window.__advance(1)")
            spoken = await page.evaluate("window.__spoken")
            assert len(spoken) == 2
            assert spoken[1][1].startswith(tally_sentence(scenes.recount("2", votes[:3])))
            assert spoken[1][0] - first_at == PAUSE_MS

            # One more answer, long after the pause: said at once.
            await page.evaluate(f"window.__advance({PAUSE_MS * 2})")
            session.record_vote("2", *votes[3])
            await page_at_event(page, live=False, seq=session.state.last_seq)
            spoken = await page.evaluate("window.__spoken")
            assert len(spoken) == 3 and spoken[2][1].startswith(tally_sentence(scenes.recount("2", votes[:4])))

            # Another right after it waits; the close's outcome, inside the pause, is said at once
            # and the waiting tally is dropped (it is no longer the news).
            session.record_vote("2", *votes[4])
            await page_at_event(page, live=False, seq=session.state.last_seq)
            assert len(await page.evaluate("window.__spoken")) == 3
            for member_id, vote in votes[5:]:
                session.record_vote("2", member_id, vote)
            session.close_vote("2")
            await page_at_event(page, live=False, seq=session.state.last_seq)
            spoken = await page.evaluate("window.__spoken")
            outcome = spoken[-1][1]
            final = scenes.recount("2", votes, closed=True)
            cast = final["yes"] + final["no"]
            assert 3 * final["yes"] >= 2 * cast  # two-thirds (Art. 8.1): the applicant is admitted
            members = len([m for m in scenes.roster() if m["status"] == "member"])
            assert outcome == f"Admitted: Akita Prefecture. Members {members} → {members + 1}."
            assert spoken[-1][0] == spoken[2][0], "the outcome waited for the pause"
            await page.evaluate(f"window.__advance({PAUSE_MS * 2})")
            assert (await page.evaluate("window.__spoken"))[-1][1] == outcome, "an old tally spoke over the outcome"

            # Every sentence fits a screen reader's breath, and no two tallies came closer than 3 s.
            spoken = await page.evaluate("window.__spoken")
            assert all(len(text) <= 100 for _, text in spoken)
            tallies = [at for at, text in spoken if text.startswith("Item 2: yes")]
            assert all(b - a >= PAUSE_MS for a, b in zip(tallies, tallies[1:], strict=False))

    with BoardProcess(db_path) as board:
        await scenario(board.url)
