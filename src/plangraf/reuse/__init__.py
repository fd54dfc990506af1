"""Text reuse ("klipp og lim"): ingest governing documents, measure reuse of national texts, suggest links."""
