"""A small local stand-in for Stripe's API, serving recorded responses; tests point the library at it.

Run by the ``stripe_stub`` fixture (an ephemeral port on 127.0.0.1), or by hand for a manual walk-through:
``python -m tests.supporters.stripe_stub 8141`` then ``STRIPE_API_BASE=http://127.0.0.1:8141``.
It answers the few calls the portal makes, fills each recording with the request's own values, replays
the same answer for a repeated idempotency key (as Stripe does), and records every request so tests can
check what was sent. ``fail_next`` makes the next calls answer an error or hang.
"""

import copy
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDINGS = Path(__file__).with_name("stripe_recordings")


def recording(name):
    return json.loads((RECORDINGS / f"{name}.json").read_text())


def flat(form):
    """Stripe's form encoding (``line_items[0][price_data][unit_amount]=2000``) as a flat dict of values."""
    return {key: values[-1] for key, values in parse_qs(form, keep_blank_values=True).items()}


class StripeStub:
    def __init__(self, port=0):
        self.requests = []  # (method, path, params, headers)
        self.failures = []  # ("api_error" | "invalid_request" | "hang", seconds)
        self._answers = {}  # idempotency key -> (status, body)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def _answer(self, method):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                params = flat(self.rfile.read(length).decode() if method == "POST" else url.query)
                stub.requests.append((method, url.path, params, dict(self.headers)))
                status, body = stub.respond(method, url.path, params, self.headers.get("Idempotency-Key"))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{uuid.uuid4().hex[:12]}")
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, kind, times=1, seconds=0.0):
        self.failures.extend([(kind, seconds)] * times)

    def calls(self, path):
        return [r for r in self.requests if r[1] == path]

    def respond(self, method, path, params, idempotency_key):
        if self.failures:
            kind, seconds = self.failures.pop(0)
            if kind == "hang":
                time.sleep(seconds)
                return 500, recording("error_api")
            return (500, recording("error_api")) if kind == "api_error" else (400, recording("error_invalid_request"))
        if idempotency_key and idempotency_key in self._answers:
            return self._answers[idempotency_key]
        answer = self._route(method, path, params)
        if idempotency_key and method == "POST":
            self._answers[idempotency_key] = answer
        return answer

    def _route(self, method, path, params):
        if method == "POST" and path == "/v1/checkout/sessions":
            session = copy.deepcopy(recording("checkout_session"))
            session["id"] = f"cs_test_{uuid.uuid4().hex[:16]}"
            session["url"] = f"https://checkout.stripe.com/c/pay/{session['id']}"
            session["mode"] = params.get("mode", "payment")
            session["client_reference_id"] = params.get("client_reference_id")
            session["metadata"] = {"donation": params.get("metadata[donation]")}
            session["customer_email"] = params.get("customer_email")
            session["amount_total"] = session["amount_subtotal"] = int(
                params.get("line_items[0][price_data][unit_amount]", 0)
            )
            session["success_url"], session["cancel_url"] = params.get("success_url"), params.get("cancel_url")
            return 200, session
        if method == "POST" and path == "/v1/billing_portal/sessions":
            portal = copy.deepcopy(recording("billing_portal_session"))
            portal["customer"], portal["return_url"] = params.get("customer"), params.get("return_url")
            return 200, portal
        if method == "GET" and path == "/v1/invoice_payments":
            payments = copy.deepcopy(recording("invoice_payments"))
            invoice = params.get("invoice", "")
            payments["data"][0]["invoice"] = invoice
            payments["data"][0]["payment"]["payment_intent"] = f"pi_for_{invoice}"
            return 200, payments
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})."}}


if __name__ == "__main__":
    stub = StripeStub(int(sys.argv[1]) if len(sys.argv) > 1 else 8141)
    print(f"Stripe stub on {stub.url}; Ctrl-C stops it")
    try:
        stub.server.serve_forever()
    except KeyboardInterrupt:
        stub.server.server_close()
