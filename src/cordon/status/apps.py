from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "cordon.status"
    label = "status"

    def ready(self):
        from cordon.people import signals as people_signals

        people_signals.person_moved.connect(_follow_move, dispatch_uid="status.follow_move")


def _follow_move(sender, person, from_path, actor, **kwargs):
    """A resident's health status belongs to the area they live in now (the platform follows the move the
    deciding officer made; that officer may not change the new area themselves)."""
    from cordon.core import access
    from cordon.status import services

    services.status_follow_person(actor=access.system("people.move"), person_id=person.pk)
