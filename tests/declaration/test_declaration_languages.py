"""One signed declaration per language of the session: the 12th GA sample, in English and Chinese."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml
from pypdf import PdfReader

SAMPLE = Path(__file__).resolve().parents[2] / "agenda" / "ga12-2018.yaml"
CHINESE = ("declaration.zh.md", "declaration.zh.pdf")


def sample_text(*path: object, language: str = "zh") -> str:
    """A text of the sample agenda file in ``language``, read from the YAML (the document)."""
    node = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for part in path:
        node = node[part]
    return node[language]


def test_the_sample_closes_to_a_signed_english_and_a_signed_chinese_declaration(ga12_closed, cli):
    out = ga12_closed.out
    for name in ("declaration.md", "declaration.pdf") + CHINESE:
        assert (out / name).is_file() and (out / (name + ".minisig")).is_file(), name
        done = subprocess.run(["minisign", "-Vm", str(out / name), "-p", str(ga12_closed.pub)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert f"file:{name}" in done.stdout
    result = cli("verify", out, "--pub", ga12_closed.pub, "--db", ga12_closed.db)
    assert result.exit_code == 0, result.output
    assert "declaration.zh.md: signature holds" in result.output
    assert "declaration.zh.pdf: signature holds" in result.output
    assert "declaration.zh.md: identical to the one rebuilt from the log" in result.output


def test_record_json_lists_every_declaration_with_its_language(ga12_closed):
    record = json.loads((ga12_closed.out / "record.json").read_text(encoding="utf-8"))
    assert record["session"]["languages"] == ["en", "zh"]
    listed = {name: entry["language"] for name, entry in record["files"].items() if "language" in entry}
    assert listed == {"declaration.md": "en", "declaration.pdf": "en",
                      "declaration.zh.md": "zh", "declaration.zh.pdf": "zh"}


def test_the_chinese_declaration_says_the_record_in_chinese(ga12_closed):
    text = (ga12_closed.out / "declaration.zh.md").read_text(encoding="utf-8")
    english = (ga12_closed.out / "declaration.md").read_text(encoding="utf-8")
    record = json.loads((ga12_closed.out / "record.json").read_text(encoding="utf-8"))
    # The agenda's own Chinese words, where it gives them.
    assert text.startswith(f"# {sample_text('session', 'title')}宣言\n")
    assert sample_text("session", "venue") in text
    assert sample_text("declaration", "closing") in text
    assert sample_text("items", 1, "resolution", "carried") in text
    assert f"### 2. {sample_text('items', 1, 'heading')}" in text  # the item's own heading, in Chinese
    assert sample_text("declaration", "signatories", 0, "title") in text
    assert sample_text("items", 0, "title", language="en") not in text
    # The figures are the record's, recounted here, in the language's own words.
    attending = sum(1 for m in record["members"] if m["attended"] and m["status"] == "member")
    by_letter = sum(1 for m in record["members"] if m["by_letter"])
    assert f"的{attending}个会员地方政府的代表出席了会议" in text
    assert f"其中{by_letter}个以书面决定函参与" in text
    assert "2018年10月31日" in text  # the closing day, as Chinese writes a date
    # The fixed sentences are translated: none of the English ones is left.
    for english_only in ("was held in", "Members represented", "Decisions", "approved the admission"):
        assert english_only in english and english_only not in text
    # Every member's name is as the roster writes it, in both.
    for member in record["members"]:
        if member["attended"] and member["status"] == "member":
            assert member["name"] in text and member["name"] in english


def test_the_chinese_pdf_prints_the_chinese_text(ga12_closed):
    reader = PdfReader(ga12_closed.out / "declaration.zh.pdf")
    pages = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(pages.split())
    assert "".join(sample_text("session", "title").split()) in flat
    assert "第1页，共" in flat and "共" + str(len(reader.pages)) + "页" in flat
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"


def test_verify_names_a_missing_or_stray_declaration(ga12_closed, cli):
    out = ga12_closed.out
    (out / "declaration.zh.md").rename(out / "declaration.ja.md")
    result = cli("verify", out, "--pub", ga12_closed.pub)
    assert result.exit_code != 0
    assert "declaration.zh.md: missing" in result.output
    assert "declaration.ja.md: not one of the files this close wrote" in result.output


def test_a_japanese_or_korean_declaration_takes_its_own_han_forms():
    from near_tui.declaration.pdf_fonts import available_fonts, fonts_for_language

    fonts = available_fonts()
    if not any(f.family == "notocjk" for f in fonts):
        # Without Noto Sans CJK the order is the default one, for every language.
        assert fonts_for_language("ja") == fonts
        return
    for code, face in (("ja", 0), ("ko", 1)):
        ordered = fonts_for_language(code)
        own = next(f for f in ordered if f.family == f"notocjk{code}")
        assert own.collection_index == face
        families = [f.family for f in ordered]
        assert families.index(f"notocjk{code}") < families.index("wqy")
        # The same Han character is printed from that face first.
        assert next(f for f in ordered if f.covers("宣")).family == f"notocjk{code}"
    assert [f.family for f in fonts_for_language("zh")] == [f.family for f in fonts]


def test_the_chinese_pdf_breaks_its_lines_as_chinese_is_set(ga12_closed):
    """pdftotext's lines of the sample's Chinese declaration: no closing mark starts one, no opening
    mark ends one, and the chair of 2018 shares its line with the Chinese that follows its name."""
    text = subprocess.run(["pdftotext", "-layout", str(ga12_closed.out / "declaration.zh.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip().lstrip("•").strip() for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if line[0] in "）」』】〕，。、；：！？…"]
    assert not [line for line in lines if line[-1] in "（「『【〔"]
    assert any(line.startswith("Sakha Republic (Yakutia)（俄罗斯联邦）当选为") for line in lines)


def test_every_sentence_of_every_declaration_starts_with_a_capital(ga12_closed):
    # The Russian declaration said "теперь в Ассоциацию входят 78 членов…" after Akita's admission:
    # a sentence put together from a clause, capitalised for English only.
    from near_tui.core.state import SessionState
    from near_tui.declaration.declaration_text import build_blocks
    from near_tui.i18n import LANGUAGES
    from near_tui.service.session import Session

    session = Session.open(ga12_closed.db, readonly=True)
    try:
        events = session.log.read_events()
    finally:
        session.close_log()
    record = json.loads((ga12_closed.out / "record.json").read_text(encoding="utf-8"))
    state = SessionState.from_events(events)
    for code in LANGUAGES:
        for block in build_blocks(record, state, code):
            if block.kind in ("paragraph", "bullet", "note", "title", "subtitle", "heading", "subheading"):
                for line in block.text.split("\n"):
                    assert not line.lstrip()[:1].islower(), f"{code}: {line!r}"
