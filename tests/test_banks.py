"""Every bank in questions/: lint-clean, and every template sound over 300 seeds."""

from __future__ import annotations

import math

import pytest

from drill.bank_lint import lint_paths
from drill.bank_load import bank_paths, load_bank
from drill.bank_schema import ChoiceItem, NumericItem
from drill.generate import generate
from solvers import get_solver

SEEDS = 300
BANKS = [load_bank(p) for p in bank_paths()]
TEMPLATES = [(b.chapter.chapter, item) for b in BANKS for item in b.chapter.items
             if isinstance(item, NumericItem)]


def test_the_course_chapters_exist_with_enough_items():
    counts = {b.chapter.chapter: b.chapter.items for b in BANKS}
    for slug in ("cnn", "rnn"):
        items = counts[slug]
        numeric = sum(isinstance(i, NumericItem) for i in items)
        assert len(items) - numeric >= 15, slug
        assert numeric >= 6, slug


def test_every_bank_lints_clean_without_warnings():
    findings = lint_paths(bank_paths(), seeds=5)
    assert findings == [], "\n".join(map(str, findings))


def _finite(value) -> bool:
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@pytest.mark.parametrize("chapter, item", TEMPLATES, ids=[i.id for _, i in TEMPLATES])
def test_template_over_300_seeds_is_finite_distinct_and_deterministic(chapter, item):
    spec = get_solver(item.solver)
    prompts = set()
    for seed in range(SEEDS):
        problem = generate(item, seed, spec)
        for ask in item.asks:
            assert _finite(problem.expected(ask)), (seed, ask.answer)
        if problem.options is not None:
            shown = [str(o) for o in problem.options]
            assert len(set(shown)) == len(shown), (seed, shown)
            assert problem.options[problem.answer_index] == problem.expected(item.asks[0])
        for lang in ("en", "zh"):
            text = problem.prompt(lang)
            assert "{" not in text.replace("{{", ""), text
            problem.hints(lang)
        again = generate(item, seed, spec)
        assert again.prompt("en") == problem.prompt("en") and again.options == problem.options
        prompts.add(problem.prompt("en"))
    assert len(prompts) >= 8, "a template should vary with the seed"


def test_choice_items_have_distinct_choices_and_valid_letters():
    for bank in BANKS:
        for item in bank.chapter.items:
            if isinstance(item, ChoiceItem):
                assert len({c.en for c in item.choices}) == len(item.choices), item.id
                assert all(ord(l) - ord("a") < len(item.choices) for l in item.answer_letters)


def test_every_text_has_chinese():
    for bank in BANKS:
        for item in bank.chapter.items:
            for text in [item.prompt, item.explanation, getattr(item, "model_answer", None),
                         *item.hints, *getattr(item, "choices", [])]:
                if text is not None:
                    assert text.zh, item.id
