"""What is stored and decided: schema, ingest, policy, tier engine."""
