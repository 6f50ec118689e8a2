"""Deployable Lambda entry points: thin, one per game (plus console and worker later)."""
