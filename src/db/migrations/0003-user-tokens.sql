-- People who authorized Ship (GitHub App user-to-server tokens), so runs can act as
-- them. Tokens are encrypted (AES-256-GCM); key_id says which key, for rotation.
CREATE TABLE user_tokens (
  user_id            bigint PRIMARY KEY,          -- GitHub user id
  login              text NOT NULL,
  access_token       text NOT NULL,               -- encrypted
  access_expires_at  timestamptz,                 -- null: the token does not expire
  refresh_token      text,                        -- encrypted; single use
  refresh_expires_at timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_tokens_login ON user_tokens (lower(login));
