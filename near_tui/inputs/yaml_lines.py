"""Read YAML keeping each value's line, so errors can say FILE:LINE."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from near_tui.core.errors import InputError
from near_tui.core.schema import refused_character_problem

# Line breaks to YAML but not to an editor or to FILE:LINE: refused where they stand.
_ODD_LINE_BREAKS = ("\x85", "\u2028", "\u2029")

# ----------------------------------------------------------------- the limits
# Every input file (agenda, roster, CSV) is read through here, so what reading one may cost is
# bounded in this one place (docs/hardening.md, "Hostile files"). The largest real files are the
# 2018 roster (77 members, ~10 KB, ~1,300 YAML values) and a CSV of one vote per member and item
# (~80 members x ~15 items = 1,200 rows, ~30 KB).

# Bytes: 500x the largest real file. Checked on the open file before reading, and the read stops
# one byte past it, so a file that grows while read (or lies about its size) cannot run on.
MAX_INPUT_BYTES = 5 * 1024 * 1024
# YAML values (scalars, lists, mappings) in one file: ~40x the 2018 roster. PyYAML's pure-Python
# parser takes about 2 s for this many (as long as for a 5 MB scalar), so a file of tiny values
# cannot keep `check` busy for minutes; the count is taken while composing, so the work stops where the limit is crossed.
MAX_YAML_NODES = 50_000
# Nesting: the deepest real path is 5 (items -> [n] -> resolution -> carried), so 20 is generous;
# PyYAML composes recursively (about 3 Python frames per level), so without a bound a file of
# 5,000 "[" crashes with RecursionError. Far below Python's default limit of 1,000 frames.
MAX_YAML_DEPTH = 20
# Whole numbers: 18 digits covers any count or id anyone types. Longer digit strings stay text
# exactly as written (Python refuses to convert more than 4,300 digits, and nobody means them).
_MAX_INT_DIGITS = 18
# CSV rows: ~80x the largest real import (one vote per member per item). Each row is planned and
# rehearsed against the session state, so rows, not bytes, are what an import's time grows with.
MAX_CSV_ROWS = 100_000


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is fine) or raise an InputError with the line.

    Only a regular file is read: a folder, a device (``/dev/zero`` never ends) or a named pipe
    (never starts until someone writes) is refused without reading a byte. The file is opened
    non-blocking (so a pipe cannot hang the open) and checked on the open descriptor (so it
    cannot be swapped between the check and the read).
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(name, None, "file not found — check the path") from None
    except IsADirectoryError:
        raise InputError(name, None, "is a folder, not a file — give the file's path") from None
    except OSError as exc:
        raise InputError(name, None, f"cannot read the file ({exc.strerror}) — check the path and permissions") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(name, None, "is a folder, not a file — give the file's path")
        if not stat.S_ISREG(info.st_mode):
            kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
            raise InputError(name, None, f"is {kind}, not a regular file — save the data to a file and give its path")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputError(
                name, None, f"file is {info.st_size} bytes, over the {MAX_INPUT_BYTES} byte limit — is it the right file?"
            )
        try:
            with os.fdopen(os.dup(fd), "rb") as file:
                raw = file.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(name, None, f"cannot read the file ({exc.strerror}) — check the path and permissions") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(name, None, f"file is over the {MAX_INPUT_BYTES} byte limit — is it the right file?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            name, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}) — save the file as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(name, line, "contains a NUL byte — this is not a text file")
    return text


class _Refused(Exception):
    """A problem found while composing, reported by ``load_yaml`` as FILE:LINE."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader reading YAML 1.2 scalars, without aliases or tags, bounded in depth and size.

    Plain scalars are text unless they are exactly ``true``/``false``, ``null``/``~``/empty, a
    whole number written the one way Python prints it (``3``, ``-12``: so ``str(int)`` gives the
    text back), or a date. YAML 1.1's other forms silently changed ids and texts: ``011`` (octal
    9), ``1:30`` (base 60: 90), ``0x1F``, ``1_000``, ``yes``/``on`` (true); here they are the
    text as written. Floats are not read either: ``article: 8.10`` is the text "8.10", not 8.1.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            # Refused rather than bounded: no agenda needs them, and an alias of an alias of ...
            # ("billion laughs") makes a small file cost exponential work to anything walking it.
            raise _Refused(line, "YAML anchors and aliases (&name, *name) are not allowed in agenda and roster "
                                 "files — write each value out in full")
        if getattr(event, "tag", None) not in (None, "!"):
            raise _Refused(line, "YAML tags (such as !!int or !!str) are not allowed in agenda and roster files — "
                                 "remove the tag; quote the value if it must stay text")
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise _Refused(line, f"more than {MAX_YAML_NODES} YAML values — an agenda or roster is far smaller; "
                                 "is it the right file?")
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(line, f"nested more than {MAX_YAML_DEPTH} levels deep — an agenda needs 5 at most; "
                                     "check the brackets and the indentation")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node):
        try:
            value = super().construct_yaml_timestamp(node)
        except ValueError as exc:  # 2018-02-30, month 13, year 0: the pattern matches, the calendar refuses
            raise _Refused(node.start_mark.line + 1,
                           f"{node.value} is not a calendar date ({exc}) — write a real date as YYYY-MM-DD") from None
        return value


