"""Build the dashboard's world outline (``src/brinkwatch/web/static/world.svg``) from Natural Earth land polygons.

Input: ``land-110m.json`` of the npm package ``world-atlas`` 2.0.2 (Natural Earth 4.1.0 1:110m land as TopoJSON;
``npm pack world-atlas@2.0.2``). Output: one SVG path in an equirectangular projection, viewBox 0 0 360 180
(x = longitude + 180, y = 90 − latitude), coordinates rounded to 0.1°: the map draws located events on it with
the same projection (``web/geo.py``). Build time only; nothing is fetched at run time.

    python tools/world_outline.py /path/to/world-atlas/land-110m.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "brinkwatch" / "web" / "static" / "world.svg"


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The TopoJSON arcs decoded (delta-encoded, quantized) into longitude/latitude points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs: list[list[tuple[float, float]]], ids: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in ids:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(pts if not ring else pts[1:])
    return ring


def _polygons(topo: dict[str, Any]) -> list[list[list[tuple[float, float]]]]:
    arcs = _arcs(topo)
    polys = []
    for obj in topo["objects"].values():
        geoms = obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]
        for g in geoms:
            if g["type"] == "Polygon":
                polys.append([_ring(arcs, r) for r in g["arcs"]])
            elif g["type"] == "MultiPolygon":
                polys += [[_ring(arcs, r) for r in p] for p in g["arcs"]]
    return polys


def path_data(topo: dict[str, Any]) -> str:
    parts = []
    for poly in _polygons(topo):
        for ring in poly:
            pts = []
            last = None
            for lon, lat in ring:
                p = (round(lon + 180, 1), round(90 - lat, 1))
                if p != last:
                    pts.append(p)
                    last = p
            if len(pts) >= 3:
                parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in pts) + "Z")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="world outline SVG from world-atlas land-110m.json")
    ap.add_argument("land", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    topo = json.loads(args.land.read_text(encoding="utf-8"))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180">'
        "<!-- Land: Natural Earth 1:110m (public domain), via world-atlas 2.0.2 (ISC); see NOTICE -->"
        f'<path fill="#dfe4ec" stroke="#b8c1cf" stroke-width="0.2" d="{path_data(topo)}"/></svg>\n'
    )
    args.out.write_text(svg, encoding="utf-8")
    print(f"wrote {args.out} ({len(svg):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
