-- Each trigger Ship acted on, once: `X-GitHub-Delivery` is outside the HMAC, so a signed
-- payload replayed under a new delivery id must find its trigger here and stop.
CREATE TABLE handled_triggers (
  kind        text NOT NULL,                      -- issue_comment | review_comment | label
  key         text NOT NULL,                      -- a comment's id; a label's issue, name and time
  delivery_id text NOT NULL,                      -- the delivery that was acted on
  handled_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);
CREATE INDEX handled_triggers_at ON handled_triggers (handled_at);

-- Refusals Ship posted (no access, not on the allow list): at most one per person,
-- thread and day, so a flood of comments cannot make Ship flood the thread.
CREATE TABLE refusal_replies (
  repository_id bigint NOT NULL,
  thread_number integer NOT NULL,
  user_id       bigint NOT NULL,
  day           date NOT NULL DEFAULT current_date,
  PRIMARY KEY (repository_id, thread_number, user_id, day)
);
