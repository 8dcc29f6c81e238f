"""The Ray engine on a real local cluster: the same records as the local engine, faults
survived, one LLM limit for the whole cluster.

A session fixture starts a Ray head on this machine (`ray start --head`, two CPUs, so
two worker processes run documents; a small object store, no dashboard) and stops
exactly the processes it started. Drivers run in this process (`run_batch`) or as the
real CLI in a child process where one is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import sqlalchemy as sa
from rich.console import Console

from jixiao.run.batch import BatchOptions, run_batch

#: token authentication for the test cluster, set before Ray is imported (it reads its
#: configuration once): the head, this process's drivers and the CLI drivers share it
CLUSTER_ENV = {
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(16),
    "RAY_USAGE_STATS_ENABLED": "0",
    # Ray Client starts a server process per driver; on a loaded machine it may need
    # longer than the default 30 s to come up
    "RAY_CLIENT_SERVER_CHECK_CHANNEL_TIMEOUT_S": "120",
}
os.environ.update(CLUSTER_ENV)

try:
    import ray  # noqa: F401
except ImportError:  # the optional extra: CI installs it and sets JIXIAO_REQUIRE_RAY
    if os.environ.get("JIXIAO_REQUIRE_RAY"):
        raise
    pytest.skip("the ray extra is not installed (pip install -e '.[ray]')", allow_module_level=True)

from jixiao.run.cluster import RETRIES  # noqa: E402  (after the skip)

pytestmark = [pytest.mark.slow, pytest.mark.ray]

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "eval" / "fixtures"
SEEDS = ("000", "001", "002", "003", "004")
#: the title of a worker process while it runs a document
DOCUMENT_TASK = "ray::_document"
#: documents in the generated batch
GENERATED = 200


# ------------------------------------------------------------------------ the cluster
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ray_bin() -> str:
    return str(Path(sys.executable).with_name("ray"))


class Cluster:
    """A Ray head started for the tests: its address, environment and processes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.address = f"127.0.0.1:{_free_port()}"
        self.env = dict(CLUSTER_ENV)
        #: Ray Client's port (`ray://127.0.0.1:PORT`)
        self.client_port = _free_port()

    def start(self) -> None:
        command = [
            _ray_bin(),
            "start",
            "--head",
            "--node-ip-address=127.0.0.1",
            f"--port={self.address.rsplit(':', 1)[1]}",
            "--num-cpus=2",
            f"--object-store-memory={100 * 2**20}",
            "--include-dashboard=false",
            "--disable-usage-stats",
            f"--ray-client-server-port={self.client_port}",
            f"--dashboard-agent-listen-port={_free_port()}",
            f"--temp-dir={self.root}",
        ]
        subprocess.run(
            command, env={**os.environ, **self.env}, check=True, capture_output=True, timeout=180
        )

    def processes(self) -> list[psutil.Process]:
        """Every process of this cluster: those naming its folder or (Ray Client's
        servers, whose command line names neither) its GCS port, and their children."""
        port = self.address.rsplit(":", 1)[1]
        found: dict[int, psutil.Process] = {}
        for proc in psutil.process_iter(["cmdline"]):
            cmdline = proc.info["cmdline"] or ()
            if any(
                str(self.root) in part
                or (part.startswith("--address=") and part.endswith(f":{port}"))
                for part in cmdline
            ):
                found[proc.pid] = proc
                for child in proc.children(recursive=True):
                    found[child.pid] = child
        return list(found.values())

    def document_workers(self) -> list[psutil.Process]:
        """The worker processes running a document now (Ray titles a worker process
        after the task it runs: ``ray::_document``; an idle one is ``ray::IDLE``)."""
        busy = []
        for proc in self.processes():
            with contextlib.suppress(psutil.Error):
                if (proc.cmdline() or [""])[0].startswith(DOCUMENT_TASK):
                    busy.append(proc)
        return busy

    def stop(self) -> None:
        procs = self.processes()
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.terminate()
        _, alive = psutil.wait_procs(procs, timeout=15)
        for proc in alive:
            with contextlib.suppress(psutil.Error):
                proc.kill()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="jxray", dir="/tmp"))  # short: socket paths
    cluster = Cluster(root)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


