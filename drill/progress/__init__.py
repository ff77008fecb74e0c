"""Progress: every graded answer kept (store), the review schedule (schedule, review),
the numbers `drill stats` shows (stats), moving progress between machines (transfer).

Only `store` touches the disk; only `store` imports sqlite3 and only `schedule` imports
fsrs, each when first used, so `drill --help`, `drill list` and a quiz's start need
neither.
"""
