"""Geometry for the region map: convex polygons in a local planar frame (x = lon scaled by cos(lat), y = lat),
split into cells by (power) Voronoi diagrams, and integer splits of counts by weight."""

import math

import numpy as np


def clip(poly, a, b, c):
    """Keep the part of convex `poly` where a*x + b*y <= c."""
    out = []
    n = len(poly)
    for i in range(n):
        px, py = poly[i]
        qx, qy = poly[(i + 1) % n]
        fp = a * px + b * py - c
        fq = a * qx + b * qy - c
        if fp <= 0:
            out.append((px, py))
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((px + t * (qx - px), py + t * (qy - py)))
    return out


def voronoi(poly, sites, weights=None):
    """Cells of a power diagram (a Voronoi diagram when all weights are equal) clipped to `poly`."""
    weights = weights if weights is not None else [0.0] * len(sites)
    cells = []
    for i, (sx, sy) in enumerate(sites):
        cell = poly
        for j, (ox, oy) in enumerate(sites):
            if i != j and len(cell) >= 3:
                c = (ox * ox + oy * oy - sx * sx - sy * sy - weights[j] + weights[i]) / 2
                cell = clip(cell, ox - sx, oy - sy, c)
        cells.append(cell)
    return cells


def area_weighted(poly, sites, shares, iterations=80):
    """Cells of `poly` whose areas approach `shares` of its area (a power diagram, weights fitted).

    Returns the best layout seen in which every cell is non-empty (plain Voronoi at worst)."""
    total = abs(area_centroid(poly)[0])
    target = [total * s / sum(shares) for s in shares]
    weights = [0.0] * len(sites)
    sites = list(sites)
    best, best_error = None, math.inf
    for it in range(iterations):
        cells = voronoi(poly, sites, weights)
        geo = [(area_centroid(c) if len(c) >= 3 else (0.0, s)) for c, s in zip(cells, sites, strict=True)]
        areas = [abs(a) for a, _ in geo]
        if all(a > 1e-6 * total for a in areas):
            error = max(abs(a - t) / t for a, t in zip(areas, target, strict=True))
            if error < best_error:
                best, best_error = cells, error
        weights = [w + 0.5 * (t - a) for w, t, a in zip(weights, target, areas, strict=True)]
        if it % 10 == 9:  # a little centring keeps cells compact without letting the layout drift
            sites = [(0.8 * x + 0.2 * cx, 0.8 * y + 0.2 * cy) if a else (x, y)
                     for (x, y), (a, (cx, cy)) in zip(sites, geo, strict=True)]
    return best if best is not None else voronoi(poly, list(sites))


def area_centroid(poly):
    a = cx = cy = 0.0
    n = len(poly)
    for i in range(n):
        x0, y0 = poly[i]
        x1, y1 = poly[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-15:
        xs, ys = zip(*poly, strict=True)
        return 0.0, (sum(xs) / n, sum(ys) / n)
    return a / 2, (cx / (3 * a), cy / (3 * a))


def sample_in(poly, n, rng):
    """n uniform points inside convex `poly` (triangle fan)."""
    pts = np.asarray(poly, dtype=float)
    if n == 0:
        return np.zeros((0, 2))
    a, b, c = pts[0], pts[1:-1], pts[2:]
    areas = np.abs((b[:, 0] - a[0]) * (c[:, 1] - a[1]) - (c[:, 0] - a[0]) * (b[:, 1] - a[1]))
    if areas.sum() <= 0:
        return np.repeat(pts.mean(axis=0)[None, :], n, axis=0)
    tri = rng.choice(len(areas), size=n, p=areas / areas.sum())
    r1 = np.sqrt(rng.random(n))[:, None]
    r2 = rng.random(n)[:, None]
    return (1 - r1) * a + r1 * (1 - r2) * b[tri] + r1 * r2 * c[tri]


def partition(poly, n, rng, lloyd=2):
    """Split convex `poly` into n convex cells (relaxed Voronoi)."""
    if n == 1:
        return [poly]
    total, (cx, cy) = area_centroid(poly)
    for _attempt in range(5):
        sites = [tuple(p) for p in sample_in(poly, n, rng)]
        for _ in range(lloyd):
            cells = voronoi(poly, sites)
            sites = [(area_centroid(c)[1] if len(c) >= 3 else s) for c, s in zip(cells, sites, strict=True)]
        # Number cells clockwise around the parent's centre, so consecutive codes are neighbours on the map.
        sites.sort(key=lambda p: -math.atan2(p[1] - cy, p[0] - cx))
        cells = voronoi(poly, sites)
        if all(len(c) >= 3 and abs(area_centroid(c)[0]) > 1e-9 * abs(total) for c in cells):
            return cells
    xs = [x for x, _ in poly]  # pragma: no cover - degenerate sites five times over: vertical strips
    lo, hi = min(xs), max(xs)
    cuts = [lo + (hi - lo) * i / n for i in range(n + 1)]
    return [clip(clip(poly, -1.0, 0.0, -cuts[i]), 1.0, 0.0, cuts[i + 1]) for i in range(n)]


def split_counts(total: int, weights) -> np.ndarray:
    """Integer split of `total` proportional to `weights` (largest remainder), at least 1 each when possible."""
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    base = np.floor(w * total).astype(np.int64)
    if total >= len(w):
        base = np.maximum(base, 1)
    rest = total - base.sum()
    if rest > 0:
        order = np.argsort(-(w * total - base), kind="stable")
        base[order[:rest]] += 1
    elif rest < 0:
        order = np.argsort(-base, kind="stable")
        i = 0
        while rest < 0:
            j = order[i % len(order)]
            if base[j] > 1:
                base[j] -= 1
                rest += 1
            i += 1
    return base
