"""Put a close's signed files in place so that their folder shows the whole set or none of it.

The set is first written into a hidden sibling of its folder on the same filesystem
(``.NAME.closing``), every file flushed to disk, ``record.json.minisig`` last: a staging folder
holding that file is complete. Then it goes into place. A folder that does not exist yet (a close
after a reopening, a session closed without checkpoints) is the staging folder renamed: one atomic
step. A folder that already exists (the vote closes' ``checkpoints/`` made it) gets the files moved
in one by one, never over an existing file, ``record.json.minisig`` last, so that a folder holding
it holds the whole set; the staging folder is removed after.

A close holds an exclusive lock on its staging folder. ``verify`` reads a staging folder beside
an incomplete set as a close under way (locked) or interrupted (unlocked) and says so instead of
reporting files as missing. The next close finishes an interrupted set that was complete, or
discards one that was not (nothing of it had been moved into place), and never writes over a
file of a set already in place (docs/declaration.md).
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from near_tui.core.errors import StorageError

from .atomic_files import sync_folder, write_atomic
from .file_names import RECORD_JSON
from .signing import SIG_SUFFIX

try:
    import fcntl
except ImportError:  # pragma: no cover — no flock (Windows): closes are not told apart from crashes
    fcntl = None  # type: ignore[assignment]

# The last file written and moved: the set is whole exactly when it is there.
COMMIT = RECORD_JSON + SIG_SUFFIX
SUFFIX = ".closing"
WRITING, INTERRUPTED = "writing", "interrupted"
LOCK_WAIT = 60.0  # seconds a close waits for another close of the same folder to finish


class ClosedSet(list):
    """The paths of a close's signed files, in writing order. ``written``: those this close put in
    place (all of them, a few restored, or none: ``fresh`` is then False); ``lost``: files missing
    from a set in place that cannot be made again with the bytes their signature or file holds."""

    def __init__(self, paths: Sequence[Path], folder: Path, written: Sequence[Path],
                 lost: Sequence[Path] = ()) -> None:
        super().__init__(paths)
        self.folder = folder
        self.written = list(written)
        self.lost = list(lost)

    @property
    def fresh(self) -> bool:
        return bool(self.written)


def staging_folder(target: str | Path) -> Path:
    """Where the close of ``target`` writes first: a hidden sibling, so a rename can move it in."""
    target = Path(os.path.abspath(target))
    return target.parent / f".{target.name}{SUFFIX}"


def staged_for(folder: str | Path) -> Path | None:
    """The folder a staging folder's set is for, when ``folder`` is one; else None."""
    name = Path(os.path.abspath(folder)).name
    if name.startswith(".") and name.endswith(SUFFIX) and len(name) > len(SUFFIX) + 1:
        return Path(folder).parent / name[1:-len(SUFFIX)]
    return None


def is_complete(target: str | Path) -> bool:
    return os.path.isfile(Path(target) / COMMIT)


