"""Results: did the guides work — the view per guide and across guides, and its runner."""
