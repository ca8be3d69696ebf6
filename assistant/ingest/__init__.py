"""Bringing files into the index: find, decode, read, describe, chunk, embed and store them."""
