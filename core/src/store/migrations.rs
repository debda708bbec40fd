//! Forward-only migrations, embedded in the binary (one folder per backend).

use super::Backend;
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../../../migrations/sqlite/0001_foundation.sql")),
    (2, "inbox", include_str!("../../../migrations/sqlite/0002_inbox.sql")),
    (3, "safety", include_str!("../../../migrations/sqlite/0003_safety.sql")),
    (4, "edits", include_str!("../../../migrations/sqlite/0004_edits.sql")),
    (5, "buttons", include_str!("../../../migrations/sqlite/0005_buttons.sql")),
    (6, "cursors", include_str!("../../../migrations/sqlite/0006_cursors.sql")),
    (7, "kb", include_str!("../../../migrations/sqlite/0007_kb.sql")),
    (8, "automated", include_str!("../../../migrations/sqlite/0008_automated.sql")),
    (9, "kb_handoff", include_str!("../../../migrations/sqlite/0009_kb_handoff.sql")),
    (10, "bot_resolution", include_str!("../../../migrations/sqlite/0010_bot_resolution.sql")),
    (11, "kb_lexicon", include_str!("../../../migrations/sqlite/0011_kb_lexicon.sql")),
    (12, "erasures", include_str!("../../../migrations/sqlite/0012_erasures.sql")),
    (14, "shared_state", include_str!("../../../migrations/sqlite/0014_shared_state.sql")),
    (15, "surveys", include_str!("../../../migrations/sqlite/0015_surveys.sql")),
    (16, "ledger", include_str!("../../../migrations/sqlite/0016_ledger.sql")),
    (17, "reviews", include_str!("../../../migrations/sqlite/0017_reviews.sql")),
    (18, "report_cache", include_str!("../../../migrations/sqlite/0018_report_cache.sql")),
    (19, "report_days", include_str!("../../../migrations/sqlite/0019_report_days.sql")),
    (20, "search", include_str!("../../../migrations/sqlite/0020_search.sql")),
    (21, "contact_details", include_str!("../../../migrations/sqlite/0021_contact_details.sql")),
    (22, "agent_availability", include_str!("../../../migrations/sqlite/0022_agent_availability.sql")),
    (23, "canned_extras", include_str!("../../../migrations/sqlite/0023_canned_extras.sql")),
    (24, "kb_hits", include_str!("../../../migrations/sqlite/0024_kb_hits.sql")),
    (25, "desk", include_str!("../../../migrations/sqlite/0025_desk.sql")),
    (26, "incidents", include_str!("../../../migrations/sqlite/0026_incidents.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../../../migrations/postgres/0001_foundation.sql")),
    (2, "inbox", include_str!("../../../migrations/postgres/0002_inbox.sql")),
    (3, "safety", include_str!("../../../migrations/postgres/0003_safety.sql")),
    (4, "edits", include_str!("../../../migrations/postgres/0004_edits.sql")),
    (5, "buttons", include_str!("../../../migrations/postgres/0005_buttons.sql")),
    (6, "cursors", include_str!("../../../migrations/postgres/0006_cursors.sql")),
    (7, "kb", include_str!("../../../migrations/postgres/0007_kb.sql")),
    (8, "automated", include_str!("../../../migrations/postgres/0008_automated.sql")),
    (9, "kb_handoff", include_str!("../../../migrations/postgres/0009_kb_handoff.sql")),
    (10, "bot_resolution", include_str!("../../../migrations/postgres/0010_bot_resolution.sql")),
    (11, "kb_lexicon", include_str!("../../../migrations/postgres/0011_kb_lexicon.sql")),
    (12, "erasures", include_str!("../../../migrations/postgres/0012_erasures.sql")),
    (13, "id_sequences", include_str!("../../../migrations/postgres/0013_id_sequences.sql")),
    (14, "shared_state", include_str!("../../../migrations/postgres/0014_shared_state.sql")),
    (15, "surveys", include_str!("../../../migrations/postgres/0015_surveys.sql")),
    (16, "ledger", include_str!("../../../migrations/postgres/0016_ledger.sql")),
    (17, "reviews", include_str!("../../../migrations/postgres/0017_reviews.sql")),
    (18, "report_cache", include_str!("../../../migrations/postgres/0018_report_cache.sql")),
    (19, "report_days", include_str!("../../../migrations/postgres/0019_report_days.sql")),
    (20, "search", include_str!("../../../migrations/postgres/0020_search.sql")),
    (21, "contact_details", include_str!("../../../migrations/postgres/0021_contact_details.sql")),
    (22, "agent_availability", include_str!("../../../migrations/postgres/0022_agent_availability.sql")),
    (23, "canned_extras", include_str!("../../../migrations/postgres/0023_canned_extras.sql")),
    (24, "kb_hits", include_str!("../../../migrations/postgres/0024_kb_hits.sql")),
    (25, "desk", include_str!("../../../migrations/postgres/0025_desk.sql")),
    (26, "incidents", include_str!("../../../migrations/postgres/0026_incidents.sql")),
];

pub fn migrator(backend: Backend) -> Migrator {
    let set = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    Migrator::with_migrations(
        set.iter()
            .map(|(version, name, sql)| {
                Migration::new(*version, (*name).into(), MigrationType::Simple, sql.into_sql_str(), false)
            })
            .collect(),
    )
}
