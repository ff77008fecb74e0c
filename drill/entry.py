"""The `drill` console script: a Ctrl-C at any moment, even while the CLI's modules are
still being imported, ends quietly with exit code 130; output that the terminal's
encoding cannot show is replaced, never a UnicodeEncodeError."""

from __future__ import annotations

import sys


def safe_streams() -> None:
    """stdout/stderr replace what their encoding cannot write (PYTHONIOENCODING=ascii);
    stdin replaces undecodable bytes, so a bad byte is a re-prompt, not a crash."""
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass  # closed, or not a text stream: nothing to change


def main() -> None:
    try:
        safe_streams()
        from drill.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
