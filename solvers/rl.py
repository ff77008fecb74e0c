"""Reinforcement learning by hand: returns, Bellman backups, Q-learning and SARSA updates,
ε-greedy, and dynamic programming on small MDPs (closed-form arithmetic).

Conventions (Sutton & Barto, 2nd ed.): Gₜ = Rₜ₊₁ + γRₜ₊₂ + γ²Rₜ₊₃ + …; an MDP is given
as `transitions[s][a]` = a list of outcomes `[prob, next_state, reward]` (the reward
earned on that transition); states and actions are indices from 0. Value iteration and
policy evaluation sweep synchronously (every V_k(s) is computed from V_{k−1}, as the
two-array version of the book). Greedy choices take the first action on ties, a tie
being two values within 1e-9 (relative) of each other, so that 0.1 + 0.2 ties with 0.3.
Plain Python, no numpy: the MDPs here are small and these solvers must start fast.
"""

from __future__ import annotations


from solvers.arith import fsum
from solvers.fmt import latex_num, latex_paren, latex_vec, num, paren
from solvers.registry import Answer, Param, Solution, SolverInputError, Step, solver

MAX_ITERATIONS = 1_000
MAX_WORK = 200_000  # outcome evaluations (sweeps × outcomes) in one call: about 0.3 s
PROB_SLACK = 1e-6  # probabilities must sum to 1 within this
TIE = 1e-9  # relative: values this close are a tie (the first action wins)
DETAIL_CELLS = 8  # MDPs with at most this many (state, action) pairs get every Q written out
SHOWN_SWEEPS = 3  # sweeps written out before the last one (all are in the answer)


# ---------------------------------------------------------------- shared checks


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _short(x) -> str:
    """A number for an error message (a huge int is not written out)."""
    return num(x) if abs(x) <= 1e15 else "a huge number"


def _check_probs(name: str, probs: list[float], where: str = "") -> None:
    for p in probs:
        if not 0.0 <= p <= 1.0:
            raise SolverInputError(name, f"{where}probability {num(p)} is not in [0, 1]")
    total = fsum(probs)
    if abs(total - 1.0) > PROB_SLACK:
        raise SolverInputError(name, f"{where}probabilities sum to {num(total, 6)}, not 1")


def check_transitions(transitions) -> list[list[list[tuple[float, int, float]]]]:
    """`transitions[s][a]` = [[prob, next_state, reward], ...] -> tuples, or
    SolverInputError('transitions', ...) saying which state, action and outcome is wrong:
    a shape that is not states → actions → outcomes, a probability outside [0, 1],
    probabilities of one (s, a) that do not sum to 1, or a next state that is no state."""
    if not isinstance(transitions, list) or not transitions:
        raise SolverInputError("transitions", "expected a non-empty list over states of lists "
                               "over actions of [[prob, next_state, reward], ...]")
    n_states = len(transitions)
    out = []
    for s, actions in enumerate(transitions):
        if not isinstance(actions, list) or not actions:
            raise SolverInputError("transitions", f"state {s}: expected a non-empty list over "
                                   "actions")
        row = []
        for a, outcomes in enumerate(actions):
            where = f"state {s}, action {a}: "
            if not isinstance(outcomes, list) or not outcomes:
                raise SolverInputError("transitions", f"{where}expected a non-empty list of "
                                       "[prob, next_state, reward]")
            cell = []
            for outcome in outcomes:
                if (not isinstance(outcome, list) or len(outcome) != 3
                        or not all(_is_number(v) for v in outcome)):
                    raise SolverInputError("transitions", f"{where}each outcome must be "
                                           "[prob, next_state, reward] (three numbers)")
                prob, nxt, reward = outcome
                if not 0 <= prob <= 1:  # compared before float(): a huge int cannot overflow
                    raise SolverInputError("transitions", f"{where}probability {_short(prob)} "
                                           "is not in [0, 1]")
                if not abs(reward) <= 1e12:  # also refuses NaN
                    raise SolverInputError("transitions", f"{where}reward must be a finite "
                                           "number of at most 10^12 in size")
                if not 0 <= nxt < n_states or isinstance(nxt, float) and not nxt.is_integer():
                    raise SolverInputError("transitions", f"{where}next state {_short(nxt)} "
                                           f"is not a state index 0..{n_states - 1}")
                cell.append((float(prob), int(nxt), float(reward)))
            _check_probs("transitions", [p for p, _, _ in cell], where)
            row.append(cell)
        out.append(row)
    return out


def _check_v0(v0, n_states: int, name: str = "v0") -> list[float]:
    if v0 is None:
        return [0.0] * n_states
    if len(v0) != n_states:
        raise SolverInputError(name, f"expected one value per state ({n_states}), got {len(v0)}")
    return list(v0)


def _check_work(mdp, iterations: int) -> None:
    outcomes = sum(len(cell) for row in mdp for cell in row)
    if outcomes * (iterations + 1) > MAX_WORK:
        raise SolverInputError("iterations", f"{iterations} sweeps over {outcomes} outcomes "
                               f"is more work than this solver does (at most {MAX_WORK:,})")


def argmax_first(values: list[float]) -> int:
    """The index of the largest value; the first one among values within TIE of it."""
    best = max(values)
    slack = TIE * max(1.0, abs(best))
    return next(i for i, v in enumerate(values) if v >= best - slack)


def backup(outcomes, values: list[float], gamma: float) -> float:
    """Σ_{s'} p·(r + γ·V(s')) over one (state, action)'s outcomes."""
    return fsum(p * (r + gamma * values[s2]) for p, s2, r in outcomes)


