"""declaration.pdf never splits what is signed from its signatures, whatever the length of the text
above (the PDF is the copy signed by hand)."""

from __future__ import annotations

import dataclasses
import io

import pytest
from pypdf import PdfReader

from near_tui.core import events as ev
from near_tui.core.state import SessionState
from near_tui.declaration.declaration_pdf import render_pdf
from near_tui.declaration.record import build_record

PARAGRAPH = ("The participants agreed that the regions of North East Asia share a sea, a climate and a "
             "history, and that their cooperation in trade, tourism and disaster prevention serves them all.")


def with_preamble(events: list[ev.Event], paragraphs: list[str]) -> list[ev.Event]:
    opened = events[0]
    payload = {**opened.payload, "declaration": {**opened.payload["declaration"], "preamble": paragraphs}}
    return [dataclasses.replace(opened, payload=payload)] + events[1:]


@pytest.fixture(scope="module")
def closed_events(tmp_path_factory):
    from near_tui.inputs.agenda_file import load_agenda
    from near_tui.service.imports import import_file
    from near_tui.service.session import Session
    from support import GA12, GA12_ATTENDANCE, GA12_LETTERS, FixedClock

    db = str(tmp_path_factory.mktemp("pdf") / "s.sqlite")
    session = Session.create(load_agenda(GA12), db, clock=FixedClock())
    import_file(session, "attendance", GA12_ATTENDANCE)
    import_file(session, "letters", GA12_LETTERS)
    session.record_election("1", ["ru-sakha"])
    session.close_session(leave_pending=True)
    events = session.log.read_events()
    session.close_log()
    return events


# Paragraph counts and a part paragraph, so that the end of the text falls at many places on a page.
LENGTHS = [(n, cut) for n in (0, 2, 4) for cut in (0, 60, 130)] + [(8, 0), (12, 0)]


@pytest.mark.parametrize("paragraphs, cut", LENGTHS)
def test_the_signing_part_stays_on_one_page(closed_events, paragraphs, cut):
    preamble = [PARAGRAPH] * paragraphs + ([PARAGRAPH[:cut] + "."] if cut else [])
    events = with_preamble(closed_events, preamble)
    pdf = render_pdf(build_record(events), SessionState.from_events(events))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    # The sample's closing commitment, place and date, and both signatories (ga12-2018.yaml).
    wanted = ("uphold this Declaration", "Zhangjiajie City, Hunan Province, China, 31 October 2018.",
              "Xu Dazhe", "Governor of Hunan Province, Chair of NEAR", "Hong Jong-kyoung",
              "Secretary-General of NEAR")
    holding = [i for i, text in enumerate(pages) if "Hong Jong-kyoung" in text]
    assert len(holding) == 1
    last = " ".join(pages[holding[0]].split())
    for words in wanted:
        assert words in last, (paragraphs, cut, words)
