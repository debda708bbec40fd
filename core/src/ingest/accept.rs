//! `Core::ingest` and `Core::ingest_all`: platform messages through the write path, and what
//! follows their commit (metrics, the platform copy of a secret removed).

use super::stand_in::{StandIn, stands_in_for};
use super::{Inbound, Ingested};
use crate::Core;
use crate::channel::Destination;
use crate::error::{CoreError, Result};
use crate::model::ChannelKind;
use crate::prepare::{self, Origin};
use crate::write::WriteOp;
use std::time::Instant;
use tokio::sync::oneshot;
use tracing::Instrument;

impl Core {
    /// Accepts one platform message. Returns once it is durable (committed); only then may an
    /// adapter acknowledge it to its platform.
    pub async fn ingest(&self, inbound: Inbound) -> Result<Ingested> {
        let span = tracing::info_span!("ingest", channel = %inbound.channel, conversation_id = tracing::field::Empty);
        async move {
            let started = Instant::now();
            let stand_in = StandIn::of(&inbound);
            let (prepared, origin) = prepare::keep_files(self.attachments(), prepare::screen(inbound)?).await?;
            let (tx, rx) = oneshot::channel();
            self.send(WriteOp::Ingest(Box::new(prepared), tx)).await?;
            let ingested = match rx.await.map_err(|_| CoreError::ShuttingDown)? {
                Err(error) if stands_in_for(&error) => {
                    return self.ingest_stand_in(stand_in, &error.to_string()).await;
                }
                result => result?,
            };
            if let Some(id) = ingested.conversation_id {
                tracing::Span::current().record("conversation_id", id);
            }
            self.ingested(&ingested, origin, started);
            Ok(ingested)
        }
        .instrument(span)
        .await
    }

    /// Accepts a platform's batch of messages (a Telegram `getUpdates` answer) in their order,
    /// committed together: one commit for the batch rather than as many as the writer happens
    /// to split concurrent messages into. Each answer is that message's, as from `ingest`;
    /// returns once every accepted one is durable.
    #[tracing::instrument(skip_all, fields(messages = inbounds.len()))]
    pub async fn ingest_all(&self, inbounds: Vec<Inbound>) -> Vec<Result<Ingested>> {
        let started = Instant::now();
        let stand_ins: Vec<_> = inbounds.iter().map(StandIn::of).collect();
        let prepared = prepare::keep_all_files(self.attachments(), prepare::screen_all(inbounds).await).await;
        let mut answers = Vec::with_capacity(prepared.len());
        let mut ops = Vec::with_capacity(prepared.len());
        for prepared in prepared {
            match prepared {
                Ok((prepared, origin)) => {
                    let (tx, rx) = oneshot::channel();
                    ops.push(WriteOp::Ingest(Box::new(prepared), tx));
                    answers.push(Ok((rx, origin)));
                }
                Err(error) => answers.push(Err(error)),
            }
        }
        if !ops.is_empty() && self.send(WriteOp::Many(ops)).await.is_err() {
            return answers.into_iter().map(|_| Err(CoreError::ShuttingDown)).collect();
        }
        let mut results = Vec::with_capacity(answers.len());
        for (answer, stand_in) in answers.into_iter().zip(stand_ins) {
            let result = match answer {
                Ok((rx, origin)) => match rx.await {
                    Ok(Ok(ingested)) => {
                        self.ingested(&ingested, origin, started);
                        Ok(ingested)
                    }
                    Ok(Err(error)) => Err(error),
                    Err(_) => Err(CoreError::ShuttingDown),
                },
                Err(error) => Err(error),
            };
            results.push(match result {
                Err(error) if stands_in_for(&error) => self.ingest_stand_in(stand_in, &error.to_string()).await,
                other => other,
            });
        }
        results
    }

    /// After a message is durable: its metrics, and the platform copy of a secret removed.
    pub(crate) fn ingested(&self, ingested: &Ingested, origin: Origin, started: Instant) {
        let channel = origin.channel;
        if !ingested.duplicate {
            metrics::counter!("switchboard_messages_in_total", "channel" => channel.as_str()).increment(1);
            if !ingested.findings.is_empty() {
                metrics::counter!("switchboard_secrets_redacted_total", "channel" => channel.as_str())
                    .increment(ingested.findings.len() as u64);
                self.delete_on_platform(channel, origin.destination, origin.external_id);
            }
        }
        metrics::histogram!("switchboard_ingest_seconds").record(started.elapsed().as_secs_f64());
    }

    /// Removes, where the platform allows it, the original of a message that carried a secret:
    /// what was stored is already redacted, but the customer's chat still shows it. Best effort.
    fn delete_on_platform(&self, kind: ChannelKind, destination: Destination, external_id: String) {
        let Some(channel) = self.inner.channels.get(kind).cloned() else { return };
        if !channel.capabilities().deletes {
            return;
        }
        tokio::spawn(async move {
            match channel.delete(&destination, &external_id).await {
                Ok(()) => tracing::info!(channel = %kind, "deleted a message that carried a secret"),
                Err(error) => {
                    tracing::warn!(channel = %kind, %error, "could not delete a message that carried a secret")
                }
            }
        });
    }
}
