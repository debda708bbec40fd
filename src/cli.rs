//! The command line: `serve`, `migrate`, `backup`, `agent`, `kb`, `bot`, `safety` and `tx`, parsed with clap.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Self-hosted customer-support gateway for crypto wallets, exchanges and token projects.
#[derive(Debug, Parser)]
#[command(name = "switchboard", version)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./switchboard.toml when present. Environment
    /// variables (SWITCHBOARD_*) override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run everything configured: store, HTTP (web chat, health, metrics) and channels.
    Serve,
    /// Apply database migrations to SWITCHBOARD_DATABASE_URL and exit.
    Migrate,
    /// Write a consistent copy of the SQLite store to FILE (a new file), also while `serve`
    /// runs; for PostgreSQL, explains pg_dump and base backups.
    Backup { file: PathBuf },
    /// Crypto-safety tools.
    Safety {
        #[command(subcommand)]
        command: SafetyCommand,
    },
    /// Manage the agents who sign in to the inbox.
    Agent {
        #[command(subcommand)]
        command: AgentCommand,
    },
    /// The knowledge base the bot answers from.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// The support bot.
    Bot {
        #[command(subcommand)]
        command: BotCommand,
    },
    /// Transactions on the configured chains ([chains.<name>]).
    Tx {
        #[command(subcommand)]
        command: TxCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum TxCommand {
    /// Look VALUE (a transaction hash or signature) up on every configured chain its format
    /// fits; print one JSON line: {"value","results":[{"chain","status","confirmations",…}],
    /// "errors":[…]}. Exit 1 when no chain is configured or every endpoint failed.
    Lookup { value: String },
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// (Re)load the knowledge-base articles of DIR (Markdown with TOML front matter) into the
    /// store; articles no longer in DIR are retired.
    Import { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum BotCommand {
    /// Print the decision the live bot makes for TEXT as one JSON line:
    /// {"action":"answer"|"handoff","article_id":…,"score":…,"lang":…}.
    Ask {
        /// The customer's language (e.g. en-US, zh-CN); detected from TEXT when absent.
        #[arg(long)]
        lang: Option<String>,
        /// Knowledge-base folder; default: SWITCHBOARD_KB_DIR, else the imported articles.
        #[arg(long, value_name = "DIR")]
        kb: Option<PathBuf>,
        text: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Create an agent. The password comes from SWITCHBOARD_AGENT_PASSWORD, else it is asked for.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Agent)]
        role: RoleArg,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    Admin,
    Agent,
}

#[derive(Debug, Subcommand)]
pub enum SafetyCommand {
    /// Read text on standard input; print one JSON line: the text with secrets redacted, what
    /// was found (kinds, never values) and the transaction hashes and addresses.
    Scan,
}
