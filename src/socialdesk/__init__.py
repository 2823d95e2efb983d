"""socialdesk: open-source social customer care."""

__version__ = "0.1.0"
