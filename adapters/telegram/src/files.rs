//! The files a customer's message carries, fetched through `getFile` within the size limit.

use crate::TelegramChannel;
use crate::inbound::MediaRef;
use switchboard_core::ingest::{Inbound, TooLarge};
use switchboard_core::model::InboundAttachment;
use teloxide::prelude::Requester;

impl TelegramChannel {
    /// Fetches a message's files within the size limit; those over it are named on the message
    /// (`too_large`). A file that cannot be fetched leaves the message's marker (`[photo]`) in
    /// place: the message is stored either way.
    pub(crate) async fn fetch(&self, inbound: &mut Inbound, media: Vec<MediaRef>) {
        use teloxide::net::Download;
        let mut too_large = Vec::new();
        for file in media {
            if file.size.is_some_and(|size| size > self.max_attachment_bytes) {
                too_large.push(file.filename);
                continue;
            }
            let fetched = async {
                let meta = self
                    .bot
                    .get_file(teloxide::types::FileId(file.file_id.clone()))
                    .await
                    .map_err(|e| e.to_string())?;
                if u64::from(meta.size) > self.max_attachment_bytes {
                    return Ok(None);
                }
                let mut bytes = Vec::with_capacity(meta.size as usize);
                self.bot.download_file(&meta.path, &mut bytes).await.map_err(|e| e.to_string())?;
                Ok::<_, String>(Some(bytes))
            };
            match fetched.await {
                Ok(Some(bytes)) => inbound.attachments.push(InboundAttachment {
                    filename: file.filename,
                    content_type: file.content_type,
                    bytes,
                }),
                Ok(None) => too_large.push(file.filename),
                Err(error) => {
                    tracing::warn!(error = self.hide(&error), "could not fetch a file; the message keeps its marker")
                }
            }
        }
        inbound.too_large = TooLarge { files: too_large, limit: self.max_attachment_bytes };
    }
}
