//! What customers can type on every channel: `/start`, `/help`, `/human`, `/status`,
//! `/lang CODE`, `/verify HANDLE`, `/link [CODE]`, `/complaint`, `/stop`; and `MENU`, the one list every platform's
//! command menu is built from (descriptions from `command-<name>` in `locales/`).

/// A command as a menu lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    pub name: &'static str,
    pub argument: Option<Argument>,
}

/// A command's one argument (described by `command-option-<name>` in `locales/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argument {
    pub name: &'static str,
    pub required: bool,
}

/// The commands customers are offered, in menu order.
pub const MENU: &[Listed] = &[
    Listed { name: "start", argument: None },
    Listed { name: "help", argument: None },
    Listed { name: "status", argument: None },
    Listed { name: "human", argument: None },
    Listed { name: "lang", argument: Some(Argument { name: "code", required: true }) },
    Listed { name: "verify", argument: Some(Argument { name: "handle", required: true }) },
    Listed { name: "link", argument: Some(Argument { name: "code", required: false }) },
    Listed { name: "complaint", argument: None },
    Listed { name: "stop", argument: None },
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Human,
    Status,
    Lang(Option<String>),
    /// `/link` asks for a code; `/link CODE` joins this identity to the contact that asked.
    Link(Option<String>),
    /// `/verify HANDLE`: is this handle our staff?
    Verify(Option<String>),
    /// A formal complaint about the ticket: opened, owned by a person, told at each stage.
    Complaint,
    /// No more announcements to this customer.
    Stop,
}

impl Command {
    /// Parses a message body. Telegram appends the bot's name in groups (`/status@SupportBot`).
    pub fn parse(body: &str) -> Option<Command> {
        let body = body.trim();
        let rest = body.strip_prefix('/')?;
        let mut parts = rest.split_whitespace();
        let word = parts.next()?;
        let name = word.split('@').next().unwrap_or(word).to_ascii_lowercase();
        let argument = parts.next().map(str::to_owned);
        Some(match name.as_str() {
            "start" => Command::Start,
            "help" => Command::Help,
            "human" => Command::Human,
            "status" => Command::Status,
            // A language's own name may be several words ("Tiếng Việt", "português do Brasil").
            "lang" => Command::Lang(argument.map(|first| {
                let rest: Vec<&str> = parts.collect();
                std::iter::once(first.as_str()).chain(rest).collect::<Vec<_>>().join(" ")
            })),
            "link" => Command::Link(argument),
            "verify" => Command::Verify(argument),
            "complaint" => Command::Complaint,
            "stop" => Command::Stop,
            _ => return None,
        })
    }

    /// Commands that are about the ticket rather than a new question do not open one.
    pub fn opens_conversation(&self) -> bool {
        matches!(self, Command::Human | Command::Complaint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_arguments_and_bot_mentions() {
        assert_eq!(Command::parse("/lang zh-CN"), Some(Command::Lang(Some("zh-CN".into()))));
        assert_eq!(Command::parse("  /STATUS@SupportBot "), Some(Command::Status));
        assert_eq!(Command::parse("/lang"), Some(Command::Lang(None)));
        assert_eq!(Command::parse("/lang Tiếng Việt"), Some(Command::Lang(Some("Tiếng Việt".into()))));
        assert_eq!(Command::parse("/link K7P2-Q9XM"), Some(Command::Link(Some("K7P2-Q9XM".into()))));
        assert_eq!(Command::parse("/unknown"), None);
        assert_eq!(Command::parse("hello /status"), None);
    }

    #[test]
    fn every_command_on_the_menu_is_understood_with_its_argument() {
        for listed in MENU {
            let argument = listed.argument.map(|_| " x").unwrap_or_default();
            let command = Command::parse(&format!("/{}{argument}", listed.name));
            assert!(command.is_some(), "/{} is on the menu but not understood", listed.name);
        }
    }
}
