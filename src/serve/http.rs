//! Part of `serve`: the HTTP side. One request per connection (every
//! answer says `Connection: close` and closes), a request line of at most
//! [`MAX_REQUEST_LINE`] bytes (414) and a head of at most [`MAX_HEAD`]
//! (431), both refused before more is read; a redirect only to a path of
//! this site; a file of `static/` served only when its real path (links
//! resolved at the time of the request) is inside the site folder. A page
//! is asked of the builder (`super::live`) while a site is live, else
//! taken from the last good whole site; every HTML page gets the reload
//! script and, while the content has errors, the error banner.

use super::{Answer, Msg, Shared, Site};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// The preview's own addresses, beside the site's pages.
const EVENTS_PATH: &str = "/__tiendo/events";
const SCRIPT_PATH: &str = "/__tiendo/reload.js";

/// How often an idle event stream sends a comment, to notice closed tabs.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The longest request line answered (a browser's URL limit is about as
/// long); a longer one gets 414 without the rest being read.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;

/// The longest request head (request line and headers) answered; a longer
/// one gets 431 without the rest being read.
pub const MAX_HEAD: usize = 32 * 1024;

/// How long a connection may take to send its request.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// At most this much of a refused request is read after the answer.
const DRAINED: u64 = 1024 * 1024;

/// A request as far as the preview needs it.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    /// As sent: `/path?query`.
    target: String,
}

/// Reads one request head from `input`: the request line and the headers,
/// up to the blank line. Never holds more than [`MAX_HEAD`] bytes: a longer
/// request line is refused with 414, a longer head with 431, anything
/// malformed with 400.
fn read_request(input: &mut impl Read) -> Result<Request, u16> {
    let mut head: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let line_end = loop {
        if let Some(end) = find(&head, b"\r\n\r\n") {
            break end;
        }
        let line_done = find(&head, b"\r\n").or_else(|| find(&head, b"\n"));
        if line_done.is_none_or(|i| i > MAX_REQUEST_LINE) && head.len() > MAX_REQUEST_LINE {
            return Err(414);
        }
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        // HTTP/1.0 clients of old may end lines with a bare LF.
        if let Some(end) = find(&head, b"\n\n") {
            break end;
        }
        let n = input.read(&mut chunk).map_err(|_| 400u16)?;
        if n == 0 {
            return Err(400);
        }
        head.extend_from_slice(&chunk[..n]);
    };
    let text = std::str::from_utf8(&head[..line_end]).map_err(|_| 400u16)?;
    let first = text.lines().next().unwrap_or("");
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(400);
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// One connection: one request, one answer, closed.
pub(super) fn connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(REQUEST_TIMEOUT));
    let _ = stream.set_write_timeout(Some(REQUEST_TIMEOUT));
    match read_request(&mut stream) {
        Ok(request) => respond(stream, &request, shared),
        Err(status) => {
            // What the client is still sending is read (a little of it,
            // briefly) and dropped, so that closing does not reset the
            // connection before the client has read the answer.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let reader = stream.try_clone();
            send(stream, false, status, &[], b"");
            if let Ok(reader) = reader {
                let _ = std::io::copy(&mut reader.take(DRAINED), &mut std::io::sink());
            }
        }
    }
}

/// Writes a whole response and closes the connection: one request per
/// connection, so that a connection left open by a browser never holds a
/// thread, and `Connection: close` is honoured by construction.
pub(super) fn send(
    mut out: TcpStream,
    head_only: bool,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        // Values come from this file, or a request path read as one line.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let _ = out
        .write_all(head.as_bytes())
        .and_then(|()| {
            if head_only {
                Ok(())
            } else {
                out.write_all(body)
            }
        })
        .and_then(|()| out.flush());
    let _ = out.shutdown(std::net::Shutdown::Write);
}

/// Where `/nhiem-vu` (a folder asked for without its slash) is redirected:
/// a path of this site, never `//host/...` (which a browser takes for
/// another host) nor `/\host`.
fn folder_location(raw: &str) -> String {
    format!("/{}/", raw.trim_start_matches(['/', '\\']))
}

/// The file of `static/` at `source`, read only when its real path (links
/// resolved now, not at build time) is inside the site folder `root`.
fn read_static(source: &Path, root: &Path) -> Option<Vec<u8>> {
    let real = std::fs::canonicalize(source).ok()?;
    if !real.starts_with(root) {
        return None;
    }
    std::fs::read(real).ok()
}

/// How many times a request is asked again when the site changed while
/// its file was being made.
const RETRIES: usize = 8;

