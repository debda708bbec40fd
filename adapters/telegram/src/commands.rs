//! The command menu: `setMyCommands` per locale, from the one list of customer commands
//! (`switchboard_core::commands::MENU`), on a task of its own.

use crate::TelegramChannel;
use crate::wait;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::prelude::Requester;
use tokio_util::sync::CancellationToken;

/// Rounds of `setMyCommands` for the locales refused, 2, 4, 8… seconds apart.
const COMMAND_ATTEMPTS: u32 = 5;

impl TelegramChannel {
    /// Registers the customer commands in Telegram's menu, described in every
    /// language the product speaks (the default list in English), on a task of its own:
    /// customers' messages are not held up by it (a hanging call, 429s and 5xx included). A
    /// locale refused is tried again later, a few times; `stop` ends the task.
    pub fn register_commands_in_background(
        &self,
        localizer: switchboard_core::l10n::Localizer,
        stop: CancellationToken,
    ) {
        let channel = self.clone();
        tokio::spawn(async move {
            // Telegram knows languages, not scripts or regions: each language's menu is the locale
            // its language alone reaches (`zh` → zh-CN; zh-TW customers see it, or type commands).
            let mut pending: Vec<String> = localizer
                .available()
                .iter()
                .filter(|l| localizer.negotiate(l.split('-').next().unwrap_or(l)) == Some(**l))
                .map(|l| l.to_string())
                .collect();
            for attempt in 0..COMMAND_ATTEMPTS {
                let mut refused = Vec::new();
                for locale in pending {
                    match channel.register_commands(&localizer, &locale).await {
                        Ok(()) => {}
                        Err(RequestError::RetryAfter(seconds)) => {
                            wait(&stop, seconds.duration()).await;
                            refused.push(locale);
                        }
                        Err(error) => {
                            tracing::warn!(
                                locale,
                                attempt,
                                error = channel.hide(&error.to_string()),
                                "setMyCommands failed"
                            );
                            refused.push(locale);
                        }
                    }
                }
                pending = refused;
                if pending.is_empty() || stop.is_cancelled() {
                    return;
                }
                if attempt + 1 < COMMAND_ATTEMPTS {
                    wait(&stop, Duration::from_secs(2u64 << attempt)).await;
                }
            }
            tracing::warn!(locales = ?pending, "commands not registered; customers can still type them");
        });
    }

    /// One locale's menu.
    async fn register_commands(
        &self,
        localizer: &switchboard_core::l10n::Localizer,
        locale: &str,
    ) -> Result<(), RequestError> {
        use teloxide::payloads::SetMyCommandsSetters;
        use teloxide::types::BotCommand;
        let commands: Vec<BotCommand> = switchboard_core::commands::MENU
            .iter()
            .map(|c| BotCommand::new(c.name, localizer.text(locale, &format!("command-{}", c.name), &[])))
            .collect();
        let mut request = self.bot.set_my_commands(commands);
        let language = locale.split('-').next().unwrap_or(locale).to_owned();
        if locale != switchboard_core::l10n::FALLBACK {
            request = request.language_code(language);
        }
        request.await.map(|_| ())
    }
}
