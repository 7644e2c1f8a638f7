"""Answers turned into text for people and machines: a Listing, rendered by a format chosen
by name (table, JSON, CSV, Markdown), and problem reporters (text, GitHub, JSON)."""
