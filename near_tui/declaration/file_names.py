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
