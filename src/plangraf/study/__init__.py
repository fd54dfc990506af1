"""Stage 1, the study: read and check YAML and CSV files (schemas, links, goal chains, readings) and emit
their triples; the per-file cache; synthetic studies."""
