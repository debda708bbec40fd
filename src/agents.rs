//! `switchboard agent add`: create an account for the inbox.

use crate::cli::RoleArg;
use crate::config::Config;
use anyhow::{Context, bail};
use std::io::{BufRead, IsTerminal};
use switchboard_core::store::Store;
use switchboard_core::store::agents::Role;

pub async fn add(config: &Config, email: &str, name: &str, role: RoleArg) -> anyhow::Result<()> {
    let password = match std::env::var("SWITCHBOARD_AGENT_PASSWORD") {
        Ok(password) => password,
        Err(_) => ask_password().context("reading the password")?,
    };
    let hash = switchboard_inbox::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let role = match role {
        RoleArg::Admin => Role::Admin,
        RoleArg::Agent => Role::Agent,
    };
    let store = Store::open(&config.database_url.0).await.context("opening the store")?;
    let id = store.create_agent(email, name, role, &hash).await?;
    store.close().await;
    println!("switchboard: agent {id} ({}) created as {}", email.trim().to_lowercase(), role.as_str());
    Ok(())
}

/// Asks twice on a terminal (without echo); reads one line otherwise.
fn ask_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Again: ")?;
        if first != second {
            bail!("the passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
