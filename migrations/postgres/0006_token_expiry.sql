-- API tokens expire, PostgreSQL: as ../0006_token_expiry.sql.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens
   SET expires_at = to_char((statement_timestamp() AT TIME ZONE 'UTC') + INTERVAL '90 days',
                            'YYYY-MM-DD"T"HH24:MI:SS"Z"')
 WHERE expires_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
