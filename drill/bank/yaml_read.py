"""YAML for banks: parse once, keep a map from data path to line for messages.

Banks are plain data: YAML aliases (`*name`) are refused, since a chain of them can
expand to gigabytes ("billion laughs"), and so is a second document in one file. YAML's
own error names are put in words a bank author understands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from drill.bank.load import BankError, Finding, PathKey

try:  # libyaml's C loader is several times faster where it is installed
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the build of PyYAML
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40


def line_of(lines: dict[PathKey, int], key: PathKey) -> int:
    """Line of the deepest part of `key` that exists in the YAML (1 if none)."""
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return 1


#: YAML's words for a problem -> words for a bank author (first match wins).
_PLAIN_WORDS = (
    ("'\\t'", "tab character: indent with spaces, not tabs"),
    ("mapping values are not allowed", "a ':' where YAML does not expect one: quote a text "
                                       "that contains ': ' (\"...\")"),
    ("could not find expected ':'", "a key without ':' after it, or a quote that is not closed"),
    ("found unexpected end of stream", "the file ends inside a quoted text or a bracket: "
                                       "close it"),
    ("did not find expected key", "this line's indentation does not continue the mapping above"),
    ("did not find expected '-' indicator", "this line's indentation does not continue the "
                                            "list above"),
    ("expected <block end>", "this line's indentation does not line up with the lines above"),
    ("did not find expected node content", "a value is missing here"),
    ("found undefined alias", "aliases (*name) are not allowed in banks: write the value out"),
    ("found character", "a character that cannot start a value: quote the text"),
)
_TOKEN_WORDS = {"<block end>": "the end of the block", "<block mapping start>": "a new mapping",
                "<block sequence start>": "a new list", "<scalar>": "a value",
                "<document start>": "a new document", "<stream end>": "the end of the file"}


def plain_yaml_problem(problem: str) -> str:
    """YAML's error text in words a person understands (no token names)."""
    for needle, words in _PLAIN_WORDS:
        if needle in problem:
            return words
    for token, words in _TOKEN_WORDS.items():
        problem = problem.replace(token, words)
    return f"YAML syntax: {problem}"


def _yaml_error(err: yaml.YAMLError, path: Path, text: str) -> BankError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark else 1
    problem = getattr(err, "problem", None) or str(err)
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        problem = "'\\t'"  # libyaml does not name the character; a tab is the usual one
    return BankError([Finding(path, line, plain_yaml_problem(problem))])


def check_plain_data(text: str, path: Path) -> None:
    """BankError for what a bank never needs: aliases, a second document, deep nesting.

    Runs on parser events, before anything is built, so an alias bomb costs nothing.
    """
    documents = depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise BankError([Finding(path, line, "aliases (*name) are not allowed in banks: "
                                                     "write the value out")])
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if getattr(event, "anchor", None):
                    raise BankError([Finding(path, line, "anchors (&name) are not allowed in "
                                                         "banks: write the value out")])
                depth += 1
                if depth > MAX_DEPTH:
                    raise BankError([Finding(path, line, f"nested more than {MAX_DEPTH} levels "
                                                         "deep")])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise BankError([Finding(path, line, "one bank per file: a second YAML "
                                                         "document (---) starts here")])
    except yaml.YAMLError as err:
        raise _yaml_error(err, path, text) from None


def dotted_key(key: PathKey) -> str:
    """A data path as a bank author reads it: items[3].params.padding."""
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


def read_yaml_with_lines(text: str, path: Path) -> tuple[Any, dict[PathKey, int],
                                                         list[tuple[PathKey, Finding]]]:
    """Parse YAML once: the data, a map from data path to line, and each duplicate key
    with the data path of the mapping that repeats it."""
    check_plain_data(text, path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        raise _yaml_error(err, path, text) from None
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    duplicates: list[tuple[PathKey, Finding]] = []
    if node is not None:
        _index_lines(node, (), lines, duplicates, path)
    return data, lines, duplicates


def _index_lines(node: Any, key: PathKey, lines: dict[PathKey, int],
                 duplicates: list[tuple[PathKey, Finding]], path: Path) -> None:
    lines.setdefault(key, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = str(key_node.value)
            if name in seen:
                duplicates.append(
                    (key, Finding(path, key_node.start_mark.line + 1, f"duplicate key {name!r}"))
                )
            seen.add(name)
            lines[key + (name,)] = key_node.start_mark.line + 1
            _index_lines(value_node, key + (name,), lines, duplicates, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, key + (index,), lines, duplicates, path)
