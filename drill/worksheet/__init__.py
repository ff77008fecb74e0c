"""Printable worksheets and mock exams: sheets of problems with keys, per-student
variants with codes, PDF (typst) / Markdown / typst output, and grading of returned
answers. Everything but `pdf.py` and `fonts.py` is pure logic."""
