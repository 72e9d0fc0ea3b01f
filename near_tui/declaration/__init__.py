"""The close of a session: the declaration, the full record, their signatures and their check.

Modules: ``record`` (the machine-readable record folded from the log),
``declaration_text`` (the declaration as blocks, then Markdown), ``declaration_pdf``
(the same blocks on A4), ``keys`` and ``signing`` (minisign keys and signatures),
``atomic_files`` (all-or-nothing writes), ``closing`` (close and write the files),
``verification`` (check signatures and recompute from the log), ``commands`` (CLI).
No module here imports Textual.
"""
