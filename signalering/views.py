"""Pages of the signaleringsoverleg: series, meetings with agenda and minutes, the minutes
editor per item (htmx, and plain forms without JavaScript), approval, PDF and the action list.

Signals, the recommendations register and the national view have their own pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_error
from signalering import minutes, pdf, related, selectors, services
from signalering import register_export as export
from signalering.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    AttendanceForm,
    ConsentForm,
    CorrectionForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    MergeForm,
    MilestoneDoneForm,
    MilestoneForm,
    MinutesForm,
    RecommendationAnswerForm,
    RecommendationForm,
    RecommendationStatusForm,
    SeriesForm,
    SignalFilterForm,
    SignalForm,
    SignalJudgeForm,
    SignalResolveForm,
    TemplateItemForm,
)
from signalering.models import Recommendation

SEES = "signalering.meetings"


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _to_item(item):
    return redirect(reverse("signalering:meeting", args=[item.meeting_id]) + f"#punt-{item.pk}")


# ---------------------------------------------------------------- series


@never_cache
@access.requires(SEES)
def meetings(request):
    context = {
        "series_list": selectors.series_list(request.user),
        "meetings": selectors.meetings_list(request.user),
        "can_create": selectors.can_create_series(request.user),
    }
    return render(request, "signalering/meetings.html", context)


@never_cache
@access.requires("signalering.manage")
def series_new(request):
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(
                user=request.user, data=services.SeriesData(**form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De overlegreeks is aangemaakt."))
            return redirect("signalering:series", series.pk)
    return render(request, "signalering/series_new.html", {"form": form})


@never_cache
@access.requires(SEES)
def series_detail(request, pk: int):
    series = selectors.series_get_for_user(request.user, pk)
    can_manage = selectors.can_manage_series(request.user, series)
    form = SeriesForm(request.POST or None, instance=series, user=request.user)
    if request.method == "POST":
        series = selectors.series_get_for_user(request.user, pk, for_change=True)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "location"}
            services.series_update(
                user=request.user, series=series, data=services.SeriesData(location=None, **data)
            )
            messages.success(request, _("De overlegreeks is opgeslagen."))
            return redirect("signalering:series", series.pk)
    context = {
        "series": series,
        "form": form,
        "member_form": MemberForm(series=series),
        "template_form": TemplateItemForm(),
        "can_manage": can_manage,
        **selectors.series_page(series),
    }
    return render(request, "signalering/series.html", context)


@never_cache
@access.requires("signalering.manage")
def member_add(request, pk: int):
    series = selectors.series_get_for_user(request.user, pk, for_change=True)
    form = MemberForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.series_member_add(
                user=request.user,
                series=series,
                member_user=data["user"],
                guest_name=data["guest_name"],
                guest_email=data["guest_email"],
                guest_organisation=data["guest_organisation"],
                role=data["role"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De deelnemer is toegevoegd."))
            return redirect("signalering:series", series.pk)
    return render(request, "signalering/member_add.html", {"series": series, "form": form})


@require_POST
@access.requires("signalering.manage")
def member_remove(request, pk: int):
    member = selectors.series_member_get_for_user(request.user, pk, for_change=True)
    try:
        services.series_member_remove(user=request.user, member=member)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("De deelnemer doet niet meer mee."))
    return redirect("signalering:series", member.series_id)


@never_cache
@access.requires("signalering.manage")
def template_item_add(request, pk: int):
    series = selectors.series_get_for_user(request.user, pk, for_change=True)
    form = TemplateItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.template_item_add(user=request.user, series=series, **form.cleaned_data)
        messages.success(request, _("Het agendapunt staat in het sjabloon."))
        return redirect("signalering:series", series.pk)
    return render(request, "signalering/template_item_add.html", {"series": series, "form": form})


@require_POST
@access.requires("signalering.manage")
def template_item_remove(request, pk: int):
    item = selectors.template_item_get_for_user(request.user, pk, for_change=True)
    services.template_item_remove(user=request.user, item=item)
    messages.success(request, _("Het agendapunt is uit het sjabloon gehaald."))
    return redirect("signalering:series", item.series_id)


# ---------------------------------------------------------------- meetings


@never_cache
@access.requires("signalering.manage")
def meeting_new(request, pk: int):
    series = selectors.series_get_for_user(request.user, pk, for_change=True)
    form = MeetingForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(
                user=request.user,
                series=series,
                starts_at=form.starts_at,
                place=form.cleaned_data["place"],
                online_url=form.cleaned_data["online_url"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het overleg is gepland."))
            return redirect("signalering:meeting", meeting.pk)
    return render(request, "signalering/meeting_new.html", {"series": series, "form": form})


@never_cache
@access.requires(SEES)
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    context = selectors.meeting_page(request.user, meeting)
    context.update(
        owners=selectors.action_owner_choices(meeting) if context["can_minute"] else [],
        item_form=AgendaItemForm(),
        correction_form=CorrectionForm(),
        report=_report(meeting, context["is_participant"]),
        approved_content=_approved_content(context),
    )
    return render(request, "signalering/meeting.html", context)


def _report(meeting, participant: bool):
    from signalering.report import MonthReport

    return MonthReport.from_json(meeting.report) if meeting.report else None


def _approved_content(context) -> dict | None:
    version = context["approved"]
    if version is None:
        return None
    return minutes.for_audience(version.content, context["is_participant"])


@require_POST
@access.requires("signalering.manage")
def meeting_prepare(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk, for_change=True)
    try:
        services.meeting_prepare(user=request.user, meeting=meeting)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("Het overleg is voorbereid: signalen en maandrapportage staan klaar.")
        )
    return redirect("signalering:meeting", meeting.pk)


@never_cache
@access.requires(SEES)
def item_add(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk, for_change="minute")
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(user=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Het punt staat op de agenda."))
            return _to_item(item)
    return render(request, "signalering/item_add.html", {"meeting": meeting, "form": form})


def _item_response(request, item, forms: dict, status: int = 200):
    """The item's editor: the fragment for htmx, the item's own page without JavaScript."""
    item = selectors.agenda_item_get_for_user(request.user, item.pk)
    context = {
        "item": item,
        "meeting": item.meeting,
        "owners": selectors.action_owner_choices(item.meeting),
        "can_minute": selectors.minutes_editable(item.meeting),
        **forms,
    }
    template = "signalering/_item_editor.html" if request.htmx else "signalering/item.html"
    return render(request, template, context, status=status)


@never_cache
@access.requires(SEES)
def item_minutes(request, pk: int):
    item = selectors.agenda_item_get_for_user(request.user, pk, for_change=True)
    form = MinutesForm(request.POST or None, instance=item, prefix=f"v{item.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_minute(user=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Het verslag van dit punt is opgeslagen."))
                return _to_item(item)
            return _item_response(request, item, {"saved": True})
    return _item_response(request, item, {"minutes_form": form})


@require_POST
@access.requires(SEES)
def decision_add(request, pk: int):
    item = selectors.agenda_item_get_for_user(request.user, pk, for_change=True)
    form = DecisionForm(request.POST, prefix=f"b{item.pk}")
    if form.is_valid():
        try:
            services.decision_add(user=request.user, item=item, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _to_item(item) if not request.htmx else _item_response(request, item, {})
    return _item_response(request, item, {"decision_form": form})


@require_POST
@access.requires(SEES)
def action_add(request, pk: int):
    item = selectors.agenda_item_get_for_user(request.user, pk, for_change=True)
    owners = selectors.action_owner_choices(item.meeting)
    form = ActionForm(request.POST, owners=owners, prefix=f"a{item.pk}")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "names_confirmed"}
        try:
            services.action_add(user=request.user, item=item, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _to_item(item) if not request.htmx else _item_response(request, item, {})
    return _item_response(request, item, {"action_form": form})


@require_POST
@access.requires(SEES)
def item_copy(request, pk: int):
    item = selectors.agenda_item_get_for_user(request.user, pk, for_change=True)
    try:
        services.agenda_item_copy_to_next(user=request.user, item=item)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Het punt staat ook op de agenda van het volgende overleg."))
    return _to_item(item)


@require_POST
@access.requires(SEES)
def attendance(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk, for_change="minute")
    form = AttendanceForm(request.POST, attendances=selectors.meeting_attendances(meeting))
    if form.is_valid():
        try:
            present = {int(value) for value in form.cleaned_data["present"]}
            services.attendance_record(user=request.user, meeting=meeting, present=present)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("De aanwezigheid is opgeslagen."))
    return redirect(reverse("signalering:meeting", args=[meeting.pk]) + "#aanwezig")


@require_POST
@access.requires(SEES)
def minutes_approve(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk, for_change="approve")
    try:
        version = services.minutes_approve(user=request.user, meeting=meeting)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Versie %(number)s van het verslag is vastgesteld.") % {"number": version.number},
        )
    return redirect("signalering:meeting", meeting.pk)


@require_POST
@access.requires(SEES)
def minutes_correct(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk, for_change="approve")
    form = CorrectionForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["correction_reason"]
        try:
            services.minutes_correction_start(user=request.user, meeting=meeting, reason=reason)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("De correctie is gestart: pas het verslag aan en stel het opnieuw vast.")
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("signalering:meeting", meeting.pk)


@never_cache
@access.requires(SEES)
def minutes_pdf(request, pk: int):
    """The approved minutes (or the draft, for participants) as PDF; ?gasten=1 without the
    confidential items (the version guests receive)."""
    meeting = selectors.meeting_get_for_user(request.user, pk)
    content = selectors.minutes_content_for(request.user, meeting)
    confidential = selectors.is_participant(request.user, meeting.series) and not request.GET.get(
        "gasten"
    )
    document = pdf.minutes_pdf(content, confidential=confidential)
    response = HttpResponse(document, content_type="application/pdf")
    name = f"verslag-{meeting.month:%Y-%m}{'' if confidential else '-gasten'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@access.requires(SEES)
def minutes_version(request, pk: int):
    version = selectors.minutes_version_get_for_user(request.user, pk)
    participant = selectors.is_participant(request.user, version.meeting.series)
    context = {
        "version": version,
        "meeting": version.meeting,
        "content": minutes.for_audience(version.content, participant),
    }
    return render(request, "signalering/minutes_version.html", context)


# ---------------------------------------------------------------- actions


@never_cache
@access.requires(SEES)
def actions(request):
    mine = request.GET.get("alle") is None
    locations = selectors.action_locations(request.user)
    location_id = request.GET.get("locatie")
    location_id = int(location_id) if location_id and location_id.isdigit() else None
    context = {
        "actions": selectors.action_list(request.user, mine=mine, location_id=location_id),
        "mine": mine,
        "locations": locations,
        "location_id": location_id,
    }
    return render(request, "signalering/actions.html", context)


@require_POST
@access.requires(SEES)
def action_status(request, pk: int):
    action = selectors.action_get_for_user(request.user, pk, for_change=True)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_set_status(
            user=request.user, action=action, status=form.cleaned_data["status"]
        )
        messages.success(request, _("De status van de actie is opgeslagen."))
    if request.POST.get("next") == "meeting":
        return redirect("signalering:meeting", action.meeting_id)
    return redirect("signalering:actions")


# ---------------------------------------------------------------- the invitation's answer


@login_not_required
@never_cache
def respond(request, token: str, answer: str):
    """From the agenda mail, no account needed: a GET shows the question (mail scanners follow
    links), the POST records the answer."""
    if request.method == "POST":
        attendance = services.attendance_respond(token=token, response=answer)
        status = 200 if attendance else 410
        return render(
            request,
            "signalering/respond.html",
            {"attendance": attendance, "done": True},
            status=status,
        )
    attendance = selectors.attendance_by_token(services.token_hash(token))
    valid = attendance is not None and answer in ("yes", "no", "maybe")
    context = {"attendance": attendance if valid else None, "answer": answer}
    return render(request, "signalering/respond.html", context, status=200 if valid else 410)


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


def _apply_form(request, obj, form_class, change, success: str) -> None:
    """A small POST form on an object's page: validate, call the service, say how it went."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return
    try:
        change(obj, form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, success)


