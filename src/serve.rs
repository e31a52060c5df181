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

use crate::{Failure, Options};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::{BTreeMap, HashMap};
use std::io::{ErrorKind, Write};
use std::net::{SocketAddr, TcpListener};
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
    files: BTreeMap<String, Vec<u8>>,
    /// URL path (no leading slash) -> file on disk, read when asked for.
    statics: HashMap<String, PathBuf>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
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
        .map_err(|e| Failure::Io(format!("cannot read the server's address: {e}")))?;
    let url = format!("http://{addr}/");
    opts.base_url = Some(crate::route::BaseUrl::parse_absolute(&url).map_err(Failure::Io)?);
    opts.root = opts
        .root
        .canonicalize()
        .map_err(|e| Failure::Io(format!("cannot open {}: {e}", opts.root.display())))?;
    if !opts.root.join("content").is_dir() {
        return Err(Failure::Io(format!(
            "{} has no content/ folder; pass the site folder with --root",
            opts.root.display()
        )));
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
    });
    let on_event = Arc::new(on_event);
    rebuild(&opts, &shared, on_event.as_ref());

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| Failure::Io(format!("cannot watch the site's files: {e}")))?;
    // The root itself, not recursively, so that a folder created later
    // (say templates/) is noticed and watched.
    debouncer
        .watch(&opts.root, RecursiveMode::NonRecursive)
        .map_err(|e| Failure::Io(format!("cannot watch {}: {e}", opts.root.display())))?;
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

    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| Failure::Io(format!("cannot serve on {addr}: {e}")))?;
    on_event(ServeEvent::Listening(&url));

    let http_shared = Arc::clone(&shared);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let shared = Arc::clone(&http_shared);
            std::thread::spawn(move || respond(request, &shared));
        }
    });

    let roots: Vec<PathBuf> = WATCHED.iter().map(|d| opts.root.join(d)).collect();
    while let Ok(first) = rx.recv() {
        let mut relevant = touches(&first, &roots);
        // Changes that arrived while building count once.
        while let Ok(more) = rx.try_recv() {
            relevant |= touches(&more, &roots);
        }
        if relevant {
            watch_new(&mut debouncer);
            rebuild(&opts, &shared, on_event.as_ref());
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
fn rebuild(opts: &Options, shared: &Shared, on_event: &(dyn Fn(ServeEvent) + Send + Sync)) {
    let start = Instant::now();
    let result = crate::preview(opts);
    let elapsed = start.elapsed();
    let mut state = shared.lock();
    state.generation += 1;
    match result {
        Ok(p) => {
            let pages = p.site.files.keys().filter(|k| k.ends_with(".html")).count();
            let statics = p
                .static_files
                .into_iter()
                .map(|f| (f.url_path, f.source))
                .collect();
            state.good = Some(Arc::new(Site {
                files: p.site.files,
                statics,
            }));
            state.errors.clear();
            drop(state);
            on_event(ServeEvent::Built {
                pages,
                elapsed,
                warnings: p.diagnostics.len(),
            });
        }
        Err(failure) => {
            state.errors = match failure {
                Failure::Content(diags, lang) => diags.iter().map(|d| d.render(lang)).collect(),
                Failure::Io(msg) => vec![format!("error: {msg}")],
                Failure::Usage(m) => {
                    vec![format!("error: {}", m.render(crate::diag::Lang::default()))]
                }
                Failure::Interrupted(signal) => vec![format!("error: stopped by signal {signal}")],
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

/// Writes a whole response and asks the browser to close the connection.
/// tiny_http keeps each open connection on a thread of its pool, and new
/// connections that arrive together can wait behind idle keep-alive ones
/// (a page's script then never loads): short connections avoid that.
fn send(request: tiny_http::Request, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    let head_only = *request.method() == tiny_http::Method::Head;
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        // Values come from this file, or a request path that tiny_http has
        // already parsed as one line.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let mut out = request.into_writer();
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
}

fn respond(request: tiny_http::Request, shared: &Shared) {
    let method = request.method().clone();
    if !matches!(method, tiny_http::Method::Get | tiny_http::Method::Head) {
        send(request, 405, &[("Allow", "GET, HEAD")], b"");
        return;
    }
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let path = percent_decode(&raw);
    if path == EVENTS_PATH {
        events(request, shared);
        return;
    }
    if path == SCRIPT_PATH {
        send(
            request,
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
        let body = inject(NO_BUILD_PAGE.as_bytes(), generation, &errors);
        send(
            request,
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
    let (status, name, bytes) = if let Some(b) = site.files.get(&rel) {
        (200, rel.clone(), Some(b.clone()))
    } else if site.files.contains_key(&format!("{rel}/index.html")) {
        send(request, 301, &[("Location", &format!("{raw}/"))], b"");
        return;
    } else if let Some(source) = site.statics.get(&rel) {
        match std::fs::read(source) {
            Ok(b) => (200, rel.clone(), Some(b)),
            Err(_) => (
                404,
                "404.html".to_string(),
                site.files.get("404.html").cloned(),
            ),
        }
    } else {
        (
            404,
            "404.html".to_string(),
            site.files.get("404.html").cloned(),
        )
    };
    let bytes = bytes.unwrap_or_else(|| b"404".to_vec());
    let kind = content_type(&name);
    let body = if kind.starts_with("text/html") {
        inject(&bytes, generation, &errors)
    } else {
        bytes
    };
    send(request, status, &[("Content-Type", kind)], &body);
}

/// The event stream: the current generation at once, then every new one.
/// The page's script reloads when the number differs from its own.
fn events(request: tiny_http::Request, shared: &Shared) {
    let mut out = request.into_writer();
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

const NO_BUILD_PAGE: &str = "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>tiendo serve</title></head><body>\n<p>Chưa dựng được trang nào / Nothing built yet: sửa các lỗi trên, trang sẽ tự tải lại / fix the errors above; this page reloads by itself.</p>\n</body></html>\n";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The preview's additions to an HTML page: the errors of the latest build
/// right after `<body>`, and the reload script before `</body>`.
fn inject(page: &[u8], generation: u64, errors: &[String]) -> Vec<u8> {
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
        out.push_str(&banner(errors));
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

fn banner(errors: &[String]) -> String {
    let items: String = errors
        .iter()
        .map(|e| format!("<li><code>{}</code></li>", escape(e)))
        .collect();
    format!(
        "<div id=\"tiendo-preview-errors\" role=\"alert\" lang=\"vi\" style=\"background:#fff1f0;color:#7a0000;border:3px solid #b00020;padding:0.75rem 1rem;margin:0;font:1rem/1.4 system-ui,sans-serif;overflow-wrap:anywhere\">\
<p style=\"margin:0 0 0.5rem;font-weight:bold\">Nội dung có {n} lỗi: đang hiển thị bản dựng tốt gần nhất. <span lang=\"en\">The content has {n} error(s): this is the last good build.</span></p>\
<ul style=\"margin:0;padding-left:1.25rem\">{items}</ul></div>\n",
        n = errors.len()
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
        let clean = String::from_utf8(inject(page, 1, &[])).unwrap();
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
