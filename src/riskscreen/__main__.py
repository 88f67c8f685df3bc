"""Run the command-line interface with `python -m riskscreen`."""

from riskscreen.cli import main

main()
