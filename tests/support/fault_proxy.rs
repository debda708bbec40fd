//! A TCP proxy on 127.0.0.1 that forwards to a real server and spoils the connections it is
//! told to: hung up at once, answered with a greeting of its own (an SMTP `421`), or cut after
//! so many bytes in one direction (mid-DATA, mid-FETCH — TLS or not, bytes are bytes).
//! Faults apply to the next connections in turn; after them, connections pass untouched.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Accepted and closed without a byte.
    Hangup,
    /// This text is the whole answer, then the connection closes (e.g. an SMTP 421 greeting).
    Greet(&'static str),
    /// Forwarded until the client has sent this many bytes, then closed both ways.
    CutUp(u64),
    /// Forwarded until the server has sent this many bytes, then closed both ways.
    CutDown(u64),
}

#[derive(Default)]
struct Inner {
    queue: VecDeque<Fault>,
    connections: usize,
    /// Connections closed by `CutUp`/`CutDown` reaching its count.
    cuts: usize,
    live: Vec<tokio::task::AbortHandle>,
}

#[derive(Clone)]
pub struct FaultProxy {
    pub port: u16,
    inner: Arc<Mutex<Inner>>,
}

impl FaultProxy {
    pub async fn start(upstream: u16) -> FaultProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = FaultProxy { port: listener.local_addr().unwrap().port(), inner: Default::default() };
        let serving = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let fault = {
                    let mut inner = serving.inner.lock().unwrap();
                    inner.connections += 1;
                    inner.queue.pop_front()
                };
                let inner = serving.inner.clone();
                let task = tokio::spawn(async move {
                    if serve(client, upstream, fault).await {
                        inner.lock().unwrap().cuts += 1;
                    }
                });
                serving.inner.lock().unwrap().live.push(task.abort_handle());
            }
        });
        proxy
    }

    /// The next connections get these faults, one each, in order.
    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.inner.lock().unwrap().queue.extend(faults);
    }

    /// Faults not yet met by a connection.
    pub fn faults_left(&self) -> usize {
        self.inner.lock().unwrap().queue.len()
    }

    pub fn connections(&self) -> usize {
        self.inner.lock().unwrap().connections
    }

    pub fn cuts(&self) -> usize {
        self.inner.lock().unwrap().cuts
    }

    /// Closes every connection open now (an idle one dropped by the network).
    pub fn cut_open_connections(&self) {
        for task in self.inner.lock().unwrap().live.drain(..) {
            task.abort();
        }
    }
}

/// One connection; true when it was cut by a byte count.
async fn serve(mut client: TcpStream, upstream: u16, fault: Option<Fault>) -> bool {
    let (up_limit, down_limit) = match fault {
        Some(Fault::Hangup) => return false,
        Some(Fault::Greet(text)) => {
            let _ = client.write_all(text.as_bytes()).await;
            let _ = client.shutdown().await;
            return false;
        }
        Some(Fault::CutUp(n)) => (Some(n), None),
        Some(Fault::CutDown(n)) => (None, Some(n)),
        None => (None, None),
    };
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else { return false };
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    // Whichever direction ends first ends the connection: both sockets are dropped.
    tokio::select! {
        cut = pipe(client_read, server_write, up_limit) => cut,
        cut = pipe(server_read, client_write, down_limit) => cut,
    }
}

/// Copies bytes until the source ends or `limit` bytes have passed; true when cut by the limit.
async fn pipe(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, limit: Option<u64>) -> bool {
    let mut buffer = vec![0u8; 16 * 1024];
    let mut passed = 0u64;
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        let allowed = limit.map_or(n as u64, |limit| (n as u64).min(limit - passed)) as usize;
        if to.write_all(&buffer[..allowed]).await.is_err() {
            return false;
        }
        passed += allowed as u64;
        if limit.is_some_and(|limit| passed >= limit) {
            return true;
        }
    }
}
