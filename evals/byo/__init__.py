"""Bring your own: loaders for datasets in outside formats."""
