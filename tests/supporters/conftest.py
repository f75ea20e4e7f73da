import pytest

from .stripe_events import WEBHOOK_SECRET
from .stripe_stub import StripeStub


@pytest.fixture(scope="session")
def stripe_stub_server():
    stub = StripeStub().start()
    yield stub
    stub.stop()


@pytest.fixture
def stripe_stub(stripe_stub_server, settings):
    """The Stripe provider, configured as in test mode, talking to the local stub (no network)."""
    stripe_stub_server.requests.clear()
    stripe_stub_server.failures.clear()
    settings.PAYMENT_PROVIDER = "cytokines.supporters.stripe_provider.StripeProvider"
    settings.STRIPE_SECRET_KEY = "sk_test_portal"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_stub_server.url
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 2
    return stripe_stub_server
