"""Running documents: one, a batch, a pool of processes, the concurrent LLM runner.

Every way of running documents lives here and shares two things, so a record is the
same whichever way it was made:

* one document — `document.process_path`: load → segment → backend.extract → `finish`
  (project scopes, ids, record, verifier), under the per-document `limits`, any
  failure turned into a record with a one-line reason (`failures`);
* one store/resume/summary path — `batch.run_batch`, which resumes by content hash,
  picks an engine, and keeps (`outcome.keep`), writes and counts (`summary`) what the
  engine yields.

Engines (`engine.Engine`) only decide where documents run: `serial`, `pool` (local
processes), `concurrent` (many documents' LLM requests in flight, CPU work in worker
processes). Backends (`jixiao.extract.registry`) only extract: they neither store nor
orchestrate. `verify_stored` re-runs the verifier over a store (`jixiao verify`).

Nothing is imported here, so the CLI can read `limits`' defaults without loading the
pipeline.
"""
