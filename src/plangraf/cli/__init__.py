"""The command line: thin click commands over the library, one module per command group.

``main`` (in :mod:`plangraf.cli.main`) is the ``plangraf`` entry point; the command modules
share their options and error handling through :mod:`plangraf.cli.common` and never import
from this package's top.
"""

from plangraf.cli.main import main

__all__ = ["main"]
