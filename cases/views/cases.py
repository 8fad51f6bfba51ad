from __future__ import annotations

from django.shortcuts import render

from accounts import access


@access.requires("cases.view")
def case_list(request):
    return render(request, "cases/case_list.html", {})


@access.requires("cases.register")
def case_register(request):
    return render(request, "cases/case_register.html", {})