# ------------------------------------------------------------------------ inputs and runs
def _batch(folder: Path, n: int) -> list[Path]:
    """`n` distinct documents (the seeds in turn, a numbered line appended) and one
    damaged PDF, which fails the same way on every engine."""
    folder.mkdir(parents=True)
    texts = [(FIXTURES / s / "source.txt").read_text(encoding="utf-8") for s in SEEDS]
    paths = []
    for i in range(n):
        path = folder / f"doc{i:04d}.txt"
        path.write_text(texts[i % len(texts)] + f"\n附注：批量副本{i}。\n", encoding="utf-8")
        paths.append(path)
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    return [*paths, broken]


def _nine_fixtures(folder: Path) -> list[Path]:
    """The seed and rendering fixtures (every format the readers take), copied in —
    one scan of each kind: the other scan resolutions go through the same OCR path
    and would only add minutes of OCR, run twice, to every CI run."""
    folder.mkdir(parents=True)
    paths = []
    scans = sorted(FIXTURES.glob("*-scan*/source.pdf"), key=lambda p: p.stat().st_size)
    for fixture in sorted(FIXTURES.iterdir()):
        gold = json.loads((fixture / "gold.json").read_text(encoding="utf-8"))
        group = gold.get("group") or ("renderings" if gold.get("same_as") else "seeds")
        if group not in ("seeds", "renderings"):
            continue
        if "-scan" in fixture.name and fixture != scans[0].parent:  # the smallest scan
            continue
        source = next(fixture.glob("source.*"))
        target = folder / f"{fixture.name}{source.suffix}"
        shutil.copyfile(source, target)
        paths.append(target)
    return paths


def _options(db: str, out: Path, **changes: object) -> BatchOptions:
    return BatchOptions(**{"backend": "rules", "db": db, "out": out, "progress": False, **changes})


def _records(out: Path) -> list[dict]:
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["run"].pop("seconds")
    return rows


def _summary(summary) -> dict:
    data = summary.as_dict()
    return {**data, "failed_reasons": sorted(summary.failed)}


def _rows_per_document(db: str) -> list[tuple[str, int]]:
    engine = sa.create_engine(db if "://" in db else f"sqlite:///{db}", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("select path, count(*) from documents group by sha256, backend, path")
        ).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


def _stored(db: str) -> int:
    try:
        engine = sa.create_engine(
            db if "://" in db else f"sqlite:///{db}", poolclass=sa.pool.NullPool
        )
        with engine.connect() as conn:
            count = conn.execute(sa.text("select count(*) from documents")).scalar_one()
        engine.dispose()
        return count
    except sa.exc.SQLAlchemyError:
        return 0


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite (the driver stores) and PostgreSQL (the workers store)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ray.db'}"
        return
    yield request.getfixturevalue("pg_url")


def _local_run(paths: list[Path], tmp_path: Path) -> tuple[list[dict], dict]:
    out = tmp_path / "local.jsonl"
    summary = run_batch(
        [str(p) for p in paths],
        _options(f"sqlite:///{tmp_path / 'local.db'}", out, timeout=None, max_memory_mb=None),
        console=Console(quiet=True),
    )
    return _records(out), _summary(summary)


# ------------------------------------------------------------------------ records
def test_the_seed_and_rendering_fixtures_give_the_records_of_the_local_engine(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = [p.relative_to(tmp_path) for p in _nine_fixtures(tmp_path / "in")]
    assert len(paths) >= 9
    local, local_summary = _local_run(paths, tmp_path)
    out = tmp_path / "ray.jsonl"
    summary = run_batch(
        [str(p) for p in paths],
        _options(
            f"sqlite:///{tmp_path / 'ray.db'}",
            out,
            engine="ray",
            ray_address=cluster.address,
            timeout=None,
            max_memory_mb=None,
        ),
        console=Console(quiet=True),
    )
    assert _records(out) == local
    assert _summary(summary) == local_summary
    # relative inputs resolve on the workers as they do here, and are recorded as given
    assert [r["source"]["path"] for r in local] == [str(p) for p in paths]


def _kill_one_busy_worker(cluster: Cluster, db: str, after: int, killed: list[int]) -> None:
    """Once `after` documents are stored, SIGKILL one worker process running a document."""
    deadline = time.monotonic() + 120
    while _stored(db) < after and time.monotonic() < deadline:
        time.sleep(0.05)
    while not killed and time.monotonic() < deadline:
        for proc in cluster.document_workers():
            with contextlib.suppress(psutil.Error):
                proc.send_signal(signal.SIGKILL)
                killed.append(proc.pid)
                return
        time.sleep(0.01)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[dict], dict]:
    """A generated batch of a few hundred documents and the local engine's records and
    summary of it (made once for both stores)."""
    root = tmp_path_factory.mktemp("generated")
    paths = _batch(root / "in", GENERATED)
    local, summary = _local_run(paths, root)
    return paths, local, summary


