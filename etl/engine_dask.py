"""`ingest --engine dask`: reading and extraction on the workers of a Dask cluster.

Why Dask (the `distributed` package): it is the existing engine for Python work across
machines, and our unit of work is already a plain function of a chunk of paths
(`etl.parallel.extract_chunk`). The ingest process decides what to read exactly as it does
locally, sends each worker only paths, sizes and manifest rows, and gets back per-file
outcomes and figure rows as Arrow tables: the files' bytes never travel. The snapshot is
still built by one writer, this process, under the warehouse lock.

What a deployment needs: every worker runs the same `etl` code (a worker with another
extractor version is refused, so that one snapshot never mixes two extractors) and sees
the bulletin files under the same paths as the ingest process (a shared or replicated
mount; the ingest process only lists and stats them).

A worker that dies on a file is retried by the scheduler on another worker; when it dies
there too (KilledWorker) the chunk is re-run one file at a time, and the file that kills
its worker is reported as failed. The others load.
"""
from __future__ import annotations

from etl.parallel import (WINDOW_PER_WORKER, Chunk, ChunkResult, Window, _died, extract_chunk,
                          merge, single)


class EngineError(Exception):
    """The cluster cannot be used; str() is one line a person can act on."""


class DaskRunner:
    name = "dask"
    remote = True   # workers are checked for the same extractor version

    def __init__(self, address: str, timeout: float | None = None):
        """timeout: seconds to reach the scheduler (default: Dask's
        distributed.comm.timeouts.connect, 30 s unless configured)."""
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - pinned in requirements.txt
            raise EngineError("--engine dask needs the `distributed` package "
                              "(pip install -r requirements.txt)") from None
        self.address = address
        try:
            kw = {} if timeout is None else {"timeout": timeout}
            self.client = Client(address, set_as_default=False, **kw)
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"{address}: cannot reach the Dask scheduler "
                              f"({type(exc).__name__}: {exc})") from None
        info = self.client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def _submit(self, chunk: Chunk):
        return self.client.submit(extract_chunk, chunk, pure=False)

    def run(self, chunks):
        from distributed import KilledWorker
        for chunk, fut in Window(chunks, self._submit, self.workers * WINDOW_PER_WORKER):
            try:
                result = fut.result()
            except KilledWorker:
                result = self._isolate(chunk)
            except Exception as exc:
                raise EngineError(f"{self.address}: extraction failed on the cluster "
                                  f"({type(exc).__name__}: {exc})") from None
            finally:
                fut.release()
            yield result

    def _isolate(self, chunk: Chunk) -> ChunkResult:
        from distributed import KilledWorker
        parts = []
        for item in chunk.items:
            fut = self._submit(single(chunk, item))
            try:
                parts.append(fut.result())
            except KilledWorker:
                parts.append(_died(item))
            finally:
                fut.release()
        return merge(chunk.index, parts)

    def close(self):
        try:
            self.client.close()
        except Exception:  # pragma: no cover
            pass
