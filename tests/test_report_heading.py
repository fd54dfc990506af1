"""The report's claims heading names every section the claims come from (issue 22)."""

from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "src" / "plangraf" / "outputs" / "templates" / "index.html"


def test_claims_heading_names_5_1():
    assert "Hver påstand i 4.4, 5.1, 5.2 og 5.5" in TEMPLATE.read_text(encoding="utf-8")
