"""Errors raised by the vector store; each message says what to do next."""


class Error(Exception):
    """The root of every error this project raises; `assistant.errors.AssistantError` is this class.

    It lives here, in the lowest package, so that store and assistant errors share one root.
    """


class VectorStoreError(Error):
    """Base class for every error of the `vectorstore` package."""


class ModelError(VectorStoreError):
    """The embedding model cannot be found, loaded or verified."""


class ModelMismatchError(VectorStoreError):
    """The index was built with a different embedding model than the one asked for."""


class StoreUnavailableError(VectorStoreError):
    """The Chroma server cannot be reached or the local store cannot be opened."""


class IndexDamagedError(VectorStoreError):
    """The index files cannot be read; `assistant reindex` rebuilds them from the source files."""


class DuplicateEntryError(VectorStoreError):
    """One write named the same id twice; Chroma refused it whole and the index is unchanged."""
