import csv

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from newsletter import daily_updates, emails, sending
from newsletter.models import DailyUpdate, DailyUpdateArticle, Delivery, Subscriber
from newsletter.selectors import update_articles

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def count_of(rows):
    """How many of `rows` belong to the outer daily update, as a correlated subquery."""
    counted = (
        rows.filter(daily_update=OuterRef("pk")).order_by().values("daily_update")
        .annotate(total=Count("pk")).values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def csv_cell(value):
    # A cell a spreadsheet would run as a formula is written as text instead.
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(CSV_FORMULA_START) else value


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at", "topics"]
    list_filter = ["status", "minerals", "countries"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["minerals", "countries"]
    readonly_fields = [
        "created_at", "confirmed_at", "unsubscribed_at", "last_confirmation_sent_at",
        "signup_ip_hash", "signup_user_agent", "signup_source",
    ]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("minerals", "countries")

    @admin.display(description="topics")
    def topics(self, subscriber):
        names = [tag.name for tag in subscriber.minerals.all()] + [tag.name for tag in subscriber.countries.all()]
        return ", ".join(names) or "All articles"

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{timezone.localdate():%Y%m%d}.csv"'
        writer = csv.writer(response)
        writer.writerow(["email", "status", "created_at", "confirmed_at", "unsubscribed_at", "minerals", "countries"])
        for subscriber in queryset.prefetch_related("minerals", "countries"):
            writer.writerow([csv_cell(value) for value in (
                subscriber.email, subscriber.status, subscriber.created_at.isoformat(),
                subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
                subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else "",
                "; ".join(tag.name for tag in subscriber.minerals.all()),
                "; ".join(tag.name for tag in subscriber.countries.all()),
            )])
        return response


class DailyUpdateArticleInline(admin.TabularInline):
    model = DailyUpdateArticle
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["position", "article"]


@admin.register(DailyUpdate)
class DailyUpdateAdmin(admin.ModelAdmin):
    list_display = ["date", "subject", "status", "article_count", "delivery_counts"]
    list_filter = ["status"]
    search_fields = ["subject", "intro"]
    date_hierarchy = "date"
    inlines = [DailyUpdateArticleInline]
    fields = [
        "date", "subject", "intro", "status", "window_start", "window_end",
        "created_at", "enqueued_at", "sent_at", "delivery_counts", "preview_links",
    ]
    readonly_fields = [
        "date", "status", "window_start", "window_end", "created_at", "enqueued_at", "sent_at",
        "delivery_counts", "preview_links",
    ]
    actions = ["send_test_to_me"]

    def has_add_permission(self, request):
        # Updates are built by `manage.py send_daily_update`, which fixes the window and audience.
        return False

    def get_queryset(self, request):
        # Subqueries rather than joins: joining deliveries and articles together would multiply rows.
        counts = {
            f"count_{status}": count_of(Delivery.objects.filter(status=status)) for status in Delivery.Status.values
        }
        return super().get_queryset(request).annotate(**counts, count_articles=count_of(DailyUpdateArticle.objects))

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

    @admin.display(description="preview")
    def preview_links(self, daily_update):
        url = reverse("admin:newsletter_dailyupdate_preview", args=[daily_update.pk])
        return format_html('<a href="{}" target="_blank">HTML email</a> · <a href="{}?part=text" target="_blank">plain text</a>', url, url)

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view),
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

    @admin.action(description="Send a test of the selected updates to me")
    def send_test_to_me(self, request, queryset):
        if not request.user.email:
            self.message_user(request, "Your account has no email address; add one first.", messages.ERROR)
            return
        for daily_update in queryset:
            daily_updates.daily_update_send_test(daily_update=daily_update, email=request.user.email)
        self.message_user(request, f"Sent {queryset.count()} test email(s) to {request.user.email}.", messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["daily_update", "subscriber", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "daily_update"]
    list_select_related = ["daily_update", "subscriber"]
    search_fields = ["subscriber__email", "message_id"]
    readonly_fields = [
        "daily_update", "subscriber", "status", "attempts", "claimed_at", "sent_at", "error", "message_id",
    ]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected failed or unknown deliveries again")
    def requeue(self, request, queryset):
        count = sending.deliveries_requeue(deliveries=queryset)
        self.message_user(request, f"Queued {count} deliveries to be sent again.", messages.SUCCESS)
