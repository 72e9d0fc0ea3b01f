"""The two projector themes: black on white and white on black, nothing in between.

Carried / not carried use a bluish green and a vermilion (after the Okabe-Ito
palette), which people with red-green colour blindness still tell apart; the
words and symbols beside them carry the meaning on their own anyway.
"""

from __future__ import annotations

from textual.theme import Theme

LIGHT = "near-projector-light"
DARK = "near-projector-dark"
THEME_NAMES = {"light": LIGHT, "dark": DARK}

PROJECTOR_LIGHT = Theme(
    name=LIGHT,
    dark=False,
    primary="#003C8F",  # headings and the live vote: deep blue
    secondary="#000000",
    accent="#003C8F",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E6E6E6",
    success="#00664A",  # bluish green, 7:1 on white
    error="#B3261E",  # vermilion-red, 6:1 on white
    warning="#7A4B00",  # dark amber, 7:1 on white
    text_alpha=1.0,
    luminosity_spread=0.05,
    variables={"footer-background": "#000000", "footer-foreground": "#FFFFFF",
               "footer-key-foreground": "#FFFFFF", "footer-description-foreground": "#FFFFFF"},
)

PROJECTOR_DARK = Theme(
    name=DARK,
    dark=True,
    primary="#7FC8FF",
    secondary="#FFFFFF",
    accent="#7FC8FF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#262626",
    success="#3DDBB0",
    error="#FF7A5C",
    warning="#FFD23F",
    text_alpha=1.0,
    luminosity_spread=0.05,
    variables={"footer-background": "#FFFFFF", "footer-foreground": "#000000",
               "footer-key-foreground": "#000000", "footer-description-foreground": "#000000"},
)

PROJECTOR_THEMES = (PROJECTOR_LIGHT, PROJECTOR_DARK)
