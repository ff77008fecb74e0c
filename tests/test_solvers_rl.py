"""RL solvers against second formulations (numpy: vectorised sweeps, a dense linear solve
for the policy-evaluation fixed point, hand-written update formulas) and published cases
(Sutton & Barto, Berkeley CS188)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from solvers import get_solver, run_solver
from solvers.registry import SolverInputError

DRAWS = 200


def solve(name: str, **raw):
    return run_solver(get_solver(name), raw)[1].answers


def rand_mdp(rng: random.Random, n_states: int, n_actions: int, *, friendly: bool = False):
    """A random MDP in the contract's format: 1–3 outcomes per (s, a), probabilities
    summing to 1 (dyadic when `friendly`, so sums are exact)."""
    mdp = []
    for _ in range(n_states):
        row = []
        for _ in range(n_actions):
            k = rng.randint(1, min(3, n_states))
            nexts = rng.sample(range(n_states), k)
            if friendly:
                probs = [1.0] if k == 1 else ([0.5, 0.5] if k == 2 else [0.5, 0.25, 0.25])
                rewards = [rng.randint(-3, 5) for _ in nexts]
            else:
                w = [rng.random() + 0.05 for _ in nexts]
                probs = [x / sum(w) for x in w]
                probs[-1] = 1.0 - sum(probs[:-1])
                rewards = [rng.uniform(-5, 5) for _ in nexts]
            row.append([[p, s2, r] for p, s2, r in zip(probs, nexts, rewards)])
        mdp.append(row)
    return mdp


def tensors(mdp):
    """P[s, a, s'] and the expected reward R[s, a] of a contract-format MDP."""
    n_states, n_actions = len(mdp), len(mdp[0])
    P = np.zeros((n_states, n_actions, n_states))
    R = np.zeros((n_states, n_actions))
    for s, row in enumerate(mdp):
        for a, outcomes in enumerate(row):
            for p, s2, r in outcomes:
                P[s, a, s2] += p
                R[s, a] += p * r
    return P, R


def first_argmax(q: np.ndarray) -> int:
    return int(np.flatnonzero(q >= q.max() - 1e-9 * max(1.0, abs(q.max())))[0])


# ---------------------------------------------------------------- gridworlds (published cases)

MOVES = {"N": (-1, 0), "S": (1, 0), "E": (0, 1), "W": (0, -1)}


def sutton_4x4():
    """Sutton & Barto Example 4.1: 4x4 grid, terminal corners 0 and 15, reward −1 on every
    move, moves off the grid leave the state unchanged; actions N, S, E, W."""
    mdp = []
    for s in range(16):
        if s in (0, 15):
            mdp.append([[[1, s, 0]] for _ in MOVES])
            continue
        r, c = divmod(s, 4)
        row = []
        for dr, dc in MOVES.values():
            r2, c2 = r + dr, c + dc
            s2 = r2 * 4 + c2 if 0 <= r2 < 4 and 0 <= c2 < 4 else s
            row.append([[1, s2, -1]])
        mdp.append(row)
    return mdp


def sutton_5x5():
    """Sutton & Barto Example 3.5: 5x5 grid, from A = (0,1) every action → A' = (4,1) with
    +10, from B = (0,3) → B' = (2,3) with +5, off the grid −1 and no move, else 0."""
    mdp = []
    for s in range(25):
        r, c = divmod(s, 5)
        row = []
        for dr, dc in MOVES.values():
            if (r, c) == (0, 1):
                row.append([[1, 21, 10]])
            elif (r, c) == (0, 3):
                row.append([[1, 13, 5]])
            elif 0 <= r + dr < 5 and 0 <= c + dc < 5:
                row.append([[1, (r + dr) * 5 + c + dc, 0]])
            else:
                row.append([[1, s, -1]])
        mdp.append(row)
    return mdp


# Berkeley CS188 racing MDP (states cool, warm, overheated; actions slow, fast).
RACING = [
    [[[1, 0, 1]], [[0.5, 0, 2], [0.5, 1, 2]]],
    [[[0.5, 0, 1], [0.5, 1, 1]], [[1, 2, -10]]],
    [[[1, 2, 0]], [[1, 2, 0]]],
]


# ---------------------------------------------------------------- discounted_return


def test_discounted_return_matches_the_direct_power_sum_over_random_draws():
    rng = random.Random(0)
    for _ in range(DRAWS):
        rewards = [rng.choice([rng.randint(-5, 5), rng.uniform(-5, 5)])
                   for _ in range(rng.randint(1, 12))]
        gamma = rng.choice([0, 0.5, 0.9, 1, rng.random()])
        got = solve("discounted_return", rewards=rewards, gamma=gamma)
        r = np.array(rewards)
        want = [float(np.sum(r[t:] * gamma ** np.arange(len(r) - t))) for t in range(len(r))]
        assert got["returns"] == pytest.approx(want, rel=1e-12, abs=1e-12)
        assert got["g"] == got["returns"][0]


def test_discounted_return_sutton_barto_exercise_3_8():
    # Sutton & Barto (2nd ed.), Exercise 3.8: γ = 0.5, R1..R5 = −1, 2, 6, 3, 2, T = 5:
    # G5 = 0, G4 = 2, G3 = 4, G2 = 8, G1 = 6, G0 = 2.
    got = solve("discounted_return", rewards=[-1, 2, 6, 3, 2], gamma=0.5)
    assert got["returns"] == [2, 6, 8, 4, 2]


def test_discounted_return_gamma_0_is_the_next_reward_only():
    got = solve("discounted_return", rewards=[3, 100, 100], gamma=0)
    assert got["returns"] == [3, 100, 100]


# ---------------------------------------------------------------- q_learning / sarsa


def draw_td(rng: random.Random) -> dict:
    return dict(q=rng.uniform(-5, 5), reward=rng.choice([rng.randint(-3, 3), rng.uniform(-3, 3)]),
                next_q=[rng.uniform(-5, 5) for _ in range(rng.randint(1, 5))],
                alpha=rng.choice([0.1, 0.5, 1, rng.random()]),
                gamma=rng.choice([0, 0.9, 1, rng.random()]), terminal=rng.random() < 0.2)


def test_q_learning_update_matches_the_hand_written_rule_over_random_draws():
    rng = random.Random(1)
    for _ in range(DRAWS):
        raw = draw_td(rng)
        got = solve("q_learning_update", **raw)
        target = raw["reward"] + (0 if raw["terminal"] else raw["gamma"] * max(raw["next_q"]))
        new_q = (1 - raw["alpha"]) * raw["q"] + raw["alpha"] * target  # the other way round
        assert got["td_target"] == pytest.approx(target, rel=1e-12, abs=1e-12)
        assert got["td_error"] == pytest.approx(target - raw["q"], rel=1e-12, abs=1e-12)
        assert got["new_q"] == pytest.approx(new_q, rel=1e-12, abs=1e-12)


def test_q_learning_update_painless_tutorial_rooms_example():
    # Teknomo, "A Painless Q-learning Tutorial" (mnemstudio.org): γ = 0.8, α = 1;
    # Q(1, 5) = R(1, 5) + 0.8·max[Q(5, 1), Q(5, 4), Q(5, 5)] = 100 + 0.8·0 = 100, then
    # Q(3, 1) = R(3, 1) + 0.8·max[Q(1, 3), Q(1, 5)] = 0 + 0.8·100 = 80.
    assert solve("q_learning_update", q=0, reward=100, next_q=[0, 0, 0], alpha=1,
                 gamma=0.8)["new_q"] == 100
    assert solve("q_learning_update", q=0, reward=0, next_q=[0, 100], alpha=1,
                 gamma=0.8)["new_q"] == 80


def test_sarsa_update_matches_the_hand_written_rule_over_random_draws():
    rng = random.Random(2)
    for _ in range(DRAWS):
        raw = draw_td(rng)
        raw["next_action"] = rng.randrange(len(raw["next_q"]))
        got = solve("sarsa_update", **raw)
        nxt = raw["next_q"][raw["next_action"]]
        target = raw["reward"] + (0 if raw["terminal"] else raw["gamma"] * nxt)
        assert got["td_target"] == pytest.approx(target, rel=1e-12, abs=1e-12)
        assert got["new_q"] == pytest.approx(raw["q"] + raw["alpha"] * (target - raw["q"]),
                                             rel=1e-12, abs=1e-12)


def test_sarsa_equals_q_learning_when_the_next_action_is_greedy():
    # Sutton & Barto, Exercise 6.12: with greedy action selection the two updates coincide
    # (the targets differ only when a' is not the argmax).
    rng = random.Random(3)
    for _ in range(50):
        raw = draw_td(rng)
        q_learning = solve("q_learning_update", **raw)
        greedy = int(np.argmax(raw["next_q"]))
        assert solve("sarsa_update", **raw, next_action=greedy) == q_learning


def test_sarsa_update_rejects_a_next_action_beyond_next_q():
    with pytest.raises(SolverInputError) as err:
        solve("sarsa_update", q=0, reward=1, next_q=[1, 2], next_action=2, alpha=0.5, gamma=0.9)
    assert err.value.param == "next_action"


# ---------------------------------------------------------------- bellman_backup


def test_bellman_backup_matches_a_vectorised_numpy_backup_over_random_draws():
    rng = random.Random(4)
    for _ in range(DRAWS):
        n, k = rng.randint(1, 4), rng.randint(1, 4)
        w = np.array([rng.random() + 0.05 for _ in range(n)])
        probs = (w / w.sum()).tolist()
        rewards = [rng.uniform(-3, 3) for _ in range(n)]
        next_q = [[rng.uniform(-5, 5) for _ in range(k)] for _ in range(n)]
        gamma = rng.random()
        form = rng.choice(["optimality", "expectation"])
        raw = dict(probs=probs, rewards=rewards, next_q=next_q, gamma=gamma, form=form)
        Q = np.array(next_q)
        if form == "expectation":
            if rng.random() < 0.5:
                pi = np.random.default_rng(rng.randrange(10**6)).dirichlet(np.ones(k), size=n)
                raw["policy"] = pi.tolist()
            else:
                pi = np.full((n, k), 1 / k)
            values = (pi * Q).sum(axis=1)
        else:
            values = Q.max(axis=1)
        want = float(np.dot(probs, np.array(rewards) + gamma * values))
        got = solve("bellman_backup", **raw)
        assert got["q"] == pytest.approx(want, rel=1e-12, abs=1e-12)
        assert got["next_values"] == pytest.approx(values.tolist(), rel=1e-12, abs=1e-12)


def test_bellman_backup_cs188_racing_q_value_iteration_gives_3_5_for_cool_fast():
    # Berkeley CS188 racing MDP, γ = 1: Q1(cool, ·) = [1, 2], Q1(warm, ·) = [1, −10];
    # Q2(cool, fast) = 0.5·(2 + 2) + 0.5·(2 + 1) = 3.5 = V2(cool) of the lecture.
    got = solve("bellman_backup", probs=[0.5, 0.5], rewards=[2, 2],
                next_q=[[1, 2], [1, -10]], gamma=1)
    assert got["q"] == 3.5 and got["next_values"] == [2, 1]


def test_bellman_backup_rejects_probabilities_that_do_not_sum_to_1():
    with pytest.raises(SolverInputError) as err:
        solve("bellman_backup", probs=[0.5, 0.4], rewards=[1, 1], next_q=[[0], [0]], gamma=0.9)
    assert err.value.param == "probs"


# ---------------------------------------------------------------- epsilon_greedy


def test_epsilon_greedy_matches_mixture_of_greedy_and_uniform_over_random_draws():
    rng = random.Random(5)
    for _ in range(DRAWS):
        q = [rng.choice([rng.randint(0, 3), rng.uniform(-2, 2)]) for _ in range(rng.randint(1, 6))]
        eps = rng.choice([0, 0.1, 0.5, 1, rng.random()])
        got = solve("epsilon_greedy", q=q, epsilon=eps)
        onehot = np.zeros(len(q))
        onehot[first_argmax(np.array(q))] = 1
        want = (1 - eps) * onehot + eps * np.full(len(q), 1 / len(q))
        assert got["probs"] == pytest.approx(want.tolist(), rel=1e-12, abs=1e-12)
        assert sum(got["probs"]) == pytest.approx(1)


def test_epsilon_greedy_sutton_barto_exercise_2_1():
    # Sutton & Barto, Exercise 2.1: two actions, ε = 0.5: the greedy action is selected
    # with probability 0.75.
    got = solve("epsilon_greedy", q=[1, 2], epsilon=0.5)
    assert got["probs"] == [0.25, 0.75] and got["greedy"] == 1


# ---------------------------------------------------------------- value_iteration


def numpy_value_iteration(mdp, gamma: float, iterations: int, v0):
    P, R = tensors(mdp)
    v = np.array(v0, dtype=float)
    history = []
    for _ in range(iterations):
        v = (R + gamma * P @ v).max(axis=1)
        history.append(v)
    q = R + gamma * P @ v
    return np.array(history), [first_argmax(row) for row in q]


def test_value_iteration_matches_vectorised_numpy_sweeps_over_random_mdps():
    rng = random.Random(6)
    for _ in range(DRAWS):
        n_states, n_actions = rng.randint(1, 5), rng.randint(1, 4)
        mdp = rand_mdp(rng, n_states, n_actions, friendly=rng.random() < 0.5)
        gamma, iterations = rng.choice([0.5, 0.9, 1, rng.random()]), rng.randint(1, 8)
        raw = dict(transitions=mdp, gamma=gamma, iterations=iterations)
        v0 = [0.0] * n_states
        if rng.random() < 0.5:
            v0 = raw["v0"] = [rng.randint(-3, 3) for _ in range(n_states)]
        got = solve("value_iteration", **raw)
        values, policy = numpy_value_iteration(mdp, gamma, iterations, v0)
        np.testing.assert_allclose(got["values"], values, rtol=1e-12, atol=1e-12)
        assert got["policy"] == policy
        assert all(type(a) is int for a in got["policy"])


def test_value_iteration_cs188_racing_mdp_v1_and_v2():
    # Berkeley CS188 "Example: Value Iteration" (racing car, γ = 1): V0 = 0,
    # V1 = (2, 1, 0), V2 = (3.5, 2.5, 0) for (cool, warm, overheated).
    got = solve("value_iteration", transitions=RACING, gamma=1, iterations=2)
    assert got["values"] == [[2, 1, 0], [3.5, 2.5, 0]]
    assert got["policy"][:2] == [1, 0]  # fast when cool, slow when warm


def test_value_iteration_sutton_barto_figure_3_5_optimal_values():
    # Sutton & Barto (2nd ed.), Figure 3.5 (Example 3.8), γ = 0.9: v* of the 5x5 gridworld.
    published = [22.0, 24.4, 22.0, 19.4, 17.5, 19.8, 22.0, 19.8, 17.8, 16.0,
                 17.8, 19.8, 17.8, 16.0, 14.4, 16.0, 17.8, 16.0, 14.4, 13.0,
                 14.4, 16.0, 14.4, 13.0, 11.7]
    got = solve("value_iteration", transitions=sutton_5x5(), gamma=0.9, iterations=300)
    assert got["values"][-1] == pytest.approx(published, abs=0.05)


def test_value_iteration_rejects_probabilities_that_do_not_sum_to_1():
    bad = [[[[0.5, 0, 1], [0.4, 0, 1]]]]
    with pytest.raises(SolverInputError) as err:
        solve("value_iteration", transitions=bad, gamma=0.9, iterations=1)
    assert err.value.param == "transitions" and "sum to 0.9" in err.value.message


@pytest.mark.parametrize("bad, why", [
    ([[[[1, 2, 0]]]], "next state"),
    ([[[[1.5, 0, 0], [-0.5, 0, 0]]]], "probability"),
    ([[[[1, 0]]]], "three numbers"),
    ([[[]]], "non-empty"),
    ([[]], "non-empty"),
    ([[[[1, 0.5, 0]]]], "next state"),
    ([[[[1, 0, float("nan")]]]], "reward"),
])
def test_value_iteration_names_what_is_wrong_with_the_transitions(bad, why):
    with pytest.raises(SolverInputError) as err:
        solve("value_iteration", transitions=bad, gamma=0.9, iterations=1)
    assert err.value.param == "transitions" and why in err.value.message


# ---------------------------------------------------------------- policy_evaluation


def numpy_policy_sweeps(mdp, policy, gamma: float, iterations: int, v0):
    P, R = tensors(mdp)
    pi = np.array(policy)
    P_pi, R_pi = np.einsum("sa,sat->st", pi, P), (pi * R).sum(axis=1)
    v = np.array(v0, dtype=float)
    history = []
    for _ in range(iterations):
        v = R_pi + gamma * P_pi @ v
        history.append(v)
    return np.array(history), P_pi, R_pi


def rand_policy(rng: random.Random, n_states: int, n_actions: int) -> list[list[float]]:
    if rng.random() < 0.3:  # deterministic
        chosen = [rng.randrange(n_actions) for _ in range(n_states)]
        return [[1.0 if a == pick else 0.0 for a in range(n_actions)] for pick in chosen]
    gen = np.random.default_rng(rng.randrange(10**6))
    return gen.dirichlet(np.ones(n_actions), size=n_states).tolist()


def test_policy_evaluation_matches_vectorised_numpy_sweeps_over_random_mdps():
    rng = random.Random(7)
    for _ in range(DRAWS):
        n_states, n_actions = rng.randint(1, 5), rng.randint(1, 4)
        mdp = rand_mdp(rng, n_states, n_actions)
        policy = rand_policy(rng, n_states, n_actions)
        policy = [[1.0] if n_actions == 1 else row for row in policy]
        gamma, iterations = rng.choice([0.5, 0.9, 1, rng.random()]), rng.randint(1, 8)
        v0 = [rng.uniform(-2, 2) for _ in range(n_states)]
        got = solve("policy_evaluation", transitions=mdp, policy=policy, gamma=gamma,
                    iterations=iterations, v0=v0)
        want, _, _ = numpy_policy_sweeps(mdp, policy, gamma, iterations, v0)
        np.testing.assert_allclose(got["values"], want, rtol=1e-10, atol=1e-10)


def test_policy_evaluation_converges_to_the_dense_linear_solve_fixed_point():
    # v_π solves (I − γP_π) v = R_π; with γ < 1 the sweeps converge to it.
    rng = random.Random(8)
    for _ in range(DRAWS):
        n_states, n_actions = rng.randint(1, 5), rng.randint(1, 3)
        mdp = rand_mdp(rng, n_states, n_actions)
        policy = rand_policy(rng, n_states, n_actions)
        gamma = rng.uniform(0, 0.8)
        got = solve("policy_evaluation", transitions=mdp, policy=policy, gamma=gamma,
                    iterations=120)
        _, P_pi, R_pi = numpy_policy_sweeps(mdp, policy, gamma, 0, [0] * n_states)
        fixed = np.linalg.solve(np.eye(n_states) - gamma * P_pi, R_pi)
        np.testing.assert_allclose(got["values"][-1], fixed, rtol=1e-8, atol=1e-8)


def test_policy_evaluation_sutton_barto_figure_4_1_random_policy_gridworld():
    # Sutton & Barto (2nd ed.), Figure 4.1: equiprobable policy, γ = 1, synchronous sweeps.
    mdp = sutton_4x4()
    uniform = [[0.25] * 4 for _ in range(16)]
    got = solve("policy_evaluation", transitions=mdp, policy=uniform, gamma=1, iterations=1000)
    values = got["values"]
    assert values[0] == [0] + [-1] * 14 + [0]                              # k = 1
    assert values[1][:4] == pytest.approx([0, -1.75, -2, -2])               # k = 2 (shown −1.7)
    assert values[2][:4] == pytest.approx([0, -2.4, -2.9, -3.0], abs=0.06)  # k = 3
    assert values[9][:4] == pytest.approx([0, -6.1, -8.4, -9.0], abs=0.06)  # k = 10
    published_limit = [0, -14, -20, -22, -14, -18, -20, -20,
                       -20, -20, -18, -14, -22, -20, -14, 0]               # k = ∞
    assert values[-1] == pytest.approx(published_limit, abs=1e-6)
    # The same fixed point from the dense linear solve on the 14 non-terminal states.
    P, R = tensors(mdp)
    P_pi, R_pi = P.mean(axis=1), R.mean(axis=1)
    inner = list(range(1, 15))
    fixed = np.linalg.solve(np.eye(14) - P_pi[np.ix_(inner, inner)], R_pi[inner])
    np.testing.assert_allclose([values[-1][s] for s in inner], fixed, atol=1e-6)


def test_policy_evaluation_sutton_barto_figure_3_2_random_policy_values():
    # Sutton & Barto (2nd ed.), Figure 3.2 (Example 3.5), γ = 0.9, equiprobable policy.
    published = [3.3, 8.8, 4.4, 5.3, 1.5, 1.5, 3.0, 2.3, 1.9, 0.5, 0.1, 0.7, 0.7, 0.4, -0.4,
                 -1.0, -0.4, -0.4, -0.6, -1.2, -1.9, -1.3, -1.2, -1.4, -2.0]
    uniform = [[0.25] * 4 for _ in range(25)]
    got = solve("policy_evaluation", transitions=sutton_5x5(), policy=uniform, gamma=0.9,
                iterations=300)
    assert got["values"][-1] == pytest.approx(published, abs=0.05)


def test_policy_evaluation_rejects_a_policy_row_that_does_not_sum_to_1():
    with pytest.raises(SolverInputError) as err:
        solve("policy_evaluation", transitions=RACING, policy=[[0.5, 0.5], [0.5, 0.4], [1, 0]],
              gamma=1, iterations=1)
    assert err.value.param == "policy" and "row 1" in err.value.message


def test_policy_evaluation_refuses_more_work_than_a_fraction_of_a_second():
    mdp = [[[[0.5, s, 0], [0.25, (s + 1) % 25, 1], [0.25, (s + 2) % 25, 2]]] * 4
           for s in range(25)]  # 300 outcomes: 1,000 sweeps would be 300,000 backups
    with pytest.raises(SolverInputError) as err:
        solve("policy_evaluation", transitions=mdp, policy=[[0.25] * 4] * 25,
              gamma=0.9, iterations=1000)
    assert err.value.param == "iterations"
    assert len(solve("policy_evaluation", transitions=mdp, policy=[[0.25] * 4] * 25,
                     gamma=0.9, iterations=600)["values"]) == 600


# ---------------------------------------------------------------- greedy_policy


def test_greedy_policy_after_k_sweeps_agrees_with_value_iteration_over_random_mdps():
    rng = random.Random(9)
    for _ in range(DRAWS):
        n_states, n_actions = rng.randint(1, 5), rng.randint(1, 4)
        mdp = rand_mdp(rng, n_states, n_actions, friendly=True)
        gamma, iterations = rng.choice([0.5, 0.9, 1]), rng.randint(1, 6)
        names = [f"act{a}" for a in range(n_actions)]
        got = solve("greedy_policy", transitions=mdp, gamma=gamma, action_names=names,
                    iterations=iterations)
        vi = solve("value_iteration", transitions=mdp, gamma=gamma, iterations=iterations)
        assert got["actions"] == vi["policy"]
        assert got["policy"] == [names[a] for a in vi["policy"]]
        assert got["v"] == vi["values"][-1]
        P, R = tensors(mdp)
        np.testing.assert_allclose(got["q"], R + gamma * P @ np.array(got["v"]), atol=1e-12)


def test_greedy_policy_on_the_figure_4_1_limit_points_at_the_nearest_corner():
    # Sutton & Barto, Figure 4.1 (k = ∞): the greedy policy on v_random is optimal; where
    # the figure draws a single arrow: state 1 ←, 4 ↑, 11 ↓, 14 →.
    limit = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0]
    got = solve("greedy_policy", transitions=sutton_4x4(), gamma=1, values=limit,
                action_names=["up", "down", "right", "left"])
    assert [got["policy"][s] for s in (1, 4, 11, 14)] == ["left", "up", "down", "right"]


