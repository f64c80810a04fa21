//! `som serve` as a client sees it: the real binary on an ephemeral loopback
//! port, called with a real HTTP client. Only 127.0.0.1 is ever contacted.
#![cfg(feature = "serve")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A running `som serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start() -> Server {
        Server::start_with(&["serve"])
    }

    /// Starts `som ARGS... --addr 127.0.0.1:0`; ARGS include `serve`.
    fn start_with(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_som"))
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("som serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("som serve prints its address");
        let base = line
            .trim()
            .strip_prefix("som serve: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn example() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/housing-first.json"
    ))
    .unwrap()
}

/// Status and body of a request.
fn get(agent: &ureq::Agent, url: &str) -> (u16, String) {
    let mut response = agent.get(url).call().expect("GET answered");
    (
        response.status().as_u16(),
        response.body_mut().read_to_string().unwrap(),
    )
}

fn post(agent: &ureq::Agent, url: &str, body: &str) -> (u16, String) {
    let mut response = agent
        .post(url)
        .header("content-type", "application/json")
        .send(body)
        .expect("POST answered");
    (
        response.status().as_u16(),
        response.body_mut().read_to_string().unwrap(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn health_reports_the_version_and_knowledge_base() {
    let server = Server::start();
    let (status, body) = get(&agent(), &server.url("/health"));
    assert_eq!(status, 200);
    let body = json(&body);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], som::VERSION);
    assert_eq!(
        body["knowledge_base"]["hash"],
        som::KnowledgeBase::embedded().hash()
    );
}

#[test]
fn a_knowledge_base_directory_can_be_served() {
    let server = Server::start_with(&["--kb", "knowledge-base", "serve"]);
    let (status, body) = get(&agent(), &server.url("/health"));
    assert_eq!(status, 200);
    assert_eq!(
        json(&body)["knowledge_base"]["hash"],
        som::KnowledgeBase::embedded().hash()
    );
}

#[test]
fn a_client_that_stalls_mid_body_gets_503_after_the_time_limit() {
    // A one-second limit: the default 30 s would slow the suite down.
    let server = Server::start_with(&["serve", "--timeout", "1"]);
    let addr = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // Promise 100 bytes of body, send one, and wait.
    stream
        .write_all(
            b"POST /v1/business-case HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{",
        )
        .unwrap();
    let started = Instant::now();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(response.contains("\"code\":\"timeout\""), "{response}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_scenario_gives_the_same_business_case_as_the_library() {
    let server = Server::start();
    let (status, body) = post(&agent(), &server.url("/v1/business-case"), &example());
    assert_eq!(status, 200, "{body}");
    let expected = som::api::evaluate_json(&example(), som::KnowledgeBase::embedded()).unwrap();
    assert_eq!(body, expected);
}

#[test]
fn the_summary_route_gives_the_figures_without_the_years() {
    let server = Server::start();
    let agent = agent();
    let (status, body) = post(&agent, &server.url("/v1/business-case/summary"), &example());
    assert_eq!(status, 200, "{body}");
    let kb = som::KnowledgeBase::embedded();
    assert_eq!(
        body,
        som::api::evaluate_summary_json(&example(), kb).unwrap()
    );
    let full = json(&som::api::evaluate_json(&example(), kb).unwrap());
    let figures = json(&body);
    assert_eq!(figures["summary"], full["summary"]);
    assert!(figures.get("years").is_none());

    let bad = example().replace("\"completion_rate\": 0.9", "\"completion_rate\": 1.7");
    let (status, body) = post(&agent, &server.url("/v1/business-case/summary"), &bad);
    assert_eq!(status, 400);
    assert_eq!(
        json(&body)["error"]["problems"][0]["path"],
        "$.completion_rate"
    );
}

#[test]
fn an_invalid_scenario_is_400_with_the_json_path() {
    let server = Server::start();
    let agent = agent();
    let bad = example().replace("\"completion_rate\": 0.9", "\"completion_rate\": 1.7");
    let (status, body) = post(&agent, &server.url("/v1/business-case"), &bad);
    assert_eq!(status, 400);
    let body = json(&body);
    assert_eq!(body["error"]["code"], "invalid_scenario");
    assert_eq!(body["error"]["problems"][0]["path"], "$.completion_rate");

    let (status, body) = post(&agent, &server.url("/v1/business-case"), "{\"name\": ");
    assert_eq!(status, 400);
    assert_eq!(json(&body)["error"]["code"], "invalid_scenario");
}

#[test]
fn sensitivity_is_served_like_the_library_computes_it() {
    let server = Server::start();
    let agent = agent();
    let (status, body) = post(&agent, &server.url("/v1/sensitivity"), &example());
    assert_eq!(status, 200, "{body}");
    let expected = som::api::sensitivity_json(&example(), som::KnowledgeBase::embedded()).unwrap();
    assert_eq!(body, expected);
    let value = json(&body);
    assert!(
        value["bars"][0]["input"]
            .as_str()
            .unwrap()
            .contains("grade 4")
    );

    let bad = example().replace("\"completion_rate\": 0.9", "\"completion_rate\": 1.7");
    let (status, body) = post(&agent, &server.url("/v1/sensitivity"), &bad);
    assert_eq!(status, 400);
    assert_eq!(
        json(&body)["error"]["problems"][0]["path"],
        "$.completion_rate"
    );
}

/// A body sent without a declared length (chunked) is cut off as it arrives.
#[test]
fn an_oversized_chunked_body_is_413() {
    let server = Server::start();
    let body = " ".repeat(som::serve::DEFAULT_BODY_LIMIT + 1024);
    let mut reader = body.as_bytes();
    let mut response = agent()
        .post(server.url("/v1/business-case"))
        .header("content-type", "application/json")
        .send(ureq::SendBody::from_reader(&mut reader))
        .expect("POST answered");
    assert_eq!(response.status().as_u16(), 413);
    let body = response.body_mut().read_to_string().unwrap();
    assert_eq!(json(&body)["error"]["code"], "payload_too_large");
}

#[test]
fn a_declared_oversized_body_is_413_before_it_is_sent() {
    let server = Server::start();
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
        .write_all(b"POST /v1/business-case HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000\r\n\r\n{")
        .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(
        response.contains("\"code\":\"payload_too_large\""),
        "{response}"
    );
}

#[test]
fn the_knowledge_base_can_be_listed_and_shown() {
    let server = Server::start();
    let agent = agent();
    let (status, body) = get(&agent, &server.url("/v1/knowledge-base"));
    assert_eq!(status, 200);
    assert_eq!(
        json(&body),
        som::api::kb_list_json(som::KnowledgeBase::embedded())
    );

    let (status, body) = get(&agent, &server.url("/v1/knowledge-base/homeless-adults"));
    assert_eq!(status, 200);
    assert_eq!(
        body,
        som::knowledge_base::show(som::KnowledgeBase::embedded(), "homeless-adults").unwrap()
    );

    let (status, body) = get(&agent, &server.url("/v1/knowledge-base/homeles-adults"));
    assert_eq!(status, 404);
    assert_eq!(
        json(&body)["error"]["problems"][0]["did_you_mean"],
        "homeless-adults"
    );
}

#[test]
fn unknown_routes_and_methods_are_json_errors() {
    let server = Server::start();
    let agent = agent();
    let (status, body) = get(&agent, &server.url("/v2/nothing"));
    assert_eq!(status, 404);
    assert_eq!(json(&body)["error"]["code"], "not_found");
    let (status, body) = get(&agent, &server.url("/v1/business-case"));
    assert_eq!(status, 405);
    assert_eq!(json(&body)["error"]["code"], "method_not_allowed");
}

/// 8 clients post the example for 2 seconds (at most 2,000 requests each);
/// every request must get the full, correct business case.
#[test]
fn concurrent_clients_lose_no_request() {
    const CLIENTS: usize = 8;
    const DURATION: Duration = Duration::from_secs(2);
    const MAX_PER_CLIENT: u64 = 2_000;

    let server = Server::start();
    let url = server.url("/v1/business-case");
    let scenario = Arc::new(example());
    let expected =
        Arc::new(som::api::evaluate_json(&scenario, som::KnowledgeBase::embedded()).unwrap());
    let sent = Arc::new(AtomicU64::new(0));
    let correct = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::new()));

    let start = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (url, scenario, expected) =
                (url.clone(), Arc::clone(&scenario), Arc::clone(&expected));
            let (sent, correct, failures) = (
                Arc::clone(&sent),
                Arc::clone(&correct),
                Arc::clone(&failures),
            );
            std::thread::spawn(move || {
                let agent = agent();
                for _ in 0..MAX_PER_CLIENT {
                    if start.elapsed() >= DURATION {
                        break;
                    }
                    sent.fetch_add(1, Ordering::Relaxed);
                    let outcome = agent
                        .post(&url)
                        .header("content-type", "application/json")
                        .send(scenario.as_str())
                        .and_then(|mut r| {
                            Ok((r.status().as_u16(), r.body_mut().read_to_string()?))
                        });
                    match outcome {
                        Ok((200, body)) if body == *expected => {
                            correct.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((status, body)) => failures
                            .lock()
                            .unwrap()
                            .push(format!("{status}: {body:.200}")),
                        Err(e) => failures.lock().unwrap().push(e.to_string()),
                    }
                }
            })
        })
        .collect();
    for client in clients {
        client.join().expect("client thread");
    }
    let elapsed = start.elapsed();
    let (sent, correct) = (
        sent.load(Ordering::Relaxed),
        correct.load(Ordering::Relaxed),
    );
    println!(
        "som serve load test: {CLIENTS} clients, {sent} requests in {:.2} s, {:.0} requests/s, {correct} correct",
        elapsed.as_secs_f64(),
        correct as f64 / elapsed.as_secs_f64()
    );
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed, e.g. {}",
        failures.len(),
        failures[0]
    );
    assert_eq!(correct, sent, "requests were lost");
    assert!(correct > 0, "no request completed");
}

#[cfg(unix)]
#[test]
fn sigterm_and_ctrl_c_stop_the_service_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let mut server = Server::start();
        let (status, _) = get(&agent(), &server.url("/health"));
        assert_eq!(status, 200);
        let killed = Command::new("kill")
            .args([signal, &server.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let exit = loop {
            if let Some(exit) = server.child.try_wait().unwrap() {
                break exit;
            }
            assert!(Instant::now() < deadline, "som serve ignored {signal}");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(exit.success(), "{signal}: {exit:?}");
    }
}
