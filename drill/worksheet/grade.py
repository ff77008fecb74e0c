"""Grade returned answers: one CSV row per student (variant code, name, one column per
problem number), graded with the answer kinds the quiz uses (`KINDS[kind].read` and
`.compare`, the same tolerances). A problem with several answer fields takes them in one
cell separated by `|`. Verdicts per problem: right, wrong, partial, unreadable (typed
but cannot be read: 0 points, flagged so a person looks), missing (empty: 0 points),
by_hand (a short answer: not scored here).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Callable

from drill.engine.answer_parse import AnswerParseError
from drill.engine.kinds import KINDS
from drill.worksheet.sheet import Sheet

MAX_CSV_BYTES = 2_000_000
MAX_ROWS = 5000
MAX_CELL = 2000


class GradeInputError(ValueError):
    """A CSV that cannot be graded at all; one line says why."""


@dataclass
class ProblemGrade:
    number: int
    verdict: str
    score: float
    points: int
    expected: str


@dataclass
class StudentGrade:
    code: str
    name: str
    problems: list[ProblemGrade] = field(default_factory=list)
    error: str = ""

    @property
    def score(self) -> float:
        return sum(p.score for p in self.problems)

    @property
    def points(self) -> int:
        return sum(p.points for p in self.problems if p.verdict != "by_hand")


def read_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    if len(text.encode("utf-8")) > MAX_CSV_BYTES:
        raise GradeInputError(f"over {MAX_CSV_BYTES} bytes")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "code" not in header:
        raise GradeInputError("needs a header row with a `code` column (then name, 1, 2, ...)")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise GradeInputError(f"over {MAX_ROWS} rows")
        rows.append({k: (v or "").strip()[:MAX_CELL] for k, v in row.items() if k})
    return header, rows


def grade_problem(question, cell: str, number: int, points: int, lang: str) -> ProblemGrade:
    fields = question.fields
    expected = " | ".join(f.shown_expected(lang) if f.kind != "text" else "…" for f in fields)
    if not cell:
        return ProblemGrade(number, "missing", 0.0, points, expected)
    if any(f.kind == "text" for f in fields):
        return ProblemGrade(number, "by_hand", 0.0, points, expected)
    texts = [t.strip() for t in cell.split("|")] if len(fields) > 1 else [cell]
    if len(texts) != len(fields):
        return ProblemGrade(number, "unreadable", 0.0, points, expected)
    right = unreadable = 0
    for f, typed in zip(fields, texts):
        kind = KINDS[f.kind]
        try:
            right += bool(kind.compare(kind.read(typed, f), f))
        except AnswerParseError:
            unreadable += 1  # this part scores 0; the readable parts keep their credit
    verdict = "unreadable" if unreadable else "right" if right == len(fields) \
        else "wrong" if right == 0 else "partial"
    return ProblemGrade(number, verdict, points * right / len(fields), points, expected)


def grade_rows(rows: list[dict[str, str]], sheet_for: Callable[[str], Sheet]) -> list[StudentGrade]:
    """Every row graded against the sheet its code rebuilds; a bad code is reported on
    that student's row (error), not as a failure of the whole file."""
    out = []
    for row in rows:
        code, name = row.get("code", ""), row.get("name", "")
        try:
            sheet = sheet_for(code)
        except ValueError as err:
            out.append(StudentGrade(code, name, error=str(err)))
            continue
        grade = StudentGrade(code, name)
        for p in sheet.problems:
            grade.problems.append(grade_problem(p.question, row.get(str(p.number), ""),
                                                p.number, p.points, sheet.lang))
        out.append(grade)
    return out


def gradebook_csv(grades: list[StudentGrade]) -> str:
    """code, name, score, out_of, percent, then each problem's score (a gradebook import)."""
    numbers = sorted({p.number for g in grades for p in g.problems})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "name", "score", "out_of", "percent"] + [f"p{n}" for n in numbers]
                    + ["note"])
    for g in grades:
        by_number = {p.number: p for p in g.problems}
        percent = round(100 * g.score / g.points, 1) if g.points else ""
        cells = []
        for n in numbers:
            p = by_number.get(n)
            cells.append("" if p is None or p.verdict == "by_hand" else _fmt(p.score))
        flags = [f"{p.number}:{p.verdict}" for p in g.problems
                 if p.verdict in ("unreadable", "by_hand")]
        writer.writerow([g.code, g.name, _fmt(g.score), g.points, percent] + cells
                        + [g.error or " ".join(flags)])
    return buffer.getvalue()


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"
