"""The one door through which every fixed word a surface shows passes.

``_`` marks a sentence for translation and ``ngettext`` picks a plural; both are the
identity for English until translations are wired in here, so that swapping this one
import translates the chair, the board and the clerk's panels alike.
"""

from __future__ import annotations

from near_tui.storage.follower import NotLive, NotLiveReason


def _(text: str) -> str:
    return text


def ngettext(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


# What the public board says: the reason without the machine's paths or accounts.
_PUBLIC = {
    NotLiveReason.ACCESS: "the board cannot read the session database — retrying",
    NotLiveReason.MISSING: "the session database is not there — retrying",
    NotLiveReason.REPLACED: ("the session database was replaced — these are the last figures read before, "
                             "and this board no longer follows it"),
    NotLiveReason.REWRITTEN: ("the session log was rewritten — these are the last figures read before it, "
                              "and this board no longer follows it"),
    NotLiveReason.UNREADABLE: "cannot read the session database — retrying",
}


def not_live_words(not_live: NotLive, public: bool = False, seat: bool = False) -> str:
    """Why a surface is NOT LIVE, in one sentence from the follower's structured reason.

    ``public``: for the web board, which anyone may read: no file paths, no account names.
    ``seat``: for a clerk's seat, which stops recording on a final reason.
    """
    reason, detail = not_live.reason, not_live.detail
    if public:
        return _(_PUBLIC[reason])
    if seat and reason is NotLiveReason.REWRITTEN:
        return _("the session log was rewritten — {detail}. Nothing more is recorded from here: "
                 "have the log checked before going on").format(detail=detail)
    if seat and reason is NotLiveReason.REPLACED:
        return _("the session database was replaced — {detail}. Nothing more is recorded from here: "
                 "continue from the mirror or a backup").format(detail=detail)
    if reason is NotLiveReason.ACCESS:
        return detail
    if reason is NotLiveReason.MISSING:
        return _("cannot read the session: {detail}").format(detail=detail)
    if reason is NotLiveReason.REPLACED:
        return _("the session database was replaced: {detail} — the figures below are the last read "
                 "before; this screen no longer follows it").format(detail=detail)
    if reason is NotLiveReason.REWRITTEN:
        return _("the session log was rewritten: {detail} — the figures below are the last read before; "
                 "have the log checked").format(detail=detail)
    return _("cannot read the session log: {detail}").format(detail=detail)
