-- The model gateway: each run reaches its model provider through Ship with a token of
-- its own (only its SHA-256 is kept; null once the run ended), every provider call's
-- usage and cost is recorded, and a run stopped by its budget says so.
ALTER TABLE runs
  ADD COLUMN gateway_token_hash bytea,
  ADD COLUMN budget_reached     text;             -- which budget was spent, in words

CREATE TABLE model_calls (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id             bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  repository_id      bigint NOT NULL,
  provider           text NOT NULL,
  model              text,
  status             integer NOT NULL,            -- the provider's HTTP status
  input_tokens       integer NOT NULL DEFAULT 0,  -- not read from cache
  output_tokens      integer NOT NULL DEFAULT 0,
  cache_read_tokens  integer NOT NULL DEFAULT 0,
  cache_write_tokens integer NOT NULL DEFAULT 0,
  cost_usd           numeric(18, 10) NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_calls_run ON model_calls (run_id);
CREATE INDEX model_calls_repository_month ON model_calls (repository_id, created_at);
