"""The Ray engine (`--engine ray`): a batch's documents spread over a Ray cluster.

The driver (the `jixiao extract` process) lists the inputs and resumes by content hash
as every engine does (`run.batch`); each remaining document becomes one Ray task, which
on some worker process of the cluster runs the same `process_path` as the local engines
— load (OCR), segment, extract, verify, under the per-document time and memory limits
(`Limits.guard`: Ray runs a task in its worker's main thread, so the timer and the
address-space ceiling work there as they do locally).

Where each document is stored (docs/scale.md says why):

* a server database (PostgreSQL): the worker that finished it, in one transaction, as
  the local pool's workers do — the driver only counts, so it is never the bottleneck;
* SQLite: the driver. A SQLite file lives on one machine and takes one writer at a
  time; a worker on another node would write to a file of its own and lose the record.

Either way a document is one upsert keyed by (content hash, backend), so a task that
Ray runs again — its worker was killed, its node lost, its result object lost — stores
the same row again, never a second one, and a killed driver's batch resumes by content
hash like any other. A document whose worker dies on every attempt (`RETRIES` + 1) is
recorded as failed with a `worker_lost` reason and the batch goes on.

LLM backends: every worker's requests pass through one gate actor, so
``--concurrency`` is the limit of the whole cluster (`run.cluster_gate`); the answer
cache is the settings' cache directory, which the nodes must share (it is on a local
cluster). The API key is not sent with the tasks: each worker reads it from its own
environment or jixiao.toml, as the driver did.

Inputs must be visible to every worker at the same path (a local cluster, or a shared
filesystem): a task changes to the driver's working directory first, so a relative
path names the same file there and the record's `source.path` is the one the local
engines write. Results come back in input order, at most a window of documents ahead.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import ray
from ray.exceptions import RayError, RayTaskError
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_fixed

from jixiao.errors import ClusterError, InputError, WorkerLost
from jixiao.extract import LogsCalls
from jixiao.extract.registry import BackendSpec
from jixiao.run.document import process_path
from jixiao.run.engine import Job, Spent
from jixiao.run.failures import failed_load
from jixiao.run.outcome import Done, Finished, StoreTarget
from jixiao.run.workers import Worker

#: times Ray runs a document again after its worker process or node died
RETRIES = 2
#: documents submitted ahead of the one being waited for, per CPU of the cluster: few
#: when results carry whole records back to the driver (SQLite, or --out), many when
#: the workers store and send back a few counts — results are handed on in input
#: order, so one slow document (a long scan) stalls the cluster once the window behind
#: it is done
WINDOW_PER_CPU = 4
WINDOW_PER_CPU_STORED_BY_WORKERS = 32
MIN_WINDOW = 16
#: object store of a cluster started with `--ray-address local` (records pass through it)
LOCAL_OBJECT_STORE_BYTES = 128 * 2**20
#: the namespace jixiao's jobs and actors live in on a shared cluster
NAMESPACE = "jixiao"


class _NoLock:
    """The writers' lock of workers writing to a server database: none is needed
    (the server orders transactions; the upsert retries a lost insert race)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@dataclass(frozen=True)
class _Work:
    """What every task of a batch needs (put in the object store once per batch)."""

    job: Job
    #: the driver's working directory: relative input paths mean the same files there
    cwd: str
    #: the API key was left out of the spec: each worker reads its own
    key_from_env: bool
    #: the LLM gate actor, or None for a backend that makes no requests
    gate: Any
    #: this batch, so a reused worker process rebuilds its state for a new batch
    batch: str


# --------------------------------------------------------------------- worker side
_workers: dict[str, Worker] = {}


