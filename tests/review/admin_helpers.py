"""Helpers shared by the review admin tests."""

import datetime

from django.urls import reverse

from cytokines.models import Article

from ..factories import ArticleFactory, ArticleReferenceFactory, make_live

S = Article.Status


def change_url(obj):
    return reverse(f"admin:cytokines_{obj._meta.model_name}_change", args=[obj.pk])


def login(client, user):
    client.force_login(user)
    return client


def published_article(**kwargs):
    old = datetime.date(2025, 1, 10)
    article = ArticleFactory(status=S.PUBLISHED, last_reviewed=old, last_revised=old, **kwargs)
    ArticleReferenceFactory(article=article, position=1)
    make_live(article)  # readers see it with its reference
    return article
