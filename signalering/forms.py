"""Forms of the signaleringsoverleg. Free text refuses client data (the models' PII guard) and
asks about names (NameCheckMixin); the services check what a form can't."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import User
from cases.pii import NameCheckMixin
from signalering.models import (
    ActionItem,
    AgendaItem,
    AgendaTemplateItem,
    Decision,
    Meeting,
    MinutesVersion,
    Section,
    Series,
    SeriesMember,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SeriesForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = Series
        fields = [
            "name",
            "location",
            "default_weekday",
            "default_time",
            "days_before_agenda_mail",
            "is_active",
        ]
        widgets = {"default_time": TIME}
        error_messages = {"name": {"required": _("Geef de overlegreeks een naam.")}}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        locations = access.locations_where(user, "signalering.manage")
        if self.instance.pk:
            del self.fields["location"]
        else:
            self.fields["location"].queryset = self.fields["location"].queryset.filter(
                pk__in=[location.pk for location in locations]
            )
            self.fields["location"].required = True
            self.fields["location"].error_messages["required"] = _("Kies de locatie.")
            if len(locations) == 1:
                self.fields["location"].initial = locations[0].pk
            self.fields["is_active"].widget = forms.HiddenInput()


class MemberForm(forms.Form):
    """A colleague with an account, or a guest of the sociale kaart by name and e-mail."""

    user = forms.ModelChoiceField(
        label=_("Collega met een account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— een gast zonder account —"),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=[c for c in SeriesMember.Role.choices if c[0] != SeriesMember.Role.GUEST],
        initial=SeriesMember.Role.MEMBER,
    )
    guest_name = forms.CharField(label=_("Naam gast"), max_length=200, required=False)
    guest_email = forms.EmailField(label=_("E-mailadres gast"), required=False)
    guest_organisation = forms.CharField(
        label=_("Organisatie gast"), max_length=200, required=False
    )

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        location_ids = (
            [series.location_id]
            if series.location_id
            else list(series.locations.values_list("pk", flat=True))
        )
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__is_active=True,
                memberships__organisation__location_id__in=location_ids,
            )
            .exclude(
                signalering_memberships__series=series, signalering_memberships__is_active=True
            )
            .distinct()
            .order_by("full_name", "email")
        )

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("guest_email"):
            raise forms.ValidationError(
                _("Kies een collega met een account, of vul naam en e-mailadres van een gast in.")
            )
        if data.get("user") and data.get("guest_email"):
            raise forms.ValidationError(_("Kies een collega óf vul een gast in, niet allebei."))
        return data


class TemplateItemForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = AgendaTemplateItem
        fields = ["section", "title", "is_recurring"]
        error_messages = {"title": {"required": _("Geef het agendapunt een titel.")}}


class MeetingForm(NameCheckMixin, forms.ModelForm):
    day = forms.DateField(
        label=_("Datum"),
        widget=DATE,
        error_messages={
            "required": _("Kies een datum."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    start = forms.TimeField(
        label=_("Begintijd"),
        widget=TIME,
        error_messages={"required": _("Kies een begintijd."), "invalid": _("Vul een tijd in.")},
    )

    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Vul een geldige link in.")},
    )

    class Meta:
        model = Meeting
        fields = ["place", "online_url"]

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "day": self.fields["day"],
            "start": self.fields["start"],
            "place": self.fields["place"],
            "online_url": self.fields["online_url"],
        }
        if series.default_time:
            self.fields["start"].initial = series.default_time

    @property
    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["start"]))


class AgendaItemForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["section", "title", "description", "is_confidential"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"title": {"required": _("Geef het agendapunt een titel.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].initial = Section.OTHER


class MinutesForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["minutes", "is_done", "is_confidential"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "is_done": _("Afgehandeld (anders komt het punt terug op het volgende overleg)"),
            "is_confidential": _("Vertrouwelijk (niet voor gasten, niet in hun mail en PDF)"),
        }


class DecisionForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"text": {"required": _("Beschrijf het besluit.")}}


class ActionForm(NameCheckMixin, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=SeriesMember.objects.none(),
        error_messages={
            "required": _("Kies wie de actie uitvoert."),
            "invalid_choice": _(
                "De eigenaar moet een deelnemer of gast van deze overlegreeks zijn."
            ),
        },
    )

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_date", "is_confidential"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DATE}
        error_messages = {
            "description": {"required": _("Beschrijf de actie.")},
            "due_date": {
                "required": _("Vul een datum in."),
                "invalid": _("Vul een geldige datum in."),
            },
        }

    def __init__(self, *args, owners: list[SeriesMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = SeriesMember.objects.filter(
            pk__in=[m.pk for m in owners]
        ).select_related("user")
        self.fields["owner"].label_from_instance = lambda m: m.display_name
        order = ["description", "owner", "due_date", "is_confidential", "names_confirmed"]
        self.fields = {name: self.fields[name] for name in order}


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Aanwezig"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(a.pk), a.member.display_name) for a in attendances]
        self.fields["present"].initial = [str(a.pk) for a in attendances if a.present]


class CorrectionForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = MinutesVersion
        fields = ["correction_reason"]
        widgets = {"correction_reason": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"correction_reason": {"required": _("Geef de reden van de correctie.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction_reason"].required = True


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)
