//! The command line and configuration, as operators meet them.

use std::process::Command;

fn switchboard(args: &[&str], env: &[(&str, &str)], dir: &std::path::Path) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command.args(args).current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

#[test]
fn a_bad_database_url_exits_2_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = switchboard(&["serve"], &[("SWITCHBOARD_DATABASE_URL", "mysql://nope")], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SWITCHBOARD_DATABASE_URL"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one-line reason: {stderr}");
}

#[test]
fn bad_values_in_the_file_name_the_setting_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("switchboard.toml"), "listen = \"not an address\"\n").unwrap();
    let out = switchboard(&["migrate"], &[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SWITCHBOARD_LISTEN") && stderr.contains("switchboard.toml"), "{stderr}");

    std::fs::write(dir.path().join("custom.toml"), "[throttle.telegram]\nglobal = \"fast\"\n").unwrap();
    let out = switchboard(&["migrate", "--config", "custom.toml"], &[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SWITCHBOARD_THROTTLE_TELEGRAM_GLOBAL"));

    std::fs::write(dir.path().join("typo.toml"), "databse_url = \"sqlite://x.db\"\n").unwrap();
    let out = switchboard(&["migrate", "--config", "typo.toml"], &[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("databse_url"));
}

#[test]
fn the_environment_wins_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("switchboard.toml"), "database_url = \"mysql://from-file\"\n").unwrap();
    let out = switchboard(&["migrate"], &[("SWITCHBOARD_DATABASE_URL", "sqlite://env.db")], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("env.db").exists());
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(switchboard(&["frobnicate"], &[], dir.path()).status.code(), Some(2));
    assert_eq!(switchboard(&[], &[], dir.path()).status.code(), Some(2));
}

#[test]
fn migrate_creates_the_default_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = switchboard(&["migrate"], &[], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("switchboard.db").exists());
    // Applying again is a no-op.
    assert!(switchboard(&["migrate"], &[], dir.path()).status.success());
}

#[path = "../core/tests/support/postgres.rs"]
mod postgres;

#[test]
fn migrate_applies_to_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let out = switchboard(&["migrate"], &[("SWITCHBOARD_DATABASE_URL", &url)], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
}
