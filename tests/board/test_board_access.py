"""The board's colours hold 7:1 everywhere, as computed from its own CSS."""

from __future__ import annotations

import re
from importlib.resources import files

CSS = files("near_tui.board").joinpath("static", "board.css").read_text(encoding="utf-8")


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #RRGGBB."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def schemes() -> list[dict[str, str]]:
    """The colour variables of each scheme: the light one, and the dark one over it."""
    blocks = re.findall(r":root\s*\{([^}]*)\}", CSS)
    light = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\b", blocks[0]))
    found = [light]
    for block in blocks[1:]:
        found.append({**light, **dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\b", block))})
    return found


def used(property_name: str) -> set[str]:
    """The variables the stylesheet uses for ``property_name`` (color, background...)."""
    return set(re.findall(rf"(?<![-\w]){property_name}\s*:\s*var\(--([a-z-]+)\)", CSS))


def test_every_text_colour_on_every_background_is_at_least_7_to_1():
    texts = used("color") | {"fg"}
    backgrounds = used("background") | used("background-color") | {"bg"}
    assert {"good", "bad", "live", "warn", "muted", "fg"} <= texts and {"bg", "panel"} <= backgrounds
    assert len(schemes()) == 2  # light, and dark for a dimmed hall
    failing = []
    for scheme in schemes():
        for text in texts:
            for background in backgrounds:
                ratio = contrast(scheme[text], scheme[background])
                if ratio < 7:
                    failing.append((text, background, scheme[text], scheme[background], round(ratio, 2)))
    assert failing == []
