"""Every bank in questions/: lint-clean, every template sound over 300 seeds, and
choice keys spread over the positions."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from drill.bank.lint import lint_paths
from drill.bank.load import bank_paths, validate_bank
from drill.bank.model import LETTERS, ChoiceItem, NumericItem
from drill.engine.generate import generate
from drill.engine.question import build_question
from drill.engine.text import plain_text
from solvers import get_solver

SEEDS = 300
BANKS = [validate_bank(p) for p in bank_paths()]
TEMPLATES = [(b.chapter, item) for b in BANKS for item in b.chapter.items
             if isinstance(item, NumericItem)]
CHOICES = [(b.chapter, item) for b in BANKS for item in b.chapter.items
           if isinstance(item, ChoiceItem) and item.shuffle]
MC_TEMPLATES = [(c, item) for c, item in TEMPLATES if item.distractors]


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
    """A well-posed answer: finite numbers, or labels (words) graded by the label kinds."""
    if isinstance(value, list):
        return bool(value) and all(_finite(v) for v in value)
    if isinstance(value, str):
        return bool(value.strip())
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
        if seed % 10 == 0:  # the full question, in both languages, on a sample of seeds
            for lang in ("en", "zh"):
                question = build_question(chapter, item, seed, lang)
                assert "{" not in plain_text(question.body), plain_text(question.body)
        again = generate(item, seed, spec)
        assert again.names == problem.names and again.options == problem.options
        prompts.add(str(problem.names))
    assert len(prompts) >= 8, "a template should vary with the seed"


def _key_positions(chapter, item, seeds: int) -> tuple[Counter, int, int]:
    counts: Counter = Counter()
    n_options = n_keys = 0
    for seed in range(seeds):
        question = build_question(chapter, item, seed, "en")
        n_options, n_keys = len(question.options), len(question.fields[0].expected)
        counts.update(LETTERS.index(letter) for letter in question.fields[0].expected)
    return counts, n_options, n_keys


@pytest.mark.parametrize("chapter, item", CHOICES + MC_TEMPLATES,
                         ids=[i.id for _, i in CHOICES + MC_TEMPLATES])
def test_no_position_holds_the_key_much_more_often_than_chance(chapter, item):
    seeds = 200
    counts, n_options, n_keys = _key_positions(chapter, item, seeds)
    share = n_keys / n_options  # chance that a given position is keyed
    assert max(counts.values()) / seeds <= share + 0.15, (counts, n_options)


def test_choice_items_have_distinct_choices_and_valid_letters():
    for bank in BANKS:
        for item in bank.chapter.items:
            if isinstance(item, ChoiceItem):
                assert len({c.en for c in item.choices}) == len(item.choices), item.id
                assert all(LETTERS.index(l) < len(item.choices) for l in item.answer)


def test_every_text_has_chinese():
    for bank in BANKS:
        for item in bank.chapter.items:
            for text in [item.prompt, item.explanation, getattr(item, "model_answer", None),
                         *item.hints, *getattr(item, "choices", [])]:
                if text is not None:
                    assert text.zh, item.id