def _worker_for(work: _Work) -> Worker:
    """This process's backend and store connection for the batch, made once."""
    worker = _workers.get(work.batch)
    if worker is not None:
        return worker
    _workers.clear()
    job = work.job
    if job.log_file is not None and Path(job.log_file).parent.is_dir():
        from jixiao.run.logs import route_library_logs

        route_library_logs(job.log_file)
    # the pipeline imported now, not inside the first document's time limit
    import jixiao.ingest
    import jixiao.segment
    import jixiao.verify.reverify  # noqa: F401

    spec = _with_worker_key(job.backend, work) if work.key_from_env else job.backend
    backend = spec.build()
    if work.gate is not None:
        from jixiao.extract.llm.requests import RequestBackend
        from jixiao.run.cluster_gate import ClusterGate

        if isinstance(backend, RequestBackend):
            backend.runner.gate = ClusterGate(work.gate)
    worker = Worker.start(backend, job.target)
    _workers[work.batch] = worker
    return worker


def _with_worker_key(spec: BackendSpec, work: _Work) -> BackendSpec:
    """The spec with the API key this worker's environment (or jixiao.toml) gives."""
    from jixiao.config import load_settings

    key = load_settings(cwd=Path(work.cwd)).api_key
    settings = spec.options["settings"].model_copy(update={"api_key": key})
    return BackendSpec(spec.name, {**spec.options, "settings": settings})


@ray.remote(max_retries=RETRIES, retry_exceptions=False)
def _document(path: str, work: _Work) -> Done | Finished:
    """One document on a worker: processed as the local engines do, stored here when
    the store is a server database, else handed back to the driver."""
    try:
        os.chdir(work.cwd)
    except OSError as exc:
        unseen = InputError(
            f"the batch's folder {work.cwd} is not on worker node "
            f"{ray.util.get_node_ip_address()} ({exc.strerror}): inputs must be on "
            "storage every node mounts at the same path"
        )
        return Finished(failed_load(Path(path), unseen, work.job.backend.name), None)
    worker = _worker_for(work)
    backend = worker.backend
    outcome = process_path(Path(path), backend, work.job.limits)
    calls = backend.drain_calls() if isinstance(backend, LogsCalls) else []
    return worker.keep(Finished(outcome.record, outcome.text, calls))


# --------------------------------------------------------------------- driver side
class RayEngine:
    """Documents as Ray tasks on the cluster at `address`: ``auto`` (the running
    cluster: RAY_ADDRESS or the one on this machine), ``HOST:PORT``, ``ray://HOST:10001``
    (Ray Client), or ``local`` (a private cluster of `workers` CPUs on this machine)."""

    def __init__(self, address: str = "auto", workers: int | None = None) -> None:
        self.address = address
        self.workers = workers
        #: the LLM usage the gate counted in the last run (None: no LLM backend)
        self.usage: Any = None

    def spent(self) -> Spent | None:
        """What the endpoint answered through the gate in the last run (`CountsSpending`)."""
        if self.usage is None:
            return None
        return Spent(self.usage.attempts, self.usage.tokens_in, self.usage.tokens_out)

    def run(self, paths: Sequence[Path], job: Job) -> Iterator[Done | Finished]:
        self.usage = None
        if not paths:
            return
        connected_here = self._connect()
        try:
            gate = _start_gate(job.backend)
            work = _for_workers(job, gate)
            small_results = work.job.target is not None and not work.job.target.want_json
            per_cpu = WINDOW_PER_CPU_STORED_BY_WORKERS if small_results else WINDOW_PER_CPU
            yield from _in_order(paths, ray.put(work), job.backend.name, per_cpu)
            if gate is not None:
                from jixiao.run.cluster_gate import Usage

                self.usage = ray.get(gate.usage.remote())
                assert isinstance(self.usage, Usage)
        finally:
            if connected_here:
                ray.shutdown()

    def _connect(self) -> bool:
        """Join (or start) the cluster; False when this process was already connected."""
        if ray.is_initialized():
            return False
        options: dict[str, Any] = {
            "namespace": NAMESPACE,
            "log_to_driver": False,  # workers' output stays in the cluster's logs
            "logging_level": logging.WARNING,
        }
        if self.address == "local":
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            options.update(
                num_cpus=self.workers or os.cpu_count() or 1,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                include_dashboard=False,
            )
        try:
            _probe(self.address)
            _init_ray(self.address, options)
        except (OSError, ValueError, RuntimeError) as exc:
            said = " ".join(str(exc).split()) or type(exc).__name__
            raise ClusterError(
                f"cannot join a Ray cluster at {self.address!r} ({said[:300]}): start one "
                "with `ray start --head`, pass its address with --ray-address, or use "
                "--ray-address local for a cluster on this machine"
            ) from None
        return True


