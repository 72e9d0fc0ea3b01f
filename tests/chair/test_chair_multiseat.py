"""Multi-seat: the chair view on one laptop follows a clerk writing to PostgreSQL from another."""

from __future__ import annotations

from chair import scenes
from chair.test_chair_app import figure, wait_for
from near_tui.chair.app import build_app
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, FixedClock


async def test_chair_follows_a_clerk_on_postgresql(pg_server):
    url = pg_server.new_database()
    clerk = Session.create(load_agenda(GA12), url, clock=FixedClock())
    import_file(clerk, "attendance", GA12_ATTENDANCE)
    import_file(clerk, "letters", GA12_LETTERS)

    async def run():
        app = build_app(url, poll_interval=0.02)
        async with app.run_test(size=(160, 45)) as pilot:
            assert app.query_one("#views").current == "agenda"
            clerk.open_vote("2")
            await wait_for(pilot, lambda: app.query_one("#views").current == "vote")
            for member_id, vote in scenes.sample_votes("2"):
                clerk.record_vote("2", member_id, vote)
            clerk.close_vote("2")
            final = scenes.recount("2", scenes.sample_votes("2"), closed=True)  # the test's own count
            await wait_for(pilot, lambda: figure(app, "yes") == str(final["yes"])
                           and app.board.vote.outcome == "✔ CARRIED")  # 2018 report: Akita admitted
            assert [figure(app, c) for c in ("no", "abstain", "not-voting", "uncalled")] == [
                str(final[k]) for k in ("no", "abstain", "not_voting", "uncalled")]
            assert app.problem is None

    try:
        await run()
    finally:
        clerk.close_log()
