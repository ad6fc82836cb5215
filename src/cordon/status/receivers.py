"""Status listens to people: a resident's health status belongs to the area they live in now."""

from cordon.core import access
from cordon.people import events as people_events
from cordon.status import services


@people_events.PERSON_MOVED.subscribe
def follow_move(*, person, from_path, actor):
    """The platform follows the move the deciding officer made; that officer may not change the new area themselves."""
    services.status_follow_person(actor=access.system("people.move"), person_id=person.pk)
