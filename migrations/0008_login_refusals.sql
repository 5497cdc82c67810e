-- Refused sign-ins (rate limited) are counted here, one row per limited account or address and
-- window, so that an attacker hammering a locked account adds one audit row per window rather
-- than one per attempt. Kept like login_attempts: rows past the retention are deleted.
CREATE TABLE login_refusals (
    scope_key    TEXT    NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (scope_key, window_start)
);
