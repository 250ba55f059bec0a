"""Screens: gather what one answer shows from core (services and queries), then render it with a view."""
