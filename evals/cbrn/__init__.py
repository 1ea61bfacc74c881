"""CBRN: a benign, textbook-level knowledge proxy (no hazardous content)."""
