"""Refuse oversized request bodies before anything reads them: before the CSRF check, before Django
parses a multipart body and streams its files to disk.

Every request says its body's length (Content-Length); a body without one is read as empty by Django,
so checking the declared length bounds what is read. Import pages accept up to the import limit plus
room for the form around the file; every other page needs no more than its forms. The upload handler
below also stops a multipart body past the limit while it streams, in case a server passes more.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse

FORM_ROOM = 256 * 1024  # the fields and multipart framing around an uploaded file
UPLOAD_PATH_ENDINGS = ("/import/", "/process_import/", "/import-citations/")


def body_limit(path):
    if path.endswith(UPLOAD_PATH_ENDINGS):
        return settings.IMPORT_MAX_UPLOAD_BYTES + FORM_ROOM
    return settings.REQUEST_MAX_BODY_BYTES


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request.path)
        if declared_length(request) > limit:
            return HttpResponse(
                f"The request is larger than the limit of {limit / (1024 * 1024):.1f} MB; nothing was read. "
                "Split the file into smaller files.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class LimitedUploadHandler(FileUploadHandler):
    """Stop a multipart upload as soon as more than the limit has streamed in."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit, self.received = body_limit(self.request.path), 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig(f"Upload over the limit of {self.limit} bytes.")
        return raw_data

    def file_complete(self, file_size):
        return None
