"""Deception: lying under pressure, and underperforming on purpose (sandbagging)."""
