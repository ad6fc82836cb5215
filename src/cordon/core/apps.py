from django.apps import AppConfig

from cordon.core import registry


class CoreConfig(AppConfig):
    name = "cordon.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Every app's `receivers` module subscribes to the events of the apps below it (core.events), and core's
        # own connects the rule-set sync to post_migrate. All models are loaded before any ready() runs, so
        # importing them here is safe and happens once, for every app.
        registry.load_all("receivers")
        # every app's `suggest` answers the search widget's question for the things it owns (core.autocomplete)
        registry.load_all("suggest")
