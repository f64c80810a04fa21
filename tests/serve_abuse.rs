//! Hostile clients against `som serve` (issue 18): abandoned heavy requests,
//! a full calculation cap, slow headers, too many connections, and shutdown
//! during all of them. The real binary on an ephemeral loopback port; only
//! 127.0.0.1 is ever contacted. Every wait is bounded: these are hang guards,
//! not timings.
#![cfg(all(feature = "serve", target_os = "linux"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/heavy.rs"]
mod heavy;
use heavy::heavy_scenario;

/// A running `som serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_som"))
            .arg("serve")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("som serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("som serve: listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Server { child, addr }
    }

    /// CPU seconds (user + system) the server process has used, from
    /// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).
    fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        // The command name may hold spaces; the fields after it are plain.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        // Field 3 of the file is fields[0] here, so 14 and 15 are [11] and [12].
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        ticks as f64 / 100.0
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
    }

    /// One request on a fresh connection: the status line and the body.
    fn request(&self, method: &str, path: &str, body: &str) -> (String, String) {
        let mut stream = self.connect();
        // A refused connection may be answered and closed before the
        // request is written: the answer is still there to read.
        let _ = write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response.lines().next().unwrap_or("").to_owned();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    fn terminate(&self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
    }

    /// Waits for the process to end, at most `limit`; how long it took.
    fn wait_exit(&mut self, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                assert!(exit.success(), "{exit:?}");
                return started.elapsed();
            }
            assert!(
                started.elapsed() < limit,
                "som serve still running {limit:?} after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn heavy_request(scenario: &str) -> Vec<u8> {
    format!(
        "POST /v1/sensitivity HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{scenario}",
        scenario.len()
    )
    .into_bytes()
}

/// CPU the server uses over one second, sampled `after` from now.
fn cpu_over_a_second(server: &Server, after: Duration) -> f64 {
    std::thread::sleep(after);
    let before = server.cpu_seconds();
    std::thread::sleep(Duration::from_secs(1));
    server.cpu_seconds() - before
}

#[test]
fn a_timed_out_calculation_stops_and_frees_the_cpu() {
    let server = Server::start(&["--timeout", "1"]);
    let started = Instant::now();
    let (status, body) = server.request("POST", "/v1/sensitivity", &heavy_scenario());
    assert!(status.starts_with("HTTP/1.1 503"), "{status}");
    assert!(body.contains("\"code\":\"timeout\""), "{body}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Within a second of the 503 the calculation has stopped: the next
    // second costs (almost) no CPU. Without the stop it would be ~1 s a core.
    let used = cpu_over_a_second(&server, Duration::from_secs(1));
    assert!(used < 0.3, "the server used {used} s of CPU after the 503");
    // And the service still answers.
    let (status, _) = server.request("GET", "/health", "");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
}

#[test]
fn a_client_that_leaves_stops_its_calculation_and_the_cap_answers_busy() {
    let server = Server::start(&["--max-calculations", "1", "--timeout", "60"]);
    let mut heavy = server.connect();
    heavy.write_all(&heavy_request(&heavy_scenario())).unwrap();
    // Wait until the heavy calculation runs (the server burns CPU): a probe
    // sent before the server has read the heavy request could take the only
    // slot first and turn the heavy request away as busy.
    // The threshold is low because the other tests of this file run heavy
    // calculations at the same time on the same cores: a twentieth of a
    // core already shows that the calculation runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    while cpu_over_a_second(&server, Duration::ZERO) < 0.05 {
        assert!(
            Instant::now() < deadline,
            "the heavy calculation never started"
        );
    }
    let busy = loop {
        let (status, body) = server.request("POST", "/v1/business-case", "{}");
        if status.starts_with("HTTP/1.1 503") {
            break body;
        }
        if Instant::now() > deadline {
            heavy
                .set_read_timeout(Some(Duration::from_secs(1)))
                .unwrap();
            let mut answer = String::new();
            let _ = heavy.read_to_string(&mut answer);
            panic!("the cap never filled: {status}; the heavy request got {answer:.300}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let value: serde_json::Value = serde_json::from_str(&busy).unwrap();
    assert_eq!(value["error"]["code"], "busy", "{busy}");
    // The client goes away: its calculation stops and frees the slot.
    drop(heavy);
    let used = cpu_over_a_second(&server, Duration::from_secs(1));
    assert!(
        used < 0.3,
        "the server used {used} s of CPU after the client left"
    );
    let (status, body) = server.request("POST", "/v1/business-case", "{}");
    assert!(status.starts_with("HTTP/1.1 400"), "{status} {body}");
}

#[test]
fn slow_headers_are_cut_off_and_do_not_hold_shutdown() {
    let mut server = Server::start(&["--header-timeout", "1"]);
    // Fifty clients that start a request and never finish its headers.
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = server.connect();
            s.write_all(b"POST /v1/business-case HTTP/1.1\r\nHost: loc")
                .unwrap();
            s
        })
        .collect();
    // Others are still served meanwhile.
    let (status, _) = server.request("GET", "/health", "");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    // Each slow one is closed after the header timeout (1 s), not held.
    let started = Instant::now();
    for s in &mut slow {
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "slow clients held for {:?}",
        started.elapsed()
    );
    // New slow clients, then SIGTERM: the service stops within seconds.
    let _more: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = server.connect();
            s.write_all(b"GET /health HTTP/1.1\r\n").unwrap();
            s
        })
        .collect();
    server.terminate();
    server.wait_exit(Duration::from_secs(5));
}

