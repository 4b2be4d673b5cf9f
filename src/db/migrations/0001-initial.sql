-- Installations of the GitHub App, kept current by installation webhooks.
CREATE TABLE installations (
  id              bigint PRIMARY KEY,             -- GitHub's installation id
  account_login   text NOT NULL,
  account_id      bigint NOT NULL,
  account_type    text NOT NULL,                  -- User | Organization
  installer_login text,                           -- who installed it (sender of installation.created)
  installer_id    bigint,
  repository_selection text,                      -- all | selected
  suspended_at    timestamptz,
  deleted_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every webhook delivery Ship accepted, once: GitHub delivers at least once.
CREATE TABLE deliveries (
  id              text PRIMARY KEY,               -- X-GitHub-Delivery
  event           text NOT NULL,                  -- e.g. issue_comment.created
  installation_id bigint,
  repository      text,                           -- owner/name
  outcome         text NOT NULL,                  -- recorded | run | ignored | denied
  reason          text,
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_received_at ON deliveries (received_at);

CREATE TYPE run_state AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- One run of the agent for one request. Columns under "recovery points" are written as
-- each phase completes, so a run picked up again resumes instead of repeating work.
CREATE TABLE runs (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id     text UNIQUE REFERENCES deliveries (id),
  installation_id bigint NOT NULL,
  repository_id   bigint NOT NULL,
  repository      text NOT NULL,                  -- owner/name when the run was requested
  thread_number   integer NOT NULL,               -- issue or pull request number
  trigger         text NOT NULL,                  -- issue_command | pr_command | review_command | label
  requester_login text NOT NULL,
  requester_id    bigint NOT NULL,
  request         jsonb NOT NULL,                 -- the parsed command: task, options, context
  retry_of        bigint REFERENCES runs (id),
  state           run_state NOT NULL DEFAULT 'queued',
  phase           text NOT NULL DEFAULT 'queued',
  error_category  text,                           -- e.g. interrupted, timeout, permission
  error_message   text,
  attempts        integer NOT NULL DEFAULT 0,
  -- recovery points
  status_comment_id bigint,
  sandbox_id      text,
  branch          text,
  base_sha        text,
  head_sha        text,
  pr_number       integer,
  acting_login    text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_thread ON runs (repository_id, thread_number, id DESC);
CREATE INDEX runs_active ON runs (state) WHERE state IN ('queued', 'running');

-- Append-only log of what happened in a run (pipeline phases, agent events).
CREATE TABLE run_events (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  at     timestamptz NOT NULL DEFAULT now(),
  kind   text NOT NULL,
  data   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX run_events_run ON run_events (run_id, id);
CREATE INDEX run_events_at ON run_events (at);
