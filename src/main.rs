//! The `switchboard` binary: parse the command line, load the configuration, run.

use clap::Parser;
use std::process::ExitCode;
use switchboard::{agents, cli, config, kb, serve, tx};
use tokio_util::sync::CancellationToken;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let usage = error.use_stderr();
            let _ = error.print();
            return if usage { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    // Scanning needs no configuration, database or runtime.
    if let cli::Command::Safety { command: cli::SafetyCommand::Scan } = cli.command {
        return safety_scan();
    }
    let config = match config::Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("switchboard: {error}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config.log, config.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("switchboard: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let cli::Command::Tx { command: cli::TxCommand::Lookup { value } } = &cli.command {
        return runtime.block_on(tx::lookup(&config, value));
    }
    let result = runtime.block_on(async {
        match cli.command {
            cli::Command::Serve => {
                let shutdown = CancellationToken::new();
                tokio::spawn(cancel_on_signal(shutdown.clone()));
                serve::run(config, shutdown).await
            }
            cli::Command::Migrate => serve::migrate(&config).await,
            cli::Command::Backup { file } => serve::backup(&config, &file).await,
            cli::Command::Safety { .. } => unreachable!("handled before configuration"),
            cli::Command::Tx { .. } => unreachable!("handled before the store is opened"),
            cli::Command::Agent { command: cli::AgentCommand::Add { email, name, role } } => {
                agents::add(&config, &email, &name, role).await
            }
            cli::Command::Kb { command: cli::KbCommand::Import { dir } } => kb::import(&config, &dir).await,
            cli::Command::Bot { command: cli::BotCommand::Ask { lang, kb, text } } => {
                kb::ask(&config, lang.as_deref(), kb.as_deref(), &text).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("switchboard: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn safety_scan() -> ExitCode {
    let mut input = Vec::new();
    if let Err(error) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut input) {
        eprintln!("switchboard: reading standard input: {error}");
        return ExitCode::FAILURE;
    }
    // Invalid UTF-8 is scanned as its lossy decoding rather than refused: a secret next to a
    // broken byte must still be found.
    let text = String::from_utf8_lossy(&input);
    let scan = switchboard_core::safety::scan(&text);
    println!("{}", serde_json::to_string(&scan).expect("a scan serializes"));
    ExitCode::SUCCESS
}

/// Logs go to standard error: coloured only on a terminal (a file or a pipe gets plain text),
/// or one JSON object per line for log shippers.
fn init_tracing(filter: &str, format: config::LogFormat) {
    use std::io::IsTerminal;
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        config::LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        config::LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).init(),
    }
}

/// SIGTERM or ctrl-c starts a graceful shutdown.
async fn cancel_on_signal(shutdown: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
    shutdown.cancel();
}
