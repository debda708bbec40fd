//! The code's layout, kept true as it moves: every source file says what it holds, core's write
//! path imports only along its flow (prepare → plan → write → release), no function of `src/`
//! or the write path grows past what one screen shows, and ARCHITECTURE.md names every module of
//! core.

use std::path::{Path, PathBuf};

/// The longest a function of `src/` or of core's write path may be, in lines.
const MAX_FUNCTION_LINES: usize = 80;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The lines of `path` that are code, not comments.
fn code_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_source_file_starts_by_saying_what_it_holds() {
    let folders = [
        "src",
        "core/src",
        "safety/src",
        "safety/tests",
        "safety/benches",
        "chains/src",
        "chains/tests",
        "adapters/webchat/src",
        "adapters/telegram/src",
        "adapters/discord/src",
        "adapters/email/src",
        "bot/src",
        "inbox/src",
        "tests",
        "core/tests",
        "benches",
        "fuzz/src",
        "fuzz/fuzz_targets",
    ];
    let silent: Vec<_> = folders
        .iter()
        .flat_map(|folder| rust_files(&root().join(folder)))
        .filter(|file| !std::fs::read_to_string(file).unwrap().starts_with("//!"))
        .collect();
    assert!(silent.is_empty(), "files without a //! line on top: {silent:#?}");
}

#[test]
fn the_write_path_imports_only_along_its_flow() {
    let core = root().join("core/src");
    // (files, what they must not name): earlier stages know nothing of later ones, planning
    // runs no SQL, and what the writer hands work to never reaches back into it.
    let rules: [(Vec<PathBuf>, &[&str]); 4] = [
        (vec![core.join("prepare.rs")], &["crate::plan", "crate::write", "crate::changes", "sqlx"]),
        (rust_files(&core.join("plan")), &["crate::write", "crate::store", "crate::changes", "sqlx", ".await"]),
        (
            rust_files(&core.join("outbox")),
            &["crate::prepare", "crate::plan", "crate::write", "crate::changes", "crate::ingest"],
        ),
        (rust_files(&core.join("store")), &["crate::prepare", "crate::plan", "crate::write", "crate::changes"]),
    ];
    let mut wrong = Vec::new();
    for (files, forbidden) in rules {
        for file in files {
            for line in code_lines(&file) {
                if let Some(name) = forbidden.iter().find(|name| line.contains(*name)) {
                    wrong.push(format!("{}: {name} in {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the flow: {wrong:#?}");
}

/// Each function of `path` longer than `MAX_FUNCTION_LINES`, with its length.
fn long_functions(path: &Path) -> Vec<String> {
    let lines = code_lines(path);
    let mut long = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let signature = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "async fn ", "pub async fn "]
            .iter()
            .chain(["pub(crate) async fn ", "pub(super) async fn "].iter())
            .any(|prefix| trimmed.starts_with(prefix));
        if !signature {
            continue;
        }
        let (mut depth, mut opened) = (0i32, false);
        for (offset, body) in lines[start..].iter().enumerate() {
            // Braces inside string and character literals do not count.
            let mut in_text = false;
            let mut previous = ' ';
            for c in body.chars() {
                match c {
                    '"' if previous != '\\' => in_text = !in_text,
                    '{' if !in_text && previous != '\'' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' if !in_text && previous != '\'' => depth -= 1,
                    _ => {}
                }
                previous = c;
            }
            if !opened && body.trim_end().ends_with(';') {
                break;
            }
            if opened && depth == 0 {
                if offset + 1 > MAX_FUNCTION_LINES {
                    long.push(format!("{}:{} is {} lines", path.display(), start + 1, offset + 1));
                }
                break;
            }
        }
    }
    long
}

#[test]
fn no_function_of_the_binary_or_the_write_path_outgrows_a_screen() {
    let core = root().join("core/src");
    let mut files = rust_files(&root().join("src"));
    for part in ["plan", "write", "ingest"] {
        files.extend(rust_files(&core.join(part)));
    }
    files.extend(["lib.rs", "prepare.rs", "changes.rs", "roster.rs", "config.rs"].map(|f| core.join(f)));
    let long: Vec<String> = files.iter().flat_map(|file| long_functions(file)).collect();
    assert!(long.is_empty(), "functions over {MAX_FUNCTION_LINES} lines: {long:#?}");
}

#[test]
fn the_architecture_names_every_module_of_core() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let core = root().join("core/src");
    let unnamed: Vec<String> = rust_files(&core)
        .iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(&core).unwrap();
            let name = match relative.file_name().and_then(|n| n.to_str()) {
                Some("mod.rs") => format!("{}/", relative.parent().unwrap().display()),
                _ => relative.file_name().unwrap().to_string_lossy().into_owned(),
            };
            let parent = relative.parent().and_then(|p| p.file_name()).map(|p| p.to_string_lossy().into_owned());
            let in_folder = format!("`{}/{name}", parent.unwrap_or_default());
            let named = [format!("`{name}"), format!("({name}"), in_folder]
                .iter()
                .any(|mention| map.contains(mention.as_str()));
            (!named).then_some(name)
        })
        .collect();
    assert!(unnamed.is_empty(), "modules of core the code map does not name: {unnamed:?}");
}

#[test]
fn crypto_safety_depends_on_nothing_of_switchboard() {
    let manifest = std::fs::read_to_string(root().join("safety/Cargo.toml")).unwrap();
    let table: toml::Table = manifest.parse().unwrap();
    let dependencies = table["dependencies"].as_table().unwrap();
    let ours: Vec<&String> = dependencies.keys().filter(|name| name.starts_with("switchboard")).collect();
    assert!(ours.is_empty(), "switchboard-safety must stand alone, yet depends on {ours:?}");
}
