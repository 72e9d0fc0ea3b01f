"""Widgets shared by the clerk's screens."""
