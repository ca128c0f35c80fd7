"""``python -m gscor.cli``: the same as the ``gscor`` console script."""

from gscor.cli import main

main()
