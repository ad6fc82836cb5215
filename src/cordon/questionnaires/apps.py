from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "cordon.questionnaires"
    label = "questionnaires"
