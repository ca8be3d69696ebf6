"""The adapter to Chroma's internals (vectorstore/chroma.py): fails when a Chroma release moves them."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import ChromaServer
from vectorstore import ChromaStore
from vectorstore.chroma import is_timeout, is_write_refusal, release_client


def test_chroma_internals_the_adapter_uses_still_exist(tmp_path: Path, chroma_server: ChromaServer) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    embedded = ChromaStore("m", data_dir=tmp_path / "index")
    identifier = embedded._client._identifier  # what release_client reads
    assert identifier in SharedSystemClient._identifier_to_system
    release_client(embedded._client)
    assert identifier not in SharedSystemClient._identifier_to_system  # the next client reads afresh

    served = ChromaStore("m", host=chroma_server.host, port=chroma_server.port, timeout=2.5)
    assert served._client._server._session.timeout == httpx.Timeout(2.5)  # set_http_timeout took


def test_failures_are_told_apart_by_class() -> None:
    import errno

    assert is_timeout(httpx.ReadTimeout("slow")) and not is_timeout(httpx.ConnectError("refused"))
    assert is_write_refusal(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_write_refusal(OSError(errno.ENOENT, "No such file or directory"))
