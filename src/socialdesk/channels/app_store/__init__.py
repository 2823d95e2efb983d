"""Apple App Store Connect: an app's customer reviews and the developer's responses."""