def _backup_text(outcomes, values: list[float], gamma: float, q: float) -> tuple[str, str]:
    """'0.5·(2 + 0.9·1) + 0.5·(0 + 0.9·3) = 2.8' and its LaTeX."""
    text = " + ".join(f"{num(p)}·({num(r)} + {num(gamma)}·{paren(values[s2])})"
                      for p, s2, r in outcomes)
    latex = " + ".join(rf"{latex_num(p)}\,({latex_num(r)} + {latex_num(gamma)} \cdot "
                       rf"{latex_paren(values[s2])})" for p, s2, r in outcomes)
    return f"{text} = {num(q)}", f"{latex} = {latex_num(q)}"


def _q_table(mdp, values: list[float], gamma: float) -> list[list[float]]:
    return [[backup(cell, values, gamma) for cell in row] for row in mdp]


def _sweep_detail(mdp, values: list[float], gamma: float, q: list[list[float]],
                  k: int) -> list[Step]:
    """One step per (state, action): Q_k(s, a) written out (small MDPs only)."""
    steps = []
    for s, row in enumerate(mdp):
        for a, cell in enumerate(row):
            text, latex = _backup_text(cell, values, gamma, q[s][a])
            steps.append(Step(
                f"Sweep {k}, state {s}, action {a}: Σ p·(r + γ·V_{k - 1}(s')) = {text}",
                f"第 {k} 轮，状态 {s}，动作 {a}：Σ p·(r + γ·V_{k - 1}(s')) = {text}",
                rf"Q_{{{k}}}({s},{a}) = {latex}", q[s][a]))
    return steps


# ---------------------------------------------------------------- returns


@solver(
    topic="rl",
    summary="Discounted return Gₜ = Rₜ₊₁ + γRₜ₊₂ + … of a finite episode, at every step.",
    summary_zh="有限回合的折扣回报 Gₜ = Rₜ₊₁ + γRₜ₊₂ + …（每个时间步）。",
    params=[
        Param("rewards", "vec", "rewards R₁, R₂, …, R_T of the episode, in order",
              doc_zh="回合中依次获得的奖励 R₁, R₂, …, R_T"),
        Param("gamma", "float", "discount factor γ", doc_zh="折扣因子 γ", min=0, max=1),
    ],
    answers=[
        Answer("g", "float", "the return G₀ from the start", doc_zh="从起点开始的回报 G₀"),
        Answer("returns", "vec", "G₀, G₁, …, G_{T−1} (Gₜ counts the rewards after step t)",
               doc_zh="G₀, G₁, …, G_{T−1}（Gₜ 计入第 t 步之后的奖励）"),
    ],
    examples=[
        # Sutton & Barto, exercise 3.8: γ = 0.5, R = −1, 2, 6, 3, 2 gives G₀ = 2.
        dict(rewards=[-1, 2, 6, 3, 2], gamma=0.5),
        dict(rewards=[0, 0, 1], gamma=0.9),
    ],
)
def discounted_return(rewards, gamma) -> Solution:
    """Gₜ = Σ_{k≥0} γᵏ·Rₜ₊ₖ₊₁ for t = 0 … T−1, computed backwards: Gₜ = Rₜ₊₁ + γ·Gₜ₊₁
    with G_T = 0 (the episode ends after R_T). Rewards are indexed from 1, as in Sutton &
    Barto: R₁ is the reward for the first action."""
    n = len(rewards)
    returns = [0.0] * n
    g = 0.0
    for t in range(n - 1, -1, -1):
        g = rewards[t] + gamma * g
        returns[t] = g
    terms = [f"{num(gamma)}^{k}·{paren(r)}" if k else num(r) for k, r in enumerate(rewards)]
    latex_terms = [rf"{latex_num(gamma)}^{{{k}}} \cdot {latex_paren(r)}" if k else latex_num(r)
                   for k, r in enumerate(rewards)]
    shown = " + ".join(terms[:8]) + (" + …" if n > 8 else "")
    latex_shown = " + ".join(latex_terms[:8]) + (r" + \cdots" if n > 8 else "")
    steps = [
        Step(f"Convention: Gₜ = Rₜ₊₁ + γ·Rₜ₊₂ + γ²·Rₜ₊₃ + … (Sutton & Barto); the rewards "
             f"R₁ … R_{n} are {num(rewards)}, γ = {num(gamma)}.",
             f"约定：Gₜ = Rₜ₊₁ + γ·Rₜ₊₂ + γ²·Rₜ₊₃ + …（Sutton & Barto）；奖励 R₁ … R_{n} 为 "
             f"{num(rewards)}，γ = {num(gamma)}。",
             r"G_t = \sum_{k=0}^{T-t-1} \gamma^k R_{t+k+1}"),
        Step(f"From the start: G₀ = {shown} = {num(returns[0])}",
             f"从起点：G₀ = {shown} = {num(returns[0])}",
             f"G_0 = {latex_shown} = {latex_num(returns[0])}", returns[0]),
        Step(f"Backwards, Gₜ = Rₜ₊₁ + γ·Gₜ₊₁ from G_{n} = 0: G₀ … G_{n - 1} = {num(returns)}",
             f"反向递推 Gₜ = Rₜ₊₁ + γ·Gₜ₊₁，从 G_{n} = 0 开始：G₀ … G_{n - 1} = {num(returns)}",
             rf"G_t = R_{{t+1}} + \gamma G_{{t+1}}:\ {latex_vec(returns)}", returns),
    ]
    return Solution({"g": returns[0], "returns": returns}, steps)


# ---------------------------------------------------------------- one-sample TD updates


