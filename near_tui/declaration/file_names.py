"""The names of a closed session's files, and which of them carry a signature.

Kept apart from the code that writes them, so that reading and checking a folder
(``verify``, ``audit``) does not load the PDF library.
"""

DECLARATION_MD = "declaration.md"
DECLARATION_PDF = "declaration.pdf"
MINUTES_MD = "minutes.md"
MINUTES_PDF = "minutes.pdf"
RECORD_JSON = "record.json"
RECORD_CSV = "record.csv"
# The files whose signature travels beside them (declaration.pdf is signed too: it is what gets printed;
# record.csv too, although record.json holds its digest, so that `minisign -Vm` checks it alone).
SIGNED = (DECLARATION_MD, RECORD_JSON, DECLARATION_PDF, MINUTES_MD, MINUTES_PDF, RECORD_CSV)


def declaration_names(code: str, record_language: str) -> tuple[str, str]:
    """The declaration's Markdown and PDF in language ``code``: ``declaration.md``/``.pdf`` in the
    record's language, ``declaration.<code>.md``/``.pdf`` in each other (docs/languages.md)."""
    stem = "declaration" if code == record_language else f"declaration.{code}"
    return f"{stem}.md", f"{stem}.pdf"


def signed_names(languages: tuple[str, ...]) -> tuple[str, ...]:
    """Every file a close writes and signs, for a session in ``languages`` (the record's first)."""
    extra = tuple(name for code in languages[1:] for name in declaration_names(code, languages[0]))
    return SIGNED + extra
