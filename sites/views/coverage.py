"""Placeholder until its part of the site-registry issue lands."""
