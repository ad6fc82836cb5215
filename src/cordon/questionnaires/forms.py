"""Questionnaire inputs from pages: the dynamic form of a version (`form_for`), and the admin's forms to create a
questionnaire and edit a draft (sections, questions with type, required, range, choices and condition)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.errors import ServiceError
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.questionnaires import rules, services
from cordon.questionnaires.enums import ConditionOp, Kind, QuestionType

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def _field(q: dict) -> forms.Field:
    """The Django field of one question (never required here: conditions decide, clean_answers checks)."""
    label, kind = rules.text(q), q["type"]
    common = {"label": label, "required": False, "help_text": rules.text(q, "help")}
    choices = [(str(c["value"]), rules.text(c)) for c in q.get("choices") or []]
    if kind == QuestionType.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
    if kind in rules.NUMBER_TYPES:
        attrs = {"inputmode": "decimal" if kind == QuestionType.DECIMAL else "numeric",
                 "step": "0.1" if kind == QuestionType.DECIMAL else "1"}
        attrs.update({k: q[k] for k in ("min", "max") if q.get(k) not in (None, "")})
        return forms.CharField(widget=forms.NumberInput(attrs=attrs), **common)
    if kind == QuestionType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == QuestionType.DATETIME:
        return CityDateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common)
    if kind == QuestionType.SINGLE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == QuestionType.MULTIPLE:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == QuestionType.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=200, **common)


class AnswerForm(ServiceForm):
    """A version's questions as a form; `clean()` checks the answers with the version's rules, so each bad question
    is named on its own field. `sections` lists (section title, [(bound field, question)]) for the template."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        for q in rules.questions(version.definition):
            field = _field(q)
            self.fields[q["code"]] = field

    @property
    def sections(self) -> list[tuple[str, list]]:
        return [(rules.text(s, "title"), [(self[q["code"]], q) for q in s.get("questions") or []])
                for s in rules.sections(self.version.definition)]

    def clean(self):
        data = super().clean()
        try:
            self.answers = services.clean_answers(self.version, data)
        except ServiceError as exc:
            for item in exc.fields:
                self.add_error(item["field"] if item["field"] in self.fields else None, item["message"])
        return data


def form_for(version, data=None, *, initial: dict | None = None) -> AnswerForm:
    """The dynamic Django form of a version's questions (bound when `data` is given); after is_valid() the checked,
    normalised answers are in `form.answers`."""
    return AnswerForm(data, version=version, initial=_initial(version, initial or {}))


def _initial(version, answers: dict) -> dict:
    """Stored answers as form values (yes/no as "yes"/"no")."""
    out = {}
    for q in rules.questions(version.definition):
        if q["code"] in answers:
            value = answers[q["code"]]
            out[q["code"]] = ("yes" if value else "no") if q["type"] == QuestionType.YES_NO else value
    return out


class QuestionnaireForm(ServiceForm):
    code = forms.SlugField(label=_("Code"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)


class SectionForm(ServiceForm):
    code = forms.SlugField(label=_("Section code"), max_length=60)
    title = forms.CharField(label=_("Section title"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)


class QuestionForm(ServiceForm):
    """One question of a draft. Choices are typed one per line as `value=label` (a line ending in `!` is a choice that
    excludes the others, like 无)."""

    section = forms.ChoiceField(label=_("Section"), choices=())
    code = forms.SlugField(label=_("Question code"), max_length=60)
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    label = forms.CharField(label=_("Question"), max_length=300)
    label_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    min = forms.DecimalField(label=_("Minimum"), required=False)
    max = forms.DecimalField(label=_("Maximum"), required=False)
    choices = forms.CharField(label=_("Choices (one per line: value=label)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    condition_question = forms.CharField(label=_("Show only when question"), max_length=60, required=False)
    condition_op = forms.ChoiceField(label=_("Condition"), choices=[("", "—"), *ConditionOp.choices], required=False)
    condition_value = forms.CharField(label=_("Value"), max_length=100, required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s["code"], rules.text(s, "title")) for s in rules.sections(version.definition)]

    def clean_choices(self):
        out = []
        for line in (self.cleaned_data.get("choices") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            exclusive = line.endswith("!")
            value, _sep, label = line.rstrip("!").partition("=")
            out.append({"value": value.strip(), "label": (label or value).strip(), **({"exclusive": True} if exclusive else {})})
        return out

    def question(self) -> dict:
        """The question as stored in the definition."""
        d = self.cleaned_data
        q = {k: d.get(k) for k in ("code", "type", "label", "label_en", "required")}
        for k in ("min", "max"):
            if d.get(k) is not None:
                q[k] = int(d[k]) if d[k] == d[k].to_integral_value() else float(d[k])
        if d["type"] in rules.CHOICE_TYPES:
            q["choices"] = d.get("choices") or []
        if d.get("condition_question") and d.get("condition_op"):
            q["condition"] = {"question": d["condition_question"], "op": d["condition_op"], "value": d.get("condition_value", "")}
        return q


def question_initial(section: str, q: dict) -> dict:
    """A stored question as QuestionForm values (to edit it)."""
    condition = q.get("condition") or {}
    return {"section": section, **{k: q.get(k) for k in ("code", "type", "label", "label_en", "required", "min", "max")},
            "choices": "\n".join(f"{c['value']}={c['label']}{'!' if c.get('exclusive') else ''}" for c in q.get("choices") or []),
            "condition_question": condition.get("question", ""), "condition_op": condition.get("op", ""),
            "condition_value": condition.get("value", "")}


class TargetForm(ServiceForm):
    """A section or question of a draft to remove or move (by -1 up, 1 down)."""

    target = forms.CharField(label=_("Question code"), max_length=60)
    by = forms.TypedChoiceField(label=_("Move"), choices=[("-1", "↑"), ("1", "↓")], coerce=int, required=False, empty_value=0)


class PickForm(forms.Form):
    """What the version page is asked to show: a question to edit, a version to compare with."""

    edit = forms.CharField(max_length=60, required=False)
    against = forms.IntegerField(min_value=1, required=False)
