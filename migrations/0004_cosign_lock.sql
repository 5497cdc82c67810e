-- A note awaiting co-signature is what the supervisee signed: besides its content, the
-- signature time, format, source draft, session, creation time and id stay as they were until
-- the supervisor co-signs it (-> signed) or returns it (-> in_review). 0001's trigger locked
-- only the content, its hash, the author, the client and the state's next values.
CREATE TRIGGER notes_awaiting_cosign_signed_fields_locked BEFORE UPDATE ON notes
WHEN OLD.state = 'awaiting_cosign'
 AND (NEW.id IS NOT OLD.id
      OR NEW.signed_at IS NOT OLD.signed_at
      OR NEW.format IS NOT OLD.format
      OR NEW.draft_id IS NOT OLD.draft_id
      OR NEW.therapy_session_id IS NOT OLD.therapy_session_id
      OR NEW.created_at IS NOT OLD.created_at)
BEGIN
    SELECT RAISE(ABORT, 'a note awaiting co-signature is locked: co-sign or return it first');
END;
