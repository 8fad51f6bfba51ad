"""Pages of the signaleringsoverleg."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from signalering import register_export as export
from signalering import selectors, services
from signalering.forms import (
    ConsentForm,
    MergeForm,
    MilestoneDoneForm,
    MilestoneForm,
    RecommendationAnswerForm,
    RecommendationForm,
    RecommendationStatusForm,
    SignalFilterForm,
    SignalForm,
    SignalJudgeForm,
    SignalResolveForm,
)
from signalering.models import Recommendation

RLevel, RStatus = Recommendation.Level, Recommendation.Status


# ---------------------------------------------------------------- signals and recommendations

RAISE, TAKE_PART = "signalering.raise", "signalering.take_part"
NATIONAL_VIEW = "signalering.national"


def _refused(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@never_cache
@access.requires(RAISE)
def signal_new(request):
    form = SignalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_raise(user=request.user, data=form.data_for_service())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Dank u: het signaal staat in de lijst van uw locatie."))
            return redirect("signalering:signal", signal.pk)
    return render(request, "signalering/signal_new.html", {"form": form})


@never_cache
@access.requires(RAISE)
def signal_list(request):
    locations = selectors.signal_locations(request.user)
    form = SignalFilterForm(request.GET or None, locations=locations)
    context = {
        "form": form,
        "signals": selectors.signal_backlog(request.user, form.filters()),
        "can_national": access.can(request.user, NATIONAL_VIEW),
    }
    return render(request, "signalering/signal_list.html", context)


@never_cache
@access.requires(RAISE)
def signal_detail(request, pk: int):
    signal = selectors.signal_get_for_user(request.user, pk)
    context = {
        "signal": signal,
        "organisations": signal.organisations.select_related("location").order_by("name"),
        "recommendations": selectors.signal_recommendations(request.user, signal),
        "can_handle": selectors.can_handle_signal(request.user, signal),
        "is_feedback": signal.source in selectors.FEEDBACK_SOURCES,
        "resolve_form": SignalResolveForm(),
        "judge_form": SignalJudgeForm(),
    }
    return render(request, "signalering/signal_detail.html", context)


@require_POST
@access.requires(TAKE_PART)
def signal_resolve(request, pk: int):
    signal = selectors.signal_get_for_user(request.user, pk, for_change="resolve")
    form = SignalResolveForm(request.POST)
    if form.is_valid():
        try:
            services.signal_resolve(
                user=request.user, signal=signal, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Het signaal is afgehandeld."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("signalering:signal", signal.pk)


@require_POST
@access.requires(TAKE_PART)
def signal_judge(request, pk: int):
    signal = selectors.signal_get_for_user(request.user, pk, for_change="resolve")
    form = SignalJudgeForm(request.POST)
    if form.is_valid():
        try:
            services.signal_judge(
                user=request.user, signal=signal, justified=form.cleaned_data["justified"]
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Vastgelegd."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("signalering:signal", signal.pk)


@never_cache
@access.requires(RAISE)
def recommendation_list(request):
    filters = selectors.RegisterFilters(
        level=request.GET.get("niveau", "") if request.GET.get("niveau") in RLevel.values else "",
        status=request.GET.get("status", "") if request.GET.get("status") in RStatus.values else "",
    )
    context = {
        "recommendations": selectors.recommendation_register(request.user, filters),
        "filters": filters,
        "levels": RLevel.choices,
        "statuses": RStatus.choices,
        "can_add": access.can(request.user, TAKE_PART),
    }
    return render(request, "signalering/recommendation_list.html", context)


@never_cache
@access.requires(TAKE_PART)
def recommendation_new(request):
    form = RecommendationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(
                user=request.user, data=form.data_for_service()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De aanbeveling staat in het register."))
            return redirect("signalering:recommendation", recommendation.pk)
    return render(request, "signalering/recommendation_new.html", {"form": form})


@never_cache
@access.requires(TAKE_PART)
def recommendation_from_decision(request, pk: int):
    decision = selectors.decision_for_recommendation(request.user, pk)
    initial = {"title": decision.text[:200], "text": decision.text, **_level_of(decision)}
    form = RecommendationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_from_decision(
                user=request.user, decision=decision, data=form.data_for_service()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het besluit staat als aanbeveling in het register."))
            return redirect("signalering:recommendation", recommendation.pk)
    context = {"form": form, "decision": decision}
    return render(request, "signalering/recommendation_new.html", context)


def _level_of(decision) -> dict:
    series = decision.agenda_item.meeting.series
    if series.location_id:
        return {"level": RLevel.LOCAL, "location": series.location_id}
    return {"level": RLevel.REGIONAL if series.kind == "regional" else RLevel.NATIONAL}


@never_cache
@access.requires(RAISE)
def recommendation_detail(request, pk: int):
    recommendation = selectors.recommendation_get_for_user(request.user, pk)
    user = request.user
    context = {
        "page": selectors.recommendation_page(user, recommendation),
        "can_change": selectors.can_change_recommendation(user, recommendation),
        "consent_line": selectors.consent_line_of(user, recommendation),
        "next_statuses": services.next_statuses(recommendation),
        "status_form": RecommendationStatusForm(),
        "answer_form": RecommendationAnswerForm(initial={"answer": recommendation.answer}),
        "milestone_form": MilestoneForm(),
        "consent_form": ConsentForm(),
    }
    return render(request, "signalering/recommendation_detail.html", context)


def _post_form(request, pk: int, form_class, change, for_change=True):
    """The recommendation's small forms: validate, call the service, back to its page."""
    recommendation = selectors.recommendation_get_for_user(request.user, pk, for_change=for_change)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            change(recommendation, form.cleaned_data)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("De aanbeveling is bijgewerkt."))
    return redirect("signalering:recommendation", recommendation.pk)


