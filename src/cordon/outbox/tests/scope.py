from cordon.core.testing import Route, ScopedEndpoint
from cordon.outbox.tests.factories import message_in

ENDPOINTS = [
    ScopedEndpoint("api outbox message", make=lambda c: message_in(c.a_grid), url=lambda o: f"/api/v1/outbox/messages/{o.pk}"),
    ScopedEndpoint("api outbox retry", make=lambda c: message_in(c.a_grid, status="dead"),
                   url=lambda o: f"/api/v1/outbox/messages/{o.pk}/retry", method="post", write=True),
    ScopedEndpoint("api outbox cancel", make=lambda c: message_in(c.a_grid),
                   url=lambda o: f"/api/v1/outbox/messages/{o.pk}/cancel", method="post", write=True),
    ScopedEndpoint("web outbox message", make=lambda c: message_in(c.a_grid), url=lambda o: f"/outbox/{o.pk}/", api=False),
]

# Channels are city-wide settings: only outbox.admin (the city commander) reads or changes them.
_ADMIN_ONLY = {"officer_a": 403, "viewer_a": 403, "officer_b": 403, "field_a": 403}


ROUTES = [
    Route("outbox.messages", "/api/v1/outbox/messages"),
    Route("outbox.page", "/outbox/", api=False),
    Route("outbox.send", "/api/v1/outbox/send", method="post", kind="create", expect={**_ADMIN_ONLY, "commander": 200}),
    Route("outbox.send.page", "/outbox/", method="post", kind="create", api=False, expect={**_ADMIN_ONLY, "commander": 302}),
    Route("outbox.channels", "/api/v1/outbox/channels", expect={**_ADMIN_ONLY, "commander": 200}),
    Route("outbox.channel.put", "/api/v1/outbox/channels/email", method="put", kind="create",
          payload=lambda c: {"name": "邮件", "backend": "email"}, expect={**_ADMIN_ONLY, "commander": 201}),
    Route("outbox.channel.test", "/api/v1/outbox/channels/log/test", method="post", kind="create",
          payload=lambda c: {"to": "-"}, expect={**_ADMIN_ONLY, "commander": 201}),
    Route("outbox.channels.page", "/outbox/channels/", api=False, expect={**_ADMIN_ONLY, "commander": 200}),
    Route("outbox.channel.page", "/outbox/channels/wecom/", api=False, expect={**_ADMIN_ONLY, "commander": 200}),
]
