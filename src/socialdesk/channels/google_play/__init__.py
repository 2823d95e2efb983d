"""Google Play: an app's reviews and the developer's replies (Google Play Developer API v3)."""