def _td_update(method: str, q, reward, next_value, alpha, gamma, terminal,
               pick_en: str, pick_zh: str, pick_latex: str) -> Solution:
    target = reward if terminal else reward + gamma * next_value
    error = target - q
    new_q = q + alpha * error
    if method == "q":
        rule_en = ("Convention: Q-learning (off-policy): the target uses the best next action, "
                   "target = r + γ·max_a' Q(s', a'); Q(s, a) ← Q(s, a) + α·(target − Q(s, a)).")
        rule_zh = ("约定：Q-learning（离策略）：目标使用下一状态中最好的动作，target = r + γ·max_a' "
                   "Q(s', a')；Q(s, a) ← Q(s, a) + α·(target − Q(s, a))。")
        rule_latex = (r"Q(s,a) \leftarrow Q(s,a) + \alpha\,[r + \gamma \max_{a'} Q(s',a') - "
                      r"Q(s,a)]")
    else:
        rule_en = ("Convention: SARSA (on-policy): the target uses the next action a' the policy "
                   "actually takes, target = r + γ·Q(s', a'); Q(s, a) ← Q(s, a) + α·(target − "
                   "Q(s, a)).")
        rule_zh = ("约定：SARSA（同策略）：目标使用策略实际选择的下一个动作 a'，target = r + γ·"
                   "Q(s', a')；Q(s, a) ← Q(s, a) + α·(target − Q(s, a))。")
        rule_latex = r"Q(s,a) \leftarrow Q(s,a) + \alpha\,[r + \gamma Q(s',a') - Q(s,a)]"
    steps = [Step(rule_en, rule_zh, rule_latex)]
    if terminal:
        steps.append(Step(
            f"s' is terminal: there is no next action, so target = r = {num(target)}",
            f"s' 是终止状态：没有下一个动作，所以 target = r = {num(target)}",
            rf"\text{{target}} = r = {latex_num(target)}", target))
    else:
        steps.append(Step(pick_en, pick_zh, pick_latex, next_value))
        steps.append(Step(
            f"target = r + γ·{paren(next_value)} = {num(reward)} + {num(gamma)}·"
            f"{paren(next_value)} = {num(target)}",
            f"目标 target = r + γ·{paren(next_value)} = {num(reward)} + {num(gamma)}·"
            f"{paren(next_value)} = {num(target)}",
            rf"\text{{target}} = {latex_num(reward)} + {latex_num(gamma)} \cdot "
            rf"{latex_paren(next_value)} = {latex_num(target)}", target))
    steps += [
        Step(f"TD error δ = target − Q(s, a) = {num(target)} − {paren(q)} = {num(error)}",
             f"TD 误差 δ = target − Q(s, a) = {num(target)} − {paren(q)} = {num(error)}",
             rf"\delta = {latex_num(target)} - {latex_paren(q)} = {latex_num(error)}", error),
        Step(f"New Q(s, a) = Q + α·δ = {num(q)} + {num(alpha)}·{paren(error)} = {num(new_q)}",
             f"新的 Q(s, a) = Q + α·δ = {num(q)} + {num(alpha)}·{paren(error)} = {num(new_q)}",
             rf"Q(s,a) \leftarrow {latex_num(q)} + {latex_num(alpha)} \cdot {latex_paren(error)}"
             rf" = {latex_num(new_q)}", new_q),
    ]
    return Solution({"td_target": target, "td_error": error, "new_q": new_q}, steps)


_TD_ANSWERS = [
    Answer("td_target", "float", "the TD target r + γ·(value of s')",
           doc_zh="TD 目标 r + γ·（s' 的价值）"),
    Answer("td_error", "float", "δ = target − Q(s, a)", doc_zh="TD 误差 δ = target − Q(s, a)"),
    Answer("new_q", "float", "the updated Q(s, a)", doc_zh="更新后的 Q(s, a)"),
]


def _td_params(next_q_doc: str, next_q_zh: str) -> list[Param]:
    return [
        Param("q", "float", "current estimate Q(s, a)", doc_zh="当前估计 Q(s, a)"),
        Param("reward", "float", "reward r of the transition", doc_zh="这次转移得到的奖励 r"),
        Param("next_q", "vec", next_q_doc, doc_zh=next_q_zh),
    ]


_STEP_PARAMS = [
    Param("alpha", "float", "learning rate α", doc_zh="学习率 α", min=0, max=1),
    Param("gamma", "float", "discount factor γ", doc_zh="折扣因子 γ", min=0, max=1),
    Param("terminal", "bool", "s' is terminal (the target is just r)",
          doc_zh="s' 是否为终止状态（此时目标就是 r）", default=False),
]


@solver(
    topic="rl",
    summary="One Q-learning update of Q(s, a) from a transition (s, a, r, s').",
    summary_zh="由一次转移 (s, a, r, s') 对 Q(s, a) 做一次 Q-learning 更新。",
    params=[
        *_td_params("Q(s', ·): the current estimates of every action in the next state",
                    "Q(s', ·)：下一状态中每个动作的当前估计"),
        *_STEP_PARAMS,
    ],
    answers=_TD_ANSWERS,
    examples=[
        dict(q=2, reward=1, next_q=[1, 4, 3], alpha=0.5, gamma=0.9),
        dict(q=0.5, reward=10, next_q=[0, 0], alpha=0.1, gamma=0.99, terminal=True),
    ],
)
def q_learning_update(q, reward, next_q, alpha, gamma, terminal) -> Solution:
    """target = r + γ·max_a' Q(s', a') (= r when s' is terminal); δ = target − Q(s, a);
    Q(s, a) ← Q(s, a) + α·δ (Watkins; Sutton & Barto eq. 6.8)."""
    best = max(next_q)
    return _td_update(
        "q", q, reward, best, alpha, gamma, terminal,
        f"Best next value max_a' Q(s', a') = max{num(next_q)} = {num(best)}",
        f"下一状态的最大值 max_a' Q(s', a') = max{num(next_q)} = {num(best)}",
        rf"\max_{{a'}} Q(s',a') = \max {latex_vec(next_q)} = {latex_num(best)}")