def test_a_generated_batch_matches_the_local_engine_and_survives_a_killed_worker(
    cluster: Cluster,
    tmp_path: Path,
    store_url: str,
    generated: tuple[list[Path], list[dict], dict],
) -> None:
    paths, local, local_summary = generated
    assert local_summary["failed"] == 1  # the damaged PDF, on every engine

    killed: list[int] = []
    killer = threading.Thread(
        target=_kill_one_busy_worker, args=(cluster, store_url, 40, killed), daemon=True
    )
    killer.start()
    out = tmp_path / "ray.jsonl"
    summary = run_batch(
        [str(p) for p in paths],
        _options(
            store_url,
            out,
            engine="ray",
            ray_address=cluster.address,
            timeout=None,
            max_memory_mb=None,
        ),
        console=Console(quiet=True),
    )
    killer.join(timeout=60)
    assert killed, "no worker process was killed mid-run"
    assert _records(out) == local
    assert _summary(summary) == local_summary
    rows = _rows_per_document(store_url)
    assert len(rows) == len(paths)
    assert all(count == 1 for _, count in rows)


# ------------------------------------------------------------------------ faults
def _big_text(folder: Path, megabytes: float) -> Path:
    """One long report (seed 001 repeated): seconds of work for one worker."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = (FIXTURES / "001" / "source.txt").read_text(encoding="utf-8")
    copies = max(1, int(megabytes * 2**20 / len(seed.encode("utf-8"))))
    path = folder / "long.txt"
    path.write_text("\n".join([seed] * copies), encoding="utf-8")
    return path


def test_a_document_whose_worker_dies_on_every_attempt_fails_with_its_reason(
    cluster: Cluster, tmp_path: Path
) -> None:
    path = _big_text(tmp_path / "in", 3)
    kills: list[int] = []
    stop = threading.Event()

    def kill_every_attempt() -> None:
        while not stop.is_set():
            for proc in cluster.document_workers():
                with contextlib.suppress(psutil.Error):
                    proc.send_signal(signal.SIGKILL)
                    proc.wait(timeout=10)
                    kills.append(proc.pid)
            time.sleep(0.01)

    killer = threading.Thread(target=kill_every_attempt, daemon=True)
    killer.start()
    out = tmp_path / "ray.jsonl"
    try:
        summary = run_batch(
            [str(path)],
            _options(
                str(tmp_path / "ray.db"),
                out,
                engine="ray",
                ray_address=cluster.address,
                timeout=None,
            ),
            console=Console(quiet=True),
        )
    finally:
        stop.set()
        killer.join(timeout=10)
    assert len(kills) == RETRIES + 1  # bounded: tried once and retried twice, no more
    [(failed_path, reason)] = summary.failed
    assert failed_path == str(path)
    assert reason.startswith("worker_lost: ") and "3 attempts" in reason
    [record] = _records(out)
    assert record["error"] == reason and record["source"]["sha256"]  # hashed: resumable


def test_the_per_document_time_limit_applies_on_the_workers(
    cluster: Cluster, tmp_path: Path
) -> None:
    """A 6 MB report takes several seconds; past a 3 s limit it fails with the same
    `timeout` reason as on the local engine, and the other document is stored."""
    long_text = _big_text(tmp_path / "in", 6)
    small = tmp_path / "in" / "small.txt"
    shutil.copyfile(FIXTURES / "004" / "source.txt", small)
    summary = run_batch(
        [str(long_text), str(small)],
        _options(
            str(tmp_path / "ray.db"), None, engine="ray", ray_address=cluster.address, timeout=3
        ),
        console=Console(quiet=True),
    )
    assert summary.processed == 1, summary.failed
    [(failed_path, reason)] = summary.failed
    assert failed_path == str(long_text)
    assert reason.startswith("timeout: processing took longer than 3 s")


def test_the_time_limit_grows_per_ocr_page_on_the_workers(cluster: Cluster, tmp_path: Path) -> None:
    """A one-page image needs seconds of OCR: past a 2 s limit without an allowance per
    OCR'd page it times out on a worker, and with one it is read — the workers' readers
    announce their pages to the guard as the local engine's do."""
    image = tmp_path / "scan.jpg"
    shutil.copyfile(FIXTURES / "002-image" / "source.jpg", image)
    ray_options = {"engine": "ray", "ray_address": cluster.address, "timeout": 2}
    without = run_batch(
        [str(image)],
        _options(str(tmp_path / "a.db"), None, timeout_per_ocr_page=0, **ray_options),
        console=Console(quiet=True),
    )
    [(_, reason)] = without.failed
    assert reason.startswith("timeout:"), reason
    allowed = run_batch(
        [str(image)],
        _options(str(tmp_path / "b.db"), None, timeout_per_ocr_page=600, **ray_options),
        console=Console(quiet=True),
    )
    assert allowed.processed == 1, allowed.failed


