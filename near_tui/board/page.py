"""The board's page in the language each viewer reads it in.

``static/index.html`` writes each fixed word as ``{{English words}}``; ``page`` puts each in the
viewer's language (HTML-escaped), sets ``<html lang>``, adds the list of languages to pick from,
and hands board.js its own words as a JSON data block (not a script: the page's
Content-Security-Policy runs scripts from this server only). ``PAGE_WORDS`` names every word the
page and board.js show, so that the catalogues are checked against them like any other module's.
"""

from __future__ import annotations

import html
import json
import re

from near_tui.i18n import LANGUAGES, N_, SOURCE, TAGS, words

# The words of static/index.html, as it writes them between {{ and }}.
PAGE_WORDS = (
    N_("NEAR · live board"), N_("NEAR live board"), N_("… CONNECTING"), N_("■ SESSION CLOSED"),
    N_("Waiting for the session…"), N_("▶ NOW CALLING"), N_("Yes"), N_("No"), N_("Abstain"),
    N_("Not voting"), N_("Uncalled"), N_("Yes needed"), N_("Votes cast"), N_("Agenda"),
    N_("Figures from the session record, as the clerk records them."), N_("The record as data (JSON)"),
    N_("Language"),
    N_("This board needs JavaScript to follow the session live. The figures are also at"),
)
# The words board.js shows, by the name it reads them under.
SCRIPT_WORDS = {
    "live_board": N_("{title} · live board"),
    "record_event": N_("Record event {seq} · chain head {head}…"),
    "lost": N_("lost the connection to this board — reconnecting…"),
    "not_following": N_("not following the session"),
    "live": N_("● LIVE"),
    "not_live": N_("⚠ NOT LIVE"),
    "not_live_why": N_("⚠ NOT LIVE — {why}"),
    "addendum": N_("addendum · "),
    "connecting": N_("⚠ NOT LIVE — connecting…"),
    "lost_said": N_("Not live: lost the connection to this board."),
    "list": N_(", "),
}
_WORD = re.compile(r"\{\{(.+?)\}\}")


def page(template: str, language: str) -> bytes:
    """The page in ``language`` (one of ``LANGUAGES``)."""
    w = words(language)
    missing = [m for m in _WORD.findall(template) if m not in PAGE_WORDS]
    if missing:  # a word added to the page must be added here, or it would stay untranslated
        raise ValueError(f"index.html shows words PAGE_WORDS does not list: {missing}")
    text = _WORD.sub(lambda m: html.escape(w._(m.group(1)), quote=False), template)
    text = text.replace('<html lang="en">', f'<html lang="{TAGS[language]}" data-lang="{language}">', 1)
    choices = "".join(
        f'<li><a href="/?lang={code}" hreflang="{TAGS[code]}" lang="{TAGS[code]}"'
        + (' aria-current="true"' if code == language else "") + f">{html.escape(name)}</a></li>"
        for code, name in LANGUAGES.items())
    said = json.dumps({key: w._(msgid) for key, msgid in SCRIPT_WORDS.items()}, ensure_ascii=False)
    text = text.replace("<!--languages-->", choices, 1)
    text = text.replace("<!--words-->", said.replace("</", "<\\/"), 1)
    return text.encode("utf-8")


def chosen_language(asked: str | None, accept: str | None, default: str = SOURCE) -> str:
    """The page's language: ``?lang=`` when it names one of ours, else the first of the browser's
    Accept-Language (by weight) that is, else ``default`` (the record's language)."""
    if asked in LANGUAGES:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                weight = float(match.group(1))
            except ValueError:
                weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and weight > 0:
            ranked.append((-weight, index, primary))
    return min(ranked)[2] if ranked else default
