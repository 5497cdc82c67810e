-- A recording's status and a job's state move only as `RecordingStatus::may_become` and
-- `JobState::may_become` allow, PostgreSQL: as ../0013_recording_job_transitions.sql.
CREATE TRIGGER recordings_status_transitions BEFORE UPDATE OF status ON recordings
FOR EACH ROW
WHEN (NEW.status IS DISTINCT FROM OLD.status
      AND NOT ((OLD.status = 'uploaded' AND NEW.status IN ('queued', 'cancelled'))
            OR (OLD.status = 'queued' AND NEW.status IN ('transcribing', 'cancelled', 'failed'))
            OR (OLD.status = 'transcribing'
                AND NEW.status IN ('transcribed', 'failed', 'cancelled', 'queued'))
            OR (OLD.status IN ('failed', 'cancelled') AND NEW.status = 'queued')))
EXECUTE FUNCTION noted_refuse('this change of a recording''s status is not allowed');

CREATE TRIGGER jobs_state_transitions BEFORE UPDATE OF state ON jobs
FOR EACH ROW
WHEN (NEW.state IS DISTINCT FROM OLD.state
      AND NOT ((OLD.state = 'queued' AND NEW.state IN ('running', 'cancelled'))
            OR (OLD.state = 'running' AND NEW.state IN ('done', 'failed', 'cancelled', 'queued'))
            OR (OLD.state IN ('failed', 'cancelled') AND NEW.state = 'queued')))
EXECUTE FUNCTION noted_refuse('this change of a job''s state is not allowed');
