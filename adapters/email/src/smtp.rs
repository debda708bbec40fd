//! SMTP submission with lettre's protocol client over our own TLS (see `tls`): implicit TLS,
//! or STARTTLS negotiated before lettre takes the connection; AUTH and the password only ever
//! travel encrypted, except on an `smtp://` server that offers no STARTTLS at all.

use crate::settings::{Endpoint, Security};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::extension::ClientId;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::rustls::ClientConfig;

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The server answered 5xx: it will never take this mail.
    #[error("refused: {0}")]
    Refused(lettre::transport::smtp::Error),
    /// 4xx, or the conversation failed: try again later.
    #[error("{0}")]
    Smtp(lettre::transport::smtp::Error),
    #[error("connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("timed out")]
    Timeout,
}

impl From<lettre::transport::smtp::Error> for SubmitError {
    fn from(error: lettre::transport::smtp::Error) -> Self {
        if error.is_permanent() { SubmitError::Refused(error) } else { SubmitError::Smtp(error) }
    }
}

/// Submits one mail: connect, secure, authenticate, send, quit.
pub async fn submit(
    endpoint: &Endpoint,
    tls: Arc<ClientConfig>,
    envelope: &lettre::address::Envelope,
    mail: &[u8],
) -> Result<(), SubmitError> {
    tokio::time::timeout(TIMEOUT, async {
        let hello = ClientId::default();
        let mut connection = open(endpoint, tls, &hello).await?;
        let credentials = Credentials::new(endpoint.user.clone(), endpoint.password.clone());
        connection.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).await?;
        connection.send(envelope, mail).await?;
        let _ = connection.quit().await;
        Ok(())
    })
    .await
    .map_err(|_| SubmitError::Timeout)?
}

async fn open(
    endpoint: &Endpoint,
    tls: Arc<ClientConfig>,
    hello: &ClientId,
) -> Result<AsyncSmtpConnection, SubmitError> {
    let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port)).await?;
    match endpoint.security {
        Security::Implicit => {
            let stream = crate::tls::connect(tls, &endpoint.host, tcp).await?;
            Ok(AsyncSmtpConnection::connect_with_transport(Box::new(Stream::new(stream, false)), hello).await?)
        }
        Security::StartTls | Security::Opportunistic => {
            let mut plain = BufReader::new(tcp);
            expect(&mut plain, "220").await?;
            plain.get_mut().write_all(format!("EHLO {hello}\r\n").as_bytes()).await?;
            let features = expect(&mut plain, "250").await?;
            let offers_starttls =
                features.iter().any(|l| l.get(4..).is_some_and(|f| f.eq_ignore_ascii_case("STARTTLS")));
            if !offers_starttls {
                if endpoint.security == Security::StartTls {
                    return Err(std::io::Error::other("the server does not offer STARTTLS").into());
                }
                // `smtp://` without `?tls=`: the operator accepted a plain connection.
                let stream = Stream::new(plain.into_inner(), true);
                return Ok(AsyncSmtpConnection::connect_with_transport(Box::new(stream), hello).await?);
            }
            plain.get_mut().write_all(b"STARTTLS\r\n").await?;
            expect(&mut plain, "220").await?;
            let stream = crate::tls::connect(tls, &endpoint.host, plain.into_inner()).await?;
            // lettre reads a greeting, then says EHLO again, as RFC 3207 requires after STARTTLS.
            Ok(AsyncSmtpConnection::connect_with_transport(Box::new(Stream::new(stream, true)), hello).await?)
        }
    }
}

/// Reads one (multi-line) reply and checks its code; returns its lines.
async fn expect(reader: &mut BufReader<TcpStream>, code: &str) -> Result<Vec<String>, SubmitError> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed").into());
        }
        let line = line.trim_end().to_owned();
        if !line.starts_with(code) {
            return Err(std::io::Error::other(format!("expected {code}, got {line:?}")).into());
        }
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line);
        if last {
            return Ok(lines);
        }
    }
}

/// A connection handed to lettre, with the greeting it already consumed replayed once.
#[derive(Debug)]
struct Stream<S> {
    inner: S,
    greeting: Option<&'static [u8]>,
}

impl<S> Stream<S> {
    fn new(inner: S, replay_greeting: bool) -> Self {
        Stream { inner, greeting: replay_greeting.then_some(b"220 ready\r\n".as_slice()) }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Stream<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        if let Some(greeting) = self.greeting.take() {
            buf.put_slice(greeting);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Stream<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The socket underneath, for lettre's `peer_addr`.
trait Socket {
    fn socket(&self) -> &TcpStream;
}

impl Socket for TcpStream {
    fn socket(&self) -> &TcpStream {
        self
    }
}

impl Socket for tokio_rustls::client::TlsStream<TcpStream> {
    fn socket(&self) -> &TcpStream {
        self.get_ref().0
    }
}

impl<S> AsyncTokioStream for Stream<S>
where
    S: Socket + AsyncRead + AsyncWrite + Send + Sync + Unpin + std::fmt::Debug,
{
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.inner.socket().peer_addr()
    }
}
