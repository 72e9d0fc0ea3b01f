"""The clerk's full-screen console (Textual): attendance, letters, roll calls, other items.

Importing the package loads no Textual (the CLI imports ``clerk.commands`` at start);
``build_app`` and ``ClerkApp`` load it on first use.
"""

__all__ = ["ClerkApp", "build_app"]


def __getattr__(name: str):
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