@solver(
    topic="rl",
    summary="One SARSA update of Q(s, a) from (s, a, r, s', a').",
    summary_zh="由 (s, a, r, s', a') 对 Q(s, a) 做一次 SARSA 更新。",
    params=[
        *_td_params("Q(s', ·): the current estimates of every action in the next state",
                    "Q(s', ·)：下一状态中每个动作的当前估计"),
        Param("next_action", "int", "index of the action a' the policy takes in s' (from 0)",
              doc_zh="策略在 s' 中实际选择的动作 a' 的下标（从 0 开始）", min=0, max=10_000),
        *_STEP_PARAMS,
    ],
    answers=_TD_ANSWERS,
    examples=[
        dict(q=2, reward=1, next_q=[1, 4, 3], next_action=0, alpha=0.5, gamma=0.9),
        dict(q=-1, reward=-1, next_q=[-2, -3], next_action=1, alpha=0.1, gamma=1.0),
    ],
)
def sarsa_update(q, reward, next_q, next_action, alpha, gamma, terminal) -> Solution:
    """target = r + γ·Q(s', a') with a' the action actually taken next (= r when s' is
    terminal); δ = target − Q(s, a); Q(s, a) ← Q(s, a) + α·δ (Sutton & Barto eq. 6.7)."""
    if next_action >= len(next_q):
        raise SolverInputError("next_action", f"is {next_action}, but next_q has only "
                               f"{len(next_q)} actions (indices 0..{len(next_q) - 1})")
    value = next_q[next_action]
    return _td_update(
        "sarsa", q, reward, value, alpha, gamma, terminal,
        f"Value of the action taken next: Q(s', a'={next_action}) = {num(value)} "
        f"(not the max {num(max(next_q))} that Q-learning would use)",
        f"下一步实际采取的动作的价值：Q(s', a'={next_action}) = {num(value)}"
        f"（而不是 Q-learning 使用的最大值 {num(max(next_q))}）",
        rf"Q(s', a'{{=}}{next_action}) = {latex_num(value)}")


# ---------------------------------------------------------------- one backup