fn respond(stream: TcpStream, request: &Request, shared: &Shared) {
    let head_only = request.method == "HEAD";
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        send(stream, false, 405, &[("Allow", "GET, HEAD")], b"");
        return;
    }
    let raw = request
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let path = percent_decode(&raw);
    if path == EVENTS_PATH {
        events(stream, shared);
        return;
    }
    if path == SCRIPT_PATH {
        send(
            stream,
            head_only,
            200,
            &[("Content-Type", "text/javascript; charset=utf-8")],
            RELOAD_JS.as_bytes(),
        );
        return;
    }
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let mut answer = Answer::NotLive;
    for _ in 0..RETRIES {
        answer = ask(shared, &rel);
        if !matches!(answer, Answer::Retry) {
            break;
        }
    }
    let (status, bytes, made_errors) = match answer {
        Answer::File(bytes, errors) => (200, Some(bytes), errors),
        Answer::Redirect => {
            let location = folder_location(&raw);
            send(stream, head_only, 301, &[("Location", &location)], b"");
            return;
        }
        Answer::Static(source) => match read_static(&source, &shared.root) {
            Some(b) => (200, Some(Arc::new(b)), Vec::new()),
            None => (404, not_found(shared), Vec::new()),
        },
        Answer::NotFound => (404, not_found(shared), Vec::new()),
        Answer::NotLive | Answer::Retry => {
            from_good(stream, head_only, &raw, &rel, shared);
            return;
        }
    };
    let name = if status == 404 { "404.html" } else { &rel };
    let (generation, mut errors) = {
        let state = shared.lock();
        (state.generation, state.errors.clone())
    };
    errors.extend(made_errors);
    let bytes = bytes.map_or_else(|| b"404".to_vec(), |b| b.to_vec());
    let kind = content_type(name);
    let body = if kind.starts_with("text/html") {
        inject(&bytes, generation, &errors, shared.lang)
    } else {
        bytes
    };
    send(stream, head_only, status, &[("Content-Type", kind)], &body);
}

/// The builder's answer for the file at `rel`; [`Answer::NotLive`] when no
/// site is live (the last good whole site answers) or the builder is gone.
fn ask(shared: &Shared, rel: &str) -> Answer {
    if !shared.lock().live {
        return Answer::NotLive;
    }
    let (tx, rx) = mpsc::channel();
    let to_builder = shared
        .to_builder
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if to_builder.send(Msg::Want(rel.to_string(), tx)).is_err() {
        return Answer::NotLive;
    }
    rx.recv().unwrap_or(Answer::NotLive)
}

/// The live site's 404 page.
fn not_found(shared: &Shared) -> Option<Arc<Vec<u8>>> {
    match ask(shared, "404.html") {
        Answer::File(bytes, _) => Some(bytes),
        _ => None,
    }
}

/// The answer from the last good whole site, while none is live (the
/// first build failed, or the whole site's checks found errors).
fn from_good(stream: TcpStream, head_only: bool, raw: &str, rel: &str, shared: &Shared) {
    let (site, generation, errors) = {
        let state = shared.lock();
        (state.good.clone(), state.generation, state.errors.clone())
    };
    let Some(site) = site else {
        let page = no_build_page(shared.lang);
        let body = inject(page.as_bytes(), generation, &errors, shared.lang);
        send(
            stream,
            head_only,
            500,
            &[("Content-Type", "text/html; charset=utf-8")],
            &body,
        );
        return;
    };
    let (status, name, bytes) = match good_file(&site, rel, shared) {
        Some(Ok(bytes)) => (200, rel, Some(bytes)),
        Some(Err(())) => {
            let location = folder_location(raw);
            send(stream, head_only, 301, &[("Location", &location)], b"");
            return;
        }
        None => (
            404,
            "404.html",
            site.files.get("404.html").map(|b| b.to_vec()),
        ),
    };
    let bytes = bytes.unwrap_or_else(|| b"404".to_vec());
    let kind = content_type(name);
    let body = if kind.starts_with("text/html") {
        inject(&bytes, generation, &errors, shared.lang)
    } else {
        bytes
    };
    send(stream, head_only, status, &[("Content-Type", kind)], &body);
}

/// A file of a whole site: its bytes, `Err` for a folder asked for without
/// its slash, `None` when there is none.
fn good_file(site: &Site, rel: &str, shared: &Shared) -> Option<Result<Vec<u8>, ()>> {
    if let Some(b) = site.files.get(rel) {
        return Some(Ok(b.to_vec()));
    }
    if site.files.contains_key(&format!("{rel}/index.html")) {
        return Some(Err(()));
    }
    let source = site.statics.get(rel)?;
    read_static(source, &shared.root).map(Ok)
}

