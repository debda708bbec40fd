-- The reports' day rollups: each day (in the business time zone) keeps the facts of the cycles
-- that began in it, worked out once (durations on the clock and in business hours, the local
-- hour, who is credited), so that a report of any filter adds them up without reading a cycle.
-- `basis` names the business hours and time zone they were worked out under; `stamp` the
-- versions of the UTC days they cover (`report_versions`, raised by every ledger event and
-- survey step): a row holds while both are still those of now.
DROP TABLE report_cache;
CREATE TABLE report_days (
    day_start INTEGER NOT NULL,
    basis     TEXT NOT NULL,
    stamp     TEXT NOT NULL,
    cycles    INTEGER NOT NULL,
    facts     BLOB NOT NULL,
    PRIMARY KEY (basis, day_start)
);
