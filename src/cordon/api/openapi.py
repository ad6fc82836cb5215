"""The error answers every operation can give, declared in the OpenAPI document (one `Error` schema).

The handlers in `cordon.api.root` turn every failure into `{"error": {"code", "message", "fields"}}`; without
this, the published schema would say an operation answers only 200 and a client (or schemathesis) would meet
404, 422 or 409 as undocumented surprises. Which statuses an operation declares follows from what it is:

- every operation: 400 (a service refused the input, naming field and row), 404 (unknown or out-of-scope
  object: the two are indistinguishable), 422 (the schema's own validation), 500 (a fault, with a request id);
- an operation that needs a sign-in: 401 and 403;
- an operation with a body: 409 (the state forbids it now, or a reused idempotency key) and 413 (too large);
- a public operation: 429 (look-ups are rate limited).
"""

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "examples": ["validation_error", "not_found", "conflict"]},
                "message": {"type": "string"},
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"},
                                       "row": {"type": "integer", "description": "1-based row of a bulk body"}},
                    },
                },
            },
        },
    },
}

DESCRIPTIONS = {
    "400": "The service refused the input (fields name the field and row)",
    "401": "No valid token or session",
    "403": "Visible, but your post may not do this",
    "404": "Not found, or outside your area",
    "409": "The object's state forbids it now, or an idempotency key reused with another body",
    "413": "The body is over the upload limit",
    "422": "The input does not fit the schema",
    "429": "Too many look-ups; try again later",
    "500": "Internal error; quote the request id",
}
BODY_METHODS = {"post", "put", "patch", "delete"}


def error_statuses(method: str, operation: dict) -> list[str]:
    """The error statuses an operation can answer, from its method, its body and whether it needs a sign-in."""
    codes = {"400", "404", "422", "500"}
    codes |= {"401", "403"} if operation.get("security") else {"429"}
    if method in BODY_METHODS:
        codes |= {"409", "413"}
    return sorted(codes)


def add_error_responses(schema: dict) -> dict:
    """Declare the one error shape on every operation of an OpenAPI document (in place; returns it)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code in error_statuses(method, operation):
                operation["responses"].setdefault(code, {"description": DESCRIPTIONS[code], **ref})
    return schema
