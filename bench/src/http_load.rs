//! A bounded HTTP/1.1 load loop: `connections` keep-alive connections to a
//! server on the loopback interface, each in its own thread, sending GETs
//! one after the other until the fixed number of requests is done.
//!
//! A hand-written client on `std::net` keeps the dependency list short and
//! the client's own cost small and visible: it parses only the status line,
//! `Content-Length` and chunked bodies, which is all axum/hyper send.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use crate::latency::Summary;

/// What a load run measured.
#[derive(Debug, Clone)]
pub struct LoadRun {
    /// Requests completed (all answered 200).
    pub requests: usize,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Response body bytes received.
    pub body_bytes: u64,
    /// Latency of single requests as the client saw them.
    pub latency: Summary,
}

impl LoadRun {
    /// Requests per second.
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// Sends `requests` GETs of `paths` (round-robin) to `addr` over
/// `connections` keep-alive connections. Fails on the first answer that is
/// not 200 or on any I/O error.
pub fn run(
    addr: SocketAddr,
    paths: &[String],
    requests: usize,
    connections: usize,
) -> io::Result<LoadRun> {
    if paths.is_empty() || connections == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no paths or no connections",
        ));
    }
    let start = Instant::now();
    let results: Vec<io::Result<(u64, Vec<Duration>)>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|c| {
                // Connection c sends requests c, c + connections, ...
                let share: Vec<&str> = (c..requests)
                    .step_by(connections)
                    .map(|i| paths[i % paths.len()].as_str())
                    .collect();
                scope.spawn(move || connection(addr, &share))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(io::Error::other("client thread panicked")))
            })
            .collect()
    });
    let elapsed = start.elapsed();
    let mut body_bytes = 0;
    let mut latencies = Vec::with_capacity(requests);
    for r in results {
        let (bytes, lat) = r?;
        body_bytes += bytes;
        latencies.extend(lat);
    }
    let latency = Summary::of(&mut latencies)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no requests"))?;
    Ok(LoadRun {
        requests: latency.count,
        elapsed,
        body_bytes,
        latency,
    })
}

fn connection(addr: SocketAddr, paths: &[&str]) -> io::Result<(u64, Vec<Duration>)> {
    let stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut body = Vec::new();
    let mut bytes = 0u64;
    let mut latencies = Vec::with_capacity(paths.len());
    for path in paths {
        let start = Instant::now();
        write!(
            writer,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n"
        )?;
        writer.flush()?;
        let status = read_response(&mut reader, &mut body)?;
        latencies.push(start.elapsed());
        if status != 200 {
            return Err(io::Error::other(format!("GET {path}: status {status}")));
        }
        bytes += body.len() as u64;
    }
    Ok((bytes, latencies))
}

/// Reads one response into `body`; returns its status.
pub(crate) fn read_response(reader: &mut impl BufRead, body: &mut Vec<u8>) -> io::Result<u16> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bad status line {line:?}"),
            )
        })?;
    let mut length = None;
    let mut chunked = false;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            }
        }
    }
    body.clear();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let at = body.len();
            body.resize(at + size, 0);
            reader.read_exact(&mut body[at..])?;
            line.clear();
            reader.read_line(&mut line)?; // CRLF after the chunk (or the trailer's end)
            if size == 0 {
                break;
            }
        }
    } else {
        let length = length
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "response without length"))?;
        body.resize(length, 0);
        reader.read_exact(body)?;
    }
    Ok(status)
}
