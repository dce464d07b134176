-- The normalized schema of the seed tutorial: who asked (users), which model answered (models) and
-- what was generated (ai_generated_content). Rows are written by the metadata-writer from
-- genstream.content.generated; content_id makes every write idempotent.

CREATE TABLE users (
  id            bigint      PRIMARY KEY, -- the event's userId, owned upstream
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL
);

CREATE TABLE models (
  id            serial      PRIMARY KEY,
  name          text        NOT NULL UNIQUE,
  first_seen_at timestamptz NOT NULL
);

CREATE TABLE ai_generated_content (
  id                serial      PRIMARY KEY,
  content_id        uuid        NOT NULL UNIQUE,
  request_id        uuid        NOT NULL,
  user_id           bigint      NOT NULL REFERENCES users (id),
  model_id          integer     REFERENCES models (id), -- the model that answered (model_used)
  title             text        NOT NULL,
  model_used        text        NOT NULL,
  requested_model   text        NOT NULL,
  prompt            text        NOT NULL,
  output            text        NOT NULL,
  cache_hit         text        NOT NULL, -- NONE | EXACT | SEMANTIC; text so new symbols need no migration
  prompt_tokens     integer,
  completion_tokens integer,
  latency_ms        integer     NOT NULL,
  requested_at      timestamptz NOT NULL,
  generated_at      timestamptz NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- A user's content, newest first.
CREATE INDEX ai_generated_content_user_generated_idx ON ai_generated_content (user_id, generated_at DESC);
CREATE INDEX ai_generated_content_request_idx ON ai_generated_content (request_id);
