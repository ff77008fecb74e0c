"""pydantic's validation errors as `file:line: message` findings a bank author can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from drill.bank.load import Finding, PathKey
from drill.bank.yaml_read import dotted_key, line_of


def _data_path(loc: tuple, data: Any) -> PathKey:
    """Drop the union tags pydantic puts into `loc`, keeping real data keys."""
    out: list[Any] = []
    for part in loc:
        if isinstance(data, dict) and str(part) in {str(k) for k in data}:
            data = next(v for k, v in data.items() if str(k) == str(part))
            out.append(str(part))
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
            out.append(part)
    return tuple(out)


def _message(err: dict) -> str:
    kind, field_name = err["type"], err["loc"][-1] if err["loc"] else ""
    if kind == "missing":
        if field_name == "en":
            return "missing `en` text"
        return f"missing field {field_name!r}"
    if kind == "extra_forbidden":
        return f"unknown field {field_name!r}"
    if kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", "?")
        return f"unknown kind {tag!r} (expected choice, truefalse, short, numeric)"
    return err["msg"].replace("Value error, ", "")


def schema_findings(error: ValidationError, data: Any, path: Path,
                    lines: dict[PathKey, int]) -> list[Finding]:
    """One finding per data path: pydantic's per-branch type errors are merged."""
    by_key: dict[PathKey, list[dict]] = {}
    for err in error.errors():
        by_key.setdefault(_data_path(err["loc"], data), []).append(err)
    findings = []
    for key, errs in by_key.items():
        if len(errs) > 1 and all(e["type"].endswith("_type") for e in errs):
            got = type(errs[0]["input"]).__name__
            findings.append(Finding(path, line_of(lines, key), f"{dotted_key(key)}: wrong type ({got})"))
            continue
        findings.extend(
            Finding(path, line_of(lines, key), f"{dotted_key(key)}: {_message(err)}") for err in errs
        )
    return sorted(findings, key=lambda f: f.line)
