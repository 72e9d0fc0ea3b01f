"""Reading the user's files: agenda and roster YAML with line numbers for every message."""
