"""The overview's map of Sweden's municipalities: SVG path data projected and simplified once
from the outlines in municipalities.geojson (see the shared data's README), and stored in
overview/data/map.json, which `manage.py build_overview_map` writes. A request only reads that
small file (once per process), never the GeoJSON.
"""

import json
import math
from functools import cache
from pathlib import Path

MAP_FILE = Path(__file__).resolve().parent / "data" / "map.json"
# The map's width in SVG units; its height follows from the country's shape. One unit is about
# a kilometre, enough to tell the smallest municipalities' outlines apart.
WIDTH = 1000
MARGIN = 4
# Douglas–Peucker tolerance in SVG units, and the smallest island (in square units) kept.
TOLERANCE = 0.9
MIN_RING_AREA = 4.0
CENTRAL_MERIDIAN = 15.0


def _project(lon, lat):
    """Sinusoidal around 15° E: equal-area, and straight enough for a country this narrow."""
    return (lon - CENTRAL_MERIDIAN) * math.cos(math.radians(lat)), -lat


def _simplify(points, tolerance):
    """Douglas–Peucker, without recursion."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            px, py = points[index]
            if length:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                d = math.hypot(px - x1, py - y1)
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _area(points):
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def _path(rings):
    """Rings of whole units as SVG path data: moves absolute, lines relative."""
    parts = []
    for ring in rings:
        x0, y0 = ring[0]
        parts.append(f"M{x0} {y0}l")
        steps = []
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            steps.append(f"{x2 - x1} {y2 - y1}")
        parts.append(" ".join(steps).replace(" -", "-"))
        parts.append("z")
    return "".join(parts)


def build(geojson_path):
    """The map's data from the GeoJSON: {"width", "height", "municipalities": {code: {"d",
    "x", "y"}}}, where x, y is the municipality's label point."""
    features = json.loads(Path(geojson_path).read_text(encoding="utf-8"))["features"]
    projected = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings = [[_project(lon, lat) for lon, lat, *_z in ring] for p in polygons for ring in p]
        lat, lon = feature["properties"]["geo_point_2d"]
        projected[feature["properties"]["id"]] = (rings, _project(lon, lat))
    xs = [x for rings, _label in projected.values() for ring in rings for x, _y in ring]
    ys = [y for rings, _label in projected.values() for ring in rings for _x, y in ring]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    left, top = min(xs), min(ys)

    def to_svg(point):
        return (round((point[0] - left) * scale) + MARGIN, round((point[1] - top) * scale) + MARGIN)

    municipalities = {}
    for code, (rings, label) in sorted(projected.items()):
        kept = []
        for ring in rings:
            points = [to_svg(point) for point in ring]
            points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
            simplified = _simplify(points, TOLERANCE)
            if len(simplified) >= 4 and _area(simplified) >= MIN_RING_AREA:
                kept.append(simplified)
        if not kept:  # too small to simplify: keep the largest ring as it is
            kept = [max(([to_svg(p) for p in ring] for ring in rings), key=_area)]
        x, y = to_svg(label)
        municipalities[code] = {"d": _path(kept), "x": x, "y": y}
    height = round((max(ys) - top) * scale) + 2 * MARGIN
    return {"width": WIDTH, "height": height, "municipalities": municipalities}


@cache
def load():
    """The stored map: read once per process, since it changes only with a release."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))
