"""topcli's own features, written as ordinary plugins of the public hooks."""