#[test]
fn too_many_connections_are_refused_with_busy_and_free_again() {
    let server = Server::start(&["--max-connections", "20", "--header-timeout", "2"]);
    // Twenty idle connections fill the limit.
    let idle: Vec<TcpStream> = (0..20).map(|_| server.connect()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let (status, body) = server.request("GET", "/health", "");
    assert!(status.starts_with("HTTP/1.1 503"), "{status}");
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["error"]["code"], "busy", "{body}");
    // The idle ones are closed after the header timeout; then /health answers.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _) = server.request("GET", "/health", "");
        if status.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "still refused: {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(idle);
}

#[test]
fn shutdown_during_a_heavy_calculation_ends_within_the_grace_period() {
    let mut server = Server::start(&["--timeout", "60", "--shutdown-grace", "1"]);
    let mut heavy = server.connect();
    heavy.write_all(&heavy_request(&heavy_scenario())).unwrap();
    // Let it start computing.
    std::thread::sleep(Duration::from_millis(500));
    server.terminate();
    // Grace (1 s), then the calculation is stopped: well within 5 s.
    server.wait_exit(Duration::from_secs(5));
    let mut response = String::new();
    let _ = heavy.read_to_string(&mut response);
    assert!(
        response.is_empty() || response.starts_with("HTTP/1.1 503"),
        "{response}"
    );
}

#[test]
fn hostile_numbers_and_repeated_keys_in_a_body_are_answered_at_once() {
    let server = Server::start(&[]);
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/hostile-inputs/zero-with-huge-exponents.json"
    ))
    .unwrap();
    // 100 numbers of 13 bytes that each cost a CPU-second before.
    let started = Instant::now();
    let (status, body) = server.request("POST", "/v1/business-case", &base);
    assert!(status.starts_with("HTTP/1.1 200"), "{status} {body:.300}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let repeated = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/hostile-inputs/duplicate-success-rate.json"
    ))
    .unwrap();
    let (status, body) = server.request("POST", "/v1/business-case", &repeated);
    assert!(status.starts_with("HTTP/1.1 400"), "{status}");
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["error"]["code"], "invalid_scenario");
    assert_eq!(
        value["error"]["problems"][0]["path"],
        "$.effect.success_rate"
    );
    assert_eq!(value["error"]["problems"][0]["file"], "<input>");
}

/// `bytes` on a fresh connection; the whole answer (what arrived before the
/// server closed, whether or not all of `bytes` could be sent).
fn raw(server: &Server, bytes: &[u8]) -> String {
    let mut stream = server.connect();
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn requests_hyper_cannot_parse_are_answered_with_json_errors() {
    // hyper answered these itself, with an empty body. The header is ten
    // times hyper's buffer (about 400 KB), so it is too large however
    // the reads fall.
    let server = Server::start(&[]);
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n\r\n",
        "a".repeat(4_000_000)
    );
    let cases: [(&[u8], &str, &str); 4] = [
        (b"GARBAGE\r\n\r\n", "400", "invalid_request"),
        (
            b"POST /v1/business-case HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            "400",
            "invalid_request",
        ),
        (long_path.as_bytes(), "414", "uri_too_long"),
        (long_header.as_bytes(), "431", "headers_too_large"),
    ];
    let documented: Vec<&str> = som::api::ERROR_CODES.iter().map(|(c, _)| *c).collect();
    for (request, status, code) in cases {
        let answer = raw(&server, request);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{code}: {answer:.300}"
        );
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("content-type: application/json"), "{head}");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(length, body.len(), "{answer}");
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["error"]["code"], code, "{body}");
        assert!(documented.contains(&code));
    }
    // The service goes on answering.
    let (status, _) = server.request("GET", "/health", "");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
}

#[test]
fn an_analysis_that_overflows_names_the_file_and_path_of_the_scenario() {
    let server = Server::start(&[
        "--kb",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kb"),
    ]);
    let scenario = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/hostile-inputs/sensitivity-overflow.json"
    ))
    .unwrap();
    let (status, body) = server.request("POST", "/v1/sensitivity", &scenario);
    assert!(status.starts_with("HTTP/1.1 422"), "{status} {body}");
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["error"]["code"], "analysis_failed", "{body}");
    let problem = &value["error"]["problems"][0];
    assert_eq!(problem["file"], "<input>", "{body}");
    assert_eq!(problem["path"], "$", "{body}");
    assert!(
        problem["found"].as_str().unwrap().contains("overflow"),
        "{body}"
    );
}
