"""Text from files reaches Rich markup as written: brackets, and emoji codes too."""

from __future__ import annotations

from textual.app import App

from near_tui.ui.display_text import Painter


def test_a_cell_shows_names_as_written():
    paint = Painter(App())
    for name in ["Hubei [/] Province", "[bold]North-East[/bold]", ":smile: Prefecture", "Tov :flag_mn:"]:
        assert paint("[b]$name[/]", name=name).plain == name
