"""`python -m farmtrace` runs the same command as the installed `farmtrace` script."""

from farmtrace.cli import main

main()
