"""The pilot's piket rules, changed by coordinators of the national level."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import access
from accounts.forms import add_service_error
from piket import selectors
from piket.forms.rules import PiketRulesForm
from piket.services.rules import piket_rules_update


@access.requires("piket.manage")
def piket_rules(request):
    rules = selectors.piket_rules_get_for_user(request.user)
    form = PiketRulesForm(request.POST if request.method == "POST" else None, rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            piket_rules_update(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De piketregels zijn opgeslagen."))
            return redirect("piket:rules")
    return render(request, "piket/rules.html", {"form": form, "rules": rules})
