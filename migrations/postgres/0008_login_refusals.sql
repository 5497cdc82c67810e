-- Refused sign-ins counted per account or address and window, PostgreSQL: as
-- ../0008_login_refusals.sql.
CREATE TABLE login_refusals (
    scope_key    TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (scope_key, window_start)
);
