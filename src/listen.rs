//! The HTTP server loop, with the limits a public endpoint needs against slow or greedy clients:
//! a request's headers must arrive within `HEADER_TIMEOUT` and fit in `MAX_HEADER_BYTES`; a body
//! that stalls for `BODY_IDLE_TIMEOUT` is cut off (its route answers 400 or 408); idle
//! keep-alive connections are closed. On shutdown, connections finish their request in flight
//! within the caller's grace period. (axum's own `serve` sets no timer, so hyper's header
//! timeout never fires there: a client trickling headers could hold a connection for ever.)

use axum::Router;
use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::Service;

/// Time for a client to send a request's whole header block.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest header block read (hyper's read buffer), answered 431 beyond.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// A request body that sends nothing for this long is abandoned.
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown`, then lets open requests finish within `grace`.
pub async fn serve(listener: TcpListener, app: Router, shutdown: CancellationToken, grace: Duration) {
    let app = app.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(BODY_IDLE_TIMEOUT));
    let mut make: IntoMakeServiceWithConnectInfo<Router, SocketAddr> =
        app.into_make_service_with_connect_info::<SocketAddr>();
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT).max_buf_size(MAX_HEADER_BYTES);
    builder.http2().timer(TokioTimer::new()).max_header_list_size(MAX_HEADER_BYTES as u32);
    let graceful = GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: the listener stays, the next accept may work.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = shutdown.cancelled() => break,
        };
        let Ok(router) = make.call(peer).await;
        let connection =
            builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(router)).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
        tracing::info!("closing remaining HTTP requests");
    }
}
