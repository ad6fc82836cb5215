"""What screening asks the apps above it (core.events)."""

from cordon.core.events import Question

# region_path=str, on=datetime -> the highest-rank zone kind in force over that path then, or None outside zones.
# Answered by zones (zones.selectors.risk_level_for_path); a round's pool sizes follow the zone level of each grid.
ZONE_LEVEL = Question("screening.zone_level", "The zone risk level in force over a region path at a time (None outside zones).")
