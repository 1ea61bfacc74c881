"""What is measured: Inspect tasks, their datasets and scorers."""
