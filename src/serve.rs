//! `tiendo serve`, the editors' preview: load -> model -> status -> render
//! in memory ([`crate::preview`], no output stage), served over HTTP.
//!
//! Input: the site folder, an address and a callback for what the terminal
//! should say. Output: HTTP responses, and [`ServeEvent`]s for the binary to
//! print; it never writes a file. It watches `content/`, the site's
//! overrides (`templates/`, `theme-static/`, `i18n/`) and `themes/`,
//! rebuilds on change and tells every open page to reload through a
//! server-sent-events stream. A build with errors keeps the last good one
//! in service, with the errors shown at the top of every page.
//!
//! The HTTP side is a few lines of its own rather than a library's, so that
//! its limits are ours: one request per connection (every answer says
//! `Connection: close` and closes), a request line of at most
//! [`MAX_REQUEST_LINE`] bytes (414) and a head of at most [`MAX_HEAD`]
//! (431), both refused before more is read; a redirect only to a path of
//! this site; a file of `static/` served only when its real path (links
//! resolved at the time of the request) is inside the site folder.

use crate::{Failure, Options};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::{BTreeMap, HashMap};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

/// The preview's own addresses, beside the site's pages.
const EVENTS_PATH: &str = "/__tiendo/events";
const SCRIPT_PATH: &str = "/__tiendo/reload.js";

/// The folders of a site that the preview watches, relative to its root.
pub const WATCHED: [&str; 5] = ["content", "templates", "theme-static", "i18n", "themes"];

/// How long the file system must stay quiet before a rebuild: an editor's
/// save is often several writes.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// How often an idle event stream sends a comment, to notice closed tabs.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The longest request line answered (a browser's URL limit is about as
/// long); a longer one gets 414 without the rest being read.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;

/// The longest request head (request line and headers) answered; a longer
/// one gets 431 without the rest being read.
pub const MAX_HEAD: usize = 32 * 1024;

/// How long a connection may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// At most this much of a refused request is read after the answer.
const DRAINED: u64 = 1024 * 1024;

/// Connections served at once (each open page holds one for its event
/// stream, and a connection that sends nothing holds one for
/// [`REQUEST_TIMEOUT`]); more are answered 503 at once. High enough that a
/// flood of idle connections does not lock the editor out, low enough to
/// bound the threads.
const MAX_CONNECTIONS: usize = 4096;

/// What happened, for the terminal.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// The server is listening at this base URL.
    Listening(&'a str),
    /// A build succeeded (the first or after a change).
    Built {
        pages: usize,
        elapsed: Duration,
        warnings: usize,
    },
    /// A build failed; the last good build stays in service.
    Failed {
        errors: &'a [String],
        serving_last_good: bool,
    },
}

/// The last good site and the errors of the latest build.
#[derive(Default)]
struct State {
    /// Bumped by every build, good or not: pages reload when it changes.
    generation: u64,
    good: Option<Arc<Site>>,
    /// Errors of the latest build, `file:line:column: error: message`.
    errors: Vec<String>,
}

