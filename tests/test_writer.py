"""The background writer: jobs in order, one at a time, errors raised in the caller's thread."""

import threading

import pytest

from assistant.ingest.writer import BackgroundWriter


def test_jobs_run_in_order_one_behind_the_caller() -> None:
    writer: BackgroundWriter[int] = BackgroundWriter()
    ran: list[int] = []
    threads: set[int] = set()

    def job(n: int) -> int:
        ran.append(n)
        threads.add(threading.get_ident())
        return n

    assert writer.submit(lambda: job(1)) is None
    assert writer.submit(lambda: job(2)) == 1
    assert writer.wait() == 2 and writer.wait() is None
    writer.close()
    assert ran == [1, 2] and threading.get_ident() not in threads


def test_a_failed_write_is_raised_at_the_next_submit_and_the_next_job_is_not_run() -> None:
    writer: BackgroundWriter[None] = BackgroundWriter()
    later: list[int] = []
    writer.submit(lambda: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        writer.submit(lambda: later.append(1))
    writer.close()
    assert later == []
