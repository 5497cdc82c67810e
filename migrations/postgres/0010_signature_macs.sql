-- Signatures carry an HMAC over what they attest, PostgreSQL: as ../0010_signature_macs.sql.
ALTER TABLE signatures ADD COLUMN mac TEXT;
