"""Text utilities shared by every stage: sentences, terms, dates, names and word lists."""
