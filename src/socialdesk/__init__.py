"""socialdesk: open-source social customer care.

`socialdesk.__version__` is the installed distribution's version, which is pyproject.toml's
`[project] version` (the one place it is written). It is looked up on first use, so importing the
package (and `socialdesk --help`) does not pay for `importlib.metadata`.
"""

from __future__ import annotations

__all__ = ["__version__"]


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("socialdesk")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        found = _installed_version()
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
