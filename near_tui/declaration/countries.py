"""The country names the declarations translate, marked for the catalogues.

The names themselves are the core's (``near_tui.core.countries``: the six NEAR countries by default,
an agenda's ``countries:`` for any other); each language's declaration translates a name through its
catalogue, so the default names, and those of the countries the sample's roster names, are marked here
(the core cannot mark them: it imports nothing of the i18n layer).
"""

from __future__ import annotations

from near_tui.core.countries import DEFAULT_COUNTRY_NAMES
from near_tui.i18n import N_

MARKED = (
    N_("People's Republic of China"),
    N_("Japan"),
    N_("Republic of Korea"),
    N_("Democratic People's Republic of Korea"),
    N_("Mongolia"),
    N_("Russian Federation"),
    N_("Viet Nam"),  # the sample's associate member's country (agenda/members-2018.yaml, countries:)
)
# Every default name has its catalogue entry.
assert set(DEFAULT_COUNTRY_NAMES.values()) <= set(MARKED)
