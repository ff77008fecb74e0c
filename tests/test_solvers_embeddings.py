"""Embedding solvers against torch (F.cosine_similarity, nn.Embedding, autograd for the
word2vec losses), second formulations and published examples."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from drill.bank.load import validate_bank
from drill.bank.model import NumericItem
from drill.engine.generate import generate
from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
BANK = Path(__file__).resolve().parent.parent / "questions" / "embeddings.yaml"

# Ng, Sequence Models (deeplearning.ai), week 2, "featurized representation":
# (gender, royal, age, food) for six words.
NG_TABLE = {
    "man": [-1, 0.01, 0.03, 0.09], "woman": [1, 0.02, 0.02, 0.01],
    "king": [-0.95, 0.93, 0.70, 0.02], "queen": [0.97, 0.95, 0.69, 0.01],
    "apple": [0.00, -0.01, 0.03, 0.95], "orange": [0.01, 0.00, -0.02, 0.97],
}


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def _vec(rng: random.Random, n: int) -> list[float]:
    if rng.random() < 0.5:
        return [rng.randint(-3, 3) for _ in range(n)]
    return [rng.uniform(-2, 2) for _ in range(n)]


def _nonzero_vec(rng: random.Random, n: int) -> list[float]:
    while True:
        v = _vec(rng, n)
        if any(v):
            return v


def _t(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


# ---------------------------------------------------------------- cosine_similarity


def test_cosine_similarity_matches_f_cosine_similarity_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        n = rng.randint(1, 6)
        a, b = _nonzero_vec(rng, n), _nonzero_vec(rng, n)
        got = solve("cosine_similarity", a=a, b=b)["cosine"]
        want = F.cosine_similarity(_t(a), _t(b), dim=0).item()
        assert got == pytest.approx(want, abs=1e-12)


def test_cosine_similarity_introduction_to_ir_figure_6_13():
    # Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), §6.3,
    # Fig. 6.13: sim(SaS, PaP) = 0.94, sim(SaS, WH) = 0.79, sim(PaP, WH) = 0.69.
    sas, pap, wh = [0.789, 0.515, 0.335, 0.0], [0.832, 0.555, 0.0, 0.0], [0.524, 0.465, 0.405, 0.588]
    for a, b, want in ((sas, pap, 0.94), (sas, wh, 0.79), (pap, wh, 0.69)):
        assert round(solve("cosine_similarity", a=a, b=b)["cosine"], 2) == want


def test_cosine_similarity_ignores_length_and_stays_in_range_for_tiny_and_huge_entries():
    assert solve("cosine_similarity", a=[1e-300, 2e-300], b=[3e300, 6e300])["cosine"] == 1.0
    assert solve("cosine_similarity", a=[5e-324], b=[-5e-324])["cosine"] == -1.0


def test_cosine_similarity_refuses_a_zero_vector_where_torch_would_return_zero():
    assert F.cosine_similarity(_t([0, 0]), _t([1, 2]), dim=0).item() == 0.0  # torch's eps
    with pytest.raises(SolverInputError) as err:
        solve("cosine_similarity", a=[0, 0], b=[1, 2])
    assert err.value.param == "a"


def test_cosine_similarity_rejects_vectors_of_different_lengths():
    with pytest.raises(SolverInputError) as err:
        solve("cosine_similarity", a=[1, 2], b=[1, 2, 3])
    assert err.value.param == "b"


# ---------------------------------------------------------------- word_analogy


def test_word_analogy_matches_a_torch_nearest_neighbour_search_over_random_draws():
    rng = random.Random(1)
    for _ in range(DRAWS):
        n, dim = rng.randint(4, 8), rng.randint(2, 5)
        words = [f"w{i}" for i in range(n)]
        vectors = {w: [rng.uniform(-2, 2) for _ in range(dim)] for w in words}
        a, b, c = rng.sample(words, 3)
        exclude = rng.random() < 0.8
        got = solve("word_analogy", vectors=vectors, a=a, b=b, c=c, exclude_inputs=exclude)
        m = _t(list(vectors.values()))
        target = m[words.index(a)] - m[words.index(b)] + m[words.index(c)]
        sims = F.normalize(m, dim=1) @ F.normalize(target, dim=0)
        torch.testing.assert_close(_t(got["scores"]), sims, rtol=1e-12, atol=1e-12)
        if exclude:
            sims[[words.index(a), words.index(b), words.index(c)]] = -2.0
        assert got["word"] == words[int(torch.argmax(sims))]


def test_word_analogy_king_minus_man_plus_woman_is_queen_in_ngs_featurized_table():
    # Ng, Sequence Models, week 2: e_man − e_woman ≈ [−2, 0, 0, 0] ≈ e_king − e_queen,
    # so king − man + woman lands next to queen.
    got = solve("word_analogy", vectors=NG_TABLE, a="king", b="man", c="woman")
    assert got["word"] == "queen"
    assert got["scores"][list(NG_TABLE).index("queen")] == max(got["scores"])
    assert solve("word_analogy", vectors=NG_TABLE, a="woman", b="queen", c="king")["word"] == "man"


def test_word_analogy_without_exclusion_can_answer_an_input_word():
    # The target stays closest to a when the offset b → c is small: the reason for
    # word2vec's rule of excluding the question words.
    vectors = {"big": [10, 1], "bigger": [10, 2], "small": [1, 1], "smaller": [1, 1.4],
               "tiny": [-3, 5]}
    assert solve("word_analogy", vectors=vectors, a="big", b="small", c="smaller",
                 exclude_inputs=False)["word"] == "big"
    assert solve("word_analogy", vectors=vectors, a="big", b="small", c="smaller")["word"] == "bigger"


def test_word_analogy_ties_go_to_the_word_listed_first():
    vectors = {"a": [1, 0], "b": [0, 1], "c": [1, 1], "x": [2, 2], "y": [3, 3]}
    assert solve("word_analogy", vectors=vectors, a="c", b="a", c="a")["word"] == "x"


@pytest.mark.parametrize("param, raw", [
    ("a", dict(a="kingg", b="man", c="woman")),
    ("c", dict(a="king", b="man", c="girl")),
    ("vectors", dict(a="king", b="king", c="king", vectors={"king": [1, 2]})),  # nothing left
    ("vectors", dict(a="king", b="queen", c="man",
                     vectors={"king": [1, 1], "queen": [2, 1], "man": [1, 0]})),  # zero target
    ("vectors", dict(a="x", b="y", c="z", vectors={"x": [1], "y": [1, 2], "z": [3]})),
    ("vectors", dict(a="x", b="y", c="z", vectors=[[1, 2]])),
])
def test_word_analogy_blames_the_parameter_at_fault(param, raw):
    raw.setdefault("vectors", NG_TABLE)
    with pytest.raises(SolverInputError) as err:
        solve("word_analogy", **raw)
    assert err.value.param == param


def test_analogy_templates_show_the_vectors_the_solver_uses():
    """The analogy templates keep the vectors twice (the solver's object and the table the
    prompt prints): every draw must show exactly the numbers the solver works with."""
    bank = validate_bank(BANK).chapter
    templates = [i for i in bank.items if isinstance(i, NumericItem) and i.solver == "word_analogy"]
    assert templates
    for item in templates:
        spec = get_solver(item.solver)
        for seed in range(40):
            problem = generate(item, seed, spec)
            table = problem.names["table"]
            shown = {row[0]: [float(x) for x in row[1:]] for row in table[1:]}
            assert shown == {w: [float(x) for x in v] for w, v in problem.inputs["vectors"].items()}
            for word in (problem.inputs["a"], problem.inputs["b"], problem.inputs["c"]):
                assert word in shown
            scores = problem.solution.answers["scores"]
            candidates = sorted((s for w, s in zip(shown, scores)
                                 if w not in {problem.inputs[k] for k in "abc"}), reverse=True)
            assert candidates[0] - candidates[1] > 0.01, (item.id, seed)  # a clear winner


# ---------------------------------------------------------------- embedding_params


def test_embedding_params_match_nn_embedding_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        vocab, dim, length = rng.randint(1, 300), rng.randint(1, 64), rng.randint(1, 30)
        got = solve("embedding_params", num_embeddings=vocab, embedding_dim=dim,
                    sequence_length=length)
        emb = torch.nn.Embedding(vocab, dim)
        assert got["params"] == sum(p.numel() for p in emb.parameters())
        out = emb(torch.randint(0, vocab, (1, length)))
        assert got["output_features"] == out.flatten(1).shape[1]


def test_embedding_params_chollet_listing_6_7():
    # Chollet, Deep Learning with Python (1st ed.), §6.1, listing 6.7: Embedding(10000, 8,
    # input_length=20) has 80,000 parameters and Flatten makes (None, 160).
    got = solve("embedding_params", num_embeddings=10000, embedding_dim=8, sequence_length=20)
    assert got == {"params": 80000, "output_features": 160}


def test_embedding_equals_a_one_hot_vector_times_the_same_matrix():
    emb = torch.nn.Embedding(5, 3)
    one_hot = F.one_hot(torch.tensor([3]), 5).float()
    torch.testing.assert_close(one_hot @ emb.weight, emb(torch.tensor([3])))
    assert solve("embedding_params", num_embeddings=5, embedding_dim=3)["params"] == emb.weight.numel()


# ---------------------------------------------------------------- skipgram_pairs


def test_skipgram_pairs_match_a_second_formulation_over_random_draws():
    rng = random.Random(3)
    vocab = ["a", "b", "c", "dog", "cat", "the", "sat", "on"]
    for _ in range(DRAWS):
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 12))]
        window, position = rng.randint(1, 5), rng.randint(1, len(words))
        got = solve("skipgram_pairs", sentence=" ".join(words), window=window, position=position)
        # Every ordered pair of distinct positions at distance ≤ window, via index pairs.
        want = [[words[i], words[j]] for i in range(len(words)) for j in range(len(words))
                if 0 < abs(i - j) <= window]
        assert got["pairs"] == want
        assert got["num_pairs"] == len(want) == sum(
            min(i, window) + min(len(words) - 1 - i, window) for i in range(len(words)))
        p = position - 1
        assert got["context"] == [words[j] for j in range(len(words)) if 0 < abs(j - p) <= window]


def test_skipgram_pairs_mccormick_quick_brown_fox_window_2():
    # McCormick, "Word2Vec Tutorial - The Skip-Gram Model" (2016), window size 2.
    got = solve("skipgram_pairs", sentence="the quick brown fox jumps over the lazy dog",
                window=2, position=3)
    assert got["pairs"][:9] == [
        ["the", "quick"], ["the", "brown"],
        ["quick", "the"], ["quick", "brown"], ["quick", "fox"],
        ["brown", "the"], ["brown", "quick"], ["brown", "fox"], ["brown", "jumps"],
    ]
    assert got["context"] == ["the", "quick", "fox", "jumps"]
    assert got["num_pairs"] == 30


def test_skipgram_pairs_rejects_an_empty_sentence_and_a_position_past_the_end():
    with pytest.raises(SolverInputError) as err:
        solve("skipgram_pairs", sentence="   ", window=2)
    assert err.value.param == "sentence"
    with pytest.raises(SolverInputError) as err:
        solve("skipgram_pairs", sentence="one two", window=2, position=3)
    assert err.value.param == "position"


# ---------------------------------------------------------------- cbow_loss


def test_cbow_loss_matches_torch_autograd_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        vocab, dim = rng.randint(2, 6), rng.randint(1, 4)
        emb = [_vec(rng, dim) for _ in range(vocab)]
        out = [_vec(rng, dim) for _ in range(vocab)]
        context = [rng.randrange(vocab) for _ in range(rng.randint(1, 4))]
        target = rng.randrange(vocab)
        got = solve("cbow_loss", embeddings=emb, output_embeddings=out, context=context,
                    target=target)
        table = torch.nn.Embedding.from_pretrained(_t(emb))
        hidden = table(torch.tensor(context)).mean(dim=0).detach().requires_grad_()
        scores = F.linear(hidden, _t(out))
        loss = F.cross_entropy(scores[None], torch.tensor([target]))
        loss.backward()
        torch.testing.assert_close(_t(got["hidden"]), hidden.detach(), rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(_t(got["probs"]), torch.softmax(scores, 0).detach(),
                                   rtol=1e-10, atol=1e-12)
        assert got["loss"] == pytest.approx(loss.item(), rel=1e-10, abs=1e-12)
        torch.testing.assert_close(_t(got["grad_hidden"]), hidden.grad, rtol=1e-10, atol=1e-12)


def test_cbow_loss_cs231n_softmax_example():
    # CS231n, "Linear classification": scores 3.2, 5.1, −1.7 with the first class true
    # give probabilities 0.13, 0.87, 0.00 and a loss of 2.04. The hidden vector is the
    # mean of the context vectors 0.5 and 1.5, i.e. 1, so the scores are the u_j.
    got = solve("cbow_loss", embeddings=[[0.5], [1.5], [0.0]],
                output_embeddings=[[3.2], [5.1], [-1.7]], context=[0, 1], target=0)
    assert got["hidden"] == [1.0]
    assert [round(p, 2) for p in got["probs"]] == [0.13, 0.87, 0.0]
    assert round(got["loss"], 2) == 2.04


def test_cbow_loss_rejects_an_index_outside_the_vocabulary():
    raw = dict(embeddings=[[1], [2]], output_embeddings=[[1], [2]], context=[0, 2], target=1)
    with pytest.raises(SolverInputError) as err:
        solve("cbow_loss", **raw)
    assert err.value.param == "context"
    with pytest.raises(SolverInputError) as err:
        solve("cbow_loss", **{**raw, "context": [0.5]})
    assert err.value.param == "context"
    with pytest.raises(SolverInputError) as err:
        solve("cbow_loss", **{**raw, "context": [0], "target": 2})
    assert err.value.param == "target"


# ---------------------------------------------------------------- negative_sampling_loss


def test_negative_sampling_loss_matches_torch_autograd_over_random_draws():
    rng = random.Random(5)
    for _ in range(DRAWS):
        dim, k = rng.randint(1, 4), rng.randint(1, 5)
        center, context = _vec(rng, dim), _vec(rng, dim)
        negatives = [_vec(rng, dim) for _ in range(k)]
        got = solve("negative_sampling_loss", center=center, context=context,
                    negatives=negatives)
        v_c = _t(center).requires_grad_()
        u_o, u_k = _t(context), _t(negatives)
        loss = -F.logsigmoid(u_o @ v_c) - F.logsigmoid(-(u_k @ v_c)).sum()
        loss.backward()
        assert got["loss"] == pytest.approx(loss.item(), rel=1e-10, abs=1e-12)
        torch.testing.assert_close(_t(got["grad_center"]), v_c.grad, rtol=1e-10, atol=1e-12)
        torch.testing.assert_close(_t(got["neg_scores"]), (u_k @ v_c).detach(),
                                   rtol=1e-12, atol=1e-12)


def test_negative_sampling_loss_equals_binary_cross_entropy_with_logits():
    # The same loss as BCE on the scores with labels 1 (true pair) and 0 (negatives).
    got = solve("negative_sampling_loss", center=[1, 2], context=[0.5, -1],
                negatives=[[1, 1], [-2, 0.5]])
    logits = _t([0.5 - 2, 1 + 2, -2 + 1])
    bce = F.binary_cross_entropy_with_logits(logits, _t([1, 0, 0]), reduction="sum")
    assert got["loss"] == pytest.approx(bce.item(), rel=1e-12)


def test_negative_sampling_loss_d2l_sigmoid_bce_example():
    # Dive into Deep Learning §15.4 (SigmoidBCELoss): predictions 1.1, −2.2, 3.3, −4.4
    # with labels 1, 0, 0, 0 average to 0.9352; the first two with labels 0, 1, to 1.8462.
    # A label-1 prediction is the positive score, a label-0 one a negative's.
    four = solve("negative_sampling_loss", center=[1], context=[1.1],
                 negatives=[[-2.2], [3.3], [-4.4]])
    assert round(four["loss"] / 4, 4) == 0.9352
    two = solve("negative_sampling_loss", center=[1], context=[-2.2], negatives=[[1.1]])
    assert round(two["loss"] / 2, 4) == 1.8462


def test_negative_sampling_loss_does_not_overflow_for_large_scores():
    got = solve("negative_sampling_loss", center=[100], context=[-10], negatives=[[10]])
    assert got["loss"] == pytest.approx(2000, rel=1e-12)


def test_negative_sampling_loss_rejects_vectors_of_other_lengths():
    with pytest.raises(SolverInputError) as err:
        solve("negative_sampling_loss", center=[1, 2], context=[1], negatives=[[1, 2]])
    assert err.value.param == "context"
    with pytest.raises(SolverInputError) as err:
        solve("negative_sampling_loss", center=[1, 2], context=[1, 2], negatives=[[1]])
    assert err.value.param == "negatives"
