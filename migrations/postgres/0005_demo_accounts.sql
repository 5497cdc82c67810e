-- Accounts created by `noted demo`, PostgreSQL: as ../0005_demo_accounts.sql.
ALTER TABLE users ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET demo = TRUE WHERE email = 'demo@noted.local';
