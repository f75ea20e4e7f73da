from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import supporter_views, views
from .feeds import ReviewedArticlesAtomFeed, ReviewedArticlesFeed
from .public_cache import cached_public_page
from .sitemaps import SITEMAPS

app_name = "cytokines"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="article-feedback"),
    path("agents/", views.agent_list, name="agent-list"),
    path("agents/<slug:slug>/", views.agent_detail, name="agent-detail"),
    path("cancer-types/<slug:slug>/", views.cancer_type_detail, name="cancer-type-detail"),
    path("search/", views.search, name="search"),
    path("feed/", cached_public_page(ReviewedArticlesFeed()), name="feed-rss"),
    path("feed/atom/", cached_public_page(ReviewedArticlesAtomFeed()), name="feed-atom"),
    path("sitemap.xml", cached_public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("donate/", supporter_views.donate, name="donate"),
    path("donate/thanks/<str:reference>/", supporter_views.donate_thanks, name="donate-thanks"),
    path("donate/webhook/", supporter_views.payment_webhook, name="payment-webhook"),
    path("newsletter/", supporter_views.newsletter_sign_up, name="newsletter"),
    path("newsletter/check-your-inbox/", supporter_views.newsletter_check_inbox, name="newsletter-check-inbox"),
    path("newsletter/confirm/<str:token>/", supporter_views.newsletter_confirm, name="newsletter-confirm"),
    path("newsletter/unsubscribe/<str:token>/", supporter_views.newsletter_unsubscribe, name="newsletter-unsubscribe"),
    path("review-calendar/<str:token>.ics", views.review_calendar, name="review-calendar"),
]
