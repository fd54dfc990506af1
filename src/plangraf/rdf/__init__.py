"""RDF terms and files: namespaces and IRIs, parsing with errors that name the line, the pyoxigraph bridge."""
