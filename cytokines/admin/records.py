"""Admin for records: review history, reminders sent (read-only), reader feedback and problem reports."""

from django.contrib import admin
from django.utils.html import format_html

from cytokines.admin.base import ReadOnlyAdmin
from cytokines.public import problems
from cytokines.public.models import PageFeedback, ProblemReport
from cytokines.review.models import ACTION_WORDS, ChecklistItem, ReminderLog, ReviewEvent, action_in_words


class StepFilter(admin.SimpleListFilter):
    """Filter the history by step, named in words."""

    title = "step"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(ACTION_WORDS.items())

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "page", "actor_name", "role", "step", "from_status", "to_status"]
    list_filter = [StepFilter, "role", "to_status"]
    search_fields = ["article__title", "agent__name", "actor_name", "comment"]
    list_select_related = ["article", "agent"]
    readonly_fields = ["step", "checklist_confirmed"]
    exclude = ["action"]

    @admin.display(description="step", ordering="action")
    def step(self, obj):
        return action_in_words(obj.action)

    @admin.display(description="medical review checklist")
    def checklist_confirmed(self, obj):
        return "; ".join(f"✓ {entry['item']}" for entry in obj.checklist if entry.get("checked")) or "—"


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    """The medical review checklist: Editors keep it (model permissions given to the Editor group)."""

    list_display = ["text", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "recipient", "page", "kind", "due_date"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "article", "agent", "glossaryterm"]

    @admin.display(description="Page")
    def page(self, obj):
        return obj.page


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "helpful", "comment"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["article__title", "comment"]
    list_select_related = ["article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    """Readers' problem reports, for Editors: read, act on the page, then mark resolved with a note."""

    list_display = ["created_at", "page_title", "short_description", "status", "resolved_by"]
    list_filter = ["status", "created_at"]
    search_fields = ["page_title", "page_path", "description", "reporter_email"]
    list_select_related = ["resolved_by"]
    fields = ["created_at", "page_link", "revision_shown", "description", "reporter_email", "status", "resolved_at",
              "resolved_by", "resolution_note"]  # fmt: skip
    readonly_fields = ["created_at", "page_link", "revision_shown", "description", "reporter_email", "status",
                       "resolved_at", "resolved_by"]  # fmt: skip
    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False  # readers send reports; nobody types them in

    @admin.display(description="what is wrong")
    def short_description(self, obj):
        return obj.description[:120]

    @admin.display(description="page")
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.page_path, obj.page_title or obj.page_path)

    @admin.display(description="version readers saw")
    def revision_shown(self, obj):
        return str(obj.revision) if obj.revision_id else "—"

    def save_model(self, request, obj, form, change):
        # Saving a resolution note resolves the report: the note says what was done.
        if obj.resolution_note and obj.status == ProblemReport.Status.OPEN:
            problems.resolve_reports([obj], user=request.user, note=obj.resolution_note)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Mark resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = problems.resolve_reports(queryset.filter(status=ProblemReport.Status.OPEN), user=request.user)
        self.message_user(request, f"Marked {count} report(s) resolved.")
