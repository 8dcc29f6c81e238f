"""One limit on LLM requests in flight for a whole Ray cluster, and what they used.

An endpoint allows so many concurrent requests (``--concurrency``); a semaphore per
worker process would allow that many *per worker*, so a 16-node cluster would send
sixteen times the limit and be throttled with 429s. Instead every request of every
worker passes through one small async actor, the gate: a worker asks it for a lease
before it sends a request and gives the lease back with the call's usage when the
answer is in (`jixiao.extract.llm.client.RequestGate`). Only the permit travels, not
the request: the HTTP clients, retries and validation stay in the workers, so the gate
costs two small actor calls per request and is never the client's CPU bottleneck.

A worker killed while holding a lease cannot give it back, and waiting for its request's
longest legitimate life (the client's timeout × retries × re-asks: 24 minutes by
default) would stall the whole cluster when the dead worker held every slot — the
retried document then timed out waiting. So a worker renews the leases it holds every
`RENEW_SECONDS` while their requests are in flight, and a lease not renewed for
`LEASE_SECONDS` is taken back: a dead worker's slots come back within seconds, a slow
request keeps its own. The gate also counts the usage of every answer that came back —
also of attempts whose document was lost and retried — so the batch's totals of
requests and tokens are exact (`Usage`).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, replace
from typing import Any

import ray

from jixiao.config import Settings
from jixiao.extract.llm.client import CallResult

#: a lease not renewed for this long is taken back (its holder died)
LEASE_SECONDS = 15.0
#: how often a worker renews the leases it holds
RENEW_SECONDS = 3.0
#: concurrent actor calls the gate accepts (waiting acquires and releases)
MAX_CALLS = 10_000


@dataclass(frozen=True)
class Usage:
    """What the endpoint was asked through the gate (cache hits never reach it)."""

    #: requests answered (each one call of `CallRunner.run`, re-asks included)
    requests: int = 0
    #: HTTP attempts, re-asks included (the `calls` of a record's run)
    attempts: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    #: the most leases out at once (never above the limit)
    peak_in_flight: int = 0
    #: leases taken back from holders that never returned them (a killed worker)
    reclaimed: int = 0


class Gate:
    """The actor (created with `start_gate`): `limit` leases, each taken back when its
    holder has not renewed it for `lease_seconds`."""

    def __init__(self, limit: int, lease_seconds: float = LEASE_SECONDS) -> None:
        self.limit = limit
        self.lease_seconds = lease_seconds
        self._semaphore: asyncio.Semaphore | None = None
        self._leases: dict[int, float] = {}
        self._ids = itertools.count(1)
        self._reaper: asyncio.Task[None] | None = None
        self._usage = Usage()

    def _slots(self) -> asyncio.Semaphore:
        """The semaphore, made on the actor's event loop at first use."""
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.limit)
            self._reaper = asyncio.get_running_loop().create_task(self._reap())
        return self._semaphore

    async def acquire(self) -> int:
        await self._slots().acquire()
        lease = next(self._ids)
        self._leases[lease] = time.monotonic() + self.lease_seconds
        peak = max(self._usage.peak_in_flight, len(self._leases))
        self._usage = replace(self._usage, peak_in_flight=peak)
        return lease

    async def renew(self, leases: list[int]) -> None:
        """The holder is alive: its leases run for another `lease_seconds`."""
        until = time.monotonic() + self.lease_seconds
        for lease in leases:
            if lease in self._leases:
                self._leases[lease] = until

    async def release(
        self, lease: int, requests: int, attempts: int, tokens: tuple[int, int]
    ) -> None:
        """Give a lease back with the usage of its call (counted even when the lease had
        expired: the tokens were spent all the same)."""
        u = self._usage
        self._usage = replace(
            u,
            requests=u.requests + requests,
            attempts=u.attempts + attempts,
            tokens_in=u.tokens_in + tokens[0],
            tokens_out=u.tokens_out + tokens[1],
        )
        if self._leases.pop(lease, None) is not None:
            self._slots().release()

    async def usage(self) -> Usage:
        return self._usage

    async def _reap(self) -> None:
        """Take back leases past their expiry (their holder died holding them)."""
        while True:
            await asyncio.sleep(min(1.0, self.lease_seconds / 4))
            now = time.monotonic()
            for lease in [k for k, until in self._leases.items() if until < now]:
                del self._leases[lease]
                self._usage = replace(self._usage, reclaimed=self._usage.reclaimed + 1)
                self._slots().release()


def start_gate(settings: Settings) -> Any:
    """Create the batch's gate for `settings.concurrency` requests (an actor handle).

    It holds no CPU (it only waits), restarts if its node is lost, and dies with the
    driver that created it.
    """
    actor = ray.remote(Gate).options(
        num_cpus=0, max_concurrency=MAX_CALLS, max_restarts=-1, max_task_retries=-1
    )
    return actor.remote(settings.concurrency)


class ClusterGate:
    """A worker's side of the gate: what `CallRunner.gate` calls around each request;
    renews the leases this process holds while their requests are in flight."""

    def __init__(self, handle: Any, renew_seconds: float = RENEW_SECONDS) -> None:
        self.handle = handle
        self.renew_seconds = renew_seconds
        self.held: set[Any] = set()
        self._renewer: asyncio.Task[None] | None = None

    async def acquire(self) -> Any:
        lease = await self.handle.acquire.remote()
        self.held.add(lease)
        self._keep_renewing()
        return lease

    async def release(self, lease: Any, result: CallResult | None) -> None:
        self.held.discard(lease)
        if result is None:  # the call raised: nothing came back to count
            await self.handle.release.remote(lease, 0, 0, (0, 0))
            return
        await self.handle.release.remote(
            lease, 1, result.attempts, (result.tokens_in, result.tokens_out)
        )

    def _keep_renewing(self) -> None:
        """One renewing task per event loop (a document's requests run in a loop of
        their own, which cancels the task when it ends)."""
        loop = asyncio.get_running_loop()
        renewer = self._renewer
        if renewer is None or renewer.done() or renewer.get_loop() is not loop:
            self._renewer = loop.create_task(self._renew())

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self.renew_seconds)
            if self.held:
                await self.handle.renew.remote(list(self.held))
