"""Risk person inputs from pages: bulk decisions on proposals and entry by hand (validated here; decided by the
services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cordon.cases import selectors as case_selectors
from cordon.contacts.enums import Category
from cordon.core.apikit import MAX_ID
from cordon.core.autocomplete import SearchField
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.people import selectors as people_selectors


class IdsField(forms.Field):
    """Ids ticked in a list (repeated `ids=` values)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        out = []
        for item in value or []:
            item = str(item).strip()
            if not item.isdigit() or not 1 <= int(item) <= MAX_ID:
                raise ValidationError(_("%(value)s is not an id") % {"value": item[:20]})
            out.append(int(item))
        return out


class DecideForm(ServiceForm):
    ids = IdsField(label=_("People"), error_messages={"required": _("choose at least one person")})
    decision = forms.ChoiceField(label=_("Decision"), choices=[("confirm", _("confirm")), ("reject", _("reject"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AddForm(ServiceForm):
    """A risk person entered by hand, named by ID number (looked up in the actor's area)."""

    id_number = forms.CharField(label=_("ID number"), max_length=18)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    last_exposure = CityDateTimeField(label=_("Last exposure"))
    # the case the person was exposed to, chosen by searching the infected person's name (never a typed case number)
    case = SearchField("person", label=_("Infected person (case)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_case(self):
        person_id = self.cleaned_data.get("case")
        if not person_id:
            return None
        case = case_selectors.case_list(actor=self.actor).filter(person_id=person_id).order_by("-confirmed_at", "-pk").first()
        if case is None:
            raise ValidationError(_("this person is not a case in your area"))
        return case.pk

    def clean_id_number(self):
        person = people_selectors.person_list(actor=self.actor, q=self.cleaned_data["id_number"].strip()).first()
        if person is None:
            raise ValidationError(_("no resident with this ID number in your area"))
        return person
