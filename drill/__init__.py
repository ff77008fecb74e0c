"""drill: deep-learning exam drills in the terminal."""

__version__ = "0.1.0"
