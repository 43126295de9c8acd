"""Run jobs in worker processes, hand back their results in the order the jobs were given, and stop cleanly.

Workers are forked where the platform allows it, so they start with everything the parent has loaded (fonts,
styles, modules) instead of loading it again. They ignore Ctrl-C: the parent hears it, asks them to stop after
the file they are writing (each file is written to a temporary file and moved into place, so none is left half
written), waits for them, and raises KeyboardInterrupt once every finished result has been handed back. A worker
that is terminated, or whose parent dies, removes the temporary file it was writing and exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

Job = TypeVar("Job")
Result = TypeVar("Result")

_stop: Any = None  # in a worker: the event the parent sets to ask it to stop early
FORKS = sys.platform == "linux"  # workers start as copies of the parent (elsewhere, fork is unsafe or missing)


def stopping() -> bool:
    """In a worker: whether the parent has asked the workers to stop (after Ctrl-C)."""
    return _stop is not None and _stop.is_set()


def _start_worker(stop: Any, parent: int) -> None:
    global _stop
    _stop = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and tells the workers
    signal.signal(signal.SIGTERM, _terminated)
    if FORKS:  # be terminated when the parent dies, rather than wait for work for ever
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before that took effect
            os._exit(1)


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(1)  # unwinds the job, whose writer removes its temporary file


def _call(work: Callable[[Job], Result], job: Job) -> Result:
    """A job in a worker; a worker told to terminate exits once the job has cleaned up after itself."""
    try:
        return work(job)
    except SystemExit:
        os._exit(1)


def run_in_order(
    work: Callable[[Job], Result],
    jobs: list[Job],
    workers: int,
    on_result: Callable[[int, Result], None],
    on_done: Callable[[], None] | None = None,
) -> None:
    """Run work(job) for every job, in up to `workers` processes (in this process for one worker or one job).
    on_result(index, result) is called in job order, each as soon as it and every job before it are done;
    on_done() as each job finishes, in whatever order, for a progress bar."""
    if workers <= 1 or len(jobs) <= 1:
        for index, job in enumerate(jobs):
            result = work(job)
            if on_done:
                on_done()
            on_result(index, result)
        return
    import multiprocessing  # with concurrent.futures, about 40 ms: only when there are processes to start
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork") if FORKS else multiprocessing.get_context()
    stop = context.Event()
    with _interrupts_ignored():  # the workers are started here, and inherit it
        executor = ProcessPoolExecutor(
            min(workers, len(jobs)), mp_context=context, initializer=_start_worker, initargs=(stop, os.getpid())
        )
        futures = {executor.submit(_call, work, job): index for index, job in enumerate(jobs)}
    finished: dict[int, Result] = {}
    next_index = 0
    try:
        pending: set[Future] = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                finished[futures[future]] = future.result()
                if on_done:
                    on_done()
            while next_index in finished:
                on_result(next_index, finished.pop(next_index))
                next_index += 1
    except BaseException:
        stop.set()
        executor.shutdown(wait=True, cancel_futures=True)
        for future, index in sorted(futures.items(), key=lambda item: item[1]):
            if index >= next_index and future.done() and not future.cancelled() and future.exception() is None:
                finished.setdefault(index, future.result())
        for index in sorted(finished):  # what was finished is still handed back, so it can be recorded
            on_result(index, finished[index])
        raise
    executor.shutdown(wait=True)


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def fork_map(work: Callable[[Job], Result], jobs: list[Job], workers: int) -> list[Result]:
    """work(job) for a few jobs (the variants of one leaflet), shared between this process and up to workers - 1
    forked children, without the cost of starting a pool; the results in job order. A child that is interrupted
    removes the file it was writing (its job unwinds) and exits; this process waits for every child."""
    import pickle

    groups = [jobs[start::workers] for start in range(min(workers, len(jobs)))] if FORKS else [jobs]
    children: list[tuple[int, int]] = []  # (pid, the read end of its pipe)
    try:
        for group in groups[1:]:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its group, then out, whatever happens
                status = 1
                try:
                    os.close(read)
                    with os.fdopen(write, "wb") as pipe:
                        pickle.dump([work(job) for job in group], pipe)
                    status = 0
                except KeyboardInterrupt:  # Ctrl-C reaches every process: the parent reports it
                    status = 130
                except BaseException:
                    import traceback

                    traceback.print_exc()
                finally:
                    os._exit(status)
            os.close(write)
            children.append((pid, read))
        done: list[list[Result]] = [[work(job) for job in groups[0]]]
        for pid, read in children:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            if status != 0 or not data:
                raise ChildProcessError(f"a worker process stopped (status {status})")
            done.append(pickle.loads(data))
    except BaseException:
        for pid, _ in children:  # let each finish or clean up, then reap it
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)
        raise
    results: list[Result] = []
    for index in range(len(jobs)):
        results.append(done[index % len(groups)][index // len(groups)])
    return results
