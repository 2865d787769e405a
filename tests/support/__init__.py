"""Helpers that tests start and control: a real SMTP server, dispatcher processes, a TCP proxy."""