@require_POST
@access.requires(TAKE_PART)
def recommendation_status(request, pk: int):
    def change(recommendation, d):
        services.recommendation_transition(
            user=request.user, recommendation=recommendation, status=d["status"], note=d["note"]
        )

    return _post_form(request, pk, RecommendationStatusForm, change)


@require_POST
@access.requires(TAKE_PART)
def recommendation_answer(request, pk: int):
    def change(recommendation, d):
        services.recommendation_answer(
            user=request.user, recommendation=recommendation, answer=d["answer"]
        )

    return _post_form(request, pk, RecommendationAnswerForm, change)


@require_POST
@access.requires(TAKE_PART)
def recommendation_milestone(request, pk: int):
    def change(recommendation, d):
        services.recommendation_milestone_add(
            user=request.user,
            recommendation=recommendation,
            description=d["description"],
            due_date=d["due_date"],
        )

    return _post_form(request, pk, MilestoneForm, change)


@require_POST
@access.requires(TAKE_PART)
def recommendation_milestone_done(request, pk: int):
    def change(recommendation, d):
        services.recommendation_milestone_done(
            user=request.user, recommendation=recommendation, milestone_id=d["milestone"]
        )

    return _post_form(request, pk, MilestoneDoneForm, change)


@require_POST
@access.requires(TAKE_PART)
def recommendation_consent(request, pk: int):
    def change(recommendation, d):
        services.recommendation_consent(
            user=request.user, recommendation=recommendation, agreed=d["agreed"]
        )

    return _post_form(request, pk, ConsentForm, change, for_change="consent")


@require_POST
@access.requires(TAKE_PART)
def recommendation_split(request, pk: int):
    recommendation = selectors.recommendation_get_for_user(request.user, pk, for_change=True)
    try:
        services.recommendation_split(user=request.user, recommendation=recommendation)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("signalering:recommendation", recommendation.pk)
    messages.success(request, _("De aanbeveling is weer gesplitst."))
    return redirect("signalering:recommendations")


@never_cache
@access.requires(TAKE_PART)
def recommendation_merge(request):
    form = MergeForm(request.POST or None, user=request.user, initial=_chosen(request))
    if request.method == "POST" and form.is_valid():
        try:
            merged = services.recommendation_merge(
                user=request.user,
                recommendations=list(form.cleaned_data["recommendations"]),
                data=form.data_for_service(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De aanbevelingen zijn samengevoegd."))
            return redirect("signalering:recommendation", merged.pk)
    return render(request, "signalering/recommendation_merge.html", {"form": form})


def _chosen(request) -> dict:
    chosen = [value for value in request.GET.getlist("aanbeveling") if value.isdigit()]
    return {"recommendations": chosen} if chosen else {}


@never_cache
@access.requires(RAISE)
def recommendations_csv(request):
    rows = export.register_rows(selectors.recommendation_export_rows(request.user))
    response = HttpResponse(export.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aanbevelingen.csv"'
    return response


@never_cache
@access.requires(RAISE)
def recommendations_xlsx(request):
    rows = export.register_rows(selectors.recommendation_export_rows(request.user))
    response = HttpResponse(export.to_xlsx(rows), content_type=export.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="aanbevelingen.xlsx"'
    return response


@never_cache
@access.requires(NATIONAL_VIEW)
def national(request):
    context = {"overview": selectors.national_overview(request.user)}
    return render(request, "signalering/national.html", context)
