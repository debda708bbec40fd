-- Reports over long periods are the merge of their days' tallies. `report_versions` counts the
-- changes to each UTC day's cycles (every ledger event and survey step raises its day's
-- version); a day's tally in `report_cache` (per filter) holds while the versions it was
-- computed under (`stamp`) are still those of its days.
CREATE TABLE report_versions (
    day     INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TABLE report_cache (
    day_start INTEGER NOT NULL,
    filter    TEXT NOT NULL,
    stamp     TEXT NOT NULL,
    tally     TEXT NOT NULL,
    PRIMARY KEY (day_start, filter)
);

-- The knowledge base's gaps read only the cycles the bot was unsure in.
CREATE INDEX cycles_unsure ON cycles(started_at) WHERE handoff_reason = 'not_sure';
