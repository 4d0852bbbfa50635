"""The newsletter in the admin: subscribers, daily updates with their progress, deliveries and mails."""

import csv

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.formats import time_and_day
from newsletter import daily_updates, emails, monitoring, schedule, sending, subscriptions
from newsletter.models import (
    DailyUpdate,
    DailyUpdateArticle,
    Delivery,
    Subscriber,
    SubscriberMail,
    WorkerHeartbeat,
)
from newsletter.selectors import update_articles

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def count_of(rows):
    """How many of `rows` belong to the outer daily update, as a correlated subquery."""
    counted = (
        rows.filter(daily_update=OuterRef("pk"))
        .order_by()
        .values("daily_update")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def csv_cell(value):
    # A cell a spreadsheet would run as a formula is written as text instead.
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(CSV_FORMULA_START) else value


class ConfirmationMailFilter(admin.SimpleListFilter):
    title = "confirmation mail"
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("unsent", "Never went (retrying or given up)")]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            unsent = SubscriberMail.objects.gone_wrong().filter(kind=SubscriberMail.Kind.CONFIRM)
            return queryset.filter(pk__in=unsent.values("subscriber_id"))
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at", "topics"]
    list_filter = ["status", ConfirmationMailFilter, "minerals", "countries"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["minerals", "countries"]
    readonly_fields = [
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "last_confirmation_sent_at",
        "signup_ip_hash",
        "signup_user_agent",
        "signup_source",
    ]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("minerals", "countries")

    @admin.display(description="topics")
    def topics(self, subscriber):
        names = [tag.name for tag in subscriber.minerals.all()] + [
            tag.name for tag in subscriber.countries.all()
        ]
        return ", ".join(names) or "All articles"

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="subscribers-{timezone.localdate():%Y%m%d}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(
            ["email", "status", "created_at", "confirmed_at", "unsubscribed_at", "minerals", "countries"]
        )
        for subscriber in queryset.prefetch_related("minerals", "countries"):
            writer.writerow(
                [
                    csv_cell(value)
                    for value in (
                        subscriber.email,
                        subscriber.status,
                        subscriber.created_at.isoformat(),
                        subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
                        subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else "",
                        "; ".join(tag.name for tag in subscriber.minerals.all()),
                        "; ".join(tag.name for tag in subscriber.countries.all()),
                    )
                ]
            )
        return response


class DailyUpdateArticleInline(admin.TabularInline):
    model = DailyUpdateArticle
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["position", "article"]

    def _editable(self, daily_update):
        return daily_update is None or daily_update.status == DailyUpdate.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(DailyUpdate)
