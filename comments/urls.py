"""Addresses of the comment forms: post, reply and like."""

from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("token/<int:article_id>/", views.security_token, name="token"),
    path("<int:pk>/like/", views.like_comment, name="like"),
]
