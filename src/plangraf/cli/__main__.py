"""``python -m plangraf.cli``: the plangraf command line."""

from plangraf.cli.main import main

main()
