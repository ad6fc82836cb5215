"""The drills the HQ can start from the web (cordon.sim.drills): each scenario is a set of `cordon sim run` options.

Data, not code: a new scenario is one more entry. `options` are the command's flags (without the leading --) and
their values; the drill adds the city size, days, seed and whether the response runs."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Scenario:
    code: str
    label: str
    description: str
    options: dict = field(default_factory=dict)

    def argv(self) -> list[str]:
        """The scenario's options as command-line arguments."""
        out = []
        for key, value in self.options.items():
            out += [f"--{key}", str(value)]
        return out


SCENARIOS = [
    Scenario("imported", _("Imported cases"), _("Ten infections brought into the city; the rule set in force."),
             {"index-cases": 10}),
    Scenario("large", _("Large outbreak"), _("Forty infections seeded at once, venues spreading more."),
             {"index-cases": 40, "beta-venue": 0.22}),
    Scenario("households", _("Household clusters"), _("Twenty infections, transmission mostly inside households."),
             {"index-cases": 20, "beta-home": 0.6, "beta-venue": 0.1}),
    Scenario("stretched", _("Stretched response"),
             _("Ten infections; tracers decide after twelve hours and a quarter of the quarantine rooms."),
             {"index-cases": 10, "tracer-hours": 12, "rooms-per-1000": 5}),
    Scenario("protocol_8", _("Older rule set (protocol 8)"), _("Ten infections under the eighth edition's rules."),
             {"index-cases": 10, "rules": "protocol-8"}),
]
# Outbreaks big enough to measure what the response averts: each drill runs three seeds (the drill's and the next
# two), every one with the response and again without it (same seed); see docs/TWIN.md for their sizes and results.
SCENARIOS += [
    Scenario("measure_city", _("Measured outbreak: twelve index cases"),
             _("Twelve infections across the city, households and venues spreading somewhat more than the default "
               "(on 20,000 residents about 3,200 infected in 30 days unchecked), the rule set in force; three seeds, "
               "each also run without the response: infections averted with their spread, where tracing missed, what "
               "limited placement."),
             {"index-cases": 12, "beta-home": 0.5, "beta-venue": 0.2, "repeats": 3}),
    Scenario("measure_fast", _("Measured outbreak: fast spread"),
             _("Twenty infections, households and venues spreading more (an R0 that gives thousands of infections "
               "unchecked); three seeds, each also run without the response."),
             {"index-cases": 20, "beta-home": 0.6, "beta-venue": 0.24, "repeats": 3}),
]
BY_CODE = {s.code: s for s in SCENARIOS}
CHOICES = [(s.code, s.label) for s in SCENARIOS]

# City sizes offered (residents): small enough for a 2-core server to answer within minutes.
SIZES = [300, 2_000, 10_000, 20_000, 50_000, 100_000]
MAX_DAYS = 60
