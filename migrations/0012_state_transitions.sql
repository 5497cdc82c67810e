-- A note's state moves only as `NoteState::may_become` allows (src/store/notes.rs): draft ->
-- in_review; draft or in_review -> awaiting_cosign or signed; awaiting_cosign -> signed or
-- in_review (returned); signed -> amended. 0001 and 0004 lock what a signed or co-signature-bound
-- note may change; this refuses the moves that skip or undo a step (draft -> amended,
-- in_review -> draft, amended -> signed, ...) whatever writes them.
CREATE TRIGGER notes_state_transitions BEFORE UPDATE OF state ON notes
WHEN NEW.state IS NOT OLD.state
 AND NOT ((OLD.state = 'draft' AND NEW.state IN ('in_review', 'awaiting_cosign', 'signed'))
       OR (OLD.state = 'in_review' AND NEW.state IN ('awaiting_cosign', 'signed'))
       OR (OLD.state = 'awaiting_cosign' AND NEW.state IN ('signed', 'in_review'))
       OR (OLD.state = 'signed' AND NEW.state = 'amended'))
BEGIN
    SELECT RAISE(ABORT, 'this change of a note''s state is not allowed');
END;

-- A draft's state moves only as `DraftState::may_become` allows (src/store/drafts.rs):
-- pending -> drafting, failed or discarded; drafting -> ready or failed; ready -> in_review,
-- signed or discarded; in_review -> signed or discarded; signed -> in_review (a returned
-- co-signature); failed -> pending (tried again).
CREATE TRIGGER drafts_state_transitions BEFORE UPDATE OF state ON drafts
WHEN NEW.state IS NOT OLD.state
 AND NOT ((OLD.state = 'pending' AND NEW.state IN ('drafting', 'failed', 'discarded'))
       OR (OLD.state = 'drafting' AND NEW.state IN ('ready', 'failed'))
       OR (OLD.state = 'ready' AND NEW.state IN ('in_review', 'signed', 'discarded'))
       OR (OLD.state = 'in_review' AND NEW.state IN ('signed', 'discarded'))
       OR (OLD.state = 'signed' AND NEW.state = 'in_review')
       OR (OLD.state = 'failed' AND NEW.state = 'pending'))
BEGIN
    SELECT RAISE(ABORT, 'this change of a draft''s state is not allowed');
END;
