"""Manna: a self-hostable, scripture-aware daily-devotional platform."""

__version__ = "0.1.0"
