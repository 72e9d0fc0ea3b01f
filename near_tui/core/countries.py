"""Country names as the declaration and the minutes print them (rosters carry two-letter codes).

The six countries of NEAR's members have names by default, in the forms their governments use in
English; an agenda or roster names any other country, or renames one of these, under
``countries:`` (docs/agenda-format.md). Loading an agenda refuses a member whose country has no
name, so no document ever prints a bare code.
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_COUNTRY_NAMES = {
    "CN": "People's Republic of China",
    "JP": "Japan",
    "KR": "Republic of Korea",
    "KP": "Democratic People's Republic of Korea",
    "MN": "Mongolia",
    "RU": "Russian Federation",
}

# Words that make a country's name take "the" inside a sentence ("of the Republic of Korea",
# "of the Russian Federation", but "of Japan", "of Mongolia").
_TAKES_THE = ("Republic", "Federation", "Kingdom", "United", "Union", "Emirates", "Islands", "Netherlands")


def country_names(given: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """The defaults with the session's own ``countries:`` over them."""
    return {**DEFAULT_COUNTRY_NAMES, **dict(given)}


def country_name(code: str, names: dict[str, str] | None = None) -> str:
    """The country's name; a code no name is given for (a definition built in code, never a loaded
    agenda, which refuses it) is printed as it is."""
    return (names or DEFAULT_COUNTRY_NAMES).get(code, code)


def country_in_sentence(code: str, names: dict[str, str] | None = None) -> str:
    """The name as it reads after "of": with "the" where English puts one."""
    name = country_name(code, names)
    return f"the {name}" if any(word in name.split() for word in _TAKES_THE) else name
