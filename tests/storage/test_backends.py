"""The core's behaviour, run once on SQLite and once on a private PostgreSQL server.

SQLite is the default and needs no server; PostgreSQL is for multi-seat venues.
A clerk must get the same session, the same tallies and the same report on either.
"""

from __future__ import annotations

import threading

import pytest

from near_tui.core import events as ev
from near_tui.core.errors import InputError, RuleError, StorageError
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.imports import import_file
from near_tui.service.session import Session
from near_tui.views.report import build_report
from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, GA12_VOTES, run_cli


@pytest.fixture
def session(db_url):
    s = Session.create(load_agenda(GA12), db_url)
    yield s
    s.close_log()


def test_ga12_imports_give_the_recorded_outcomes(session, db_url):
    for what, path in [("attendance", GA12_ATTENDANCE), ("letters", GA12_LETTERS), ("votes", GA12_VOTES)]:
        import_file(session, what, path)
    reader = Session.open(db_url, readonly=True)
    report = build_report(reader.state)
    reader.close_log()
    assert report["attendance"] == {"in_person": 29, "online": 0, "letter": 21, "absent": 28}
    # Akita is admitted by item 2, so 78 members at the end (the 12th GA Declaration).
    assert report["members_total"] == 78
    by_id = {i["id"]: i for i in report["items"]}
    assert (by_id["2"]["yes"], by_id["2"]["no"], by_id["2"]["participating"]) == (49, 0, 50)
    assert by_id["2"]["admitted"] == ["jp-akita"]
    assert (by_id["4"]["yes"], by_id["4"]["no"], by_id["4"]["abstain"]) == (47, 2, 1)
    assert all(by_id[i]["outcome"] == "carried" for i in "245678")


def test_live_tally_corrections_and_undo(session, db_url):
    import_file(session, "attendance", GA12_ATTENDANCE)
    session.open_vote("4")
    session.record_vote("4", "cn-henan", "yes")
    session.record_vote("4", "cn-hunan", "no")
    session.record_vote("4", "cn-hunan", "yes")  # a second answer is a correction
    assert session.state.tally("4").yes == 2
    session.undo_last("4")  # takes back the correction: Hunan is "no" again
    reader = Session.open(db_url, readonly=True)
    tally = reader.state.tally("4")
    assert (tally.yes, tally.no, tally.participating) == (1, 1, 29)
    kinds = [e.kind for e in reader.log.read_events()][-4:]
    assert kinds == [ev.VOTE_RECORDED, ev.VOTE_RECORDED, ev.VOTE_CORRECTED, ev.VOTE_CORRECTED]
    reader.close_log()


def test_refused_action_writes_nothing(session):
    import_file(session, "attendance", GA12_ATTENDANCE)
    head = session.log.head_seq()
    with pytest.raises(RuleError):
        session.record_vote("4", "cn-henan", "yes")  # the vote is not open
    session.open_vote("4")
    with pytest.raises(RuleError):
        session.record_vote("4", "vn-ho-chi-minh-city", "yes")  # an associate has no vote
    assert session.log.head_seq() == head + 1


def test_failed_import_writes_nothing(session, tmp_path):
    bad = tmp_path / "votes.csv"
    bad.write_text("item_id,member_id,vote\n4,cn-henan,yes\n4,cn-nowhere,yes\n")
    import_file(session, "attendance", GA12_ATTENDANCE)
    head = session.log.head_seq()
    with pytest.raises(InputError) as caught:
        import_file(session, "votes", bad)
    assert str(caught.value).startswith(f"{bad}:3: ")
    assert session.log.head_seq() == head


def test_a_stale_seat_catches_up_before_it_writes(session, db_url):
    import_file(session, "attendance", GA12_ATTENDANCE)
    other = Session.open(db_url)
    session.open_vote("4")
    # The other seat has not seen the vote open; the write path folds it in first.
    other.record_vote("4", "cn-henan", "no")
    session.record_vote("4", "cn-henan", "yes")  # so this is a correction, not a second vote
    reader = Session.open(db_url, readonly=True)
    assert [h.kind for h in reader.state.items["4"].history] == ["recorded", "corrected"]
    assert ev.chain_problems(reader.log.read_events()) == []
    for s in (other, reader):
        s.close_log()


def test_two_writers_at_once_never_fork_the_chain(session, db_url):
    import_file(session, "attendance", GA12_ATTENDANCE)
    session.open_vote("4")
    voters = [m for m in session.state.call_order("4") if session.state.is_present(m)]
    errors: list[Exception] = []

    def clerk(names):
        seat = Session.open(db_url)
        try:
            for name in names:
                seat.record_vote("4", name, "yes")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            seat.close_log()

    threads = [threading.Thread(target=clerk, args=(voters[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    reader = Session.open(db_url, readonly=True)
    assert reader.state.tally("4").yes == len(voters) == 29
    assert ev.chain_problems(reader.log.read_events()) == []
    reader.close_log()


def test_second_create_is_refused(session, db_url):
    with pytest.raises(StorageError, match="already holds a session"):
        Session.create(load_agenda(GA12), db_url)


def test_cli_report_json_on_either_backend(session, db_url):
    import_file(session, "attendance", GA12_ATTENDANCE)
    result = run_cli("report", "--json", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert '"in_person": 29' in result.stdout
