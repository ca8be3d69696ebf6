"""Who said what: quotes and their speakers, the quote index, agreement and conflict."""