struct Site {
    /// Shared with the next build's site where a page is kept unchanged.
    files: BTreeMap<String, Arc<Vec<u8>>>,
    /// URL path (no leading slash) -> file on disk, read when asked for.
    statics: HashMap<String, PathBuf>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// The site folder, its real path: no file outside it is served.
    root: PathBuf,
    /// The language of the preview's own words (its error banner).
    lang: crate::diag::Lang,
    /// The last build's share images by key: a save redraws only the
    /// images whose card changed.
    images: crate::render::share::Memo,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked cannot leave the state half-written: every
        // write replaces whole fields.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Binds `addr`; port 0 takes a free port. A busy port is a usage error that
/// says what to do.
pub fn bind(addr: SocketAddr) -> Result<TcpListener, Failure> {
    TcpListener::bind(addr).map_err(|e| {
        Failure::Usage(if e.kind() == ErrorKind::AddrInUse {
            crate::msg!("serve.port_busy", port = addr.port(), ip = addr.ip())
        } else {
            crate::msg!("serve.cannot_listen", addr, error = e)
        })
    })
}

/// Builds, serves and watches until the process is stopped. `opts.base_url`
/// is replaced by the server's own address.
pub fn serve(
    mut opts: Options,
    listener: TcpListener,
    on_event: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> Result<(), Failure> {
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Usage(crate::msg!("serve.no_address", error = e)))?;
    let url = format!("http://{addr}/");
    opts.base_url = Some(crate::route::BaseUrl::parse_absolute(&url).map_err(Failure::Io)?);
    opts.root = opts.root.canonicalize().map_err(|e| {
        let path = opts.root.display();
        Failure::Usage(crate::msg!("serve.cannot_open", path, error = e))
    })?;
    if !opts.root.join("content").is_dir() {
        let path = opts.root.display();
        return Err(Failure::Usage(crate::msg!("serve.no_content", path)));
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
        root: opts.root.clone(),
        lang: opts.lang.unwrap_or_default(),
        images: Default::default(),
    });
    let on_event = Arc::new(on_event);
    // The last good build's cache: the next build parses only the files
    // that changed and renders only the pages whose inputs changed.
    let mut cache: Option<crate::cache::Cache> = None;
    rebuild(&opts, &shared, on_event.as_ref(), &mut cache);

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| {
        let path = opts.root.display();
        Failure::Usage(crate::msg!("serve.cannot_watch", path, error = e))
    })?;
    // The root itself, not recursively, so that a folder created later
    // (say templates/) is noticed and watched.
    debouncer
        .watch(&opts.root, RecursiveMode::NonRecursive)
        .map_err(|e| {
            let path = opts.root.display();
            Failure::Usage(crate::msg!("serve.cannot_watch", path, error = e))
        })?;
    let mut watching: Vec<PathBuf> = Vec::new();
    let mut watch_new = |debouncer: &mut notify_debouncer_full::Debouncer<_, _>| {
        for dir in WATCHED.iter().map(|d| opts.root.join(d)) {
            if dir.is_dir() && !watching.contains(&dir) {
                // A folder that cannot be watched is still built; it just
                // needs a manual refresh.
                if debouncer.watch(&dir, RecursiveMode::Recursive).is_ok() {
                    watching.push(dir);
                }
            }
        }
    };
    watch_new(&mut debouncer);

    on_event(ServeEvent::Listening(&url));

    let http_shared = Arc::clone(&shared);
    std::thread::spawn(move || accept(&listener, &http_shared));

    let roots: Vec<PathBuf> = WATCHED.iter().map(|d| opts.root.join(d)).collect();
    while let Ok(first) = rx.recv() {
        let mut relevant = touches(&first, &roots);
        // Changes that arrived while building count once.
        while let Ok(more) = rx.try_recv() {
            relevant |= touches(&more, &roots);
        }
        if relevant {
            watch_new(&mut debouncer);
            rebuild(&opts, &shared, on_event.as_ref(), &mut cache);
        }
    }
    Ok(())
}

/// Whether any event is about a file under one of the watched folders (not
/// `output/` or anything else beside them in the root). Watcher errors
/// rebuild too, to be safe.
fn touches(result: &DebounceEventResult, roots: &[PathBuf]) -> bool {
    match result {
        Ok(events) => events.iter().any(|e| {
            !matches!(e.kind, EventKind::Access(_))
                && e.paths
                    .iter()
                    .any(|p| roots.iter().any(|r| p.starts_with(r)))
        }),
        Err(_) => true,
    }
}

