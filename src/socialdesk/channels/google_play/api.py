"""The Google Play Developer API over HTTP: Google's OAuth 2.0, error answers and client, shared with
the other Google networks (channels/google_oauth.py)."""

from __future__ import annotations

from socialdesk.channels.google_oauth import GoogleApiError as PlayError
from socialdesk.channels.google_oauth import check as check
from socialdesk.channels.google_oauth import google_http as play_http

__all__ = ["PlayError", "check", "play_http"]
