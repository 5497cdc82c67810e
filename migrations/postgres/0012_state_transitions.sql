-- A note's and a draft's state move only as `NoteState::may_become` and
-- `DraftState::may_become` allow, PostgreSQL: as ../0012_state_transitions.sql.
CREATE TRIGGER notes_state_transitions BEFORE UPDATE OF state ON notes
FOR EACH ROW
WHEN (NEW.state IS DISTINCT FROM OLD.state
      AND NOT ((OLD.state = 'draft' AND NEW.state IN ('in_review', 'awaiting_cosign', 'signed'))
            OR (OLD.state = 'in_review' AND NEW.state IN ('awaiting_cosign', 'signed'))
            OR (OLD.state = 'awaiting_cosign' AND NEW.state IN ('signed', 'in_review'))
            OR (OLD.state = 'signed' AND NEW.state = 'amended')))
EXECUTE FUNCTION noted_refuse('this change of a note''s state is not allowed');

CREATE TRIGGER drafts_state_transitions BEFORE UPDATE OF state ON drafts
FOR EACH ROW
WHEN (NEW.state IS DISTINCT FROM OLD.state
      AND NOT ((OLD.state = 'pending' AND NEW.state IN ('drafting', 'failed', 'discarded'))
            OR (OLD.state = 'drafting' AND NEW.state IN ('ready', 'failed'))
            OR (OLD.state = 'ready' AND NEW.state IN ('in_review', 'signed', 'discarded'))
            OR (OLD.state = 'in_review' AND NEW.state IN ('signed', 'discarded'))
            OR (OLD.state = 'signed' AND NEW.state = 'in_review')
            OR (OLD.state = 'failed' AND NEW.state = 'pending')))
EXECUTE FUNCTION noted_refuse('this change of a draft''s state is not allowed');
