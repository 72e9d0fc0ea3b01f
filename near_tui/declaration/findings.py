"""What a check of the signed files or of the log found: a sentence for each thing that held and
for each that did not. Shared by ``verification``, ``checkpoints`` and ``audit``, which fill it in."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Findings:
    """What held (``ok``) and what did not (``problems``), one sentence each."""

    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems
