// Why this file is over 500 lines: it is the service in one place: routes,
// limits, the accept loop with its header timeout and connection limit,
// cancellation on timeout and shutdown, and the JSON error bodies; the limits
// interact and are easier to audit together.

//! `som serve`: the library as a local HTTP JSON service, for tools that
//! would rather call a service than load a library.
//!
//! | request | answer |
//! |---|---|
//! | `POST /v1/business-case` | a scenario (DESIGN.md §4) in, the business case (DESIGN.md §5) out |
//! | `GET /v1/knowledge-base` | every id with its kind, the version and hash ([`api::kb_list_json`]) |
//! | `GET /v1/knowledge-base/{id}` | one record ([`crate::knowledge_base::show`]) |
//! | `GET /health` | `{"status": "ok", "version", "knowledge_base": {"version", "hash"}}` |
//!
//! Every error is the JSON of [`api::error_json`]:
//! `{"error": {"code", "message", "problems": [{"file", "path", ...}]}}`, with
//! status 400 (`invalid_scenario`, `invalid_request`), 404 (`not_found`, or
//! `invalid_knowledge_base` for an unknown id, with a suggestion), 405
//! (`method_not_allowed`), 413 (`payload_too_large`), 414 (`uri_too_long`),
//! 431 (`headers_too_large`), 422
//! (`calculation_failed`), 503 (`timeout`) or 500 (`internal_error`).
//!
//! It is meant for one machine: it binds to 127.0.0.1 by default, has no
//! authentication and no TLS. Its limits hold against slow or hostile clients:
//!
//! - request bodies are limited ([`Options::body_limit`], 1 MiB by default);
//! - every request has a time limit ([`Options::timeout`], 30 s by default):
//!   when it passes, the answer is 503 `timeout` and the calculation itself is
//!   stopped ([`crate::cancel`]), so no CPU is spent on an answer nobody
//!   waits for; the same when a client disconnects mid-calculation;
//! - at most [`Options::max_calculations`] calculations run at once; one more
//!   is answered at once with 503 `busy`;
//! - a client has [`Options::header_timeout`] (10 s) to send a request's
//!   headers, and an idle kept-alive connection is closed after as long;
//! - at most [`Options::max_connections`] connections are open at once; one
//!   more is answered 503 `busy` and closed.
//!
//! Calculations run on tokio's blocking pool, so slow requests do not hold up
//! the others. On shutdown the service stops accepting, gives requests in
//! flight [`Options::shutdown_grace`] (5 s) to finish, then stops their
//! calculations and closes every connection.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use tokio::sync::Semaphore;

use crate::cancel::{Cancel, CancelOnDrop};
use crate::{KnowledgeBase, api};

/// The default request body limit: 1 MiB, far above any real scenario.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// The default time limit for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default time a client has to send a request's headers (and the
/// longest a kept-alive connection may stay idle).
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The default number of connections open at once, below the usual limit of
/// 1024 open files per process.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The default time requests in flight get to finish after a shutdown signal.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The default number of calculations running at once: four per processor.
pub fn default_max_calculations() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How the service runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The knowledge base every request is evaluated against.
    pub kb: Arc<KnowledgeBase>,
    /// The largest request body accepted, in bytes; larger ones get 413.
    pub body_limit: usize,
    /// The time limit for one request; slower ones get 503 and their
    /// calculation is stopped.
    pub timeout: Duration,
    /// The time a client has to send a request's headers; an idle kept-alive
    /// connection is closed after as long.
    pub header_timeout: Duration,
    /// The most calculations running at once; more get 503 `busy`. (0 counts as 1.)
    pub max_calculations: usize,
    /// The most connections open at once; more get 503 `busy` and are
    /// closed. (0 counts as 1.)
    pub max_connections: usize,
    /// After a shutdown signal, how long requests in flight may take to
    /// finish before their calculations are stopped and connections closed.
    pub shutdown_grace: Duration,
}

