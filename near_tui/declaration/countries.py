"""Country names as the declaration prints them (roster files carry two-letter codes)."""

from __future__ import annotations

from near_tui.i18n import N_

# In English; each declaration translates them (its catalogue).
COUNTRY_NAMES = {
    "CN": N_("China"),
    "JP": N_("Japan"),
    "KR": N_("Republic of Korea"),
    "KP": N_("DPR Korea"),
    "MN": N_("Mongolia"),
    "RU": N_("Russian Federation"),
    "VN": N_("Viet Nam"),
}


def country_name(code: str) -> str:
    """The full name, or the code itself for a country this table does not know."""
    return COUNTRY_NAMES.get(code, code)
