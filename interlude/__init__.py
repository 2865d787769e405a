"""Interlude: between-session contact for psychotherapy practices."""
