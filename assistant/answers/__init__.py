"""Answers with exact citations: offline from the sources, or by a model and then verified."""
