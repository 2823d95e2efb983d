"""Google Business Profile: a location's reviews and the owner's replies (My Business API v4)."""
