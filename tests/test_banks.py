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


#: (conceptual items, numeric templates) each chapter must have at least: its issue's bar.
MIN_SIZES = {
    "cnn": (45, 25), "rnn": (45, 22),
    "basics": (15, 5), "linalg": (15, 5), "probability": (15, 5),
    "mlp": (15, 6), "backprop": (15, 6), "optim": (15, 6),
    "regularization": (15, 5), "normalization": (15, 5), "practice": (15, 5),
    "attention": (15, 5), "embeddings": (15, 5), "gnn": (15, 5),
    "autoencoders": (15, 5), "gan": (15, 5), "rl": (15, 5),
    "fewshot": (15, 5), "frameworks": (15, 5),
}


@pytest.mark.parametrize("slug", sorted(MIN_SIZES))
def test_every_course_chapter_exists_with_enough_items(slug):
    items = next(b.chapter.items for b in BANKS if b.chapter.chapter == slug)
    numeric = sum(isinstance(i, NumericItem) for i in items)
    concept_min, numeric_min = MIN_SIZES[slug]
    assert len(items) - numeric >= concept_min and numeric >= numeric_min, slug
    assert all(item.source for item in items), "every item cites where it comes from"


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


@pytest.mark.parametrize("bank", BANKS, ids=[b.chapter.chapter for b in BANKS])
def test_the_length_of_an_option_does_not_give_the_key_away(bank):
    """A test-wise student who always picks the longest (or shortest) option must not
    score: in single-answer items the key is rarely the strictly longest or shortest."""
    singles = [i for i in bank.chapter.items if isinstance(i, ChoiceItem) and not i.multiple]
    longest = shortest = 0
    for item in singles:
        lengths = [len(c.en) for c in item.choices]
        key = lengths[LETTERS.index(item.answer[0])]
        longest += key == max(lengths) and lengths.count(key) == 1
        shortest += key == min(lengths) and lengths.count(key) == 1
    assert longest <= 0.3 * len(singles), (longest, len(singles))
    assert shortest <= 0.4 * len(singles), (shortest, len(singles))
