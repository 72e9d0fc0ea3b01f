"""The ``near-tui`` command: one module per command group, each importing its front-end only
when its command runs, so ``near-tui --help`` stays fast."""
