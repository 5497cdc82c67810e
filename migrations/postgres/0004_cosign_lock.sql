-- A note awaiting co-signature keeps what the supervisee signed, PostgreSQL: as
-- ../0004_cosign_lock.sql.
CREATE TRIGGER notes_awaiting_cosign_signed_fields_locked BEFORE UPDATE ON notes
FOR EACH ROW
WHEN (OLD.state = 'awaiting_cosign'
      AND (NEW.id IS DISTINCT FROM OLD.id
           OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
           OR NEW.format IS DISTINCT FROM OLD.format
           OR NEW.draft_id IS DISTINCT FROM OLD.draft_id
           OR NEW.therapy_session_id IS DISTINCT FROM OLD.therapy_session_id
           OR NEW.created_at IS DISTINCT FROM OLD.created_at))
EXECUTE FUNCTION
    noted_refuse('a note awaiting co-signature is locked: co-sign or return it first');
