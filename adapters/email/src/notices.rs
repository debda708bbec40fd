//! Agents' notices by e-mail (assignments, mentions, SLA warnings and breaches, each as the
//! agent switched it): a pure `render` and the loop that sends what this instance's events ask
//! for, through the same SMTP submission as replies, retried a few times when the server is
//! unavailable.

use crate::EmailChannel;
use crate::smtp::{SubmitError, submit};
use lettre::message::{Mailbox, header::ContentType};
use std::time::Duration;
use switchboard_core::desk::notices::Notice;
use switchboard_core::events::Published;
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

/// A notice as a mail from the installation's address.
pub fn render(notice: &Notice, from: &Mailbox) -> Result<lettre::Message, String> {
    let to: Mailbox = format!("{} <{}>", notice.name.replace(['<', '>', '"'], ""), notice.email)
        .parse()
        .or_else(|_| notice.email.parse())
        .map_err(|e| format!("agent {}'s address {:?}: {e}", notice.agent_id, notice.email))?;
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(notice.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(notice.body.clone())
        .map_err(|e| e.to_string())
}

/// Sends agents' notices for the events this instance publishes, until `stop`; `inbox`: the
/// public origin links point at.
pub async fn send_notices(channel: EmailChannel, core: switchboard_core::Core, inbox: String, stop: CancellationToken) {
    let mut events = core.events().subscribe();
    loop {
        let published = tokio::select! {
            () = stop.cancelled() => return,
            received = events.recv() => match received {
                Ok(published) => published,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "agents' e-mail notices fell behind; some were not sent");
                    continue;
                }
                Err(RecvError::Closed) => return,
            },
        };
        let Published { event, here } = published;
        if !here {
            continue;
        }
        let notices = match core.agent_notices(&event, &inbox).await {
            Ok(notices) => notices,
            Err(error) => {
                tracing::warn!(%error, "agents' e-mail notices could not be prepared");
                continue;
            }
        };
        for notice in notices {
            tokio::spawn(deliver(channel.clone(), notice));
        }
    }
}

/// One notice, tried up to three times a minute apart while the server is unavailable.
async fn deliver(channel: EmailChannel, notice: Notice) {
    let mail = match render(&notice, &channel.settings.from) {
        Ok(mail) => mail,
        Err(error) => return tracing::warn!(%error, "an agent's notice could not be written"),
    };
    for attempt in 1..=3 {
        match submit(&channel.settings.smtp, channel.tls.clone(), mail.envelope(), &mail.formatted()).await {
            Ok(()) => {
                metrics::counter!("switchboard_agent_notices_sent_total").increment(1);
                return;
            }
            Err(SubmitError::Refused(error)) => {
                return tracing::warn!(agent = notice.agent_id, %error, "an agent's notice was refused");
            }
            Err(error) if attempt < 3 => {
                tracing::info!(agent = notice.agent_id, %error, "an agent's notice waits to be sent again");
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
            Err(error) => tracing::warn!(agent = notice.agent_id, %error, "an agent's notice was not sent"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_a_plain_mail_to_the_agent() {
        let notice = Notice {
            agent_id: 3,
            email: "ann@example.com".into(),
            name: "Ann <Lead>".into(),
            conversation_id: Some(42),
            subject: "[#1042] SLA breached: first response".into(),
            body: "The first response of conversation #1042 missed its deadline: https://x/inbox?c=42".into(),
        };
        let from: Mailbox = "Support <support@example.com>".parse().unwrap();
        let raw = render(&notice, &from).unwrap().formatted();
        let mail = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = mail.to().and_then(|to| to.first()).unwrap();
        assert_eq!((to.name(), to.address()), (Some("Ann Lead"), Some("ann@example.com")));
        assert_eq!(mail.subject(), Some("[#1042] SLA breached: first response"));
        assert!(mail.body_text(0).unwrap().contains("https://x/inbox?c=42"));
    }
}
