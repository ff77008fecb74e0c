"""The CLI's own words in English and simplified Chinese (bank texts carry their own)."""

from __future__ import annotations

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    "question": {"en": "Question {i}/{n}", "zh": "第 {i}/{n} 题"},
    "commands": {"en": "h = hint · s = skip · q = quit", "zh": "h = 提示 · s = 跳过 · q = 退出"},
    "your_answer": {"en": "Your answer", "zh": "你的答案"},
    "letters": {"en": "Letter", "zh": "选项字母"},
    "letters_multi": {"en": "Letters (choose all that apply)", "zh": "选项字母（多选，全部选出）"},
    "truefalse": {"en": "True or false (t/f)", "zh": "判断对错 (t/f)"},
    "correct": {"en": "✓ Correct", "zh": "✓ 正确"},
    "wrong": {"en": "✗ Not quite. Correct answer: {answer}", "zh": "✗ 不对。正确答案：{answer}"},
    "skipped": {"en": "Skipped. Answer: {answer}", "zh": "已跳过。答案：{answer}"},
    "part_right": {"en": "✓ {label} = {answer}", "zh": "✓ {label} = {answer}"},
    "part_wrong": {"en": "✗ {label}: you gave {given}, correct {answer}",
                   "zh": "✗ {label}：你的答案 {given}，正确答案 {answer}"},
    "hint": {"en": "Hint {i}/{n}: {text}", "zh": "提示 {i}/{n}：{text}"},
    "no_more_hints": {"en": "No more hints.", "zh": "没有更多提示了。"},
    "no_hints": {"en": "This question has no hints.", "zh": "这道题没有提示。"},
    "cannot_read": {"en": "Can't read that: {error}. Try again (h/s/q).",
                    "zh": "无法识别：{error}。请重新输入（h/s/q）。"},
    "worked": {"en": "Worked solution", "zh": "解题步骤"},
    "model_answer": {"en": "Model answer", "zh": "参考答案"},
    "self_grade": {"en": "Did you get it right? (y/n)", "zh": "你答对了吗？(y/n)"},
    "why": {"en": "Why: ", "zh": "解析："},
    "true": {"en": "true", "zh": "对"},
    "false": {"en": "false", "zh": "错"},
    "summary": {"en": "Score by topic", "zh": "各主题得分"},
    "col_topic": {"en": "Topic", "zh": "主题"},
    "col_asked": {"en": "Asked", "zh": "题数"},
    "col_right": {"en": "Right", "zh": "正确"},
    "col_wrong": {"en": "Wrong", "zh": "错误"},
    "col_skipped": {"en": "Skipped", "zh": "跳过"},
    "col_score": {"en": "Score", "zh": "得分"},
    "total": {"en": "Total", "zh": "合计"},
    "start": {"en": "{n} questions · seed {seed} ({command} repeats this quiz)",
              "zh": "共 {n} 题 · 种子 {seed}（{command} 可重做同一套题）"},
    "start_one": {"en": "1 question · seed {seed} ({command} repeats this quiz)"},
    "stopped": {"en": "Stopped after {done} of {n}.", "zh": "已在第 {done}/{n} 题后停止。"},
    "nothing": {"en": "No questions match these options.", "zh": "没有符合条件的题目。"},
    "broken_item": {"en": "Skipping {id}: {error}", "zh": "跳过 {id}：{error}"},
    "answers": {"en": "Answers", "zh": "答案"},
    "broken_bank": {"en": "broken", "zh": "无法使用"},
    "items_left_out": {"en": "{n} broken item(s) left out", "zh": "{n} 道有误的题目已略过"},
    "col_chapter": {"en": "Chapter", "zh": "章节"},
    "col_title": {"en": "Title", "zh": "标题"},
    "col_concept": {"en": "Conceptual", "zh": "概念题"},
    "col_numeric": {"en": "Numeric", "zh": "计算题"},
    "steps": {"en": "Steps", "zh": "步骤"},
    "solve_list_title": {"en": "drill solve NAME key=value ... [--json]",
                         "zh": "drill solve 名称 参数=值 ... [--json]"},
    "col_name": {"en": "name", "zh": "名称"},
    "col_computes": {"en": "what it computes", "zh": "计算内容"},
    "col_parameters": {"en": "parameters", "zh": "参数"},
    "col_kind": {"en": "kind", "zh": "类型"},
    "col_default": {"en": "default", "zh": "默认值"},
    "col_meaning": {"en": "meaning", "zh": "含义"},
    "col_answers": {"en": "answers", "zh": "答案"},
    "col_examples": {"en": "examples", "zh": "示例"},
    "required": {"en": "(required)", "zh": "（必填）"},
}


def t(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang` (English if missing), formatted with `values`; with
    n = 1, the singular `key_one` where English needs one."""
    if values.get("n") == 1 and f"{key}_one" in MESSAGES and lang == "en":
        key = f"{key}_one"
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**values)
