"""Introductions: double opt-in requests, connections with a message thread, blocks and reports."""
