"""What every surface shows, computed once from the session state: verdicts, the chair's and
the board's view model, and the report."""
