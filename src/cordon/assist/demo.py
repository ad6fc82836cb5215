"""Demo data for assist (seeded by `cordon demo`, after the apps it builds on)."""


def seed(ctx) -> None:
    """Seed this app's demo data (to be written by the app's owner this session)."""
