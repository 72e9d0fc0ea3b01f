"""The catalogues: ``.po`` text files inside the package, compiled by Babel when first needed.

Why not ship ``.mo`` files: a compiled file beside its source can go stale (a
corrected ``.po`` that nobody recompiled), and a build hook would make ``pip
wheel`` depend on a step that is easy to skip. Reading a catalogue of a few
hundred entries and compiling it in memory takes milliseconds, once per process
and language.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib.resources import files

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "near_tui"


def po_text(locale: str) -> bytes:
    """The ``.po`` file of ``locale`` as packaged (``zh_Hans``, ``ja``, ``ko``, ``mn``, ``ru``)."""
    return files(__package__).joinpath("locale", locale, "LC_MESSAGES", DOMAIN + ".po").read_bytes()


def read_catalogue(locale: str) -> Catalog:
    return read_po(io.BytesIO(po_text(locale)), locale=locale, domain=DOMAIN)


@cache
def compiled(locale: str) -> gettext.GNUTranslations:
    """``locale``'s catalogue as gettext translations (fuzzy entries left out, as msgfmt does)."""
    mo = io.BytesIO()
    write_mo(mo, read_catalogue(locale), use_fuzzy=False)
    mo.seek(0)
    return gettext.GNUTranslations(mo)
