"""Few-shot solvers against torch (cdist, softmax, nn.Linear, pairwise_distance, autograd,
nn.TripletMarginLoss) and the papers' own formulas."""

from __future__ import annotations

import math
import random

import pytest
import torch
import torch.nn.functional as F

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200
T = torch.float64


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny float64 ops: a second intra-op thread only adds hand-off waits (seconds on a busy
    CI machine), so these tests run torch on one thread and then restore the setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def close(got, want, tol=1e-10):
    torch.testing.assert_close(torch.tensor(got, dtype=T), torch.as_tensor(want, dtype=T),
                               rtol=tol, atol=tol)


def _vec(rng: random.Random, n: int) -> list[float]:
    if rng.random() < 0.4:  # small integers, as a hand-worked exam problem has
        return [rng.randint(-3, 3) for _ in range(n)]
    return [rng.uniform(-2, 2) for _ in range(n)]


# ---------------------------------------------------------------- prototypical


def test_prototypical_matches_torch_means_cdist_and_softmax_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        ways, dim = rng.randint(1, 5), rng.randint(1, 6)
        support = {f"c{k}": [_vec(rng, dim) for _ in range(rng.randint(1, 5))]
                   for k in range(ways)}
        query = _vec(rng, dim)
        got = solve("prototypical", support=support, query=query)
        protos = torch.stack([torch.tensor(s, dtype=T).mean(0) for s in support.values()])
        d = torch.cdist(torch.tensor([query], dtype=T), protos,
                        compute_mode="donot_use_mm_for_euclid_dist")[0] ** 2
        close(got["prototypes"], protos)
        close(got["distances"], d)
        close(got["probs"], F.softmax(-d, dim=0))


def test_prototypical_is_the_linear_model_of_snell_et_al_eq_8():
    # Snell, Swersky & Zemel (2017), §2.3: with squared Euclidean distance the classifier is
    # linear, logits w_k·q + b_k with w_k = 2c_k and b_k = −c_kᵀc_k.
    rng = random.Random(1)
    for _ in range(DRAWS):
        dim = rng.randint(1, 4)
        support = {k: [_vec(rng, dim) for _ in range(rng.randint(1, 3))] for k in "abc"}
        query = _vec(rng, dim)
        got = solve("prototypical", support=support, query=query)
        c = torch.tensor(got["prototypes"], dtype=T)
        logits = 2 * c @ torch.tensor(query, dtype=T) - (c * c).sum(1)
        close(got["probs"], F.softmax(logits, dim=0))


def test_prototypical_hand_worked_2_way_2_shot_case():
    # Prototypes (1, 2) and (4, 0); d = 1 + 1 = 2 and 4 + 1 = 5; p(cat) = 1/(1 + e^-3).
    got = solve("prototypical", support={"cat": [[0, 2], [2, 2]], "dog": [[4, 1], [4, -1]]},
                query=[2, 1])
    assert got["prototypes"] == [[1, 2], [4, 0]]
    assert got["distances"] == [2, 5]
    assert got["probs"][0] == pytest.approx(1 / (1 + math.exp(-3)), rel=1e-12)


def test_prototypical_accepts_a_lone_embedding_as_a_one_shot_class():
    lone = solve("prototypical", support={"a": [1, 0], "b": [[0, 1]]}, query=[1, 1])
    listed = solve("prototypical", support={"a": [[1, 0]], "b": [[0, 1]]}, query=[1, 1])
    assert lone == listed


def test_prototypical_accepts_a_list_of_classes_named_1_2_3():
    listed = solve("prototypical", support=[[[0, 2], [2, 2]], [[4, 1], [4, -1]]], query=[2, 1])
    named = solve("prototypical", support={"1": [[0, 2], [2, 2]], "2": [[4, 1], [4, -1]]},
                  query=[2, 1])
    assert listed == named


@pytest.mark.parametrize("support, query, why", [
    ({}, [1], "no class"),
    ({"a": []}, [1], "a class without shots"),
    ({"a": [[1, 2]], "b": [[1]]}, [1, 2], "an embedding of another length"),
    ({"a": [[1, "x"]]}, [1, 2], "a word in an embedding"),
    ("cat", [1, 2], "a word instead of an object"),
])
def test_prototypical_refuses_bad_support_sets(support, query, why):
    with pytest.raises(SolverInputError) as err:
        solve("prototypical", support=support, query=query)
    assert err.value.param == "support", why


# ---------------------------------------------------------------- siamese distance


def _torch_metric(metric: str, h1: torch.Tensor, h2: torch.Tensor) -> float:
    if metric == "euclidean":
        return F.pairwise_distance(h1[None], h2[None], eps=0)[0].item()
    if metric == "squared":
        return (F.pairwise_distance(h1[None], h2[None], eps=0)[0] ** 2).item()
    if metric == "manhattan":
        return torch.cdist(h1[None], h2[None], p=1)[0, 0].item()
    return 1 - F.cosine_similarity(h1, h2, dim=0, eps=0).item()


