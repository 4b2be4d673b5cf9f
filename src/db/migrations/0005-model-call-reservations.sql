-- Spend reserved by model calls in flight (review finding 5): a call's worst cost is
-- reserved before it is forwarded and replaced by its recorded usage when it ends, so
-- parallel calls cannot all pass a budget check that none of them has paid into yet.
-- In the database, not in a process, because every web process serves the gateway and
-- one run's calls may reach any of them. `expires_at` is pushed forward while the call
-- streams; a process that died mid-call leaves a row that stops counting soon after.
CREATE TABLE model_call_reservations (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id        bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  repository_id bigint NOT NULL,
  cost_usd      numeric(18, 10) NOT NULL,
  tokens        bigint NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX model_call_reservations_run ON model_call_reservations (run_id);
CREATE INDEX model_call_reservations_repository ON model_call_reservations (repository_id);
