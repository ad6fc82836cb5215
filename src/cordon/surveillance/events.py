"""What surveillance asks of the apps above it (core.events)."""

from cordon.core.events import Question

# -> {district path: people in or expected at a centralized quarantine site}
PEOPLE_IN_SITES = Question("surveillance.people_in_sites",
                           "People in or expected at a quarantine site per district: the forecast's rooms bound subtracts them.")
