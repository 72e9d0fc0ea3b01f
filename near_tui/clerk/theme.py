"""A light, high-contrast theme: a laptop screen in a bright conference hall."""

from textual.theme import Theme

HALL_THEME = Theme(
    name="near-hall",
    primary="#0b4f9c",
    secondary="#4b2a7a",
    accent="#8a4b00",
    warning="#8a5a00",
    error="#b00020",
    success="#146c2e",
    foreground="#101418",
    background="#f7f8fa",
    surface="#ffffff",
    panel="#e3e8ef",
    dark=False,
)
