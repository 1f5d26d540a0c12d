//! A keep-alive HTTP/1.1 client for JSON requests to the real server, one
//! per load thread: the bench's own, so that the client's cost is small
//! and known (no pool, no TLS, one buffer reused for every response).

use std::io::{self, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::http_load::read_response;

/// A keep-alive HTTP/1.1 connection sending JSON requests.
pub struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
    body: Vec<u8>,
    out: Vec<u8>,
}

impl Client {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(120)))?;
        Ok(Client {
            writer: stream.try_clone()?,
            reader: BufReader::with_capacity(64 * 1024, stream),
            body: Vec::new(),
            out: Vec::with_capacity(16 * 1024),
        })
    }

    /// Sends one request; returns the status and the body.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> io::Result<(u16, &[u8])> {
        let body = body.map(|b| ("application/json", b.as_bytes()));
        self.exchange(method, path, token, headers, body)
    }

    /// Sends one request whose body is `body` of `content_type` (a file);
    /// returns the status and the answer.
    pub fn send_bytes(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: &[u8],
    ) -> io::Result<(u16, &[u8])> {
        self.exchange(method, path, token, &[], Some((content_type, body)))
    }

    fn exchange(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> io::Result<(u16, &[u8])> {
        self.out.clear();
        write!(
            self.out,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        )?;
        if let Some(t) = token {
            write!(self.out, "Authorization: Bearer {t}\r\n")?;
        }
        for (k, v) in headers {
            write!(self.out, "{k}: {v}\r\n")?;
        }
        match body {
            Some((content_type, b)) => {
                write!(
                    self.out,
                    "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                    b.len()
                )?;
                // A small body goes in the same write as the head (one
                // segment); a file goes straight to the socket after it.
                if b.len() <= 64 * 1024 {
                    self.out.extend_from_slice(b);
                    self.writer.write_all(&self.out)?;
                } else {
                    self.writer.write_all(&self.out)?;
                    self.writer.write_all(b)?;
                }
            }
            None => {
                self.out.extend_from_slice(b"\r\n");
                self.writer.write_all(&self.out)?;
            }
        }
        let status = read_response(&mut self.reader, &mut self.body)?;
        Ok((status, &self.body))
    }

    /// Sends a request that must answer `expect`; returns the body read
    /// as JSON into `T` (`serde_json::Value` for all of it). A load loop reads only the
    /// fields it follows, so that building a whole JSON tree of every
    /// answer does not take the server's CPU (the two share the machine).
    pub fn parsed<T: DeserializeOwned>(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&str>,
        expect: u16,
    ) -> io::Result<T> {
        let (status, bytes) = self.send(method, path, token, headers, body)?;
        if status != expect {
            return Err(io::Error::other(format!(
                "{method} {path}: status {status}, expected {expect}: {}",
                String::from_utf8_lossy(bytes)
            )));
        }
        serde_json::from_slice(bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{path}: {e}")))
    }
}
