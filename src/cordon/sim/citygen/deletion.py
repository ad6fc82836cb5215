"""Finding and deleting the generated city (and every row that refers to it)."""

from django.apps import apps
from django.db import connections, models, transaction

from cordon.people.models import Household, Person
from cordon.regions.models import Building, Region, Unit
from cordon.venues.models import CheckIn, Venue, VenueUnit


def existing_city(*, using: str = "default") -> str:
    """A short description of the city in the database, or '' when there is none."""
    root = Region.objects.using(using).filter(parent__isnull=True).order_by("id").first()
    if root is not None:
        return f"{root.code} {root.name}, {root.population:,} people"
    for model in (Region, Person, Venue, Household):
        if model.objects.using(using).exists():
            return f"leftover {model._meta.verbose_name_plural}"
    return ""


def delete_city(*, using: str = "default") -> list[str]:
    """Delete every region, resident, venue and check-in, and every row of any table that refers to them.

    A referring column declared SET_NULL is nulled instead. Returns the tables emptied. On SQLite
    outside a transaction, foreign keys are off for the deletion so DELETE truncates tables."""
    connection = connections[using]
    existing_tables = set(connection.introspection.table_names())
    all_models = [m for m in apps.get_models(include_auto_created=True)
                  if not m._meta.proxy and m._meta.db_table in existing_tables]
    doomed = {Region, Building, Unit, Household, Person, Venue, VenueUnit, CheckIn}
    set_null: dict[type, set] = {}
    changed = True
    while changed:
        changed = False
        for model in all_models:
            if model in doomed:
                continue
            for field in model._meta.concrete_fields:
                if field.remote_field is None or field.remote_field.model not in doomed:
                    continue
                if field.remote_field.on_delete is models.SET_NULL and field.null:
                    set_null.setdefault(model, set()).add(field)
                else:
                    doomed.add(model)
                    set_null.pop(model, None)
                    changed = True
                    break
    qn = connection.ops.quote_name
    order = _children_first([m for m in all_models if m in doomed])
    fk_off = not connection.in_atomic_block and connection.disable_constraint_checking()
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            _delete(connection, cursor, qn, order, doomed, set_null)
            if fk_off and set_null:
                connection.check_constraints(table_names=[m._meta.db_table for m in set_null])
    finally:
        if fk_off:
            connection.enable_constraint_checking()
    return [m._meta.db_table for m in order]


def _delete(connection, cursor, qn, order, doomed, set_null):
    for model, fields in set_null.items():
        sets = ", ".join(f"{qn(f.column)} = NULL" for f in fields)
        where = " OR ".join(f"{qn(f.column)} IS NOT NULL" for f in fields)
        cursor.execute(f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {where}")
    if connection.vendor == "postgresql":
        # TRUNCATE is instant but refuses a table still referred to by one it does not empty;
        # those (and what they refer to) are deleted row by row instead.
        keep_referred = set(set_null)
        slow = set()
        frontier = [f.remote_field.model for m in keep_referred for f in set_null[m]]
        while frontier:
            model = frontier.pop()
            if model in slow:
                continue
            slow.add(model)
            frontier.extend(f.remote_field.model for f in model._meta.concrete_fields
                            if f.remote_field is not None and f.remote_field.model in doomed)
        fast = [m for m in order if m not in slow]
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this transaction.
        connection.check_constraints()
        if fast:
            cursor.execute("TRUNCATE " + ", ".join(qn(m._meta.db_table) for m in fast))
        for model in order:
            if model in slow:
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
    else:
        for model in order:
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")


def _children_first(models_: list) -> list:
    """Order models so every model comes before the models it refers to."""
    refs = {m: {f.remote_field.model for f in m._meta.concrete_fields if f.remote_field is not None} for m in models_}
    out, seen = [], set()

    def visit(m, stack=()):
        if m in seen or m in stack:
            return
        for other in models_:
            if m in refs[other] and other is not m:
                visit(other, (*stack, m))
        if m not in seen:
            seen.add(m)
            out.append(m)

    for m in models_:
        visit(m)
    return out