/// One build; on success the site is replaced, on failure only the errors.
/// `cache` is the last good build's, replaced by this one's on success.
fn rebuild(
    opts: &Options,
    shared: &Shared,
    on_event: &(dyn Fn(ServeEvent) + Send + Sync),
    cache: &mut Option<crate::cache::Cache>,
) {
    let start = Instant::now();
    let good = shared.lock().good.clone();
    let page = |path: &str| good.as_ref()?.files.get(path).map(|b| b.to_vec());
    let has = |path: &str| good.as_ref().is_some_and(|g| g.files.contains_key(path));
    let last = match (cache.as_ref(), &good) {
        (Some(cache), Some(_)) => Some(crate::LastPreview {
            cache,
            page: &page,
            has: &has,
        }),
        _ => None,
    };
    let result = crate::preview_after(opts, last.as_ref(), &shared.images);
    let elapsed = start.elapsed();
    let mut state = shared.lock();
    state.generation += 1;
    match result {
        Ok(p) => {
            let mut files: BTreeMap<String, Arc<Vec<u8>>> = p
                .site
                .files
                .into_iter()
                .map(|(path, bytes)| (path, Arc::new(bytes)))
                .collect();
            // The pages kept from the last build: its very bytes, shared.
            if let Some(good) = &good {
                for path in &p.site.kept {
                    if !files.contains_key(path)
                        && let Some(bytes) = good.files.get(path)
                    {
                        files.insert(path.clone(), Arc::clone(bytes));
                    }
                }
            }
            *cache = p.cache;
            let pages = files.keys().filter(|k| k.ends_with(".html")).count();
            let statics = p
                .static_files
                .into_iter()
                .map(|f| (f.url_path, f.source))
                .collect();
            state.good = Some(Arc::new(Site { files, statics }));
            state.errors.clear();
            drop(state);
            on_event(ServeEvent::Built {
                pages,
                elapsed,
                warnings: p.diagnostics.len(),
            });
        }
        Err(failure) => {
            let lang = opts.lang.unwrap_or_default();
            let error = crate::msg!("level.error").render(lang);
            state.errors = match failure {
                Failure::Content(diags, lang) => diags.iter().map(|d| d.render(lang)).collect(),
                Failure::Io(text) => vec![format!("{error}: {text}")],
                Failure::Usage(m) => vec![format!("{error}: {}", m.render(lang))],
                Failure::Interrupted(signal) => {
                    let m = crate::msg!("serve.stopped", signal);
                    vec![format!("{error}: {}", m.render(lang))]
                }
            };
            let errors = state.errors.clone();
            let serving_last_good = state.good.is_some();
            drop(state);
            on_event(ServeEvent::Failed {
                errors: &errors,
                serving_last_good,
            });
        }
    }
    shared.changed.notify_all();
}

/// Serves each connection on a thread of its own, at most
/// [`MAX_CONNECTIONS`] at once.
fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            continue;
        };
        let shared = Arc::clone(shared);
        let open = Arc::clone(&open);
        let busy = open.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= MAX_CONNECTIONS;
        let spawned = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                if busy {
                    let _ = stream.set_write_timeout(Some(REQUEST_TIMEOUT));
                    send(stream, false, 503, &[], b"");
                } else {
                    connection(stream, &shared);
                }
                open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread to answer it: the connection is closed unanswered
            // (the counter went with the closure).
            continue;
        }
    }
}

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
fn connection(mut stream: TcpStream, shared: &Shared) {
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
fn send(mut out: TcpStream, head_only: bool, status: u16, headers: &[(&str, &str)], body: &[u8]) {
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
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let not_found = || {
        (
            404,
            "404.html".to_string(),
            site.files.get("404.html").map(|b| b.to_vec()),
        )
    };
    let (status, name, bytes) = if let Some(b) = site.files.get(&rel) {
        (200, rel.clone(), Some(b.to_vec()))
    } else if site.files.contains_key(&format!("{rel}/index.html")) {
        send(
            stream,
            head_only,
            301,
            &[("Location", &folder_location(&raw))],
            b"",
        );
        return;
    } else if let Some(source) = site.statics.get(&rel) {
        match read_static(source, &shared.root) {
            Some(b) => (200, rel.clone(), Some(b)),
            None => not_found(),
        }
    } else {
        not_found()
    };
    let bytes = bytes.unwrap_or_else(|| b"404".to_vec());
    let kind = content_type(&name);
    let body = if kind.starts_with("text/html") {
        inject(&bytes, generation, &errors, shared.lang)
    } else {
        bytes
    };
    send(stream, head_only, status, &[("Content-Type", kind)], &body);
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

    #[test]
    fn only_watched_folders_trigger_a_rebuild() {
        use notify_debouncer_full::DebouncedEvent;
        use notify_debouncer_full::notify::{Event, event::ModifyKind};
        let roots = vec![
            PathBuf::from("/site/content"),
            PathBuf::from("/site/templates"),
        ];
        let event = |p: &str| {
            Ok(vec![DebouncedEvent::new(
                Event::new(EventKind::Modify(ModifyKind::Any)).add_path(PathBuf::from(p)),
                Instant::now(),
            )])
        };
        assert!(touches(&event("/site/content/site.yaml"), &roots));
        assert!(touches(&event("/site/templates/base.html"), &roots));
        assert!(!touches(&event("/site/output/index.html"), &roots));
        assert!(!touches(&event("/site/content-old/x.yaml"), &roots));
    }
}
