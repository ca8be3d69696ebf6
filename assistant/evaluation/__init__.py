"""`assistant eval`: this project against the usual pipelines (needs the `.[eval]` extra)."""
