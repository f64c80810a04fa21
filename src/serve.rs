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
//! (`method_not_allowed`), 413 (`payload_too_large`), 422
//! (`calculation_failed`), 503 (`timeout`) or 500 (`internal_error`).
//!
//! It is meant for one machine: it binds to 127.0.0.1 by default, has no
//! authentication and no TLS. Request bodies are limited
//! ([`Options::body_limit`], 1 MiB by default) and every request has a time
//! limit ([`Options::timeout`], 30 s by default). Calculations run on
//! tokio's blocking pool, so slow requests do not hold up the others.

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

use crate::{KnowledgeBase, api};

/// The default request body limit: 1 MiB, far above any real scenario.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// The default time limit for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How the service runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The knowledge base every request is evaluated against.
    pub kb: Arc<KnowledgeBase>,
    /// The largest request body accepted, in bytes; larger ones get 413.
    pub body_limit: usize,
    /// The time limit for one request; slower ones get 503.
    pub timeout: Duration,
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
        }
    }
}

/// The service's routes, limits and error handling, for embedding in an
/// existing axum application or serving with [`serve`].
pub fn router(options: Options) -> Router {
    let kb = Arc::clone(&options.kb);
    Router::new()
        .route("/health", get(health))
        .route("/v1/business-case", post(business_case))
        .route("/v1/business-case/summary", post(business_case_summary))
        .route("/v1/sensitivity", post(sensitivity))
        .route("/v1/knowledge-base", get(kb_list))
        .route("/v1/knowledge-base/{id}", get(kb_show))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(kb)
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
    axum::serve(listener, router(options))
        .with_graceful_shutdown(shutdown)
        .await
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

async fn health(State(kb): State<Arc<KnowledgeBase>>) -> Response {
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

async fn business_case(
    State(kb): State<Arc<KnowledgeBase>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    evaluated(kb, body, api::evaluate_json).await
}

/// The figures only: `api::evaluate_summary_json`.
async fn business_case_summary(
    State(kb): State<Arc<KnowledgeBase>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    evaluated(kb, body, api::evaluate_summary_json).await
}

/// Answers a scenario in the body with `answer` (the whole case, or its figures).
async fn evaluated(
    kb: Arc<KnowledgeBase>,
    body: Result<Bytes, BytesRejection>,
    answer: fn(&str, &KnowledgeBase) -> Result<String, crate::Error>,
) -> Response {
    let text = match body_text(body) {
        Ok(text) => text,
        Err(response) => return *response,
    };
    // The calculation is CPU-bound: keep it off the threads that serve I/O.
    let evaluated = tokio::task::spawn_blocking(move || answer(&text, &kb)).await;
    match evaluated {
        Ok(Ok(case)) => json_response(StatusCode::OK, case),
        Ok(Err(error)) => error_response(status_of(&error), &api::error_json(&error)),
        Err(_) => panicked(),
    }
}

async fn sensitivity(
    State(kb): State<Arc<KnowledgeBase>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let text = match body_text(body) {
        Ok(text) => text,
        Err(response) => return *response,
    };
    let analysed = tokio::task::spawn_blocking(move || api::sensitivity_json(&text, &kb)).await;
    match analysed {
        Ok(Ok(tornado)) => json_response(StatusCode::OK, tornado),
        Ok(Err(error)) => {
            let status = match &error {
                crate::analysis::AnalysisError::Scenario(e) => status_of(e),
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            error_response(status, &api::analysis_error_json(&error))
        }
        Err(_) => panicked(),
    }
}

async fn kb_list(State(kb): State<Arc<KnowledgeBase>>) -> Response {
    json_response(StatusCode::OK, api::kb_list_json(&kb).to_string())
}

async fn kb_show(State(kb): State<Arc<KnowledgeBase>>, Path(id): Path<String>) -> Response {
    match crate::knowledge_base::show(&kb, &id) {
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