# ------------------------------------------------------------------------ a killed driver
def _cli(args: list[str], cluster: Cluster) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "jixiao", "extract", *args, "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **cluster.env, "PYTHONUNBUFFERED": "1"},
    )


def test_a_killed_driver_resumes_without_duplicates(
    cluster: Cluster, tmp_path: Path, store_url: str
) -> None:
    paths = _batch(tmp_path / "in", 100)
    args = [
        str(tmp_path / "in"),
        "--db",
        store_url,
        "--engine",
        "ray",
        "--ray-address",
        cluster.address,
        "--backend",
        "rules",
    ]
    driver = _cli(args, cluster)
    deadline = time.monotonic() + 120
    while _stored(store_url) < 20 and driver.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    driver.send_signal(signal.SIGKILL)
    driver.wait(timeout=30)
    before = _stored(store_url)
    assert 0 < before < len(paths)

    rerun = _cli([*args, "--out", str(tmp_path / "all.jsonl")], cluster)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 1, stderr.decode()  # the damaged PDF: as the local engine
    assert "broken.pdf" in stdout.decode()
    rows = _rows_per_document(store_url)
    assert len(rows) == len(paths)
    assert all(count == 1 for _, count in rows)
    records = _records(tmp_path / "all.jsonl")
    assert sorted(r["source"]["path"] for r in records) == sorted(str(p) for p in paths)


