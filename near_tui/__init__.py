"""near_tui: runs the live sessions of the NEAR General Assembly and Working Committee.

The layers below the front-ends (``core``, ``inputs``, ``storage``, ``service``, ``views``)
know nothing of Textual; the terminal screens live in ``near_tui.clerk`` and
``near_tui.chair`` and only render state and send intents. docs/architecture.md draws them.
"""

__version__ = "0.1.0"
