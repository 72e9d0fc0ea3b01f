"""The live web board (``near-tui board``): one read-only follower of the log, many browsers.

``feed`` follows the log in one thread and turns each change into one pre-encoded
Server-Sent Events message; ``server`` (aiohttp) serves the page, ``/state.json``
and ``/events``; ``static/`` holds the page, its stylesheet and its script. See docs/board.md.
"""