_TIMESTAMP = next(rx for rx_list in yaml.SafeLoader.yaml_implicit_resolvers.values()
                  for tag, rx in rx_list if tag == "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int",
                              re.compile(rf"^(?:0|-?[1-9][0-9]{{0,{_MAX_INT_DIGITS - 1}}})$"),
                              list("-0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:null",
                              re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Loader.add_implicit_resolver("tag:yaml.org,2002:timestamp", _TIMESTAMP, list("0123456789"))
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and the node tree for line look-ups."""
    text = read_text(path)
    if not text.strip():
        raise InputError(str(path), 1, "the file is empty — write its keys (run `near-tui sample DIR` for an example)")
    _refuse_odd_line_breaks(path, text)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise InputError(str(path), 1, "the file holds no YAML document — add its keys")
            _refuse_duplicate_keys(path, node)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise InputError(str(path), exc.line, exc.message) from None
    except yaml.reader.ReaderError as exc:
        # A raw control character (ESC, BEL, DEL, C1...) anywhere in the file; name it, never print it.
        kind, _ = refused_character_problem(chr(exc.character))
        line = text[: exc.position].count("\n") + 1
        raise InputError(str(path), line, f"contains {kind} — remove it: an agenda or roster file is plain text") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "malformed YAML"
        if "end of stream" in problem and exc.context_mark is not None:
            # An unclosed quote or bracket fails at the file's end; its opening line is the one to fix.
            line = exc.context_mark.line + 1
            raise InputError(str(path), line, "YAML syntax error: a quote or bracket opened on this line is never closed — close it") from None
        line = mark.line + 1 if mark else 1
        hint = "indent with spaces, not tabs" if "\\t" in problem or "tab" in problem else "check the indentation and quoting"
        raise InputError(str(path), line, f"YAML syntax error: {problem} — {hint}") from None
    except yaml.YAMLError as exc:
        raise InputError(str(path), 1, f"YAML error: {exc} — check the file") from None
    return data, node


def _refuse_odd_line_breaks(path: Path, text: str) -> None:
    # YAML folds NEL into a space and counts NEL, LS and PS as new lines, so every
    # line number after one would be wrong; and no agenda needs them.
    found = [text.find(ch) for ch in _ODD_LINE_BREAKS]
    found = [at for at in found if at >= 0]
    if found:
        at = min(found)
        kind, _ = refused_character_problem(text[at])
        raise InputError(str(path), text[:at].count("\n") + 1,
                         f"contains {kind} — replace it with an ordinary line end, or remove it")


def _refuse_duplicate_keys(path: Path, node: yaml.Node) -> None:
    # PyYAML keeps the last of two equal keys silently; a roster must not.
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                name = str(key.value)
                if name in seen:
                    raise InputError(
                        str(path),
                        key.start_mark.line + 1,
                        f"key {name!r} appears twice in one mapping (first on line {seen[name]}) — keep one",
                    )
                seen[name] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the value at ``loc`` (a pydantic error location), or of its nearest parent."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    node = value
                    line = key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
