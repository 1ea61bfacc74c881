"""Cyber: capture-the-flag challenges solved with bash and python in a sandbox."""
