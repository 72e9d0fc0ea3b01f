"""near_tui: runs the live sessions of the NEAR General Assembly and Working Committee.

The core (``schema``, ``agenda_file``, ``charter``, ``state``, ``session_log``,
``session``, ``imports``, ``report``) knows nothing of Textual; the terminal
screens live in ``near_tui.clerk`` and ``near_tui.chair`` and only render state
and send intents.
"""

__version__ = "0.1.0"
