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
