"""The tracker's forms: the admin's, which say early, as a form error, what tracker.services enforces
anyway (only those who may publish publish a measure or an event), and the readers' filters."""

from django import forms

from articles.services import can_publish
from tracker import dates
from tracker.models import Measure, MeasureEvent, PublicationStatus
from tracker.status import State

PUBLISH_REFUSED = (
    "Only editors can publish or unpublish. Save it as a draft and an editor will take it from there."
)


def _publishing_changes(form):
    initial = form.initial.get("status") if form.instance.pk else None
    status = form.cleaned_data.get("status")
    return status is not None and (status == PublicationStatus.PUBLISHED) != (
        initial == PublicationStatus.PUBLISHED
    )


class PublishingCheckedForm(forms.ModelForm):
    """A form whose `status` only those who may publish can move to or from published."""

    user = None  # set by the admin for each request

    def clean(self):
        cleaned = super().clean()
        if not can_publish(self.user) and _publishing_changes(self):
            self.add_error("status", forms.ValidationError(PUBLISH_REFUSED, code="publish_permission"))
        return cleaned


class LinkArticleForm(forms.Form):
    """Link a story to an event it reports."""

    event = forms.ModelChoiceField(
        queryset=MeasureEvent.objects.select_related("measure").order_by("measure__title", "date", "pk"),
        help_text="The event of a measure this story reports.",
    )


class TrackerFilterForm(forms.Form):
    """The tracker's filters, shared by its page, feeds and open data. A bad value is reported to the
    reader and ignored, never answered with an error page."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    mineral = forms.SlugField(required=False, allow_unicode=True)
    country = forms.SlugField(required=False, allow_unicode=True)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Measure.Kind.choices])
    direction = forms.ChoiceField(required=False, choices=[("", "Any direction"), *Measure.Direction.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *State.choices])
    on = forms.CharField(required=False, max_length=20, label="On", help_text="YYYY-MM-DD")

    def clean_on(self):
        text = self.cleaned_data["on"].strip()
        if not text:
            return None
        try:
            return dates.parse_iso_day(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="bad_date") from error

    def filters(self):
        """The valid filters (invalid ones dropped), with `on` defaulting to today."""
        self.is_valid()
        cleaned = {name: value for name, value in self.cleaned_data.items() if value}
        cleaned.setdefault("on", dates.today())
        return cleaned
