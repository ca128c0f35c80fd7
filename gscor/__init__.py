"""gscor: the GSCOR metrics warehouse for Alibaba.com International Station sellers.

``__version__`` comes from the installed package's metadata, whose one source is ``pyproject.toml``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gscor")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
