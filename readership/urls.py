from django.urls import path

from readership import views

app_name = "readership"

urlpatterns = [
    path("beacon/", views.beacon_view, name="beacon"),
    path("r/<str:token>/", views.click_view, name="click"),
]