def test_siamese_distance_matches_one_shared_nn_linear_over_random_draws():
    rng = random.Random(2)
    acts = {"identity": lambda t: t, "relu": torch.relu, "sigmoid": torch.sigmoid,
            "tanh": torch.tanh}
    checked = 0
    while checked < DRAWS:
        n_in, n_out = rng.randint(1, 4), rng.randint(1, 4)
        activation = rng.choice(list(acts))
        metric = rng.choice(["euclidean", "squared", "manhattan", "cosine"])
        x1, x2 = _vec(rng, n_in), _vec(rng, n_in)
        weight = [_vec(rng, n_in) for _ in range(n_out)]
        bias = _vec(rng, n_out)
        layer = torch.nn.Linear(n_in, n_out).to(T)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor(weight, dtype=T))
            layer.bias.copy_(torch.tensor(bias, dtype=T))
            h1 = acts[activation](layer(torch.tensor(x1, dtype=T)))  # one module for both:
            h2 = acts[activation](layer(torch.tensor(x2, dtype=T)))  # the weights are shared
        raw = dict(x1=x1, x2=x2, weight=weight, bias=bias, activation=activation, metric=metric)
        if metric == "cosine" and (h1.norm() == 0 or h2.norm() == 0):
            with pytest.raises(SolverInputError):
                solve("siamese_distance", **raw)
            continue
        got = solve("siamese_distance", **raw)
        close(got["embedding1"], h1)
        close(got["embedding2"], h2)
        assert got["distance"] == pytest.approx(_torch_metric(metric, h1, h2), rel=1e-9,
                                                abs=1e-12)
        checked += 1


def test_siamese_energy_without_a_layer_is_the_euclidean_distance_3_4_5():
    # Chopra, Hadsell & LeCun (2005): E_W(X1, X2) = ‖G_W(X1) − G_W(X2)‖; with G = identity,
    # the 3-4-5 triangle.
    got = solve("siamese_distance", x1=[3, 4], x2=[0, 0])
    assert got["distance"] == 5
    assert solve("siamese_distance", x1=[3, 4], x2=[0, 0], metric="manhattan")["distance"] == 7


def test_siamese_distance_refuses_a_weight_of_the_wrong_width():
    with pytest.raises(SolverInputError) as err:
        solve("siamese_distance", x1=[1, 2], x2=[3, 4], weight=[[1, 2, 3]])
    assert err.value.param == "weight"


# ---------------------------------------------------------------- contrastive loss


def _torch_contrastive(a, b, label, margin, similar_label, half):
    ta = torch.tensor(a, dtype=T, requires_grad=True)
    e = F.pairwise_distance(ta[None], torch.tensor([b], dtype=T), eps=0)[0]
    y_sim = 1.0 if label == similar_label else 0.0
    hinge = torch.clamp(margin - e, min=0)
    loss = (0.5 if half else 1.0) * (y_sim * e ** 2 + (1 - y_sim) * hinge ** 2)
    loss.backward()
    return e.item(), loss.item(), ta.grad


def test_contrastive_loss_matches_torch_autograd_over_random_draws():
    rng = random.Random(3)
    checked = 0
    while checked < DRAWS:
        dim = rng.randint(1, 5)
        a, b = _vec(rng, dim), _vec(rng, dim)
        if a == b:
            continue  # E = 0: the norm's gradient is a subgradient there (checked below)
        raw = dict(a=a, b=b, label=rng.randint(0, 1), margin=rng.choice([0.5, 1, 2, 3.5]),
                   similar_label=rng.choice([0, 1]), half=rng.random() < 0.5)
        got = solve("contrastive_loss", **raw)
        e, loss, grad = _torch_contrastive(**raw)
        assert got["distance"] == pytest.approx(e, rel=1e-12)
        assert got["loss"] == pytest.approx(loss, rel=1e-10, abs=1e-12)
        close(got["grad_a"], grad)
        checked += 1


def test_contrastive_loss_at_zero_distance_has_zero_gradient_as_torch_norm_subgradient():
    got = solve("contrastive_loss", a=[1, 2], b=[1, 2], label=0, margin=1)
    assert (got["distance"], got["loss"], got["grad_a"]) == (0, 1, [0, 0])
    ta = torch.tensor([1.0, 2.0], dtype=T, requires_grad=True)
    (torch.clamp(1 - torch.linalg.vector_norm(ta - torch.tensor([1.0, 2.0], dtype=T)),
                 min=0) ** 2).backward()
    assert ta.grad.tolist() == [0, 0]


