"""rsp: the command-line interface and run orchestration of rsp-registry."""