/// The event stream: the current generation at once, then every new one.
/// The page's script reloads when the number differs from its own.
fn events(mut out: TcpStream, shared: &Shared) {
    // The stream stays open for as long as the page: no write timeout
    // beyond the keep-alive's.
    let _ = out.set_write_timeout(Some(KEEP_ALIVE));
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 300\n\n";
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut sent = None;
    loop {
        let generation = {
            let state = shared.lock();
            let (state, _) = shared
                .changed
                .wait_timeout_while(state, KEEP_ALIVE, |s| Some(s.generation) == sent)
                .unwrap_or_else(|e| e.into_inner());
            state.generation
        };
        let message = if Some(generation) == sent {
            ": keep-alive\n\n".to_string()
        } else {
            sent = Some(generation);
            format!("data: {generation}\n\n")
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Reloads the page when the server's generation moves past the page's.
const RELOAD_JS: &str = r#"(function () {
  var script = document.currentScript;
  var mine = script && script.getAttribute('data-generation');
  if (!window.EventSource || !mine) { return; }
  var source = new EventSource('/__tiendo/events');
  source.onmessage = function (e) {
    if (e.data !== mine) { source.close(); window.location.reload(); }
  };
})();
"#;

/// The page shown while no build has succeeded yet.
fn no_build_page(lang: crate::diag::Lang) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>tiendo serve</title></head><body>\n<p>{text}</p>\n</body></html>\n",
        code = lang.code(),
        text = crate::render::escape::escape(&crate::msg!("serve.nothing_built").render(lang)),
    )
}

/// The preview's additions to an HTML page: the errors of the latest build
/// right after `<body>`, and the reload script before `</body>`.
fn inject(page: &[u8], generation: u64, errors: &[String], lang: crate::diag::Lang) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(page) else {
        return page.to_vec();
    };
    let mut out = String::with_capacity(text.len() + 1024);
    let body_start = text
        .find("<body")
        .and_then(|i| text[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    out.push_str(&text[..body_start]);
    if !errors.is_empty() {
        out.push_str(&banner(errors, lang));
    }
    let rest = &text[body_start..];
    let script =
        format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>\n");
    match rest.rfind("</body>") {
        Some(i) => {
            out.push_str(&rest[..i]);
            out.push_str(&script);
            out.push_str(&rest[i..]);
        }
        None => {
            out.push_str(rest);
            out.push_str(&script);
        }
    }
    out.into_bytes()
}

fn banner(errors: &[String], lang: crate::diag::Lang) -> String {
    let items: String = errors
        .iter()
        .map(|e| format!("<li><code>{}</code></li>", crate::render::escape::escape(e)))
        .collect();
    let count = errors.len();
    let said = crate::msg!("serve.banner", count).render(lang);
    format!(
        "<div id=\"tiendo-preview-errors\" role=\"alert\" lang=\"{code}\" style=\"background:#fff1f0;color:#7a0000;border:3px solid #b00020;padding:0.75rem 1rem;margin:0;font:1rem/1.4 system-ui,sans-serif;overflow-wrap:anywhere\">\
<p style=\"margin:0 0 0.5rem;font-weight:bold\">{said}</p>\
<ul style=\"margin:0;padding-left:1.25rem\">{items}</ul></div>\n",
        code = lang.code(),
        said = crate::render::escape::escape(&said),
    )
}

fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded as UTF-8; anything malformed is kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/tin-t%E1%BB%A9c/"), "/tin-tức/");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("/a%zz"), "/a%zz");
    }

    #[test]
    fn injects_errors_after_body_and_script_before_its_end() {
        let page = b"<html><body class=\"x\"><main>hi</main></body></html>";
        let out = String::from_utf8(inject(
            page,
            7,
            &["content/a.yaml:3:5: error: <bad>".into()],
            crate::diag::Lang::Vi,
        ))
        .unwrap();
        let banner_at = out.find("tiendo-preview-errors").unwrap();
        assert!(out.find("<body class=\"x\">").unwrap() < banner_at);
        assert!(banner_at < out.find("<main>").unwrap());
        assert!(out.contains("content/a.yaml:3:5: error: &lt;bad&gt;"));
        let script_at = out.find("data-generation=\"7\"").unwrap();
        assert!(
            out.find("</main>").unwrap() < script_at && script_at < out.find("</body>").unwrap()
        );
        assert!(out.contains("Nội dung có 1 lỗi"), "{out}");
        let clean = String::from_utf8(inject(page, 1, &[], crate::diag::Lang::En)).unwrap();
        assert!(!clean.contains("tiendo-preview-errors"));
    }
}
