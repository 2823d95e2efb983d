"""YouTube: comment threads and replies on the brand's videos (YouTube Data API v3, polled)."""
