"""Writes for mass testing, by sub-domain; callers use `from cordon.screening import services`.

- rounds: plan and publish rounds, adjust sites, close rounds (pool sizes follow the zone level, asked
  of zones through screening.events.ZONE_LEVEL).
- registration: register sample batches (set-based checks, executemany writes), close and receive tubes.
- results: apply lab results (CSV/Excel, JSON), corrections with history (LabResult).
- hl7: lab results as HL7 v2 ORU^R01 messages (ELR), read by cordon.screening.lab, answered with ACKs.
- retests: hold positive pools, track single-tube retests, report positive singles as cases.
- coverage: the public result lookup, negative-result notices, the unsampled list.
- common: the system actor, batch limits, permission checks, date reading.
"""

from cordon.screening.services.common import CHUNK, CLOCK_SLACK, HELD_REASON, MAX_BATCH, SYSTEM
from cordon.screening.services.coverage import lookup_allowed, result_notify, unsampled_rows
from cordon.screening.services.hl7 import hl7_parse, hl7_read, results_import_hl7
from cordon.screening.services.registration import samples_register, tube_close, tubes_close, tubes_receive
from cordon.screening.services.results import RESULT_ALIASES, results_apply, results_check, results_import
from cordon.screening.services.retests import retest_register, retests_register
from cordon.screening.services.rounds import round_close, round_plan, round_publish, site_update

__all__ = [
    "CHUNK", "CLOCK_SLACK", "HELD_REASON", "MAX_BATCH", "RESULT_ALIASES", "SYSTEM",
    "hl7_parse", "hl7_read", "lookup_allowed", "result_notify", "results_apply", "results_check", "results_import", "results_import_hl7",
    "retest_register", "retests_register", "round_close", "round_plan", "round_publish", "samples_register", "site_update",
    "tube_close", "tubes_close", "tubes_receive", "unsampled_rows",
]
