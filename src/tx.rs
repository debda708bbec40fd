//! `switchboard tx lookup VALUE`: one lookup on the configured chains, printed as one JSON line.

use crate::config::Config;
use std::process::ExitCode;
use switchboard_chains::{Chains, LookupError};

/// Exit 0 with the answer (not found is an answer); 1 when no chain is configured or none
/// answered, naming them; 2 when VALUE is no transaction id of a configured chain.
pub async fn lookup(config: &Config, value: &str) -> ExitCode {
    let chains = Chains::new(config.chains.clone());
    match chains.lookup(value, true).await {
        Ok(lookup) => {
            println!("{}", serde_json::to_string(&lookup).expect("a lookup serializes"));
            if !lookup.all_failed() {
                return ExitCode::SUCCESS;
            }
            let failed: Vec<String> = lookup.errors.iter().map(|e| format!("{} ({})", e.chain, e.error)).collect();
            eprintln!("switchboard: every chain failed: {}", failed.join("; "));
            ExitCode::FAILURE
        }
        Err(error @ LookupError::NoChains) => {
            eprintln!("switchboard: {error}");
            ExitCode::FAILURE
        }
        Err(error @ (LookupError::NotAHash(_) | LookupError::NotAnAddress(_))) => {
            eprintln!("switchboard: {error}");
            ExitCode::from(2)
        }
    }
}
