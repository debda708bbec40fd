//! A real PostgreSQL for tests: `initdb` + `pg_ctl` in a temporary folder, on a free loopback
//! port, one server per test process, one fresh database per test.
//!
//! PostgreSQL refuses to run as root; as root (CI) the server runs as the `postgres` user (or
//! `nobody`). A watchdog stops the server and removes its folder when the test process exits.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct PostgresServer {
    pub port: u16,
    /// The cluster's folder (tables, WAL), for tests that search what reached the disk.
    pub data: PathBuf,
    pg_ctl: PathBuf,
    run_as: Option<&'static str>,
    options: String,
    log: PathBuf,
}

impl PostgresServer {
    /// Stops the server (fast shutdown: connections are closed), as an outage would.
    pub fn stop(&self) {
        let out = self.pg_ctl(&["-w", "-m", "fast", "stop"]);
        assert!(out.status.success(), "pg_ctl stop: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Starts the stopped server again, on the same port.
    pub fn start_again(&self) {
        let out = self.pg_ctl(&["-w", "-t", "60", "-l", &self.log.display().to_string(), "-o", &self.options, "start"]);
        assert!(out.status.success(), "pg_ctl start: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn pg_ctl(&self, args: &[&str]) -> std::process::Output {
        let mut command = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&self.pg_ctl);
                c
            }
            None => Command::new(&self.pg_ctl),
        };
        command.arg("-D").arg(&self.data).args(args).output().expect("run pg_ctl")
    }
}

static SERVER: OnceLock<Result<PostgresServer, String>> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The test process's server, started on first use. Fails with a clear message when the
/// PostgreSQL server binaries are missing (scripts/test.sh installs them).
pub fn server() -> &'static PostgresServer {
    match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(reason) => panic!("PostgreSQL for tests: {reason}"),
    }
}

/// A URL to a new, empty database on the test server.
pub fn fresh_database_url() -> String {
    let server = server();
    let name = format!("t{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::SeqCst));
    let out = Command::new(bin("psql").unwrap_or_else(|| PathBuf::from("psql")))
        .args(["-h", "127.0.0.1", "-p", &server.port.to_string(), "-U", "postgres", "-d", "postgres"])
        .args(["-v", "ON_ERROR_STOP=1", "-qc", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("run psql");
    assert!(out.status.success(), "CREATE DATABASE: {}", String::from_utf8_lossy(&out.stderr));
    format!("postgres://postgres@127.0.0.1:{}/{name}", server.port)
}

/// Whether any file of the test server's cluster (tables and WAL, after a checkpoint) holds
/// `needle`.
pub fn cluster_files_contain(needle: &[u8]) -> bool {
    let server = server();
    let out = Command::new(bin("psql").unwrap_or_else(|| PathBuf::from("psql")))
        .args(["-h", "127.0.0.1", "-p", &server.port.to_string(), "-U", "postgres", "-d", "postgres"])
        .args(["-qc", "CHECKPOINT"])
        .output()
        .expect("run psql");
    assert!(out.status.success(), "CHECKPOINT: {}", String::from_utf8_lossy(&out.stderr));
    files_contain(&server.data, needle)
}

/// Whether any file under `dir` holds `needle`.
pub fn files_contain(dir: &Path, needle: &[u8]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.filter_map(Result::ok).any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            files_contain(&path, needle)
        } else {
            std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        }
    })
}

pub fn bin(name: &str) -> Option<PathBuf> {
    let in_path =
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|p| p.is_file()));
    in_path.or_else(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
            .filter(|p| p.is_file())
            .collect();
        found.sort_by_key(|p| {
            p.components().nth(4).and_then(|c| c.as_os_str().to_str()?.parse::<u32>().ok()).unwrap_or(0)
        });
        found.pop()
    })
}

fn start() -> Result<PostgresServer, String> {
    let initdb = bin("initdb").ok_or("initdb not found (apt-get install postgresql)")?;
    let pg_ctl = bin("pg_ctl").ok_or("pg_ctl not found (apt-get install postgresql)")?;
    let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false);
    let run_as = if !is_root {
        None
    } else if Command::new("id").arg("postgres").output().is_ok_and(|o| o.status.success()) {
        Some("postgres")
    } else {
        Some("nobody")
    };

    let dir = std::env::temp_dir().join(format!("switchboard-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if let Some(user) = run_as {
        let status = Command::new("chown").args(["-R", user]).arg(&dir).status().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("chown {} to {user} failed", dir.display()));
        }
    }
    let data = dir.join("data");
    let port = free_port();
    let as_user = |program: &Path| -> Command {
        match run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        }
    };
    let out = as_user(&initdb)
        .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "-D"])
        .arg(&data)
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    // Tests trade durability for speed; benchmarks (SWITCHBOARD_PG_DURABLE=1) keep fsync on.
    let durability =
        if std::env::var_os("SWITCHBOARD_PG_DURABLE").is_some() { "" } else { " -c fsync=off -c full_page_writes=off" };
    let options =
        format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200{durability}", dir.display());
    let out = as_user(&pg_ctl)
        .args(["-w", "-t", "60", "-D"])
        .arg(&data)
        .args(["-l"])
        .arg(dir.join("server.log"))
        .args(["-o", &options, "start"])
        .output()
        .map_err(|e| format!("pg_ctl: {e}"))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
        return Err(format!("pg_ctl start failed: {}\n{log}", String::from_utf8_lossy(&out.stderr)));
    }
    // Stop the server and remove its folder once this test process is gone.
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {run_as} '{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        run_as = run_as.map(|u| format!("runuser -u {u} --")).unwrap_or_default(),
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &stop])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("watchdog: {e}"))?;
    Ok(PostgresServer { port, data, pg_ctl, run_as, options, log: dir.join("server.log") })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}
