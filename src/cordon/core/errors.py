"""Errors that services raise for bad input; API and views turn them into one error shape:
{"error": {"code", "message", "fields": [{"field", "message", "row"?}]}}."""

from django.utils.translation import gettext as _


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: list[dict] | None = None,
                 status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or []

    @classmethod
    def field(cls, field: str, message: str, *, row: int | None = None, code: str | None = None):
        item = {"field": field, "message": message}
        if row is not None:
            item["row"] = row
        if row is not None:
            text = _("row %(row)s, %(field)s: %(message)s") % {"row": row, "field": field, "message": message}
        else:
            text = _("%(field)s: %(message)s") % {"field": field, "message": message}
        return cls(text, code=code, fields=[item])

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class NotFound(ServiceError):
    status = 404
    code = "not_found"
