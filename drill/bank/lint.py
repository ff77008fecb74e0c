"""`drill bank lint`: the validation every command runs at load, with more trial draws
and without the cache, printed as `file:line: message`."""

from __future__ import annotations

from pathlib import Path

from drill.bank.load import (
    BankDirError,
    BankError,
    Finding,
    bank_paths,
    mark_duplicate_ids,
    unique_paths,
    validate_bank,
)

LINT_SEEDS = 25


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given and folders as their *.yaml banks; BankDirError for a folder with none
    or a path that does not exist."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(bank_paths(path))
        elif path.exists():
            out.append(path)
        else:
            raise BankDirError(f"{path} does not exist")
    return out


def lint_paths(paths: list[Path], seeds: int = LINT_SEEDS) -> list[Finding]:
    """All findings for these banks, errors and warnings, in file and line order. A file
    named twice is linted once."""
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for path in unique_paths(paths):
        try:
            bank = validate_bank(path, seeds)
        except BankError as err:
            findings.extend(err.findings)
            continue
        mark_duplicate_ids(bank, seen)
        findings.extend(bank.findings)
    return sorted(findings, key=lambda f: (str(f.path), f.line))
