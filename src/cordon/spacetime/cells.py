"""The cell grid that presence data is keyed on (pure: no Django, no ORM).

A cell is an 800 m x 800 m square of a grid laid over the city in metres, measured east and north
from a fixed origin (the south-west corner of the city's bounding box, ORIGIN = lon 121.0, lat 31.0
for the generated city) with a local equirectangular projection:

    x = (lon - lon0) * 111,320 m * cos(lat0),   y = (lat - lat0) * 110,574 m
    ix = floor(x / 800),  iy = floor(y / 800),  cell id = ix * 65,536 + iy

so a cell id is one non-negative integer below 2**32 (column ix, row iy, both 0..65,535: the grid
reaches 52 km east and north of the origin). Its text label is "E{ix}N{iy}" ("E12N7"). Operators that
deliver their own cell codes map them onto this grid once; rows may also carry lon/lat, which the
loader turns into the cell here. The cell size is the rule value tracing.spacetime.cell_m (800 m in
every rule set that identifies companions); data are stored for CELL_M only.
"""

import math

import numpy as np

CELL_M = 800
ORIGIN = (121.0, 31.0)  # lon0, lat0
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQUATOR = 111_320.0
SIDE = 1 << 16
MAX_CELL = SIDE * SIDE - 1


def _scale(origin=ORIGIN) -> tuple[float, float]:
    return M_PER_DEG_LON_EQUATOR * math.cos(math.radians(origin[1])), M_PER_DEG_LAT


def cell_of(lon: float, lat: float, *, cell_m: int = CELL_M, origin=ORIGIN) -> int | None:
    """The cell holding a point, or None outside the grid (or for a coordinate that is not a finite number)."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    sx, sy = _scale(origin)
    ix = math.floor((lon - origin[0]) * sx / cell_m)
    iy = math.floor((lat - origin[1]) * sy / cell_m)
    if not (0 <= ix < SIDE and 0 <= iy < SIDE):
        return None
    return ix * SIDE + iy


def cells_of(lon, lat, *, cell_m: int = CELL_M, origin=ORIGIN) -> np.ndarray:
    """Vectorised cell_of: int64 cell ids, -1 outside the grid or where lon/lat is NaN."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    sx, sy = _scale(origin)
    with np.errstate(invalid="ignore"):
        fx = np.floor((lon - origin[0]) * sx / cell_m)
        fy = np.floor((lat - origin[1]) * sy / cell_m)
        ok = np.isfinite(fx) & np.isfinite(fy) & (fx >= 0) & (fx < SIDE) & (fy >= 0) & (fy < SIDE)
    out = np.full(lon.shape, -1, dtype=np.int64)
    out[ok] = fx[ok].astype(np.int64) * SIDE + fy[ok].astype(np.int64)
    return out


def cell_xy(cell: int) -> tuple[int, int]:
    return int(cell) // SIDE, int(cell) % SIDE


def cell_label(cell: int) -> str:
    ix, iy = cell_xy(cell)
    return f"E{ix}N{iy}"


def cell_center(cell: int, *, cell_m: int = CELL_M, origin=ORIGIN) -> tuple[float, float]:
    """(lon, lat) of a cell's centre."""
    ix, iy = cell_xy(cell)
    sx, sy = _scale(origin)
    return round(origin[0] + (ix + 0.5) * cell_m / sx, 6), round(origin[1] + (iy + 0.5) * cell_m / sy, 6)


def parse_cell(text) -> int | None:
    """A cell id from its integer code or its "E{ix}N{iy}" label; None when malformed or off the grid."""
    value = str(text if text is not None else "").strip().upper()
    if not value:
        return None
    if value.startswith("E") and "N" in value:
        ix_text, _, iy_text = value[1:].partition("N")
        if not (ix_text.isdigit() and iy_text.isdigit()):
            return None
        ix, iy = int(ix_text), int(iy_text)
        return ix * SIDE + iy if ix < SIDE and iy < SIDE else None
    if value.endswith(".0"):  # Excel numbers
        value = value[:-2]
    if not value.isdigit():
        return None
    cell = int(value)
    return cell if cell <= MAX_CELL else None