impl Options {
    /// The defaults with a given knowledge base.
    ///
    /// ```
    /// let options = som::serve::Options::new(som::KnowledgeBase::embedded().clone());
    /// assert_eq!(options.body_limit, som::serve::DEFAULT_BODY_LIMIT);
    /// ```
    pub fn new(kb: KnowledgeBase) -> Options {
        Options {
            kb: Arc::new(kb),
            body_limit: DEFAULT_BODY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_calculations: default_max_calculations(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

/// What every handler shares: the knowledge base, the cap on calculations
/// and the token that stops them all at shutdown.
#[derive(Clone)]
struct Shared {
    kb: Arc<KnowledgeBase>,
    calculations: Arc<Semaphore>,
    stop: Cancel,
}

/// The service's routes, limits and error handling, for embedding in an
/// existing axum application or serving with [`serve`].
pub fn router(options: Options) -> Router {
    router_with(&options, Cancel::new())
}

/// The router with `stop`, cancelled at shutdown to stop every calculation.
fn router_with(options: &Options, stop: Cancel) -> Router {
    let shared = Shared {
        kb: Arc::clone(&options.kb),
        calculations: Arc::new(Semaphore::new(options.max_calculations.max(1))),
        stop,
    };
    Router::new()
        .route("/health", get(health))
        .route("/v1/business-case", post(business_case))
        .route("/v1/business-case/summary", post(business_case_summary))
        .route("/v1/sensitivity", post(sensitivity))
        .route("/v1/knowledge-base", get(kb_list))
        .route("/v1/knowledge-base/{id}", get(kb_show))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
        .layer(DefaultBodyLimit::max(options.body_limit))
        .layer(middleware::from_fn_with_state(
            options.body_limit,
            declared_size_limit,
        ))
        .layer(middleware::from_fn_with_state(options.timeout, time_limit))
}

/// Serves on a bound listener until the process ends or an I/O error stops it.
pub async fn serve(listener: tokio::net::TcpListener, options: Options) -> io::Result<()> {
    serve_until(listener, options, std::future::pending()).await
}

/// Serves on a bound listener until `shutdown` completes, then stops taking
/// connections and returns once the requests in flight are answered.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let stop = Cancel::new();
    let app = router_with(&options, stop.clone());
    let connections = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let refusals = Arc::new(Semaphore::new(64));
    let (closing, _) = tokio::sync::watch::channel(false);
    let mut open = tokio::task::JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
            // Finished connections are reaped as they end.
            Some(_) = open.join_next(), if !open.is_empty() => continue,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors or a connection reset before it was
            // taken: wait a moment instead of spinning, then go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            // Answered with 503 while few are being refused; beyond that a
            // flood of connections is closed at once, holding no descriptor.
            if let Ok(refusing) = Arc::clone(&refusals).try_acquire_owned() {
                let limit = options.max_connections;
                open.spawn(async move {
                    refuse_connection(stream, limit).await;
                    drop(refusing);
                });
            }
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(options.header_timeout);
        let mut closing = closing.subscribe();
        open.spawn(async move {
            let _permit = permit;
            let io = hyper_util::rt::TokioIo::new(ParseErrorsAsJson::new(stream));
            let connection = builder.serve_connection(io, service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = async { closing.wait_for(|closing| *closing).await.is_ok() } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    // Stop accepting; let requests in flight finish within the grace period,
    // then stop their calculations and close what is left.
    drop(listener);
    let _ = closing.send(true);
    let drained = async { while open.join_next().await.is_some() {} };
    if tokio::time::timeout(options.shutdown_grace, drained)
        .await
        .is_err()
    {
        stop.cancel();
        let stopping = async { while open.join_next().await.is_some() {} };
        if tokio::time::timeout(Duration::from_secs(1), stopping)
            .await
            .is_err()
        {
            open.shutdown().await;
        }
    }
    Ok(())
}

/// A connection whose requests hyper could not parse is answered by hyper
/// itself, before any handler runs, with an empty 400 (a bad request line or
/// header), 414 (a request target over 64 KiB) or 431 (headers over hyper's
/// buffer). hyper offers no hook for that answer's body, so this wrapper of
/// the connection recognises such an answer as it is written (a 4xx head
/// with `content-length: 0` and no content type: every handler's answer
/// has a JSON body) and writes the same status with the service's JSON error
/// instead. Everything else passes through unchanged.
struct ParseErrorsAsJson {
    stream: tokio::net::TcpStream,
    /// The replacement being written, how much of it is written, and the
    /// length of hyper's answer it stands for.
    replacing: Option<(Vec<u8>, usize, usize)>,
}

impl ParseErrorsAsJson {
    fn new(stream: tokio::net::TcpStream) -> ParseErrorsAsJson {
        ParseErrorsAsJson {
            stream,
            replacing: None,
        }
    }

    /// The JSON answer for hyper's own empty answer in `written`, if it is one.
    fn replacement(written: &[u8]) -> Option<Vec<u8>> {
        let head_end = written.windows(4).position(|w| w == b"\r\n\r\n")?;
        if head_end + 4 != written.len() {
            return None;
        }
        let head = std::str::from_utf8(&written[..head_end]).ok()?;
        let lower = head.to_ascii_lowercase();
        if !lower.contains("\r\ncontent-length: 0") || lower.contains("\r\ncontent-type:") {
            return None;
        }
        let status_line = head.lines().next()?;
        let body = match status_line.split(' ').nth(1)? {
            "400" => api::error_message_json(
                "invalid_request",
                "the request could not be read as HTTP/1.1: its request line or a header is malformed",
            ),
            "414" => api::error_message_json(
                "uri_too_long",
                "the request's path is too long to be read (at most 64 KiB)",
            ),
            "431" => api::error_message_json(
                "headers_too_large",
                "the request's headers are too large to be read",
            ),
            _ => return None,
        }
        .to_string();
        Some(
            format!(
                "{status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
    }
}

impl tokio::io::AsyncRead for ParseErrorsAsJson {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for ParseErrorsAsJson {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        use std::task::Poll;
        let this = &mut *self;
        if this.replacing.is_none() {
            match ParseErrorsAsJson::replacement(buf) {
                Some(json) => this.replacing = Some((json, 0, buf.len())),
                None => return std::pin::Pin::new(&mut this.stream).poll_write(cx, buf),
            }
        }
        while let Some((json, done, stands_for)) = &mut this.replacing {
            if *done == json.len() {
                let n = *stands_for;
                this.replacing = None;
                return Poll::Ready(Ok(n));
            }
            match std::pin::Pin::new(&mut this.stream).poll_write(cx, &json[*done..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *done += n,
                other => return other,
            }
        }
        Poll::Ready(Ok(0))
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Answers a connection over [`Options::max_connections`] with 503 `busy`
/// and closes it, without reading its request.
async fn refuse_connection(mut stream: tokio::net::TcpStream, limit: usize) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = api::error_message_json(
        "busy",
        &format!("the service has {limit} connections open, its limit; try again shortly"),
    )
    .to_string();
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        // Read what the client sent (up to 64 KiB) before closing: closing
        // with unread data would reset the connection and lose the answer.
        let mut sink = [0u8; 4096];
        let mut read = 0;
        while read < 64 * 1024 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => read += n,
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), answer).await;
}

/// Binds `addr`, calls `ready` with the address actually bound (so port 0
/// picks a free port and the caller learns which), and serves until Ctrl-C
/// (SIGINT) or, on Unix, SIGTERM: then it finishes the requests in flight
/// and returns `Ok`. Blocks; starts its own tokio runtime.
pub fn run(addr: SocketAddr, options: Options, ready: impl FnOnce(SocketAddr)) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let stop = stop_signal()?;
        ready(listener.local_addr()?);
        serve_until(listener, options, stop).await
    })
}

/// Completes on the first Ctrl-C (SIGINT) or, on Unix, SIGTERM. The handlers
/// are installed before it returns, so a signal sent once the caller has
/// announced the address is never missed.
fn stop_signal() -> io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            // Without a handler Ctrl-C ends the process at once, as before.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn error_response(status: StatusCode, error: &Value) -> Response {
    json_response(status, error.to_string())
}

fn message(status: StatusCode, code: &str, text: &str) -> Response {
    error_response(status, &api::error_message_json(code, text))
}

async fn health(State(shared): State<Shared>) -> Response {
    let kb = &shared.kb;
    let body = json!({
        "status": "ok",
        "version": crate::VERSION,
        "knowledge_base": {"version": kb.version(), "hash": kb.hash()},
    });
    json_response(StatusCode::OK, body.to_string())
}

/// The request body as text, or the error response for it.
fn body_text(body: Result<Bytes, BytesRejection>) -> Result<String, Box<Response>> {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "payload_too_large"
            } else {
                "invalid_request"
            };
            return Err(Box::new(message(status, code, &rejection.body_text())));
        }
    };
    String::from_utf8(body.to_vec()).map_err(|_| {
        Box::new(message(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the request body is not UTF-8 text",
        ))
    })
}

/// The status for a library error.
fn status_of(error: &crate::Error) -> StatusCode {
    match error {
        crate::Error::Scenario(_) => StatusCode::BAD_REQUEST,
        crate::Error::Calculation {
            source: crate::CalcError::Cancelled,
            ..
        } => StatusCode::SERVICE_UNAVAILABLE,
        crate::Error::Calculation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        crate::Error::KnowledgeBase(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn panicked() -> Response {
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "the calculation panicked (a bug; please report it)",
    )
}

/// Runs a calculation on the blocking pool under the cap on calculations,
/// with a token that stops it when the request is dropped (its time limit
/// passed or its client went away) or the service shuts down.
async fn calculate<T: Send + 'static>(
    shared: &Shared,
    work: impl FnOnce(&KnowledgeBase) -> T + Send + 'static,
) -> Result<Result<T, tokio::task::JoinError>, Box<Response>> {
    let Ok(permit) = Arc::clone(&shared.calculations).try_acquire_owned() else {
        return Err(Box::new(message(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the service is running as many calculations as it allows; try again shortly",
        )));
    };
    let token = shared.stop.child();
    let _stop_when_dropped = CancelOnDrop(token.clone());
    let kb = Arc::clone(&shared.kb);
    // The calculation is CPU-bound: keep it off the threads that serve I/O.
    // The permit is held until the calculation has really ended.
    Ok(tokio::task::spawn_blocking(move || {
        let _permit = permit;
        token.run(|| work(&kb))
    })
    .await)
}

async fn business_case(
    State(shared): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    evaluated(&shared, body, api::evaluate_json).await
}

/// The figures only: `api::evaluate_summary_json`.
async fn business_case_summary(
    State(shared): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    evaluated(&shared, body, api::evaluate_summary_json).await
}

/// Answers a scenario in the body with `answer` (the whole case, or its figures).
async fn evaluated(
    shared: &Shared,
    body: Result<Bytes, BytesRejection>,
    answer: fn(&str, &KnowledgeBase) -> Result<String, crate::Error>,
) -> Response {
    let text = match body_text(body) {
        Ok(text) => text,
        Err(response) => return *response,
    };
    let evaluated = match calculate(shared, move |kb| answer(&text, kb)).await {
        Ok(evaluated) => evaluated,
        Err(response) => return *response,
    };
    match evaluated {
        Ok(Ok(case)) => json_response(StatusCode::OK, case),
        Ok(Err(error)) => error_response(status_of(&error), &api::error_json(&error)),
        Err(_) => panicked(),
    }
}

async fn sensitivity(
    State(shared): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let text = match body_text(body) {
        Ok(text) => text,
        Err(response) => return *response,
    };
    let analysed = match calculate(&shared, move |kb| api::sensitivity_json(&text, kb)).await {
        Ok(analysed) => analysed,
        Err(response) => return *response,
    };
    match analysed {
        Ok(Ok(tornado)) => json_response(StatusCode::OK, tornado),
        Ok(Err(error)) => {
            let status = match &error {
                crate::analysis::AnalysisError::Scenario(e) => status_of(e),
                e if e.is_cancelled() => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            error_response(status, &api::analysis_error_json(&error))
        }
        Err(_) => panicked(),
    }
}

async fn kb_list(State(shared): State<Shared>) -> Response {
    json_response(StatusCode::OK, api::kb_list_json(&shared.kb).to_string())
}

async fn kb_show(
    State(shared): State<Shared>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Path(id) = match id {
        Ok(id) => id,
        // A malformed percent-escape: JSON like every other error, not axum's plain text.
        Err(rejection) => {
            return message(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &rejection.body_text(),
            );
        }
    };
    match crate::knowledge_base::show(&shared.kb, &id) {
        Ok(record) => json_response(StatusCode::OK, record),
        Err(error) => error_response(StatusCode::NOT_FOUND, &api::error_json(&error.into())),
    }
}

async fn not_found(request: Request) -> Response {
    message(
        StatusCode::NOT_FOUND,
        "not_found",
        &format!(
            "no such resource: {}; try GET /health, POST /v1/business-case or GET /v1/knowledge-base",
            request.uri().path()
        ),
    )
}

async fn method_not_allowed(request: Request) -> Response {
    message(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        &format!(
            "{} is not allowed on {}",
            request.method(),
            request.uri().path()
        ),
    )
}

/// Answers 413 at once when the declared Content-Length is over the limit,
/// instead of waiting for a body it will refuse (a body without a declared
/// length is cut off by `DefaultBodyLimit` as it arrives).
async fn declared_size_limit(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => message(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &format!("the request body is {length} bytes; the limit is {limit} bytes"),
        ),
        _ => next.run(request).await,
    }
}

async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => message(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            &format!("the request took longer than {} s", limit.as_secs_f64()),
        ),
    }
}
