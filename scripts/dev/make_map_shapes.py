"""Make the municipality map shapes the report draws (src/plangraf/outputs/maps/*.json) from
Kartverket's boundaries as simplified by robhop/fylker-og-kommuner (CC BY 4.0), in
../shared/reference/kartverket-boundaries_robhop-fylker-og-kommuner/.

Each file maps a kommunenummer to its name and an SVG path in a fixed projection (longitude
scaled by the cosine of 65°N, north up) of a 600-pixel-wide frame, with points closer than
0.9 px to the previous one dropped. Run from anywhere: python scripts/dev/make_map_shapes.py
"""

import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "reference" / "kartverket-boundaries_robhop-fylker-og-kommuner"
OUT = ROOT / "src" / "plangraf" / "outputs" / "maps"
FILES = {"2020": "kommuner-2020-small.topojson", "2024": "kommuner-2024-S.topojson"}
ATTRIBUTION = "© Kartverket (CC BY 4.0), simplified by robhop/fylker-og-kommuner"
WIDTH, MIN_STEP = 600.0, 0.9
COS = math.cos(math.radians(65))


def ring_points(arcs, ring):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for year, name in FILES.items():
        topo = json.loads((SOURCE / name).read_text(encoding="utf-8"))
        west, south, east, north = topo["bbox"]
        scale = WIDTH / ((east - west) * COS)
        height = (north - south) * scale

        def xy(lon, lat, west=west, north=north, scale=scale):  # this file's frame, bound now
            return round((lon - west) * COS * scale, 1), round((north - lat) * scale, 1)

        shapes = {}
        for geometry in next(iter(topo["objects"].values()))["geometries"]:
            props = geometry["properties"]
            polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
            parts = []
            for polygon in polygons:
                for ring in polygon:
                    kept = []
                    for lon, lat in ring_points(topo["arcs"], ring):
                        x, y = xy(lon, lat)
                        if not kept or math.dist(kept[-1], (x, y)) >= MIN_STEP:
                            kept.append((x, y))
                    if len(kept) >= 3:
                        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
            number = str(props["kommunenummer"]).zfill(4)
            shapes[number] = {"name": props.get("navn") or props.get("kommunenavn"), "d": "".join(parts)}
        data = {"attribution": ATTRIBUTION, "width": WIDTH, "height": round(height, 1), "municipalities": shapes}
        path = OUT / f"kommuner-{year}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"Wrote {path}: {len(shapes)} municipalities, {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
