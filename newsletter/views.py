"""Signup, confirmation, one-click unsubscribe and the archive: thin views over the services."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView, TemplateView

from core import clients, page_cache, ratelimit
from core.crossorigin import same_origin_required
from newsletter import schedule, subscriptions, tokens
from newsletter.forms import SignupForm, TopicsForm
from newsletter.invalidation import ARCHIVE
from newsletter.models import DailyUpdate, Subscriber
from newsletter.selectors import update_articles


def invalid_link(request):
    return render(request, "newsletter/invalid_link.html", status=400)


@same_origin_required  # the signup box is on every page, cached ones too: no CSRF token there
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.method == "GET":
        return render(request, "newsletter/signup.html", {"form": SignupForm()})
    ip = clients.client_ip(request)
    if limited := ratelimit.limited(
        request,
        "newsletter-signup",
        ip,
        limit=settings.NEWSLETTER_SIGNUP_IP_LIMIT,
        window=3600,
        message="Too many signups have come from your network in the last hour.",
    ):
        return limited
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletter/signup.html", {"form": form})
    # Stored before the answer, the same way for every address: the reader is never told "thanks" for
    # a signup that could be lost, and neither the page nor its timing says who subscribes.
    subscriptions.signup_request_record(
        email=form.cleaned_data["email"],
        mineral_ids=[mineral.pk for mineral in form.cleaned_data["minerals"]],
        country_ids=[country.pk for country in form.cleaned_data["countries"]],
        ip_hash=clients.fingerprint(ip) if ip else "",
        user_agent=request.headers.get("User-Agent", ""),
        source=form.cleaned_data["source"],
    )
    return redirect("newsletter:thanks")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button; only the POST confirms, so mail scanners that follow links confirm nothing."""
    try:
        if request.method == "POST":
            subscriptions.subscriber_confirm(token=token)
            return redirect("newsletter:welcome")
        subscriber = subscriptions.subscriber_for_token(purpose=tokens.CONFIRM, token=token)
    except tokens.InvalidToken:
        return invalid_link(request)
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in the mail's body: a page with one button, which posts back here with CSRF."""
    try:
        if request.method == "POST":
            subscriptions.subscriber_unsubscribe(token=token)
            return redirect("newsletter:unsubscribed")
        subscriber = subscriptions.subscriber_for_token(purpose=tokens.UNSUBSCRIBE, token=token)
    except tokens.InvalidToken:
        return invalid_link(request)
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber, "token": token})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_one_click(request, token):
    """The List-Unsubscribe URL (RFC 8058): mail providers POST here with no cookie and no CSRF
    token; the signed token in the URL is the authority. A GET, from an older client opening a
    browser, gets the page with the button instead."""
    if request.method == "GET":
        return redirect("newsletter:unsubscribe", token=token)
    try:
        subscriptions.subscriber_unsubscribe(token=token)
    except tokens.InvalidToken:
        return invalid_link(request)
    return render(request, "newsletter/unsubscribed.html")


@require_http_methods(["GET", "POST"])
def topics(request, token):
    try:
        subscriber = subscriptions.subscriber_for_token(purpose=tokens.TOPICS, token=token)
    except tokens.InvalidToken:
        return invalid_link(request)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return render(request, "newsletter/topics.html", {"subscriber": subscriber, "form": None})
    # An empty POST (everything unticked) is still a submission, so test the method, not the data.
    form = TopicsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "minerals": subscriber.minerals.all(),
            "countries": subscriber.countries.all(),
        },
    )
    if request.method == "POST" and form.is_valid():
        subscriptions.subscriber_set_topics(subscriber=subscriber, **form.cleaned_data)
        return render(
            request, "newsletter/topics.html", {"subscriber": subscriber, "form": form, "saved": True}
        )
    return render(request, "newsletter/topics.html", {"subscriber": subscriber, "form": form})


class ArchiveMixin:
    """Sent daily updates, on pages the page cache keeps until the archive changes."""

    def get_queryset(self):
        page_cache.depends_on(self.request, ARCHIVE)
        return DailyUpdate.objects.sent()


class ArchiveListView(ArchiveMixin, ListView):
    template_name = "newsletter/archive_list.html"
    context_object_name = "daily_updates"
    paginate_by = 30


class ArchiveDetailView(ArchiveMixin, DetailView):
    template_name = "newsletter/archive_detail.html"
    context_object_name = "daily_update"
    slug_field = "date"
    slug_url_kwarg = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Articles unpublished since the update went out drop out of the archive too.
        context["articles"] = update_articles(self.object)
        return context


thanks = TemplateView.as_view(template_name="newsletter/thanks.html")
welcome = TemplateView.as_view(template_name="newsletter/welcome.html")
unsubscribed = TemplateView.as_view(template_name="newsletter/unsubscribed.html")


@require_http_methods(["GET", "HEAD"])
def health(request):
    """For monitoring: when the schedule last ran and counts of stuck work; 503 when something needs a
    person."""
    report = schedule.worker_health()
    response = JsonResponse(report, status=200 if report["ok"] else 503)
    response["Cache-Control"] = "no-store"
    return response
