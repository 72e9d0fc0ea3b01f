"""The 12th GA sample and `near-tui sample DIR`.

The sample's one home is agenda/ at the top of the repository; building the wheel copies it into
the package as near_tui/samples/ (setup.py). An installed package reads it there, through
importlib.resources, so the demo and `near-tui sample` work in any directory, also when the
package is imported from a zip; run from a checkout (PYTHONPATH, an editable install) it reads
the checkout's agenda/.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from near_tui.core.errors import NearError, StorageError

from .support import friendly

if TYPE_CHECKING:  # importlib.resources and tempfile load on use: `near-tui --help` needs neither
    from importlib.resources.abc import Traversable

SAMPLE = "ga12-2018"


def _root() -> Traversable:
    from importlib.resources import files

    packaged = files("near_tui") / "samples"
    if packaged.is_dir():
        return packaged
    import near_tui

    return Path(near_tui.__file__).resolve().parent.parent / "agenda"


def sample_files() -> list[Traversable]:
    """Every file of the sample folder except Python files (and their caches), by name.

    Listed, not named one by one, so a sample file added to the folder is shipped and copied too.
    """
    root = _root()
    if not root.joinpath(f"{SAMPLE}.yaml").is_file():
        raise StorageError(f"the 12th GA sample ({SAMPLE}.yaml) is missing from this install "
                           "— reinstall near_tui")
    return sorted((f for f in root.iterdir() if f.is_file() and not f.name.endswith((".py", ".pyc"))),
                  key=lambda f: f.name)


@contextlib.contextmanager
def sample_folder() -> Iterator[Path]:
    """A real folder holding the sample, for code that reads files by path (the roster is relative).

    The package's own folder when it is installed as files; otherwise (a zip) a temporary copy,
    removed on exit. (importlib.resources.as_file takes a folder only from Python 3.12.)
    """
    files_ = sample_files()
    root = _root()
    if isinstance(root, Path):
        yield root
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="near-tui-sample-") as tmp:
        for source in files_:
            (Path(tmp) / source.name).write_bytes(source.read_bytes())
        yield Path(tmp)


def write_sample(target: Path) -> list[Path]:
    """Copy the sample into ``target`` (created if needed); refuse, writing nothing, if a file is there."""
    sources = sample_files()
    if target.exists() and not target.is_dir():
        raise NearError(f"{target}: is a file, not a folder — give a folder for the sample")
    clash = [target / s.name for s in sources if (target / s.name).exists()]
    if clash:
        more = f" (and {len(clash) - 1} more)" if len(clash) > 1 else ""
        raise NearError(f"{clash[0]}: already exists{more} — give a new or empty folder; nothing was written")
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for source in sources:
            path = target / source.name
            # "x": never replace a file that appeared since the check above.
            with path.open("xb") as out:
                written.append(path)
                out.write(source.read_bytes())
    except OSError as exc:
        for path in written:  # all or nothing, as every other write of near-tui
            path.unlink(missing_ok=True)
        raise NearError(f"{target}: cannot write the sample ({exc.strerror or exc}) — give a folder you can write to") from None
    return written


@click.command("sample")
@click.argument("folder", type=click.Path(path_type=Path))
@friendly
def sample(folder: Path) -> None:
    """Write the 12th GA (2018) sample into FOLDER: agenda, roster, CSVs and README, to start from.

    FOLDER is created if needed; an existing file is never replaced (nothing is written then).
    The file formats are described in docs/agenda-format.md.
    """
    for path in write_sample(folder):
        click.echo(f"wrote {path}")
    click.echo(f"next: near-tui check {shlex.quote(str(folder / f'{SAMPLE}.yaml'))}")
