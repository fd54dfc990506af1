"""Stage 3, checking: SHACL engines and the validation report (text, JSON, JUnit, GitHub)."""
