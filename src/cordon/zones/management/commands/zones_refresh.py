from django.core.management.base import BaseCommand

from cordon.core import access


class Command(BaseCommand):
    help = "Re-evaluate every zone in force (run daily)."

    def handle(self, *args, **opts):
        from cordon.zones import services

        self.stdout.write(f"{services.zones_refresh(actor=access.system("cli"))} zones changed status\n")
