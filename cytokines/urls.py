from django.urls import path

from . import views

app_name = "cytokines"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("agents/", views.agent_list, name="agent-list"),
    path("agents/<slug:slug>/", views.agent_detail, name="agent-detail"),
    path("cancer-types/<slug:slug>/", views.cancer_type_detail, name="cancer-type-detail"),
    path("review-calendar/<str:token>.ics", views.review_calendar, name="review-calendar"),
]
