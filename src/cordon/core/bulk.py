"""Fast multi-row INSERT for hot paths that write thousands of rows at once (contact proposals for a case
under protocol-9). Rows are dicts of attribute names; every other concrete field gets its default (or now,
for auto_now/auto_now_add) prepared once by the field itself. Values are prepared per column by the cheapest
converter that stores them exactly as the ORM does (JSON and date-times through the backend), and the rows go
through one prepared statement with executemany, without building model instances or compiling SQL per
batch. Primary keys are not returned."""

from django.db import connections, models

from cordon.core import clock


def _converter(field, connection):
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        return lambda v: None if v is None else adapt(v)
    if isinstance(field, models.DateField):
        adapt = connection.ops.adapt_datefield_value
        return lambda v: None if v is None else adapt(v)
    return None


def insert_rows(model, rows: list[dict], *, using: str = "default", batch: int = 2000) -> int:
    """Insert rows ({attname: value}, all with the same keys) into `model`'s table; returns the row count."""
    if not rows:
        return 0
    connection = connections[using]
    keys = list(rows[0])
    now = clock.now()
    fields, consts, convert = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.attname not in keys:
            continue
        fields.append(f)
        if f.attname in keys:
            consts.append(None)
            convert.append((f.attname, _converter(f, connection)))
        else:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now if isinstance(f, models.DateTimeField) else now.date() if isinstance(f, models.DateField) else None
            elif f.has_default() or not f.null:
                value = f.get_default()  # the field's default; "" for text fields without one
                if value is None and not f.null:
                    raise ValueError(f"{model.__name__}.{f.attname} has no default; give it in every row")
            else:
                value = None
            consts.append(f.get_db_prep_save(value, connection))
            convert.append(None)
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    plan = list(zip(consts, convert, strict=True))
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            params = []
            for row in rows[i:i + batch]:
                values = []
                for const, conv in plan:
                    if conv is None:
                        values.append(const)
                    else:
                        name, fn = conv
                        values.append(row[name] if fn is None else fn(row[name]))
                params.append(values)
            cursor.executemany(sql, params)
    return len(rows)