# ------------------------------------------------------------------------ LLM requests
def test_llm_requests_share_one_limit_across_the_cluster_and_usage_is_exact(
    cluster: Cluster, tmp_path: Path, standin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers, each with documents of several requests: with a semaphore per
    worker up to twice the limit would be in flight; the gate holds it to the limit."""
    from jixiao.run import batch as batch_module
    from jixiao.run.cluster import RayEngine

    limit = 3
    standin.script.latency = 0.3
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", standin.url)
    monkeypatch.setenv("JIXIAO_LLM_MODEL", "standin-model")
    monkeypatch.setenv("JIXIAO_LLM_API_KEY", "sk-test-secret")
    # the five seeds: no chunk of one is a chunk of another, so no document's answers
    # come from another's in the cache, however the engines interleave them
    paths = [str(FIXTURES / seed / "source.txt") for seed in SEEDS]

    def run(tag: str, **changes: object) -> tuple[list[dict], object]:
        monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / f"cache-{tag}"))
        out = tmp_path / f"{tag}.jsonl"
        options = _options(
            str(tmp_path / f"{tag}.db"), out, backend="llm", concurrency=limit, **changes
        )
        summary = run_batch(paths, options, console=Console(quiet=True))
        return _records(out), summary

    local, local_summary = run("local")
    local_requests = standin.stats.requests
    assert local_requests > len(paths)  # several requests per document

    engines: list[RayEngine] = []
    made = batch_module._ray_engine
    monkeypatch.setattr(
        batch_module, "_ray_engine", lambda options: engines.append(made(options)) or engines[-1]
    )
    standin.stats.peak_in_flight = 0
    on_ray, summary = run("ray", engine="ray", ray_address=cluster.address)
    assert on_ray == local
    assert standin.stats.peak_in_flight == limit  # reached, never passed
    usage = engines[-1].usage
    assert usage.peak_in_flight == limit
    assert standin.stats.requests - local_requests == local_requests  # a cold cache each
    assert (summary.calls, summary.tokens_in, summary.tokens_out) == (
        local_summary.calls,
        local_summary.tokens_in,
        local_summary.tokens_out,
    )
    assert (usage.attempts, usage.tokens_in, usage.tokens_out) == (
        summary.calls,
        summary.tokens_in,
        summary.tokens_out,
    )
    calls = sa.create_engine(f"sqlite:///{tmp_path / 'ray.db'}")
    with calls.connect() as conn:
        logged = conn.execute(sa.text("select count(*), sum(tokens_in) from llm_calls")).one()
    calls.dispose()
    assert tuple(logged) == (local_requests, summary.tokens_in)

    # the workers share the cache: a forced re-run asks the endpoint nothing
    before = standin.stats.requests
    again, _ = run("ray", engine="ray", ray_address=cluster.address, force=True)
    assert standin.stats.requests == before
    assert [r["facts"] for r in again] == [r["facts"] for r in local]


def test_answers_of_a_killed_attempt_are_counted_once_and_not_asked_again(
    cluster: Cluster, tmp_path: Path, standin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One long document; its worker is killed once several of its requests were
    answered. The retry takes those answers from the shared cache, so no stored record
    carries their tokens: the summary reports them as spent on a retried attempt, and
    only the requests in flight at the kill are unaccounted (at most the limit)."""
    limit = 2
    standin.script.latency = 0.4
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", standin.url)
    monkeypatch.setenv("JIXIAO_LLM_MODEL", "standin-model")
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    killed: list[int] = []

    def kill_once_answered() -> None:
        deadline = time.monotonic() + 120
        while standin.stats.requests < limit + 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        while not killed and time.monotonic() < deadline:
            for proc in cluster.document_workers():
                with contextlib.suppress(psutil.Error):
                    proc.send_signal(signal.SIGKILL)
                    killed.append(proc.pid)
            time.sleep(0.01)

    killer = threading.Thread(target=kill_once_answered, daemon=True)
    killer.start()
    options = _options(
        str(tmp_path / "ray.db"),
        tmp_path / "ray.jsonl",
        backend="llm",
        concurrency=limit,
        engine="ray",
        ray_address=cluster.address,
    )
    summary = run_batch(
        [str(FIXTURES / "001" / "source.txt")], options, console=Console(quiet=True)
    )
    killer.join(timeout=30)
    assert killed and not summary.failed
    assert summary.lost_calls >= 3  # answered before the kill, taken from the cache after
    assert summary.lost_tokens_in == 100 * summary.lost_calls  # the stand-in's 100 a request
    unaccounted = standin.stats.requests - (summary.calls + summary.lost_calls)
    assert 0 <= unaccounted <= limit  # only what was in flight when the worker died


def test_a_driver_outside_the_cluster_joins_through_ray_client(
    cluster: Cluster, tmp_path: Path
) -> None:
    """`--ray-address ray://HOST:PORT` (Ray Client, a driver on another machine): the
    same records as the local engine."""
    paths = [FIXTURES / seed / "source.txt" for seed in ("000", "002", "004")]
    local, _ = _local_run(paths, tmp_path)
    out = tmp_path / "client.jsonl"
    args = [*map(str, paths), "--db", str(tmp_path / "client.db"), "--out", str(out)]
    args += ["--engine", "ray", "--ray-address", f"ray://127.0.0.1:{cluster.client_port}"]
    driver = _cli([*args, "--backend", "rules"], cluster)
    _, stderr = driver.communicate(timeout=300)
    assert driver.returncode == 0, stderr.decode()
    assert _records(out) == local


def test_without_a_cluster_the_engine_says_how_to_get_one(tmp_path: Path) -> None:
    """An address where no cluster answers is one line naming what to do (exit 2)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "jixiao",
            "extract",
            str(FIXTURES / "004" / "source.txt"),
            "--db",
            str(tmp_path / "x.db"),
            "--engine",
            "ray",
            "--ray-address",
            f"127.0.0.1:{_free_port()}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "RAY_gcs_rpc_server_connect_timeout_s": "3"},
    )
    assert proc.returncode == 2
    assert "cannot join a Ray cluster" in proc.stderr and "--ray-address local" in proc.stderr
