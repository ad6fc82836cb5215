from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "cordon.contacts"
    label = "contacts"

    def ready(self):
        from cordon.cases import signals as case_signals
        from cordon.core import policy

        case_signals.case_confirmed.connect(_identify, dispatch_uid="contacts.identify_on_confirm")
        case_signals.trajectory_changed.connect(_identify, dispatch_uid="contacts.identify_on_trajectory")
        policy.ruleset_changed.connect(_recompute, dispatch_uid="contacts.recompute_on_ruleset")


def _identify(sender, case, actor, **kwargs):
    """Signals decide nothing: identification runs in the service, right after the commit."""
    from cordon.cases.models import Case
    from cordon.contacts import services

    fresh = Case.objects.select_related("person").filter(pk=case.pk).first()
    if fresh is not None:
        services.contacts_identify(actor=actor, case=fresh)


def _recompute(sender, actor, **kwargs):
    from cordon.contacts import services

    services.measures_recompute_all(actor=actor, why="rule set changed")
