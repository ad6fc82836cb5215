"""Key-worker pages: the register (list, search, filters, create), one entry (tests, passes), edit, Excel import,
who is due or overdue today, passes (list, one pass with its QR, printable cards) and the flows through checkpoints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cordon.core import access, clock, qr
from cordon.core.errors import ServiceError
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, page_of, record_post
from cordon.keyworkers import exports, forms, selectors, services
from cordon.keyworkers.enums import PASS_REASONS, Cargo, Category, PassStatus


@login_required
def index(request):
    access.require(request.user, "keyworkers.view")
    form = forms.KeyPersonForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST":
        kp = form.submit(request, lambda **data: services.keyperson_register(actor=request.user, **data),
                         success=_("Registered."))
        if kp is not REFUSED:
            return redirect("keyworkers:detail", pk=kp.pk)
    now = clock.now()
    return list_page(request, "keyworkers/index.html", rows=lambda f: selectors.keyperson_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.keypersons_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {
        "form": form, "categories": Category.choices, "cargos": Cargo.choices, "due": selectors.due_counts(actor=request.user, now=now),
        "rows": [(kp, selectors.state_of(kp, now=now)) for kp in listed["page"].object_list],
        "can_change": access.can(request.user, "keyworkers.change"),
    })


@login_required
def _pass_issue(request, kp):
    """Issue a pass and show it (its page prints the code)."""
    p = forms.PassIssueForm(request.POST).submit(request, lambda days: services.pass_issue(actor=request.user, keyperson=kp, days=days),
                                                 success=lambda p: _("Pass %(n)s issued.") % {"n": p.number})
    return p if p is REFUSED else redirect("keyworkers:pass", pk=p.pk)


def _set_active(request, kp, active: bool):
    return perform(request, lambda: services.keyperson_set_active(actor=request.user, keyperson=kp, active=active))


@login_required
def detail(request, pk: int):
    test_form = forms.TestForm(request.POST if request.method == "POST" and request.POST.get("action") == "test" else None)
    if request.method == "POST" and (done := record_post(request, lambda action: selectors.keyperson_get(actor=request.user, pk=pk, action=action), {
        "test": lambda kp: test_form.submit(request, lambda **data: services.test_record(actor=request.user, keyperson=kp, **data),
                                            success=_("Test result recorded.")),
        "pass": lambda kp: _pass_issue(request, kp),
        "activate": lambda kp: _set_active(request, kp, True),
        "deactivate": lambda kp: _set_active(request, kp, False),
    }, back="keyworkers:detail", render_refused=True)):
        return done
    kp = selectors.keyperson_get(actor=request.user, pk=pk)
    return render(request, "keyworkers/detail.html", {
        "kp": kp, "card": selectors.card(kp, actor=request.user, unmask=asks_unmask(request)), "test_form": test_form,
        "tests": selectors.tests_of(actor=request.user, keyperson=kp)[:30], "passes": selectors.passes_of(actor=request.user, keyperson=kp)[:10],
        "can_change": access.can(request.user, "keyworkers.change", kp.region_path),
        "can_unmask": access.can(request.user, "keyworkers.unmask", kp.region_path),
    })


@login_required
def edit(request, pk: int):
    kp = selectors.keyperson_get(actor=request.user, pk=pk, action="change")
    initial = {"name": kp.name, "id_number": kp.id_number, "phone": kp.phone, "employer": kp.employer, "region": kp.region_path,
               "plate": kp.plate, "origin": kp.origin_path or kp.origin_division, "destination": kp.destination_path or kp.destination_division,
               "cargo": kp.cargo, "closed_loop": kp.closed_loop, "role": kp.role, "shift": kp.shift}
    form = forms.EditForm(request.POST if request.method == "POST" else None, initial=initial, actor=request.user)
    if request.method == "POST":
        done = form.submit(request, lambda **data: services.keyperson_update(actor=request.user, keyperson=kp, **data), success=_("Saved."))
        if done is not REFUSED:
            return redirect("keyworkers:detail", pk=kp.pk)
    return render(request, "keyworkers/edit.html", {"kp": kp, "form": form})


@login_required
def import_page(request):
    access.require(request.user, "keyworkers.change")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        def run(file):
            try:
                return services.keypersons_import(actor=request.user, data=file.read(), filename=file.name)
            except ServiceError as exc:
                problems.extend(exc.fields)
                raise
        done = form.submit(request, run, success=lambda out: _("%(n)d drivers and key workers registered.") % {"n": out["created"]})
        if done is not REFUSED:
            return redirect("keyworkers:index")
    return render(request, "keyworkers/import.html", {"form": form, "problems": problems[:200]}, status=400 if problems else 200)


@login_required
def due(request):
    access.require(request.user, "keyworkers.view")
    form = forms.DueForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {"state": "", "category": ""}
    now = clock.now()
    rows = page_of(request, selectors.due_list(actor=request.user, now=now, **chosen))
    return render(request, "keyworkers/due.html", {
        "form": form, "page": rows, "rows": [(kp, selectors.state_of(kp, now=now)) for kp in rows.object_list],
        "counts": selectors.due_counts(actor=request.user, now=now), "today": clock.today()})


@login_required
def passes(request):
    access.require(request.user, "keyworkers.view")
    return list_page(request, "keyworkers/passes.html", rows=lambda f: selectors.pass_list(actor=request.user, filters=f),
                     context=lambda listed: {"statuses": PassStatus.choices, "categories": Category.choices,
                                             "counts": selectors.pass_counts(actor=request.user)})


@login_required
def pass_detail(request, pk: int):
    if request.method == "POST" and (done := record_post(request, lambda action: selectors.pass_get(actor=request.user, pk=pk, action=action),
            lambda p: forms.PassActionForm(request.POST).submit(
                request, lambda action: services.pass_set_status(actor=request.user, key_pass=p, action=action), success=_("Pass updated.")),
            back="keyworkers:pass", render_refused=True)):
        return done
    p = selectors.pass_get(actor=request.user, pk=pk)
    code = services.pass_code(p)
    return render(request, "keyworkers/pass.html", {
        "p": p, "kp": p.keyperson, "code": code, "qr": qr.svg(code), "card": selectors.card(p.keyperson, actor=request.user),
        "conditions": services.conditions_of(p.keyperson, values=services.rule_values(), until=p.valid_until),
        "can_change": access.can(request.user, "keyworkers.change", p.region_path)})


def pass_label(p) -> qr.Label:
    """A pass card: the QR holds the signed code the checkpoint's pass field reads."""
    kp = p.keyperson
    window = f"{clock.local(p.valid_from):%m-%d} – {clock.local(p.valid_until):%m-%d}"
    route = f"{kp.origin_name or '-'} ⇄ {kp.destination_name or '-'}"
    first = kp.plate if kp.category == Category.DRIVER else kp.role
    lines = (kp.employer, route, window, _("Closed loop") if kp.closed_loop else kp.get_category_display())
    return qr.Label(code=services.pass_code(p), title=f"{kp.name[:1]}* {first}", lines=lines, caption=p.number)


# Pass cards with their QR codes (the listed valid passes, or ?ids=).
passes_print = qr.print_view(
    perm="keyworkers.view", get=selectors.pass_get, label=pass_label, back="keyworkers:passes",
    listed=lambda actor, filters: selectors.pass_list(actor=actor, filters=filters).filter(status=PassStatus.ACTIVE),
    title=gettext_lazy("Key worker and driver passes"), note=gettext_lazy("Scan at the checkpoint in the key worker pass field."))


@login_required
def flows(request):
    access.require(request.user, "keyworkers.view")
    form = forms.FlowForm(request.GET)
    if form.is_valid():
        rows = selectors.flows(actor=request.user, filters={k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    else:
        messages.error(request, form.error_summary())
        rows = []
    return render(request, "keyworkers/flows.html", {"lines": selectors.flow_table(rows)[:400], "form": form,
                                                     "categories": Category.choices, "reasons": PASS_REASONS})