class DailyUpdateAdmin(admin.ModelAdmin):
    list_display = ["date", "subject", "status", "held", "article_count", "delivery_counts"]
    list_filter = ["status", "held"]
    search_fields = ["subject", "intro"]
    date_hierarchy = "date"
    inlines = [DailyUpdateArticleInline]
    fields = [
        "date",
        "state",
        "subject",
        "intro",
        "status",
        "held",
        "articles_edited",
        "window_start",
        "window_end",
        "created_at",
        "enqueued_at",
        "sent_at",
        "delivery_counts",
        "preview_links",
    ]
    # Editors change the subject and intro; the rest is the schedule's and the send's.
    readonly_fields = [name for name in fields if name not in ("subject", "intro")]
    actions = ["send_test_to_me"]
    change_form_template = "admin/newsletter/dailyupdate/change_form.html"
    change_list_template = "admin/newsletter/dailyupdate/change_list.html"

    def has_add_permission(self, request):
        # Updates are built by the worker's schedule (or `manage.py send_daily_update`), which fixes the
        # window.
        return False

    def has_change_permission(self, request, obj=None):
        # An update that went out is a record: it opens read-only, without Save buttons.
        if obj is not None and obj.status != DailyUpdate.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != DailyUpdate.Status.DRAFT:
            return [*self.readonly_fields, "subject", "intro"]
        return self.readonly_fields

    def get_queryset(self, request):
        # Subqueries rather than joins: joining deliveries and articles together would multiply rows.
        counts = {
            f"count_{status}": count_of(Delivery.objects.filter(status=status))
            for status in Delivery.Status.values
        }
        return (
            super()
            .get_queryset(request)
            .annotate(**counts, count_articles=count_of(DailyUpdateArticle.objects))
        )

    @admin.display(description="articles", ordering="count_articles")
    def article_count(self, daily_update):
        return daily_update.count_articles

    @admin.display(description="deliveries")
    def delivery_counts(self, daily_update):
        parts = [
            f"{label.lower()}: {getattr(daily_update, f'count_{status}')}"
            for status, label in Delivery.Status.choices
            if getattr(daily_update, f"count_{status}")
        ]
        return " · ".join(parts) or "none"

    @admin.display(description="where it stands")
    def state(self, daily_update):
        return schedule.daily_update_state(daily_update)

    @admin.display(description="preview")
    def preview_links(self, daily_update):
        url = reverse("admin:newsletter_dailyupdate_preview", args=[daily_update.pk])
        return format_html(
            '<a href="{}" target="_blank">HTML email</a> · '
            '<a href="{}?part=text" target="_blank">plain text</a>',
            url,
            url,
        )

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="newsletter_dailyupdate_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request, object_id):
        """The email as a subscriber with no topic filter will see it."""
        daily_update = get_object_or_404(DailyUpdate, pk=object_id)
        if not self.has_view_permission(request, daily_update):
            return HttpResponse(status=403)
        text, html = emails.preview_parts(daily_update, list(update_articles(daily_update, live_only=False)))
        if request.GET.get("part") == "text":
            return HttpResponse(text, content_type="text/plain; charset=utf-8")
        return HttpResponse(html)

    def changelist_view(self, request, extra_context=None):
        times = schedule.next_send_times()
        plan = daily_updates.daily_update_plan(date=timezone.localdate(times.send_at))
        built = DailyUpdate.objects.filter(date=plan.date).first()
        return super().changelist_view(
            request,
            {
                **(extra_context or {}),
                "next_send": times,
                "next_plan": plan,
                "next_built": built,
                "last_tick": schedule.last_worker_tick(),
            },
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is DailyUpdateArticle and formset.has_changed():
            # From now on the list is the editors': articles published later wait for the next update.
            DailyUpdate.objects.filter(pk=form.instance.pk).update(articles_edited=True)

    def response_change(self, request, obj):
        """The buttons under a draft: send a test, hold, release, send now; each after saving the form."""
        draft = obj.status == DailyUpdate.Status.DRAFT
        if "_send_test" in request.POST:
            self.send_test_to_me(request, DailyUpdate.objects.filter(pk=obj.pk))
        elif "_hold" in request.POST and draft:
            DailyUpdate.objects.filter(pk=obj.pk, status=DailyUpdate.Status.DRAFT).update(held=True)
            self.message_user(request, "Held: it will not go until released.", messages.WARNING)
        elif "_release" in request.POST and draft:
            DailyUpdate.objects.filter(pk=obj.pk).update(held=False)
            self._released(request, obj)
        elif "_send_now" in request.POST and draft:
            queued = daily_updates.daily_update_release(daily_update=obj)
            if queued:
                self.message_user(request, f"Sending now to {queued[0]} subscribers.", messages.SUCCESS)
        else:
            return super().response_change(request, obj)
        return HttpResponseRedirect(request.path)

    def _released(self, request, obj):
        """Say when a released draft goes; one released after its catch-up cut-off goes now, as the
        editor's release is the decision the schedule would otherwise wait for."""
        times, now = schedule.send_times(obj.date), timezone.now()
        if now < times.send_at:
            text = f"Released: it goes at {time_and_day(times.send_at)}."
        elif now <= times.cut_off:
            text = (
                "Released: its send time has passed, so a worker starts it within "
                f"{settings.WORKER_TICK_SECONDS:g} seconds."
            )
        else:
            queued = daily_updates.daily_update_release(daily_update=obj)
            text = (
                f"Released after its catch-up time: sending now to {queued[0]} subscribers."
                if queued
                else ("Released, but it has nobody to go to.")
            )
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(description="Send a test of the selected updates to me")
    def send_test_to_me(self, request, queryset):
        if not request.user.email:
            self.message_user(request, "Your account has no email address; add one first.", messages.ERROR)
            return
        for daily_update in queryset:
            daily_updates.daily_update_send_test(daily_update=daily_update, email=request.user.email)
        self.message_user(
            request, f"Sent {queryset.count()} test email(s) to {request.user.email}.", messages.SUCCESS
        )


class RecordAdmin(admin.ModelAdmin):
    """Rows the system writes and editors only read (and act on through actions)."""

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(RecordAdmin):
    list_display = ["daily_update", "subscriber", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "daily_update"]
    list_select_related = ["daily_update", "subscriber"]
    search_fields = ["subscriber__email", "message_id"]
    readonly_fields = [
        "daily_update",
        "subscriber",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "error",
        "message_id",
    ]
    actions = ["requeue"]

    @admin.action(description="Send the selected failed or unknown deliveries again")
    def requeue(self, request, queryset):
        count = sending.deliveries_requeue(deliveries=queryset)
        self.message_user(request, f"Queued {count} deliveries to be sent again.", messages.SUCCESS)


@admin.register(SubscriberMail)
class SubscriberMailAdmin(RecordAdmin):
    """Confirmation, welcome and already-subscribed mails; "never went" lists readers who were promised
    one."""

    list_display = ["subscriber", "kind", "status", "attempts", "created_at", "sent_at", "error"]
    list_filter = ["status", "kind"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__email"]
    readonly_fields = [
        "subscriber",
        "kind",
        "status",
        "attempts",
        "created_at",
        "queued_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "error",
    ]
    actions = ["try_again"]

    @admin.action(description="Try the selected unsent mails again now")
    def try_again(self, request, queryset):
        count = subscriptions.subscriber_mails_retry(mails=queryset)
        self.message_user(request, f"Queued {count} mail(s) to be sent again.", messages.SUCCESS)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(RecordAdmin):
    """Every `manage.py worker` and when its schedule last ran: a worker silent for minutes has died."""

    list_display = ["hostname", "pid", "started_at", "last_tick_at", "last_error"]
    readonly_fields = ["worker_id", "hostname", "pid", "started_at", "last_tick_at", "last_error"]

    def changelist_view(self, request, extra_context=None):
        """Above the workers: the health report monitoring reads, and the latest failed jobs."""
        return super().changelist_view(
            request,
            {
                **(extra_context or {}),
                "health": schedule.worker_health(),
                "failed_jobs": monitoring.failed_jobs(),
                "last_tick": schedule.last_worker_tick(),
            },
        )
