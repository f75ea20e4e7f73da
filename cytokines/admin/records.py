"""Read-only admin for records: review history, reminders sent, reader feedback."""

from django.contrib import admin

from cytokines.admin.base import ReadOnlyAdmin
from cytokines.public.models import PageFeedback
from cytokines.review.models import ReminderLog, ReviewEvent


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "article", "actor_name", "role", "action", "from_status", "to_status"]
    list_filter = ["action", "role", "to_status"]
    search_fields = ["article__title", "actor_name", "comment"]
    list_select_related = ["article"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "recipient", "article", "kind", "due_date"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "article"]


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
