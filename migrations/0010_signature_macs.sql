-- Signatures carry an HMAC (under the audit key kept outside the database) over what they
-- attest: note, signer, kind, time and content hash. Rows signed before this have none; the
-- audit anchor file says from which signature id on a MAC is required.
ALTER TABLE signatures ADD COLUMN mac TEXT;