@retry(
    retry=retry_if_exception(lambda exc: "client server failed" in str(exc)),
    stop=stop_after_attempt(3),
    wait=wait_fixed(2),
    reraise=True,
)
def _init_ray(address: str, options: dict[str, Any]) -> None:
    """`ray.init`, tried again when a Ray Client head fails to start this driver's own
    server (a transient of its proxier on a busy head), up to three times."""
    ray.init(address=address, **options)


def _probe(address: str, seconds: float = 5.0) -> None:
    """Fail fast where nothing listens at an explicit HOST:PORT (Ray itself would keep
    retrying for minutes); `auto` and `local` are Ray's to resolve."""
    if address in ("auto", "local"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"not an address: give HOST:PORT or ray://HOST:PORT, not {address!r}")
    with socket.create_connection((host, int(port)), timeout=seconds):
        pass


def _start_gate(spec: BackendSpec) -> Any:
    """The batch's LLM gate, for a backend that makes requests (its spec has settings)."""
    settings = spec.options.get("settings")
    if settings is None or not settings.llm_configured:
        return None
    from jixiao.run.cluster_gate import start_gate

    return start_gate(settings)


def _for_workers(job: Job, gate: Any) -> _Work:
    """The job as the workers get it: a store target only for a server database, and
    no API key (each worker reads its own)."""
    target = job.target
    if target is not None:
        target = replace(target, lock=_NoLock()) if _server_database(target) else None
    spec, key_from_env = job.backend, False
    settings = spec.options.get("settings")
    if settings is not None and settings.api_key is not None:
        spec = BackendSpec(
            spec.name, {**spec.options, "settings": settings.model_copy(update={"api_key": None})}
        )
        key_from_env = True
    return _Work(
        job=replace(job, backend=spec, target=target),
        cwd=os.getcwd(),
        key_from_env=key_from_env,
        gate=gate,
        batch=os.urandom(8).hex(),
    )


def _server_database(target: StoreTarget) -> bool:
    from jixiao.store.engine import normalise_url

    return normalise_url(target.db).get_backend_name() != "sqlite"


def _in_order(
    paths: Sequence[Path], work: Any, backend: str, per_cpu: int
) -> Iterator[Done | Finished]:
    """Submit tasks a window ahead, harvest them as they finish, yield in input order."""
    cpus = int(ray.cluster_resources().get("CPU", 1)) or 1
    window = max(MIN_WINDOW, per_cpu * cpus)
    running: dict[Any, int] = {}
    finished: dict[int, Done | Finished] = {}
    submitted = handed = 0
    while handed < len(paths):
        while submitted < len(paths) and submitted - handed < window:
            running[_document.remote(str(paths[submitted]), work)] = submitted
            submitted += 1
        if handed not in finished:
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                index = running.pop(ref)
                finished[index] = _result(ref, paths[index], backend)
        while handed in finished:
            yield finished.pop(handed)
            handed += 1


def _result(ref: Any, path: Path, backend: str) -> Done | Finished:
    """A task's outcome; a document whose worker died on every attempt is a failure."""
    try:
        result: Done | Finished = ray.get(ref)
    except RayTaskError:
        raise  # our code raised outside `process_path` (the store failed): stop, as locally
    except RayError as exc:
        lost = WorkerLost(
            f"the worker process running it died on all {RETRIES + 1} attempts "
            f"({type(exc).__name__}: killed, out of memory, or a crash in a native "
            "library); see the Ray logs of its node"
        )
        return Finished(failed_load(path, lost, backend), None)
    return result
