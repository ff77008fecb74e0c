"""Benchmark: start-up wall times of the CLI and problems generated per second.

    python bench/startup.py [--runs 15]

Prints the median wall time of `drill --help`, `drill list`, a quiz up to its first
question (answered with `q`) and one `drill solve`, each as a ratio to `python -c pass`
measured in the same run (machines differ; ratios travel); then problems per second for
every numeric template. Targets: --help ≤ 8×, list ≤ 10×, first question ≤ 15×.

The commands run as on a normal install: with bytecode caching (PYTHONDONTWRITEBYTECODE
is dropped from their environment, as some sandboxes set it and then every run would
recompile the project from source), a warm bank cache, and progress recording off.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"drill --help": 8, "drill list": 10, "quiz to first question": 15,
           "quiz to first numeric": 15}


def drill_command() -> list[str]:
    beside = Path(sys.executable).parent / "drill"
    found = str(beside) if beside.exists() else shutil.which("drill")
    return [found] if found else [sys.executable, "-m", "drill"]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["DRILL_DB"] = "off"  # measure start-up, not the first write of a progress store


def median_wall(cmd: list[str], runs: int, stdin: str | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, text=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup(runs: int) -> None:
    drill = drill_command()
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("drill --help", drill + ["--help"], None),
        ("drill list", drill + ["list"], None),
        ("quiz to first question", drill + ["quiz", "--chapter", "rnn", "--seed", "1"], "q\n"),
        ("quiz to first numeric", drill + ["quiz", "--chapter", "rnn", "--seed", "1",
                                           "--kind", "numeric"], "q\n"),
        ("drill solve lstm_step", drill + ["solve", "lstm_step", "x=[1]", "h_prev=[0]",
                                           "c_prev=[0]", "w_ih=[[1],[1],[1],[1]]",
                                           "w_hh=[[1],[1],[1],[1]]", "--json"], None),
    ]
    for _, cmd, stdin in cases:  # warm the bank cache and the bytecode caches
        subprocess.run(cmd, input=stdin, text=True, capture_output=True, env=ENV)
    base = None
    print(f"{'command':28} {'median s':>9} {'× pass':>7} {'target':>7}")
    for label, cmd, stdin in cases:
        t = median_wall(cmd, runs, stdin)
        base = t if base is None else base
        ratio = t / base
        target = f"≤{TARGETS[label]}×" if label in TARGETS else ""
        flag = "  OVER" if label in TARGETS and ratio > TARGETS[label] else ""
        print(f"{label:28} {t:9.3f} {ratio:6.1f}× {target:>7}{flag}")


def generation_rate(seconds_per_template: float) -> None:
    from drill.bank.load import load_chapters
    from drill.bank.model import NumericItem
    from drill.engine.generate import generate
    from solvers import get_solver

    print(f"\n{'template':40} {'problems/s':>11}")
    for bank in load_chapters()[0]:
        for item in bank.chapter.items:
            if not isinstance(item, NumericItem):
                continue
            spec = get_solver(item.solver)
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds_per_template:
                generate(item, count, spec)
                count += 1
            rate = count / (time.perf_counter() - start)
            print(f"{item.id:40} {rate:11.0f}")


def worksheet_variants(count: int = 30) -> None:
    """Seconds to make `count` exam variants as PDFs with their keys (target: < 10 s)."""
    import tempfile

    from drill.worksheet.codes import SheetSpec
    from drill.worksheet.fonts import font_setup
    from drill.worksheet.make import make_sheets
    from drill.worksheet.pdf import compile_typst
    from drill.worksheet.preset import load_preset
    from drill.worksheet.typst_doc import document

    start = time.perf_counter()
    sheets = make_sheets(SheetSpec((), 0, 1, exam=True), count, None, "en", load_preset())
    families, paths = font_setup("en", None)
    with tempfile.TemporaryDirectory() as folder:
        for sheet in sheets:
            pdf = compile_typst(document([sheet], families, with_key=True), paths)
            (Path(folder) / f"{sheet.code}.pdf").write_bytes(pdf)
    seconds = time.perf_counter() - start
    flag = "  OVER" if seconds > 10 else ""
    print(f"\n{count} variant PDFs with keys (exam) {seconds:9.2f} s  target <10 s{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=0.3, help="per template")
    args = parser.parse_args()
    startup(args.runs)
    generation_rate(args.seconds)
    worksheet_variants()


if __name__ == "__main__":
    main()
