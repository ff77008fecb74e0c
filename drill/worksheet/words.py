"""The words printed on a sheet, in en and zh (the CLI's messages are in drill.i18n)."""

from __future__ import annotations

WORDS = {
    "name": {"en": "Name", "zh": "姓名"},
    "date": {"en": "Date", "zh": "日期"},
    "student": {"en": "Student", "zh": "学生"},
    "code": {"en": "Variant code", "zh": "试卷编号"},
    "chapters": {"en": "Chapters", "zh": "章节"},
    "worksheet": {"en": "Worksheet", "zh": "练习题"},
    "key": {"en": "Answer key", "zh": "参考答案"},
    "answer": {"en": "Answer", "zh": "答案"},
    "steps": {"en": "Worked steps", "zh": "解题步骤"},
    "points": {"en": "{n} points", "zh": "{n} 分"},
    "points_each": {"en": "{count} × {each} = {n} points", "zh": "{count} 题 × {each} 分 = {n} 分"},
    "total": {"en": "Total: {n} points · suggested time: {minutes} minutes",
              "zh": "总分：{n} 分 · 建议用时：{minutes} 分钟"},
    "true_false": {"en": "True / False", "zh": "对 / 错"},
    "choose_all": {"en": "(choose all that apply)", "zh": "（多选）"},
    "by_hand": {"en": "graded by hand against the model answer",
                "zh": "对照参考答案人工评分"},
}


def word(key: str, lang: str, **values: object) -> str:
    entry = WORDS[key]
    return entry.get(lang, entry["en"]).format(**values)
