"""The outbox list's filters: one definition for the page and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet, SearchFilter
from cordon.outbox.enums import ChannelCode, MessageStatus


class MessageFilter(FilterSet):
    status = ChoiceFilter(choices=MessageStatus.choices, label=_("Status"))
    channel = ChoiceFilter(choices=ChannelCode.choices, label=_("Channel"))
    kind = CharFilter(field_name="kind", lookup_expr="startswith", label=_("Kind"))
    q = SearchFilter(fields=("recipient_masked", "subject"), lookup="icontains", label=_("Recipient (masked, e.g. 1234) or subject"))
