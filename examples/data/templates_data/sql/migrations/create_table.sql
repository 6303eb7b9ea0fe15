-- {{description}}
CREATE TABLE {{table}} (
  id         bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX {{table}}_created_idx ON {{table}} (created_at);
