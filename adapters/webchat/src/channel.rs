//! The web-chat channel: a reply is already in the store; sending it makes it visible to the visitor.

use async_trait::async_trait;
use switchboard_core::channel::{
    Capabilities, Channel, Delivered, Destination, Formatting, OutboundMessage, SendError,
};
use switchboard_core::model::ChannelKind;

/// Outbound web chat. The message is already in the store; "sending" makes it visible to the
/// visitor (the customer API lists outbound messages once delivered), and the delivery event
/// wakes the visitor's pending long poll. Redelivery after a crash is harmless: the visitor sees
/// one row per message, whatever the number of attempts.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebchatChannel;

/// Longest reply the page shows as one message.
pub const MAX_LENGTH: usize = 8000;

#[async_trait]
impl Channel for WebchatChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Webchat
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_length: MAX_LENGTH,
            formatting: Formatting::Plain,
            threads: false,
            edits: false,
            deletes: true,
            buttons: true,
        }
    }

    async fn send(&self, _message: &OutboundMessage) -> Result<Delivered, SendError> {
        // Our own store is the platform: there is no remote id to remember.
        Ok(Delivered { external_id: None })
    }

    /// The platform copy of a web-chat message is the stored one, which the pipeline redacted
    /// before writing it, and the page shows what the server answered: nothing else holds the
    /// secret, so there is nothing more to delete.
    async fn delete(&self, _destination: &Destination, _external_id: &str) -> Result<(), SendError> {
        Ok(())
    }
}
