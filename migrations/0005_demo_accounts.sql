-- Accounts created by `noted demo` have a published password: they are marked so that the
-- server can refuse to serve them on an address other machines reach. Demo databases made
-- before this migration used the demo's default email.
ALTER TABLE users ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
UPDATE users SET demo = 1 WHERE email = 'demo@noted.local';
