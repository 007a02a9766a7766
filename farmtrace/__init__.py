"""The farmtrace command and the embedded demo that wires the other packages together."""
