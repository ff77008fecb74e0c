"""Exports of the banks to other tools: Moodle XML (`moodle`) and Anki decks (`anki`).

Both draw their questions through `variants` (one seed in, the same questions out) and
set them as HTML with TeX for MathJax through `html`; nothing here prints or reads a file
except `write_*`, which writes the one output file.
"""
