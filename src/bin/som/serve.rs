//! `som serve`: the local HTTP JSON service.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use som::serve;

use crate::args::knowledge_base;
use crate::error::CliError;
use crate::output::Outcome;

pub const HELP: &str = "Routes: POST /v1/business-case, POST /v1/sensitivity, GET /v1/knowledge-base, GET /v1/knowledge-base/{id}, GET /health.\nExample:\n  som serve &\n  curl -d @examples/housing-first.json http://127.0.0.1:8787/v1/business-case";

#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on; port 0 picks a free port. There is no
    /// authentication: keep it on a loopback address.
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = serve::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// The time limit for one request, in seconds.
    #[arg(long, default_value_t = serve::DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
    /// The time a client has to send a request's headers, in seconds;
    /// idle connections are closed after as long.
    #[arg(long, default_value_t = serve::DEFAULT_HEADER_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout: u64,
    /// The most calculations running at once [default: 4 per processor].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    max_calculations: Option<u64>,
    /// The most connections open at once.
    #[arg(long, default_value_t = serve::DEFAULT_MAX_CONNECTIONS as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: u64,
    /// After SIGTERM or Ctrl-C, the seconds requests in flight get to finish.
    #[arg(long, default_value_t = serve::DEFAULT_SHUTDOWN_GRACE.as_secs())]
    shutdown_grace: u64,
}

pub fn run(args: Args, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let kb = knowledge_base(kb_dir)?.into_owned();
    let addr = args.addr;
    let options = serve::Options {
        body_limit: args.body_limit,
        timeout: Duration::from_secs(args.timeout),
        header_timeout: Duration::from_secs(args.header_timeout),
        max_calculations: args
            .max_calculations
            .map_or_else(serve::default_max_calculations, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            }),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        ..serve::Options::new(kb)
    };
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {addr}, not a loopback address: the service has no authentication and no TLS"
        );
    }
    serve::run(addr, options, |bound| {
        // The first line tells scripts and tests which port was picked.
        println!("som serve: listening on http://{bound}");
        let _ = std::io::stdout().flush();
    })
    .map_err(|source| CliError::Serve { addr, source })?;
    eprintln!("som serve: stopped");
    Ok(Outcome::nothing())
}
