"""Admin forms of the tracker: they say early, as a form error, what tracker.services enforces
anyway (only those who may publish publish a measure or an event)."""

from django import forms

from articles.services import can_publish
from tracker.models import MeasureEvent, PublicationStatus

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
