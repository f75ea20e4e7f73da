"""Donation and newsletter pages; ``cytokines.urls`` mounts them beside the public pages."""

from django.urls import path

from cytokines.supporters import views

urlpatterns = [
    path("donate/", views.donate, name="donate"),
    path("donate/thanks/<str:reference>/", views.donate_thanks, name="donate-thanks"),
    path("donate/monthly/<str:token>/", views.donate_manage, name="donate-manage"),
    path("newsletter/", views.newsletter_sign_up, name="newsletter"),
    path("newsletter/check-your-inbox/", views.newsletter_check_inbox, name="newsletter-check-inbox"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter-confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.newsletter_unsubscribe, name="newsletter-unsubscribe"),
]

# The payment provider's webhook: one address whatever the language (cytokines.urls keeps it unprefixed).
unprefixed_urlpatterns = [
    path("donate/webhook/", views.payment_webhook, name="payment-webhook"),
]