@solver(
    topic="rl",
    summary="One Bellman backup of Q(s, a) from the outcomes of (s, a): optimality "
            "(Q-value iteration) or expectation under a policy.",
    summary_zh="根据 (s, a) 的各个结果对 Q(s, a) 做一次贝尔曼备份：最优方程（Q 值迭代）或策略下的期望方程。",
    params=[
        Param("probs", "vec", "P(s' | s, a) of each outcome", doc_zh="每个结果的概率 P(s' | s, a)"),
        Param("rewards", "vec", "reward r of each outcome", doc_zh="每个结果的奖励 r"),
        Param("next_q", "mat", "one row per outcome: Q_i(s', ·) of its next state",
              doc_zh="每个结果一行：其下一状态的 Q_i(s', ·)"),
        Param("gamma", "float", "discount factor γ", doc_zh="折扣因子 γ", min=0, max=1),
        Param("form", "str", "optimality: max over a'; expectation: Σ π(a'|s')·Q",
              doc_zh="optimality：对 a' 取最大；expectation：按策略 Σ π(a'|s')·Q",
              default="optimality", choices=("optimality", "expectation")),
        Param("policy", "mat", "expectation form: one row per outcome, π(· | s'); uniform "
              "if not given", doc_zh="期望形式：每个结果一行 π(· | s')；未给出时取均匀策略",
              default=None),
    ],
    answers=[
        Answer("next_values", "vec", "value of each next state: max_a' Q or Σ π·Q",
               doc_zh="每个下一状态的价值：max_a' Q 或 Σ π·Q"),
        Answer("targets", "vec", "r + γ·(value of s') for each outcome",
               doc_zh="每个结果的 r + γ·（s' 的价值）"),
        Answer("q", "float", "the backed-up Q_{i+1}(s, a)", doc_zh="备份后的 Q_{i+1}(s, a)"),
    ],
    examples=[
        dict(probs=[0.8, 0.2], rewards=[1, -1], next_q=[[2, 4], [0, 3]], gamma=0.9),
        dict(probs=[1], rewards=[0], next_q=[[2, 4]], gamma=0.5, form="expectation",
             policy=[[0.5, 0.5]]),
    ],
)
def bellman_backup(probs, rewards, next_q, gamma, form, policy) -> Solution:
    """optimality: Q_{i+1}(s, a) = Σ_{s'} P(s'|s,a)·[r + γ·max_a' Q_i(s', a')] (the
    Q-value iteration update, E[r + γ max_a' Q_i(s', a') | s, a]); expectation:
    Q_{i+1}(s, a) = Σ_{s'} P(s'|s,a)·[r + γ·Σ_a' π(a'|s')·Q_i(s', a')]. The reward r is
    that of each outcome; a missing policy is uniform."""
    n = len(probs)
    if len(rewards) != n:
        raise SolverInputError("rewards", f"expected one reward per outcome ({n}), got "
                               f"{len(rewards)}")
    if len(next_q) != n:
        raise SolverInputError("next_q", f"expected one row per outcome ({n}), got {len(next_q)}")
    _check_probs("probs", probs)
    n_actions = len(next_q[0])
    if form == "expectation":
        if policy is None:
            policy = [[1.0 / n_actions] * n_actions for _ in range(n)]
            note_en, note_zh = " (policy not given: uniform)", "（未给出策略：取均匀策略）"
        else:
            note_en = note_zh = ""
            if len(policy) != n or len(policy[0]) != n_actions:
                raise SolverInputError("policy", f"expected {n} x {n_actions} (outcomes x "
                                       f"actions), got {len(policy)} x {len(policy[0])}")
            for k, row in enumerate(policy):
                _check_probs("policy", row, f"row {k}: ")
        next_values = [fsum(p * v for p, v in zip(pi, row))
                       for pi, row in zip(policy, next_q)]
        how_en = [f"Σ π·Q = {' + '.join(f'{num(p)}·{paren(v)}' for p, v in zip(pi, row))} = "
                  f"{num(nv)}" for pi, row, nv in zip(policy, next_q, next_values)]
        rule_en = ("Convention: Bellman expectation backup for a policy π: Q_{i+1}(s, a) = "
                   f"Σ_s' P(s'|s,a)·[r + γ·Σ_a' π(a'|s')·Q_i(s', a')]{note_en}.")
        rule_zh = ("约定：策略 π 下的贝尔曼期望备份：Q_{i+1}(s, a) = Σ_s' P(s'|s,a)·[r + γ·"
                   f"Σ_a' π(a'|s')·Q_i(s', a')]{note_zh}。")
        rule_latex = (r"Q_{i+1}(s,a) = \sum_{s'} P(s' \mid s,a)\,\big[r + \gamma \sum_{a'} "
                      r"\pi(a' \mid s')\, Q_i(s',a')\big]")
        value_latex = r"\textstyle\sum_{a'} \pi(a' \mid s') Q_i(s',a')"
    else:
        next_values = [max(row) for row in next_q]
        how_en = [f"max{num(row)} = {num(nv)}" for row, nv in zip(next_q, next_values)]
        rule_en = ("Convention: Bellman optimality backup (Q-value iteration): Q_{i+1}(s, a) = "
                   "E[r + γ·max_a' Q_i(s', a') | s, a] = Σ_s' P(s'|s,a)·[r + γ·max_a' "
                   "Q_i(s', a')]; do not forget γ.")
        rule_zh = ("约定：贝尔曼最优备份（Q 值迭代）：Q_{i+1}(s, a) = E[r + γ·max_a' Q_i(s', a') | "
                   "s, a] = Σ_s' P(s'|s,a)·[r + γ·max_a' Q_i(s', a')]；别忘了折扣因子 γ。")
        rule_latex = (r"Q_{i+1}(s,a) = \mathbb{E}\big[r + \gamma \max_{a'} Q_i(s',a') \mid "
                      r"s,a\big]")
        value_latex = r"\max_{a'} Q_i(s',a')"
    targets = [r + gamma * v for r, v in zip(rewards, next_values)]
    q = fsum(p * t for p, t in zip(probs, targets))
    steps = [
        Step(rule_en, rule_zh, rule_latex),
        Step("Value of each next state: " + "; ".join(how_en),
             "每个下一状态的价值：" + "；".join(how_en),
             rf"{value_latex} = {latex_vec(next_values)}", next_values),
        Step("Target of each outcome r + γ·value: " + "; ".join(
                 f"{num(r)} + {num(gamma)}·{paren(v)} = {num(t)}"
                 for r, v, t in zip(rewards, next_values, targets)),
             "每个结果的目标 r + γ·价值：" + "；".join(
                 f"{num(r)} + {num(gamma)}·{paren(v)} = {num(t)}"
                 for r, v, t in zip(rewards, next_values, targets)),
             rf"r + \gamma\, v(s') = {latex_vec(targets)}", targets),
        Step("Weighted by the probabilities: Q = " + " + ".join(
                 f"{num(p)}·{paren(t)}" for p, t in zip(probs, targets)) + f" = {num(q)}",
             "按概率加权：Q = " + " + ".join(
                 f"{num(p)}·{paren(t)}" for p, t in zip(probs, targets)) + f" = {num(q)}",
             r"Q_{i+1}(s,a) = " + " + ".join(
                 rf"{latex_num(p)} \cdot {latex_paren(t)}" for p, t in zip(probs, targets))
             + f" = {latex_num(q)}", q),
    ]
    filled = {"policy": policy} if form == "expectation" else {}
    return Solution({"next_values": next_values, "targets": targets, "q": q}, steps, filled)


# ---------------------------------------------------------------- exploration


@solver(
    topic="rl",
    summary="Action probabilities of an ε-greedy policy over Q(s, ·).",
    summary_zh="ε-贪心策略在 Q(s, ·) 上的各动作概率。",
    params=[
        Param("q", "vec", "Q(s, ·): the estimate of every action", doc_zh="Q(s, ·)：每个动作的估计"),
        Param("epsilon", "float", "exploration rate ε", doc_zh="探索率 ε", min=0, max=1),
    ],
    answers=[
        Answer("probs", "vec", "probability of each action", doc_zh="每个动作被选中的概率"),
        Answer("greedy", "int", "index of the greedy action (first on ties)",
               doc_zh="贪心动作的下标（并列时取第一个）"),
    ],
    examples=[dict(q=[1, 3, 2, 0], epsilon=0.2), dict(q=[0.5, 0.5], epsilon=0.1)],
)
def epsilon_greedy(q, epsilon) -> Solution:
    """With probability ε a uniformly random action, otherwise the greedy one:
    π(a|s) = ε/|A| + (1 − ε)·[a = argmax Q(s, ·)], the first greedy action on ties."""
    n = len(q)
    greedy = argmax_first(q)
    share = epsilon / n
    probs = [share + (1.0 - epsilon if a == greedy else 0.0) for a in range(n)]
    steps = [
        Step(f"Convention: ε-greedy: explore with probability ε = {num(epsilon)} (a uniformly "
             f"random action among {n}), otherwise exploit the greedy action; so the greedy "
             f"action gets ε/|A| + 1 − ε and every other ε/|A|.",
             f"约定：ε-贪心：以概率 ε = {num(epsilon)} 探索（在 {n} 个动作中均匀随机选），否则利用"
             f"贪心动作；因此贪心动作的概率为 ε/|A| + 1 − ε，其余每个为 ε/|A|。",
             r"\pi(a \mid s) = \frac{\varepsilon}{|A|} + (1-\varepsilon)\,"
             r"[a = \arg\max_{a'} Q(s,a')]"),
        Step(f"Greedy action: argmax{num(q)} = {greedy} (the first on ties)",
             f"贪心动作：argmax{num(q)} = {greedy}（并列时取第一个）",
             rf"\arg\max_a Q(s,a) = {greedy}", greedy),
        Step(f"ε/|A| = {num(epsilon)}/{n} = {num(share)}; greedy: {num(share)} + "
             f"{num(1 - epsilon)} = {num(probs[greedy])}. Probabilities: {num(probs)}",
             f"ε/|A| = {num(epsilon)}/{n} = {num(share)}；贪心动作：{num(share)} + "
             f"{num(1 - epsilon)} = {num(probs[greedy])}。各动作概率：{num(probs)}",
             rf"\pi(\cdot \mid s) = {latex_vec(probs)}", probs),
    ]
    return Solution({"probs": probs, "greedy": greedy}, steps)


