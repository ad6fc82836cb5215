"""Lab results by the standard: HL7 v2.3 - v2.5.1 ORU^R01 messages (the ELR profile) read with the `hl7`
library (hl7v2: framing, batches, separators, escapes, ACK), interpreted by code (elr) against the
supported-codes table (codes, codes.json). Pure: no database; screening.services.results imports with it."""

from cordon.screening.lab.codes import load as load_codes
from cordon.screening.lab.elr import Observation, Reading, read, tube_items

__all__ = ["Observation", "Reading", "load_codes", "read", "tube_items"]
