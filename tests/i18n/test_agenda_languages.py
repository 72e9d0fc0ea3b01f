"""session.languages and texts written as {en: …, zh: …}: what check says, what the model keeps."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from near_tui.core.definition import SessionDefinition
from near_tui.inputs.agenda_file import load_agenda
from support import near as run_in_process

AGENDA = textwrap.dedent("""\
    session:
      id: t1
      title: {en: "Test Assembly", zh: "测试大会"}
      body: general_assembly
      venue: Changsha
      opens: 2018-10-29
      languages: [en, zh]
    roster:
      - {id: a, name: A, country: CN}
    items:
      - id: 1
        title: {en: "Budget", zh: "预算"}
        kind: decision
        article: "8.3"
        resolution: {carried: {en: "Approved.", zh: "批准。"}}
      - id: 2
        title: "Report"
        kind: report
        noted: {en: "Noted."}
    declaration:
      preamble: [{en: "P1", zh: "序1"}, "P2"]
      signatories: [{name: X, title: {en: Chair, zh: 主席}}]
    """)


def near(*args: object):
    """``near-tui ARGS`` in this process (click's runner): exit_code, stdout, stderr."""
    return run_in_process(*args)


@pytest.fixture
def agenda(tmp_path: Path) -> Path:
    path = tmp_path / "t1.yaml"
    path.write_text(AGENDA, encoding="utf-8")
    return path


def test_the_record_language_stays_in_the_field_the_others_beside_it(agenda):
    definition = load_agenda(agenda)
    assert definition.session.languages == ("en", "zh")
    budget = definition.items[0]
    assert budget.title == "Budget" and budget.text("title", "zh") == "预算"
    assert budget.resolution.carried == "Approved." and budget.resolution.text("carried", "zh") == "批准。"
    assert definition.items[1].text("title", "zh") == "Report"  # not given: the record's
    assert definition.declaration.preamble == ["P1", "P2"]
    assert definition.declaration.text("preamble.0", "zh") == "序1"
    assert definition.declaration.text("preamble.1", "zh") == "P2"
    assert definition.declaration.signatories[0].text("title", "zh") == "主席"
    # Stored and replayed as it was written (the declaration is rebuilt from the log).
    assert SessionDefinition.from_payload(definition.to_payload()) == definition


def test_a_session_in_one_language_stores_what_it_stored_before(tmp_path):
    one = AGENDA.replace('{en: "Test Assembly", zh: "测试大会"}', "Test Assembly") \
        .replace("  languages: [en, zh]\n", "").replace('{en: "Budget", zh: "预算"}', "Budget") \
        .replace('{carried: {en: "Approved.", zh: "批准。"}}', '{carried: "Approved."}') \
        .replace('{en: "Noted."}', '"Noted."').replace('[{en: "P1", zh: "序1"}, "P2"]', '["P1", "P2"]') \
        .replace("{en: Chair, zh: 主席}", "Chair")
    path = tmp_path / "one.yaml"
    path.write_text(one, encoding="utf-8")
    payload = load_agenda(path).to_payload()
    text = repr(payload)
    assert "languages" not in text and "translations" not in text


def test_check_warns_once_per_missing_text_and_exits_0(agenda):
    proc = near("check", agenda)
    assert proc.exit_code == 0, proc.stderr
    lines = proc.stderr.splitlines()
    # The file's own lines: venue (5), item 2's title (17) and noted (19), preamble paragraph 2 (21).
    assert lines == [
        f"{agenda}:5: the session has no zh venue — the Chinese declaration will use the English one",
        f"{agenda}:17: item 2 has no zh title — the Chinese declaration will use the English one",
        f"{agenda}:19: item 2 has no zh noted text — the Chinese declaration will use the English one",
        f"{agenda}:21: the declaration has no zh preamble paragraph 2 — the Chinese declaration will use the English one",
    ]
    assert ": ok — t1: 2 items" in proc.stdout


def test_check_strict_makes_a_missing_text_an_error(agenda):
    proc = near("check", "--strict", agenda)
    assert proc.exit_code == 2
    assert f"{agenda}:17: item 2 has no zh title" in proc.stderr
    assert "ok" not in proc.stdout and "Traceback" not in proc.stderr


def test_check_strict_passes_when_every_text_is_given(agenda):
    full = AGENDA.replace("venue: Changsha", "venue: {en: Changsha, zh: 长沙}") \
        .replace('title: "Report"', 'title: {en: "Report", zh: "报告"}') \
        .replace('{en: "Noted."}', '{en: "Noted.", zh: "已注意到。"}') \
        .replace('"P2"]', '{en: "P2", zh: "序2"}]')
    agenda.write_text(full, encoding="utf-8")
    proc = near("check", "--strict", agenda)
    assert proc.exit_code == 0, proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize("old, new, line, says", [
    ('{en: "Budget", zh: "预算"}', '{zh: "预算"}', 12,
     "item '1' title has no en text — the record's language (English"),
    ('{en: "Budget", zh: "预算"}', '{en: "Budget", fr: "Budget"}', 12,
     "item '1' title has a text in 'fr', which is not a language"),
    ("languages: [en, zh]", "languages: [en, ja]", 3, "session title has a zh text, but session.languages is [en, ja]"),
    ("languages: [en, zh]", "languages: [en, xx]", 7, "session.languages has 'xx', which is not a language"),
    ("languages: [en, zh]", "languages: [en, zh, en]", 7, "session.languages names en twice"),
    ('zh: "批准。"', "zh: 3", 15, "resolution carried in zh must be text, not int 3"),
    ('{en: "P1", zh: "序1"}', '{zh: "序1"}', 21, "declaration preamble paragraph has no en text"),
    ("zh: 主席", 'zh: "主\\t席"', 22, "signatory title in zh contains a tab"),
])
def test_a_wrong_text_in_languages_is_one_line_at_its_key(agenda, old, new, line, says):
    assert AGENDA.count(old) == 1
    agenda.write_text(AGENDA.replace(old, new), encoding="utf-8")
    proc = near("check", agenda)
    assert proc.exit_code == 2
    assert proc.stderr.startswith(f"near-tui: {agenda}:{line}: {says}"), proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_the_12th_ga_sample_gives_every_text_in_english_and_chinese():
    sample = Path(__file__).resolve().parents[2] / "agenda" / "ga12-2018.yaml"
    proc = near("check", "--strict", sample)
    assert proc.exit_code == 0, proc.stderr
    definition = load_agenda(sample)
    assert definition.session.languages == ("en", "zh")
    for item in definition.items:
        assert item.text("title", "zh") != item.title  # a Chinese title of its own
        if item.resolution is not None:
            assert item.resolution.text("carried", "zh") != item.resolution.carried
