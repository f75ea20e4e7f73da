"""Kept only because migration 0006 names ``cytokines.models.supporters.new_donation_reference``."""

from cytokines.supporters.models import new_donation_reference

__all__ = ["new_donation_reference"]
