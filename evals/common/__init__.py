"""Pieces shared by the suites: answer parsing, datasets, metrics with their uncertainty."""