# ---------------------------------------------------------------- dynamic programming


_MDP_PARAMS = [
    Param("transitions", "json", "transitions[s][a] = [[prob, next_state, reward], ...] "
          "(states and actions from 0)",
          doc_zh="transitions[s][a] = [[概率, 下一状态, 奖励], ...]（状态和动作从 0 编号）"),
    Param("gamma", "float", "discount factor γ", doc_zh="折扣因子 γ", min=0, max=1),
]
_SWEEP_PARAMS = [
    Param("iterations", "int", "number of synchronous sweeps K", doc_zh="同步扫描的轮数 K",
          min=1, max=MAX_ITERATIONS),
    Param("v0", "vec", "initial values V₀ (zeros if not given)",
          doc_zh="初始价值 V₀（未给出时为 0）", default=None),
]
# Berkeley CS188's racing MDP: states cool, warm, overheated; actions slow, fast.
_RACING = [
    [[[1, 0, 1]], [[0.5, 0, 2], [0.5, 1, 2]]],
    [[[0.5, 0, 1], [0.5, 1, 1]], [[1, 2, -10]]],
    [[[1, 2, 0]], [[1, 2, 0]]],
]


def _sweep_steps(k: int, mdp, values_before, gamma, q, values_after, how: str) -> list[Step]:
    """The steps of sweep k: each Q written out on a small MDP, then V_k."""
    steps = []
    small = sum(len(row) for row in mdp) <= DETAIL_CELLS and k <= 2
    if small:
        steps += _sweep_detail(mdp, values_before, gamma, q, k)
    per_state = "; ".join(f"{s}: {num(row)} → {num(v)}" for s, (row, v) in
                          enumerate(zip(q, values_after)))
    if how == "max":
        text_en = f"Sweep {k}: V_{k}(s) = max_a Q_{k}(s, a)"
        text_zh = f"第 {k} 轮：V_{k}(s) = max_a Q_{k}(s, a)"
    else:
        text_en, text_zh = (f"Sweep {k}: V_{k}(s) = Σ_a π(a|s)·Q_{k}(s, a)",
                            f"第 {k} 轮：V_{k}(s) = Σ_a π(a|s)·Q_{k}(s, a)")
    if len(mdp) <= 6:
        text_en += f" (state: Q_{k}(s, ·) → V_{k}(s); {per_state})"
        text_zh += f"（状态：Q_{k}(s, ·) → V_{k}(s)；{per_state}）"
    steps.append(Step(f"{text_en}: V_{k} = {num(values_after)}",
                      f"{text_zh}：V_{k} = {num(values_after)}",
                      rf"V_{{{k}}} = {latex_vec(values_after)}", values_after))
    return steps


def _gap_step(first: int, last: int) -> Step:
    return Step(f"Sweeps {first} to {last} repeat the same backup (every V_k is in the answer).",
                f"第 {first} 至 {last} 轮重复同样的备份（每一轮的 V_k 都在答案中）。",
                rf"V_k \text{{ for }} k = {first} \text{{ to }} {last}")


