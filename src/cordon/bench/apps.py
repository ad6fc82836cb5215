from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "cordon.bench"
    label = "bench"
    verbose_name = "Benchmarks"
