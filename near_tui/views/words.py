"""The one door through which every fixed word a surface shows passes.

``_`` marks a sentence for translation and ``ngettext`` picks a plural: they give the words
of the language the surface is being built in (``near_tui.i18n.speaking``), English unless
one was chosen, so the chair, the board and the clerk's panels are translated alike.
"""

from __future__ import annotations

from near_tui.i18n import N_, TAGS as LANGUAGE_TAGS, _, agenda_language, ngettext
from near_tui.storage.follower import NotLive, NotLiveReason

__all__ = ["LANGUAGE_TAGS", "N_", "_", "agenda_language", "ngettext", "not_live_words"]


# What the public board says: the reason without the machine's paths or accounts.
_PUBLIC = {
    NotLiveReason.ACCESS: N_("the board cannot read the session database — retrying"),
    NotLiveReason.MISSING: N_("the session database is not there — retrying"),
    NotLiveReason.REPLACED: N_("the session database was replaced — these are the last figures read before, "
                               "and this board no longer follows it"),
    NotLiveReason.REWRITTEN: N_("the session log was rewritten — these are the last figures read before it, "
                                "and this board no longer follows it"),
    NotLiveReason.UNREADABLE: N_("cannot read the session database — retrying"),
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
