"""The clerk's footer: Textual's, rebuilt only when the keys it would show have changed.

Textual's ``Footer`` rebuilds all its key widgets each time its screen says its bindings may have
changed, and a screen says so on every mount, focus change, resize and reactive bound to its keys.
The roll call's first frame asked eight times for the same eight keys: each rebuild mounts and
styles every key again, about a third of a second of the clerk's start-up (bench/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer


class SteadyFooter(Footer):
    """A ``Footer`` that skips a rebuild which would draw the very keys it shows."""

    _shown: Hashable = None

    def _keys_to_show(self) -> Hashable:
        """What a rebuild depends on: the screen's keys as the footer would list them, and its options."""
        keys = tuple((name, binding.key, binding.description, binding.show, enabled, tooltip)
                     for name, (_, binding, enabled, tooltip) in self.screen.active_bindings.items())
        return self.show_command_palette, self.compact, keys

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # asked for after the screen left (Textual's own rebuild returns too)
        shown = self._keys_to_show()
        # An empty footer is always rebuilt: its first build may have come before the screen's keys
        # were ready (Textual then composes nothing), with the same keys as now.
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()
