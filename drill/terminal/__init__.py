"""The terminal front-end: the quiz and `drill solve` as rich renders them."""
