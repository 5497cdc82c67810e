-- A recording's status moves only as `RecordingStatus::may_become` allows
-- (src/store/recordings.rs): uploaded -> queued or cancelled; queued -> transcribing, cancelled
-- or failed; transcribing -> transcribed, failed, cancelled or queued; failed or cancelled ->
-- queued (tried again). A transcribed recording stays transcribed.
CREATE TRIGGER recordings_status_transitions BEFORE UPDATE OF status ON recordings
WHEN NEW.status IS NOT OLD.status
 AND NOT ((OLD.status = 'uploaded' AND NEW.status IN ('queued', 'cancelled'))
       OR (OLD.status = 'queued' AND NEW.status IN ('transcribing', 'cancelled', 'failed'))
       OR (OLD.status = 'transcribing'
           AND NEW.status IN ('transcribed', 'failed', 'cancelled', 'queued'))
       OR (OLD.status IN ('failed', 'cancelled') AND NEW.status = 'queued'))
BEGIN
    SELECT RAISE(ABORT, 'this change of a recording''s status is not allowed');
END;

-- A job's state moves only as `JobState::may_become` allows (src/jobs/mod.rs): queued ->
-- running or cancelled; running -> done, failed, cancelled or queued; failed or cancelled ->
-- queued (retried). A done job stays done.
CREATE TRIGGER jobs_state_transitions BEFORE UPDATE OF state ON jobs
WHEN NEW.state IS NOT OLD.state
 AND NOT ((OLD.state = 'queued' AND NEW.state IN ('running', 'cancelled'))
       OR (OLD.state = 'running' AND NEW.state IN ('done', 'failed', 'cancelled', 'queued'))
       OR (OLD.state IN ('failed', 'cancelled') AND NEW.state = 'queued'))
BEGIN
    SELECT RAISE(ABORT, 'this change of a job''s state is not allowed');
END;
