"""A clerk process writes a burst of votes while the chair app follows the same SQLite file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from chair import scenes
from near_tui.chair.app import build_app
from near_tui.chair.big_figure import BigFigure
from near_tui.chair.vote_view import FigureCell

WRITER = Path(__file__).with_name("clerk_writer.py")


def shown(app, cell_id: str) -> str:
    return app.query_one(f"#{cell_id}", FigureCell).query_one(BigFigure).text


async def test_chair_shows_the_final_tally_of_a_burst_written_by_another_process(ga12_present, db_path):
    ga12_present.close_log()

    app = build_app(db_path, poll_interval=0.02)  # poll hard, to collide with the writer
    async with app.run_test(size=(80, 24)) as pilot:
        writer = subprocess.Popen([sys.executable, str(WRITER), db_path, "2", "--close"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while writer.poll() is None:
            await pilot.pause(0.05)
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        assert "locked" not in err.lower() and out.strip().endswith("closed")
        # The writer recorded every answer of the sample, then closed: the test counts them itself.
        final = scenes.recount("2", scenes.sample_votes("2"), closed=True)
        for _ in range(100):
            if app.board.vote is not None and not app.board.vote.open:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert app.query_one("#views").current == "vote"
        assert [shown(app, c) for c in ("yes", "no", "abstain", "not-voting", "uncalled")] == [
            str(final[k]) for k in ("yes", "no", "abstain", "not_voting", "uncalled")]
        assert shown(app, "outcome") == "✔ CARRIED"  # 2018 report: Akita was admitted
        assert app.problems == []  # no read ever failed ("database is locked" or other)
