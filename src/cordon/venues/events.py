"""What venues asks the apps above it (core.events)."""

from cordon.core.events import Question

# venue=Venue, on=datetime | None -> {"zone", "zone_id", "kind", "how": covers | near | adjacent, "km"} of the risk zone
# that keeps the venue from reopening: one covering it, or of a rule set's neighbour level within the neighbour
# distance or in the same community; None when none does. Answered by gatherings, whose rule data hold the distance
# and the levels (gatherings.neighbour_km, gatherings.neighbour_levels), the same check as a gathering's approval.
REOPEN_BLOCKER = Question("venues.reopen_blocker", "The risk zone that keeps a venue from reopening (None when none does).")


def zone_text(risk: dict) -> str:
    """An answer of REOPEN_BLOCKER (or of zones' risk_near) as the officer, the venue and an organiser read it: which
    zone, of which level, and how it is near."""
    how = {"covers": "所在区域 inside", "near": f"相距 {risk['km']} km 以内 within {risk['km']} km",
           "adjacent": "同一社区 same community"}[risk["how"]]
    return f"风险区 risk zone: {risk['zone']} ({risk['kind']}, {how})"
