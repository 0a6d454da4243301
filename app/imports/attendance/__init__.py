"""Teams attendance reports: decoding, the layouts, and planning/applying them to a meeting."""
