"""Builds the wheel with the sample agenda inside the package.

The 12th GA sample has one home, agenda/ at the top of the repository, where a user keeps
agenda files beside sessions/. The wheel must carry it too (`near-tui sample`, `near-tui demo`
from an installed package), so the build copies agenda/ into near_tui/samples/ of the build
tree. Nothing is copied in the checkout itself, so there is never a second file to edit.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

AGENDA = Path(__file__).resolve().parent / "agenda"


class BuildWithSample(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib, "near_tui", "samples")
        shutil.rmtree(target, ignore_errors=True)  # a file removed from agenda/ must leave the wheel too
        target.mkdir(parents=True)
        for source in sorted(AGENDA.iterdir()):
            if source.is_file():
                shutil.copy2(source, target / source.name)


setup(cmdclass={"build_py": BuildWithSample})
