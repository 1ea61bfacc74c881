"""Where the shipped policy and its JSON Schema are: importable without the policy model
(pydantic, YAML), so a command line can name the default policy before it reads any."""

from __future__ import annotations

from pathlib import Path

DEFAULT_POLICY_PATH = Path(__file__).resolve().parent.parent / "policies" / "asl.yaml"
# Shipped beside the policies, which name it for editors (`yaml-language-server: $schema=`)
SCHEMA_PATH = DEFAULT_POLICY_PATH.with_name("policy.schema.json")
