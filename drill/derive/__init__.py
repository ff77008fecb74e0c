"""Derivations: symbolic answers graded by equivalence, and `drill check`.

parser (whitelist tokenizer + recursive descent -> a small AST, no sympy) ·
build (AST -> sympy) · equivalence (numeric points, then simplify, under a time
budget) · checker (a derivation, step by step) · grade (the `symbolic` answer kind's
comparer, registered in `drill.engine.kinds.SYMBOLIC_HOOK`) · messages (en/zh).
"""