@solver(
    topic="rl",
    summary="Value iteration on a small MDP: V_k for each synchronous sweep and the greedy "
            "policy.",
    summary_zh="小型 MDP 上的值迭代：每轮同步扫描后的 V_k 以及贪心策略。",
    params=[*_MDP_PARAMS, *_SWEEP_PARAMS],
    answers=[
        Answer("values", "mat", "V₁ … V_K, one vector per sweep (V₀ not included)",
               doc_zh="V₁ … V_K，每轮一个向量（不含 V₀）"),
        Answer("policy", "vec", "greedy action index per state on V_K (first on ties)",
               doc_zh="基于 V_K 的每个状态的贪心动作下标（并列取第一个）"),
    ],
    examples=[
        # Berkeley CS188 racing MDP, γ = 1: V₁ = [2, 1, 0], V₂ = [3.5, 2.5, 0].
        dict(transitions=_RACING, gamma=1, iterations=2),
        dict(transitions=[[[[1, 0, 0]], [[1, 1, 1]]], [[[1, 1, 2]], [[1, 0, 0]]]],
             gamma=0.9, iterations=3, v0=[0, 0]),
    ],
)
def value_iteration(transitions, gamma, iterations, v0) -> Solution:
    """V_k(s) = max_a Σ_{s'} p·(r + γ·V_{k−1}(s')), k = 1 … K, synchronous (each sweep reads
    only V_{k−1}); `values` = V₁ … V_K (V₀ not included). `policy` is greedy on V_K:
    π(s) = argmax_a Σ p·(r + γ·V_K(s')), the first action on ties."""
    mdp = check_transitions(transitions)
    values = _check_v0(v0, len(mdp))
    _check_work(mdp, iterations)
    steps = [Step(
        f"Convention: synchronous value iteration, V_k(s) = max_a Σ_s' p·(r + γ·V_(k−1)(s')), "
        f"γ = {num(gamma)}, from V₀ = {num(values)}; each sweep uses only the previous V.",
        f"约定：同步值迭代，V_k(s) = max_a Σ_s' p·(r + γ·V_(k−1)(s'))，γ = {num(gamma)}，从 "
        f"V₀ = {num(values)} 开始；每一轮只使用上一轮的 V。",
        r"V_k(s) = \max_a \sum_{s'} p(s' \mid s,a)\,[r + \gamma V_{k-1}(s')]")]
    history = []
    for k in range(1, iterations + 1):
        q = _q_table(mdp, values, gamma)
        new = [max(row) for row in q]
        if k <= SHOWN_SWEEPS or k == iterations:
            if k == iterations and k > SHOWN_SWEEPS + 1:
                steps.append(_gap_step(SHOWN_SWEEPS + 1, k - 1))
            steps += _sweep_steps(k, mdp, values, gamma, q, new, "max")
        values = new
        history.append(values)
    q = _q_table(mdp, values, gamma)
    policy = [argmax_first(row) for row in q]
    steps.append(Step(
        f"Greedy policy on V_{iterations}: π(s) = argmax_a Σ p·(r + γ·V_{iterations}(s')) "
        f"(first action on ties); Q = {num(q)} → π = {num(policy)}",
        f"基于 V_{iterations} 的贪心策略：π(s) = argmax_a Σ p·(r + γ·V_{iterations}(s'))（并列取"
        f"第一个动作）；Q = {num(q)} → π = {num(policy)}",
        rf"\pi(s) = \arg\max_a \sum_{{s'}} p\,[r + \gamma V_{{{iterations}}}(s')] = "
        rf"{latex_vec(policy)}", policy))
    return Solution({"values": history, "policy": policy}, steps,
                    filled={"v0": _check_v0(v0, len(mdp))})


