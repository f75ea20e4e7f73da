from django.urls import path

from cytokines.public import problems, saved, site_pages, views
from cytokines.public.cache import cached_public_page, page_number
from cytokines.public.feeds import ReviewedArticlesAtomFeed, ReviewedArticlesFeed
from cytokines.public.sitemaps import robots_txt, sitemap_index, sitemap_section

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<slug:slug>/pdf/", views.article_pdf, name="article-pdf"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="article-feedback"),
    path("articles/<slug:slug>/feedback/<str:token>/", views.article_feedback_comment, name="article-feedback-comment"),
    path("about/", site_pages.trust_page, {"kind": "about"}, name="about"),
    path("about/<slug:kind>/", site_pages.trust_page, name="trust-page"),
    path("style-guide/", site_pages.style_guide, name="style-guide"),
    path("agents/", views.agent_list, name="agent-list"),
    path("agents/<slug:slug>/", views.agent_detail, name="agent-detail"),
    path("agents/<slug:slug>/pdf/", views.agent_pdf, name="agent-pdf"),
    path("cancer-types/<slug:slug>/", views.cancer_type_detail, name="cancer-type-detail"),
    path("glossary/", views.glossary_index, name="glossary"),
    path("glossary/<slug:slug>/", views.glossary_term, name="glossary-term"),
    path("search/", views.search, name="search"),
    path("saved/", saved.saved_pages, name="saved-pages"),
    path("report-a-problem/", problems.report_problem, name="report-problem"),
    path("report-a-problem/thanks/", problems.report_problem_thanks, name="report-problem-thanks"),
]

# Machine-read addresses: one address whatever the reader's language (cytokines.urls keeps them unprefixed).
unprefixed_urlpatterns = [
    path("saved/pages/<int:count>/<int:bucket>.json", saved.saved_pages_bucket, name="saved-pages-bucket"),
    # The address before the index was split by the library's size (a saved-pages page open since then).
    path("saved/pages/<int:bucket>.json", saved.saved_pages_bucket, name="saved-pages-bucket-256"),
    path("feed/", cached_public_page(ReviewedArticlesFeed()), name="feed-rss"),
    path("feed/atom/", cached_public_page(ReviewedArticlesAtomFeed()), name="feed-atom"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", cached_public_page(sitemap_index), name="sitemap"),
    path("sitemap-<section>.xml", cached_public_page(sitemap_section, params={"p": page_number}),
         name="sitemap-section"),
    path("review-calendar/<str:token>.ics", views.review_calendar, name="review-calendar"),
    path("review-calendar/<str:token>/all.ics", views.review_calendar, {"scope": "all"}, name="review-calendar-all"),
]