def test_contrastive_loss_conventions_keras_y1_similar_vs_hadsell_y0_similar():
    # Keras' mnist_siamese example: mean(y·d² + (1 − y)·max(m − d, 0)²), positive pairs
    # labelled 1. Hadsell, Chopra & LeCun (2006), eq. 4: (1 − Y)·½D² + Y·½max(0, m − D)²,
    # similar pairs labelled 0. The same pair costs half as much in Hadsell's form.
    rng = random.Random(4)
    for _ in range(50):
        a, b = _vec(rng, 3), _vec(rng, 3)
        similar = rng.random() < 0.5
        keras = solve("contrastive_loss", a=a, b=b, label=int(similar))
        hadsell = solve("contrastive_loss", a=a, b=b, label=int(not similar), similar_label=0,
                        half=True)
        assert hadsell["loss"] == pytest.approx(keras["loss"] / 2, rel=1e-12, abs=1e-15)


def test_contrastive_loss_published_margin_cases():
    # A dissimilar pair beyond the margin costs nothing (Hadsell et al. 2006, §2: "dissimilar
    # pairs contribute only if their distance is within the margin").
    assert solve("contrastive_loss", a=[0, 0], b=[3, 4], label=0, margin=2)["loss"] == 0
    assert solve("contrastive_loss", a=[0, 0], b=[3, 4], label=0, margin=2)["grad_a"] == [0, 0]
    # Inside the margin: (1 − 0.5)² = 0.25; a similar pair at distance 0.5: 0.5² = 0.25.
    assert solve("contrastive_loss", a=[0, 0], b=[0.3, 0.4], label=0)["loss"] == pytest.approx(0.25)
    assert solve("contrastive_loss", a=[0, 0], b=[0.3, 0.4], label=1)["loss"] == pytest.approx(0.25)


def test_contrastive_loss_steps_say_which_label_means_similar():
    _, sol = run_solver(get_solver("contrastive_loss"),
                        dict(a=[0], b=[1], label=1, similar_label=0))
    assert "Y = 0 means a SIMILAR" in sol.steps[0].en
    assert "Y = 0 表示相似" in sol.steps[0].zh


def test_contrastive_loss_refuses_labels_other_than_0_and_1():
    with pytest.raises(SolverInputError) as err:
        solve("contrastive_loss", a=[0], b=[1], label=2)
    assert err.value.param == "label"


# ---------------------------------------------------------------- triplet loss


def test_triplet_loss_matches_nn_triplet_margin_loss_over_random_draws():
    rng = random.Random(5)
    for _ in range(DRAWS):
        dim = rng.randint(1, 6)
        a, p, n = _vec(rng, dim), _vec(rng, dim), _vec(rng, dim)
        margin = rng.choice([0.2, 0.5, 1.0, 2.0])
        ta, tp, tn = (torch.tensor([v], dtype=T) for v in (a, p, n))
        got = solve("triplet_loss", anchor=a, positive=p, negative=n, margin=margin)
        want = torch.nn.TripletMarginLoss(margin=margin, p=2, eps=0)(ta, tp, tn)
        assert got["loss"] == pytest.approx(want.item(), rel=1e-10, abs=1e-12)
        assert got["d_pos"] == pytest.approx(F.pairwise_distance(ta, tp, eps=0).item(), rel=1e-12)
        # FaceNet's squared form against a second formulation.
        sq = solve("triplet_loss", anchor=a, positive=p, negative=n, margin=margin,
                   distance="squared")
        facenet = torch.clamp(((ta - tp) ** 2).sum() - ((ta - tn) ** 2).sum() + margin, min=0)
        assert sq["loss"] == pytest.approx(facenet.item(), rel=1e-10, abs=1e-12)


def test_triplet_kinds_follow_facenet_easy_semi_hard_hard():
    # Schroff, Kalenichenko & Philbin (2015), §3.2: semi-hard negatives lie farther than the
    # positive but inside the margin. d_pos = 0.5 here.
    def kind(neg):
        return solve("triplet_loss", anchor=[0, 0], positive=[0.3, 0.4], negative=neg)["triplet"]
    assert kind([3, 0]) == "easy"  # d_neg = 3 ≥ 0.5 + 1
    assert kind([1, 0]) == "semi-hard"  # 0.5 ≤ 1 < 1.5
    assert kind([0.1, 0]) == "hard"  # 0.1 < 0.5


def test_triplet_loss_pytorch_default_margin_is_1():
    got = solve("triplet_loss", anchor=[0, 0], positive=[0.3, 0.4], negative=[1.2, 0.5])
    assert got["loss"] == pytest.approx(0.5 - 1.3 + 1.0)  # d_pos 0.5, d_neg 1.3


def test_triplet_loss_refuses_embeddings_of_different_lengths():
    with pytest.raises(SolverInputError) as err:
        solve("triplet_loss", anchor=[0, 0], positive=[1, 1], negative=[1])
    assert err.value.param == "negative"