@solver(
    topic="rl",
    summary="Iterative policy evaluation: V_k for each synchronous sweep under a fixed policy.",
    summary_zh="迭代策略评估：固定策略下每轮同步扫描后的 V_k。",
    params=[
        _MDP_PARAMS[0],
        Param("policy", "mat", "π(a | s): one row per state, one column per action",
              doc_zh="π(a | s)：每个状态一行，每个动作一列"),
        _MDP_PARAMS[1],
        *_SWEEP_PARAMS,
    ],
    answers=[Answer("values", "mat", "V₁ … V_K, one vector per sweep (V₀ not included)",
                    doc_zh="V₁ … V_K，每轮一个向量（不含 V₀）")],
    examples=[
        dict(transitions=_RACING, policy=[[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], gamma=1,
             iterations=2),
        dict(transitions=[[[[1, 0, 0]], [[1, 1, 1]]], [[[1, 1, 2]], [[1, 0, 0]]]],
             policy=[[0, 1], [1, 0]], gamma=0.5, iterations=2),
    ],
)
def policy_evaluation(transitions, policy, gamma, iterations, v0) -> Solution:
    """V_k(s) = Σ_a π(a|s) Σ_{s'} p·(r + γ·V_{k−1}(s')), k = 1 … K, synchronous (each sweep
    reads only V_{k−1}: the two-array version of Sutton & Barto §4.1); `values` = V₁ … V_K."""
    mdp = check_transitions(transitions)
    if len(policy) != len(mdp):
        raise SolverInputError("policy", f"expected one row per state ({len(mdp)}), got "
                               f"{len(policy)}")
    for s, (row, actions) in enumerate(zip(policy, mdp)):
        if len(row) != len(actions):
            raise SolverInputError("policy", f"row {s} has {len(row)} entries but state {s} "
                                   f"has {len(actions)} actions")
        _check_probs("policy", row, f"row {s}: ")
    values = _check_v0(v0, len(mdp))
    _check_work(mdp, iterations)
    steps = [Step(
        f"Convention: synchronous iterative policy evaluation, V_k(s) = Σ_a π(a|s)·Σ_s' "
        f"p·(r + γ·V_(k−1)(s')), γ = {num(gamma)}, π = {num(policy)}, from V₀ = {num(values)}.",
        f"约定：同步迭代策略评估，V_k(s) = Σ_a π(a|s)·Σ_s' p·(r + γ·V_(k−1)(s'))，γ = "
        f"{num(gamma)}，π = {num(policy)}，从 V₀ = {num(values)} 开始。",
        r"V_k(s) = \sum_a \pi(a \mid s) \sum_{s'} p(s' \mid s,a)\,[r + \gamma V_{k-1}(s')]")]
    history = []
    for k in range(1, iterations + 1):
        q = _q_table(mdp, values, gamma)
        new = [fsum(p * v for p, v in zip(pi, row)) for pi, row in zip(policy, q)]
        if k <= SHOWN_SWEEPS or k == iterations:
            if k == iterations and k > SHOWN_SWEEPS + 1:
                steps.append(_gap_step(SHOWN_SWEEPS + 1, k - 1))
            steps += _sweep_steps(k, mdp, values, gamma, q, new, "mean")
        values = new
        history.append(values)
    return Solution({"values": history}, steps, filled={"v0": _check_v0(v0, len(mdp))})


def _check_names(action_names, n_actions: int) -> list[str]:
    if action_names is None:
        return [f"a{a}" for a in range(n_actions)]
    if (not isinstance(action_names, list)
            or not all(isinstance(n, str) and n.strip() for n in action_names)):
        raise SolverInputError("action_names", "expected a list of non-empty words, one per "
                               "action")
    if len(action_names) != n_actions:
        raise SolverInputError("action_names", f"expected {n_actions} names (one per action), "
                               f"got {len(action_names)}")
    if len({n.strip().lower() for n in action_names}) != n_actions:
        raise SolverInputError("action_names", "names must differ from each other")
    return [n.strip() for n in action_names]


@solver(
    topic="rl",
    summary="Greedy policy by action name on V (policy improvement), after K sweeps of value "
            "iteration if asked.",
    summary_zh="基于 V 的按动作名称给出的贪心策略（策略改进）；可先做 K 轮值迭代。",
    params=[
        *_MDP_PARAMS,
        Param("action_names", "json", "a name for each action index, e.g. [\"left\", \"right\"]",
              doc_zh="每个动作下标的名称，如 [\"left\", \"right\"]", default=None),
        Param("values", "vec", "V to act greedily on, or V₀ for the sweeps (zeros if not "
              "given)", doc_zh="作为贪心依据的 V，或值迭代的初始 V₀（未给出时为 0）", default=None),
        Param("iterations", "int", "sweeps of value iteration to run on `values` first (0: "
              "none)", doc_zh="先对 values 做几轮值迭代（0 表示不做）", default=0, min=0,
              max=MAX_ITERATIONS),
    ],
    answers=[
        Answer("v", "vec", "the V the policy is greedy on", doc_zh="贪心策略所依据的 V"),
        Answer("q", "mat", "Q(s, a) = Σ p·(r + γ·V(s')), states x actions",
               doc_zh="Q(s, a) = Σ p·(r + γ·V(s'))，状态 x 动作"),
        Answer("actions", "vec", "greedy action index per state (first on ties)",
               doc_zh="每个状态的贪心动作下标（并列取第一个）"),
        Answer("policy", "list", "greedy action name per state", doc_zh="每个状态的贪心动作名称"),
    ],
    examples=[
        dict(transitions=_RACING, gamma=1, action_names=["slow", "fast"], iterations=2),
        dict(transitions=[[[[1, 0, 0]], [[1, 1, 1]]], [[[1, 1, 2]], [[1, 0, 0]]]], gamma=0.9,
             action_names=["stay", "go"], values=[5, 10]),
    ],
)
def greedy_policy(transitions, gamma, action_names, values, iterations) -> Solution:
    """First `iterations` sweeps of synchronous value iteration from `values` (none by
    default), then Q(s, a) = Σ_{s'} p·(r + γ·V(s')) and π(s) = argmax_a Q(s, a), the first
    action on ties, reported by name (policy improvement, Sutton & Barto §4.2). Every
    state must offer the same actions."""
    mdp = check_transitions(transitions)
    n_actions = len(mdp[0])
    if any(len(row) != n_actions for row in mdp):
        raise SolverInputError("transitions", "every state must list the same number of "
                               "actions (the action names are shared)")
    names = _check_names(action_names, n_actions)
    start = _check_v0(values, len(mdp), "values")
    _check_work(mdp, iterations)
    v = start
    steps = []
    if iterations:
        steps.append(Step(
            f"First {iterations} sweep(s) of synchronous value iteration from V₀ = {num(v)}: "
            f"V_k(s) = max_a Σ p·(r + γ·V_(k−1)(s')), γ = {num(gamma)}.",
            f"先从 V₀ = {num(v)} 做 {iterations} 轮同步值迭代：V_k(s) = max_a Σ p·(r + γ·"
            f"V_(k−1)(s'))，γ = {num(gamma)}。",
            r"V_k(s) = \max_a \sum_{s'} p\,[r + \gamma V_{k-1}(s')]"))
        for k in range(1, iterations + 1):
            q = _q_table(mdp, v, gamma)
            new = [max(row) for row in q]
            if k <= SHOWN_SWEEPS or k == iterations:
                if k == iterations and k > SHOWN_SWEEPS + 1:
                    steps.append(_gap_step(SHOWN_SWEEPS + 1, k - 1))
                steps += _sweep_steps(k, mdp, v, gamma, q, new, "max")
            v = new
    q = _q_table(mdp, v, gamma)
    actions = [argmax_first(row) for row in q]
    policy = [names[a] for a in actions]
    legend = [f"{a} = {n}" for a, n in enumerate(names)]
    steps.append(Step(
        f"Convention: greedy (policy improvement) on V = {num(v)}: Q(s, a) = Σ p·(r + γ·V(s')), "
        f"π(s) = argmax_a Q(s, a), the first action on ties; actions {', '.join(legend)}.",
        f"约定：基于 V = {num(v)} 取贪心（策略改进）：Q(s, a) = Σ p·(r + γ·V(s'))，π(s) = "
        f"argmax_a Q(s, a)，并列取第一个动作；动作 {'，'.join(legend)}。",
        r"\pi(s) = \arg\max_a \sum_{s'} p(s' \mid s,a)\,[r + \gamma V(s')]"))
    for s, row in enumerate(q):
        steps.append(Step(
            f"State {s}: Q = {num(row)} → {names[actions[s]]}",
            f"状态 {s}：Q = {num(row)} → {names[actions[s]]}",
            rf"Q({s}, \cdot) = {latex_vec(row)} \Rightarrow \pi({s}) = {actions[s]}", row))
    return Solution({"v": v, "q": q, "actions": actions, "policy": policy}, steps,
                    filled={"values": start, "action_names": names})
