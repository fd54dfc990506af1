"""The report's timeline of governing documents (the lineage diagram: :mod:`plangraf.outputs.lineage`)."""

from __future__ import annotations

from typing import Any


def timeline(pages: list[dict[str, Any]], study_date: str) -> dict[str, Any]:
    """Rows of bars (one per governing document) for an SVG timeline."""
    years = [int(d[k][:4]) for p in pages for d in p["documents"] for k in ("from", "to", "adopted") if d[k]]
    first, last = min(years + [2014]), max(years + [2026])
    width, left, row_h = 980, 230, 18
    scale = (width - left - 20) / (last - first + 1)

    def x(date: str, end: bool = False) -> float:
        year = int(date[:4]) + (1 if end else 0)
        return left + (year - first) * scale

    rows, y = [], 30
    for page in pages:
        rows.append({"kind": "heading", "y": y, "label": page["name"], "slug": page["slug"]})
        y += row_h
        for doc in page["documents"]:
            strategy = doc["level_code"] == "sector-strategy"
            if doc["status"] in ("draft", "under-development"):
                state = doc["status"]
            elif doc["to"] and doc["to"] < study_date:
                state = "expired"
            elif doc["from"] or doc["to"]:
                state = "in-force"
            else:
                state = "no-period"
            start = doc["from"] or doc["adopted"] or study_date
            end = doc["to"] or (study_date if not doc["from"] else f"{last}-12-31")
            bar_x = x(start)
            bar_w = max(x(end, end=True) - bar_x, 6)
            if state in ("draft", "under-development", "no-period"):
                bar_x, bar_w = x(study_date) - 3, 6
            label = doc["title"] if len(doc["title"]) < 34 else doc["title"][:33] + "…"
            rows.append(
                {
                    "kind": "document",
                    "y": y,
                    "label": label,
                    "document": doc["title"],
                    "levels": {"nb": doc["level"], "en": doc.get("level_en", doc["level"])},
                    "status": doc["status"],
                    "period": f"{doc['from'][:4]}–{doc['to'][:4]}" if doc["from"] or doc["to"] else "",
                    "x": round(bar_x, 1),
                    "w": round(bar_w, 1),
                    "state": state,
                    "strategy": strategy,
                }
            )
            y += row_h
        y += 6
    ticks = [{"x": round(x(f"{year}-01-01"), 1), "year": year} for year in range(first, last + 1, 2)]
    return {
        "width": width,
        "height": y + 10,
        "left": left,
        "rows": rows,
        "ticks": ticks,
        "study_x": round(x(study_date) + scale * (int(study_date[5:7]) - 1) / 12, 1),
        "study_date": study_date,
    }
