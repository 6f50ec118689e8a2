"""Deployable Lambda entry points, thin: one module every game function runs, the console, the worker."""
