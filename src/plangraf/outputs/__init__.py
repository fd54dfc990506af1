"""Stage 5, outputs: the HTML report, tables, exports, releases, ontology docs and new study files."""
