"""Where a quiz talks and listens: the right stream, line editing, no surprise wrapping."""

from __future__ import annotations

import sys
from typing import Callable

from rich.console import Console


def _isatty(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def prompts_to_stderr() -> bool:
    """Prompts belong on the terminal: when stdout is redirected (`drill quiz > file`) but
    the student types at a terminal, the quiz talks on stderr."""
    return not _isatty(sys.stdout) and _isatty(sys.stdin) and _isatty(sys.stderr)


def quiz_console(stderr: bool = False) -> Console:
    """A console that never hard-wraps text written to a file or a pipe."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:
        console.soft_wrap = True
    return console


def line_reader(console: Console) -> Callable[[str], str]:
    """`console.input` with readline editing (arrow keys, history) at a terminal; a closed
    or lost stdin is the end of input (EOFError), never a crash."""
    if _isatty(sys.stdin):
        try:
            import readline  # noqa: F401  (importing it is what enables line editing)
        except ImportError:  # pragma: no cover - platforms without readline
            pass

    def read(prompt: str) -> str:
        if sys.stdin is None:
            raise EOFError
        try:
            return console.input(prompt)
        except (RuntimeError, OSError, ValueError):  # "lost sys.stdin", a closed descriptor
            raise EOFError from None

    return read
