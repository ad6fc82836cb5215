"""Every schema name in the OpenAPI document means one thing. Ninja merges the components of all operations
into one dict, so two classes called `DecideIn` in two apps silently become one (generated clients then send
the wrong body): each component name must map to exactly one Python class."""

import typing
from collections import defaultdict

from pydantic import BaseModel


def _models_in(tp, seen: set):
    """The pydantic models a type annotation names, nested ones included."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return
        seen.add(tp)
        yield tp
        for field in tp.model_fields.values():
            yield from _models_in(field.annotation, seen)
        return
    for arg in typing.get_args(tp):
        yield from _models_in(arg, seen)


def classes_by_component_name() -> dict[str, set[type]]:
    from cordon.api.root import api

    components = set(api.get_openapi_schema()["components"]["schemas"])
    seen: set = set()
    found: dict[str, set[type]] = defaultdict(set)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                roots = [*op.models, *op.response_models.values()]
                for root in roots:
                    for model in _models_in(root, seen):
                        if model.__name__ in components:
                            found[model.__name__].add(model)
    return found


def _schema_key(model) -> str:
    import json

    return json.dumps(model.model_json_schema(), sort_keys=True, default=str)


def test_each_schema_name_in_the_openapi_document_is_one_class():
    found = classes_by_component_name()
    assert len(found) > 50  # the walk finds the API's schemas
    # Ninja builds one `Paged<Item>` wrapper per paginated operation: copies with the same JSON schema are one schema.
    shared = {name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
              for name, classes in found.items() if len({_schema_key(c) for c in classes}) > 1}
    assert not shared, f"schema names used by more than one class (rename them per app): {shared}"
