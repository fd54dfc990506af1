"""Stage 4, answers: the shipped SPARQL queries, the main matrix, the claims check, endpoints and serving."""