def test_greedy_policy_rejects_names_that_do_not_match_the_actions():
    with pytest.raises(SolverInputError) as err:
        solve("greedy_policy", transitions=RACING, gamma=1, action_names=["slow"])
    assert err.value.param == "action_names"
    with pytest.raises(SolverInputError) as err:
        solve("greedy_policy", transitions=RACING, gamma=1, action_names=["go", "Go"])
    assert err.value.param == "action_names"


def test_greedy_policy_names_default_to_a0_a1():
    got = solve("greedy_policy", transitions=RACING, gamma=1, iterations=2)
    assert got["policy"] == ["a1", "a0", "a0"]


# ---------------------------------------------------------------- the labels template


def test_greedy_policy_template_asks_action_names_that_value_iteration_confirms_over_300_seeds():
    # tests/test_banks.py checks numeric answers only; this covers the bank's one
    # `labels` template: every draw asks a valid name per state, the one value iteration's
    # index policy picks, and the question renders in both languages.
    from drill.bank.load import bank_paths, validate_bank
    from drill.engine.generate import generate
    from drill.engine.question import build_question
    from drill.engine.text import plain_text

    chapter = next(validate_bank(p) for p in bank_paths() if p.stem == "rl").chapter
    item = next(i for i in chapter.items if i.id == "rl-num-greedy-policy-names")
    (ask,) = item.asks
    assert ask.kind == "labels"
    spec = get_solver(item.solver)
    drawn = set()
    for seed in range(300):
        problem = generate(item, seed, spec)
        labels = problem.expected(ask)
        names = problem.inputs["action_names"]
        vi = solve("value_iteration", transitions=problem.inputs["transitions"],
                   gamma=problem.inputs["gamma"], iterations=problem.inputs["iterations"])
        assert labels == [names[a] for a in vi["policy"]]
        drawn.add((str(problem.names["m"]), problem.names["gamma"]))
        if seed % 30 == 0:
            for lang in ("en", "zh"):
                assert "{" not in plain_text(build_question(chapter, item, seed, lang).body)
    assert len(drawn) >= 8