def close_state(target: str | Path) -> str | None:
    """``WRITING`` or ``INTERRUPTED`` while ``target`` lacks its set and a close's staging folder stands
    beside it; None otherwise (no close began, or its set is whole)."""
    if is_complete(target):
        return None
    staging = staging_folder(target)
    try:
        fd = os.open(staging, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        if fcntl is None:
            return INTERRUPTED
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return WRITING
        except OSError:
            return INTERRUPTED
        return INTERRUPTED
    finally:
        os.close(fd)


def publish(target: str | Path, files: Sequence[tuple[str, bytes]]) -> ClosedSet:
    """Write ``files`` (name, bytes; ``COMMIT`` last) as ``target``'s signed set, whole or not at all.

    A set already whole in ``target`` is never written over: only files missing from it that can be
    made again byte for byte are written (``_restorable``), often none. Raises ``StorageError``
    (one line) when a file of the set is already there without the rest, and ``OSError`` when the
    disk refuses a write; what was staged is then finished or discarded by the next close.
    """
    target = Path(target)
    names = [name for name, _ in files]
    if not names or names[-1] != COMMIT:
        raise ValueError(f"the set must end with {COMMIT}")
    staging = staging_folder(target)
    staging.parent.mkdir(parents=True, exist_ok=True)
    paths = [target / name for name in names]
    with _claimed(staging, target):
        finished = os.path.isfile(staging / COMMIT)
        if finished:  # a complete set left by a crash: finish moving it in, as it was signed
            moved = [target / entry.name for entry in os.scandir(staging) if not entry.name.startswith(".")]
            _put_in_place(staging, target)
            return ClosedSet(paths, target, [p for p in paths if p in moved] or paths)
        _clear(staging)  # files staged by an interrupted close, never moved into place
        if is_complete(target):
            restore, lost = _restorable(target, files)
            for name, data in restore:
                write_atomic(staging / name, data)
            if restore:
                _put_in_place(staging, target)
            _discard(staging)
            return ClosedSet(paths, target, [target / name for name, _ in restore], [target / n for n in lost])
        try:
            missing = _missing_beside_the_same(target, files)
        except StorageError:
            _discard(staging)  # refused before writing: no staging folder for verify to read as a close
            raise
        for name, data in missing:
            write_atomic(staging / name, data)
        _put_in_place(staging, target)
    return ClosedSet(paths, target, [target / name for name, _ in missing])


def _restorable(target: Path, files: Sequence[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Files missing from a whole set in ``target`` that can be made again: both halves of a pair
    missing, or the half beside them matching what this close made (Ed25519 is deterministic, so a
    signature equal byte for byte means the file it signs is the same). A file a new rendering gives
    other bytes for (a newer PDF library) beside its old signature is ``lost``, never written."""
    fresh = dict(files)
    restore, lost = [], []
    for name, data in files:
        if os.path.lexists(target / name):
            continue
        partner = name[:-len(SIG_SUFFIX)] if name.endswith(SIG_SUFFIX) else name + SIG_SUFFIX
        there = target / partner
        if not os.path.lexists(there) or (there.is_file() and there.read_bytes() == fresh.get(partner)):
            restore.append((name, data))
        else:
            lost.append(name)
    return restore, lost


@contextmanager
def _claimed(staging: Path, target: Path) -> Iterator[None]:
    """Create (or take over) ``staging`` and hold its lock; waits for another close of the same folder."""
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            os.mkdir(staging)
        except FileExistsError:
            pass
        try:
            fd = os.open(staging, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except FileNotFoundError:
            continue  # another close just put its set in place: look again
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StorageError(f"{target}: another close has been writing this folder for over "
                                           f"{LOCK_WAIT:.0f} s — wait for it to finish, then close again") from None
                    os.close(fd)
                    fd = -1
                    time.sleep(0.1)
                    continue
            if not _same_folder(fd, staging):
                continue  # the close we waited for renamed or removed it: start over
            yield
            return
        finally:
            if fd >= 0:
                os.close(fd)


def _same_folder(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _missing_beside_the_same(target: Path, files: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The files to write into a ``target`` without a whole set: all of them, or, when part of the set
    is there (a copy made in part, a crash of an older version's close), the missing ones, provided
    every file there is byte for byte what this close makes. Anything else is refused: whose it is
    cannot be told, and nothing is written over it or beside it."""
    there = [(name, data) for name, data in files if os.path.lexists(target / name)]
    differ = [name for name, data in there
              if not (target / name).is_file() or (target / name).read_bytes() != data]
    if differ:
        raise StorageError(f"{target / differ[0]}: a file of the signed set is already there, not the one this "
                           f"close makes, and {COMMIT} is missing — move the folder's {len(differ)} such "
                           "file(s) aside, then close again; nothing is written over a signed file")
    return [(name, data) for name, data in files if not os.path.lexists(target / name)]


def _put_in_place(staging: Path, target: Path) -> None:
    try:
        os.rename(staging, target)  # no folder yet (or an empty one): the whole set appears at once
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    else:
        sync_folder(target.parent)
        return
    ready = sorted(entry.name for entry in os.scandir(staging)
                   if not entry.name.startswith(".") and entry.name != COMMIT)
    for name in ready:
        _move(staging / name, target / name)
    sync_folder(target)  # every other file durable in place before the one that says the set is whole
    if os.path.lexists(staging / COMMIT):  # not there when files missing from a whole set were restored
        _move(staging / COMMIT, target / COMMIT)
        sync_folder(target)
    _discard(staging)


def _move(source: Path, dest: Path) -> None:
    """Move ``source`` to ``dest`` on the same filesystem, never replacing a file already at ``dest``."""
    try:
        os.link(source, dest)
    except FileExistsError:
        if not os.path.samefile(source, dest):  # a crash between the link and the unlink leaves both
            raise StorageError(f"{dest}: a file of that name is already there — move it aside, then close "
                               "again; nothing is written over it") from None
    except OSError:  # no hard links on this filesystem: check, then rename
        if os.path.lexists(dest):
            raise StorageError(f"{dest}: a file of that name is already there — move it aside, then close "
                               "again; nothing is written over it") from None
        os.rename(source, dest)
        return
    os.unlink(source)


def _clear(staging: Path) -> None:
    for entry in os.scandir(staging):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _discard(staging: Path) -> None:
    """Remove a staging folder whose set is in place (only leftovers, if anything, remain in it)."""
    if not staging.is_dir():
        return
    _clear(staging)
    try:
        os.rmdir(staging)
    except FileNotFoundError:
        pass
    sync_folder(staging.parent)
