"""The tracker's addresses: the list, each measure, the open data and the feeds (whole tracker, per mineral,
per country and per measure). Feeds answer 304 to readers who have the current version."""

from django.urls import path
from django.views.decorators.http import conditional_page

from core.page_cache import cacheable
from tracker import exports, views
from tracker.feeds import TrackerFeed

app_name = "tracker"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("measures.csv", exports.measures_csv, name="measures-csv"),
    path("measures.json", exports.measures_json, name="measures-json"),
    path("events.csv", exports.events_csv, name="events-csv"),
    path("feed/", cacheable(conditional_page(TrackerFeed())), name="feed"),
    path("feed/atom/", cacheable(conditional_page(TrackerFeed(atom=True))), name="feed-atom"),
]
for scope in ("mineral", "country", "measure"):
    prefix = "" if scope == "measure" else f"{scope}/"
    urlpatterns += [
        path(
            f"{prefix}<anyslug:slug>/feed/",
            cacheable(conditional_page(TrackerFeed(scope))),
            name=f"{scope}-feed",
        ),
        path(
            f"{prefix}<anyslug:slug>/feed/atom/",
            cacheable(conditional_page(TrackerFeed(scope, atom=True))),
            name=f"{scope}-feed-atom",
        ),
    ]
urlpatterns.append(path("<anyslug:slug>/", views.measure_detail, name="measure"))
