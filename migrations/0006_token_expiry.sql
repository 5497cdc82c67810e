-- API tokens expire (90 days after creation by default; `noted user token --days N`). Tokens
-- created before expiry existed get 90 days from this migration, so that running
-- integrations keep working until then; a token without an expiry is refused.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days')
 WHERE expires_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
