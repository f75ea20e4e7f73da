"""django-import-export resources: what a spreadsheet row of each kind of content looks like.

Shared behaviour (limits, headers, the draft rule) is in ``base``; agents (in the admin's words) in
``agents``; references (bulk, unchanged rows skipped) in ``references``; articles in ``articles``.
"""

from cytokines.content.library import CancerType, Contributor
from cytokines.transfer.agents import AgentResource
from cytokines.transfer.articles import ArticleResource
from cytokines.transfer.base import ContentResource
from cytokines.transfer.references import ReferenceResource


class CancerTypeResource(ContentResource):
    class Meta:
        model = CancerType
        import_id_fields = ["slug"]
        fields = ["slug", "name", "summary", "trial_search_term"]
        skip_unchanged = True
        clean_model_instances = True
        use_bulk = True  # no relations or history: safe to insert in batches


class ContributorResource(ContentResource):
    class Meta:
        model = Contributor
        import_id_fields = ["slug"]
        fields = ["slug", "name", "role", "credentials", "job_title", "bio", "conflict_of_interest", "is_active"]
        skip_unchanged = True
        clean_model_instances = True


# Order matters for a full import: everything a row points at is imported before it.
CONTENT_RESOURCES = {
    "cancer-types": CancerTypeResource,
    "contributors": ContributorResource,
    "references": ReferenceResource,
    "agents": AgentResource,
    "articles": ArticleResource,
}

__all__ = ["CONTENT_RESOURCES", "AgentResource", "ArticleResource", "CancerTypeResource", "ContributorResource",
           "ReferenceResource"]  # fmt: skip
