-- What a run produced and how it was configured, shown in its status comment.
ALTER TABLE runs
  ADD COLUMN model  text,                          -- provider/model the run uses
  ADD COLUMN result jsonb;                         -- summary, commits, files, PR url; null until known
