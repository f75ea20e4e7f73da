"""The mail queue, read-only: what waits, what is being retried, what was sent (no bodies, no addresses).

django-mailer's own admin would let anyone with access add or edit queued e-mails and shows their
contents; operators only need to see the queue's state.
"""

from django.contrib import admin
from mailer.models import DontSendEntry, Message, MessageLog

from cytokines.admin.base import ReadOnlyAdmin

for model in (Message, MessageLog, DontSendEntry):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class QueueAdmin(ReadOnlyAdmin):
    list_display_links = None  # a row's page would name its recipient; the list is all an operator needs

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)


@admin.register(Message)
class QueuedMailAdmin(QueueAdmin):
    list_display = ["pk", "when_added", "priority", "retry_count"]
    list_filter = ["priority"]
    fields = list_display


@admin.register(MessageLog)
class MailLogAdmin(QueueAdmin):
    list_display = ["when_attempted", "result", "message_id", "log_message"]
    list_filter = ["result"]
    fields = list_display
