"""Read YAML keeping each value's line, so errors can say FILE:LINE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .schema import refused_character_problem

# Line breaks to YAML but not to an editor or to FILE:LINE: refused where they stand.
_ODD_LINE_BREAKS = ("\x85", "\u2028", "\u2029")

MAX_INPUT_BYTES = 5 * 1024 * 1024  # far above any real roster; refuses runaway files


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is fine) or raise an InputError with the line."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(str(path), None, "file not found — check the path") from None
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read the file ({exc.strerror}) — check permissions") from None
    if path.is_dir():
        raise InputError(str(path), None, "is a folder, not a file — give the file's path")
    if size > MAX_INPUT_BYTES:
        raise InputError(
            str(path), None, f"file is {size} bytes, over the {MAX_INPUT_BYTES} byte limit — is it the right file?"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            str(path), line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}) — save the file as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(str(path), line, "contains a NUL byte — this is not a text file")
    return text


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps decimals as written: ``article: 8.10`` is the text "8.10", not 8.1."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
