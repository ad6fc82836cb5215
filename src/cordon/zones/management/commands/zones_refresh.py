from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Re-evaluate every zone in force (run daily)."

    def handle(self, *args, **opts):
        from cordon.zones import services

        self.stdout.write(f"{services.zones_refresh()} zones changed status\n")
