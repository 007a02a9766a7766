"""The `farmtrace` command's groups, one module per part of the system."""
