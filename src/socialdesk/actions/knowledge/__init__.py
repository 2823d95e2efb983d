"""Use cases of the knowledge base: articles through review, and the suggestions
that answer a post."""
