-- A refusal or a note Ship posts to one person on one thread, by kind:
--   access      no access, not on the allow list: once per person and thread, ever
--   edit        "edits are not picked up": once per person and thread
--   unverified  GitHub could not tell their permission: once per person, thread and day
--               (it passes; the next try may work, so a later one is answered again)
ALTER TABLE refusal_replies ADD COLUMN kind text NOT NULL DEFAULT 'access';
ALTER TABLE refusal_replies DROP CONSTRAINT refusal_replies_pkey;
DELETE FROM refusal_replies a USING refusal_replies b
  WHERE a.repository_id = b.repository_id AND a.thread_number = b.thread_number
    AND a.user_id = b.user_id AND a.kind = b.kind AND a.day > b.day;
CREATE UNIQUE INDEX refusal_replies_once ON refusal_replies (repository_id, thread_number, user_id, kind)
  WHERE kind <> 'unverified';
CREATE UNIQUE INDEX refusal_replies_daily ON refusal_replies (repository_id, thread_number, user_id, day)
  WHERE kind = 'unverified';
