"""What questionnaires asks of the apps above it (core.events)."""

from cordon.core.events import Event

# actor=, subject_type= "app.model", subject_id= int, action= "view" | "change" -> each subscriber answers for the
# subject types it owns: the subject's region path, through its own scoped selector (404 outside the actor's area,
# 403 when the action is not granted), and None for subject types it does not own. Lets the questionnaires pages and
# API take answers about a case (cases.receivers) or a risk person (contacts.receivers) without importing them.
SUBJECT_REGION = Event("questionnaires.subject_region", "The region path of the case, risk person or other subject a response is about.")
