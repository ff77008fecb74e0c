"""Every symbolic item in the banks: its reference and at least two equivalent rewritings
are accepted, at least two common mistakes are rejected, and the texts are complete.
(The grading logic runs in-process here — `decide` — the budgeted path is the same
function in a child, tested in test_derive_limits.py and test_derive_grade.py.)"""

from __future__ import annotations

import pytest

from drill.bank.load import load_chapters
from drill.derive.grade import item_context, read_answer
from drill.derive.equivalence import decide
from drill.derive.parser import parse

CHAPTERS = ("mlp", "backprop", "normalization", "probability", "gan", "rl", "cnn", "rnn")


def _symbolic_items():
    banks, _ = load_chapters(None)
    return [(b.chapter.chapter, i) for b in banks for i in b.chapter.items if i.kind == "symbolic"]


ITEMS = _symbolic_items()


def test_at_least_30_symbolic_items_across_the_issue_chapters():
    assert len(ITEMS) >= 30
    assert {chapter for chapter, _ in ITEMS} >= set(CHAPTERS) - {"cnn", "rnn"}


@pytest.mark.parametrize("chapter, item", ITEMS, ids=[i.id for _, i in ITEMS])
def test_reference_and_rewritings_accepted_and_mistakes_rejected(chapter, item):
    assert len(item.accept) >= 2 and len(item.mistakes) >= 2
    assert item.prompt.en and item.prompt.zh and item.source
    ctx, reference = item_context(item), parse(item.reference)
    for text in (item.reference, *item.accept):
        verdict = decide(read_answer(text, item), reference, ctx, item.id)
        assert verdict.status == "equivalent", (text, verdict)
    for text in item.mistakes:
        verdict = decide(read_answer(text, item), reference, ctx, item.id)
        assert verdict.status == "different", (text, verdict)
        assert verdict.point and verdict.given != verdict.expected