@require_POST
@access.requires(TAKE_PART)
def signal_resolve(request, pk: int):
    signal = selectors.signal_get_for_user(request.user, pk, for_change="resolve")

    def change(signal, d):
        services.signal_resolve(user=request.user, signal=signal, resolution=d["resolution"])

    _apply_form(request, signal, SignalResolveForm, change, _("Het signaal is afgehandeld."))
    return redirect("signalering:signal", signal.pk)


@require_POST
@access.requires(TAKE_PART)
def signal_judge(request, pk: int):
    signal = selectors.signal_get_for_user(request.user, pk, for_change="resolve")

    def change(signal, d):
        services.signal_judge(user=request.user, signal=signal, justified=d["justified"])

    _apply_form(request, signal, SignalJudgeForm, change, _("Vastgelegd."))
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
    """A recommendation made directly; `?signaal=<pk>`: of a signal, linked to it."""
    signal = _signal_of(request)
    initial = {"location": signal.location_id} if signal and signal.location_id else {}
    form = RecommendationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(
                user=request.user, data=form.data_for_service(), signals=[signal] if signal else []
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De aanbeveling staat in het register."))
            return redirect("signalering:recommendation", recommendation.pk)
    context = {"form": form, "signal": signal}
    return render(request, "signalering/recommendation_new.html", context)


def _signal_of(request):
    value = request.GET.get("signaal", "")
    if not value.isdigit():
        return None
    return selectors.signal_get_for_user(request.user, int(value), for_change=True)


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
        # what apps above show beside it (the library: practices that came from it)
        "blocks": related.blocks_for(user, recommendation),
    }
    return render(request, "signalering/recommendation_detail.html", context)


def _post_form(request, pk: int, form_class, change, for_change=True):
    """The recommendation's small forms: validate, call the service, back to its page."""
    recommendation = selectors.recommendation_get_for_user(request.user, pk, for_change=for_change)
    _apply_form(request, recommendation, form_class, change, _("De aanbeveling is bijgewerkt."))
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
