"""The signup, confirmation and unsubscribe forms."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import Country, Mineral
from core.forms import ModelMultipleChoiceField


class TopicsForm(forms.Form):
    minerals = ModelMultipleChoiceField(
        queryset=Mineral.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave everything unticked to get every article.",
    )
    countries = ModelMultipleChoiceField(
        queryset=Country.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only tags on live articles: one made for a story not yet out stays unknown to readers.
        # Read per form, as "live" moves with the clock: a scheduled story going out adds its tags.
        self.fields["minerals"].queryset = Mineral.objects.listed()
        self.fields["countries"].queryset = Country.objects.listed()


class SignupForm(TopicsForm):
    email = forms.EmailField(
        max_length=254,
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.org"}),
        error_messages={"required": "Enter your email address.", "invalid": "Enter a valid email address."},
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    field_order = ["email", "minerals", "countries", "source"]

    def clean_source(self):
        # Only a path on this site is worth recording; anything else is dropped, not refused.
        source = self.cleaned_data["source"]
        if source and source.startswith("/") and url_has_allowed_host_and_scheme(source, allowed_hosts=None):
            return source
        return ""
