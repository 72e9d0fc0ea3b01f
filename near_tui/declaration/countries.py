"""Country names as the declaration prints them (roster files carry two-letter codes)."""

from __future__ import annotations

COUNTRY_NAMES = {
    "CN": "China",
    "JP": "Japan",
    "KR": "Republic of Korea",
    "KP": "DPR Korea",
    "MN": "Mongolia",
    "RU": "Russian Federation",
    "VN": "Viet Nam",
}


def country_name(code: str) -> str:
    """The full name, or the code itself for a country this table does not know."""
    return COUNTRY_NAMES.get(code, code)
