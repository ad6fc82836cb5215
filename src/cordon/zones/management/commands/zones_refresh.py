from django.core.management.base import BaseCommand

from cordon.core import access
from cordon.zones import services


class Command(BaseCommand):
    help = "Re-evaluate every zone in force (run daily)."

    def handle(self, *args, **opts):
        self.stdout.write(f"{services.zones_refresh(actor=access.system("cli"))} zones changed status\n")
