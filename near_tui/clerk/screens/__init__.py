"""The clerk's screens and dialogs."""
