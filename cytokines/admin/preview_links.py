"""Preview links for outside reviewers: made and revoked on a page's change page; opened without a login.

The outside page is the staff preview of the pending revision (with its comparison to the live page),
read only: no admin controls, never indexed, cached or sent on as a referrer (the link is the key).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from cytokines.ops.site_url import absolute_url
from cytokines.review import compare, preview_links, snapshots
from cytokines.review.models import PreviewLink


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"  # links in the text must not carry the key to other sites
    return response


def _pending_page(request, page, link):
    """The pending revision as the page's own staff preview renders it (its admin says how: article or agent)."""
    from django.contrib import admin

    model_admin = admin.site.get_model_admin(type(page))
    revision, relations = snapshots.build_revision(page, number=0)
    context = model_admin.preview_context(revision, relations)
    context.update(preview=True, outside_link=link, status=page.get_status_display(), live_revision=page.live_revision,
                   comparison=compare.pending_comparison(page) if page.live_revision_id else None)  # fmt: skip
    return render(request, model_admin.preview_template, context)


@require_safe
def outside_preview(request, token):
    try:
        link, page = preview_links.open_link(token)
    except preview_links.LinkRefused as refused:
        response = render(
            request, "cytokines/preview_link_refused.html", {"reason": str(refused)}, status=refused.status
        )
        return _private(response)
    return _private(_pending_page(request, page, link))


class PreviewLinkAdminMixin:
    """For a reviewed kind's admin: make a link on the change page, list the page's links, revoke them."""

    def preview_link_urls(self):
        from django.urls import path

        wrap, info = self.admin_site.admin_view, self.model._meta.model_name
        return [
            path("<int:pk>/preview-links/", wrap(self.preview_link_create_view), name=f"cytokines_{info}_preview_link"),
            path("<int:pk>/preview-links/<int:link_pk>/revoke/", wrap(self.preview_link_revoke_view),
                 name=f"cytokines_{info}_preview_link_revoke"),
        ]  # fmt: skip

    def preview_link_context(self, request, page):
        info = self.model._meta.model_name
        return {
            "can_share_preview": preview_links.can_share(request.user) and preview_links.has_pending_revision(page),
            "preview_link_url": reverse(f"admin:cytokines_{info}_preview_link", args=[page.pk]),
            "preview_links": list(preview_links.links_of(page)[:20]),
            "preview_link_days": PreviewLink.DEFAULT_DAYS,
            "preview_link_max_days": PreviewLink.MAX_DAYS,
        }

    def _page_for_sharing(self, request, pk):
        page = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, page):
            raise PermissionDenied
        refusal = preview_links.sharing_refusal(request.user)
        if refusal:
            raise PermissionDenied(refusal)  # shown as an admin message (admin.refusals)
        return page

    def preview_link_create_view(self, request, pk):
        change_url = reverse(f"admin:cytokines_{self.model._meta.model_name}_change", args=[pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        page = self._page_for_sharing(request, pk)
        try:
            days = int(request.POST.get("days") or PreviewLink.DEFAULT_DAYS)
            link, token = preview_links.create(page, user=request.user, reviewer_name=request.POST.get("reviewer_name"),
                                               days=days)  # fmt: skip
        except ValueError:
            self.message_user(request, "The number of days must be a whole number.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        except ValidationError as invalid:
            self.message_user(request, " ".join(invalid.messages), messages.ERROR)
            return HttpResponseRedirect(change_url)
        context = {**self.admin_site.each_context(request), "title": "Preview link made", "link": link, "page": page,
                   "url": absolute_url(reverse("cytokines:outside-preview", args=[token])), "change_url": change_url,
                   "opts": self.model._meta}  # fmt: skip
        return _private(TemplateResponse(request, "admin/cytokines/preview_link_created.html", context))

    def preview_link_revoke_view(self, request, pk, link_pk):
        change_url = reverse(f"admin:cytokines_{self.model._meta.model_name}_change", args=[pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        page = self._page_for_sharing(request, pk)
        link = get_object_or_404(preview_links.links_of(page), pk=link_pk)
        preview_links.revoke(link, user=request.user)
        self.message_user(request, f"The preview link for {link.reviewer_name} no longer opens.")
        return HttpResponseRedirect(change_url)
