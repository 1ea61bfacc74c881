"""Autonomy / AI R&D: software-engineering and ML tasks scored by hidden tests."""
