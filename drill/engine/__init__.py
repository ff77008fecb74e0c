"""The engine: expressions, generation, answer kinds, structured questions, attempts and records."""
