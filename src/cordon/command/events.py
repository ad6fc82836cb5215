"""What command asks of, or tells, the apps above it (core.events)."""

from cordon.core.events import Event, Question

# object_type= one of OBJECT_TYPES_ABOVE, object_id= int -> the object's region path, or None when there is no such
# object. Answered by reports (which sits above every app owning such an object), so naming a zone, site,
# checkpoint, testing round or venue in a responsibility (包保) puts it at that object's region.
OBJECT_TYPES_ABOVE = ("zone", "site", "checkpoint", "round", "venue", "testing_site", "closure", "gathering")
OBJECT_REGION = Question("command.object_region", "The region path of a named zone, site, checkpoint, testing round or site, venue, closure or gathering.")

# actor=, days= int or None (CORDON_RETENTION_DAYS), dry_run= bool, today= date or None -> each subscriber
# pseudonymises (or, dry run, counts) the personal data it keeps past retention and returns its counts dict.
RETENTION_DUE = Event("command.retention_due", "Personal data kept outside the resident registry is past its retention period.")
