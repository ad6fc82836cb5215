from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cordon.documents"
    label = "documents"
