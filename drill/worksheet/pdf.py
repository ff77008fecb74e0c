"""Typst source -> PDF (or PNG) bytes with the `typst` package: no LaTeX, no system tool.
One compiler per font set is kept, so making 30 variants loads the fonts once."""

from __future__ import annotations

from functools import lru_cache


class TypstFailure(RuntimeError):
    """The typst compiler refused the document (a bug here, reported in one line)."""


@lru_cache(maxsize=4)
def _compiler(font_paths: tuple[str, ...]):
    import typst

    return typst.Compiler(font_paths=list(font_paths))


def compile_typst(source: str, font_paths: list[str], fmt: str = "pdf", ppi: float = 110):
    """PDF bytes (fmt='pdf'), or a list of PNG bytes, one per page (fmt='png')."""
    import typst

    compiler = _compiler(tuple(font_paths))
    try:
        if fmt == "png":
            return compiler.compile(source.encode("utf-8"), format="png", ppi=ppi)
        return compiler.compile(source.encode("utf-8"), format="pdf")
    except typst.TypstError as err:
        raise TypstFailure(" ".join(str(err).split())[:500]) from None
