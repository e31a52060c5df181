//! `tiendo serve`, the editors' preview, served over HTTP from memory; it
//! never writes a file.
//!
//! Input: the site folder, an address and a callback for what the terminal
//! should say. Output: HTTP responses, and [`ServeEvent`]s for the binary to
//! print. It watches `content/`, the site's overrides (`templates/`,
//! `theme-static/`, `i18n/`) and `themes/`. After a save, the builder
//! ([`live`]) runs load (unchanged files from its cache), model, status and
//! the site index whole, then tells every open page to reload through a
//! server-sent-events stream: the page a browser asks for is rendered then,
//! on demand ([`crate::render::on_demand`]), and the whole site (machine
//! files, the archive, the link check) is made in the background, keeping
//! only the files pages on demand do not make. Content with errors keeps
//! the last site that loaded, the errors shown at the top of every page;
//! errors the whole site's checks find (a broken link) are shown the same
//! way over the pages as saved. The HTTP side is [`http`].

mod http;
mod live;

pub use http::{MAX_HEAD, MAX_REQUEST_LINE};

use crate::{Failure, Options};
use notify_debouncer_full::notify::EventKind;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::{BTreeMap, HashMap};
use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, mpsc};
use std::time::Duration;

/// The folders of a site that the preview watches, relative to its root.
pub const WATCHED: [&str; 5] = ["content", "templates", "theme-static", "i18n", "themes"];

/// How long the file system must stay quiet before a rebuild: an editor's
/// save is often several writes.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// Connections served at once (each open page holds one for its event
/// stream, and a connection that sends nothing holds one for
/// [`http::REQUEST_TIMEOUT`]); more are answered 503 at once. High enough
/// that a flood of idle connections does not lock the editor out, low
/// enough to bound the threads.
const MAX_CONNECTIONS: usize = 4096;

/// What happened, for the terminal.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// The server is listening at this base URL.
    Listening(&'a str),
    /// The content loaded and its figures and index are ready: pages
    /// reload and are rendered as they are asked for. `stages`: how long
    /// each step took.
    Built {
        pages: usize,
        elapsed: Duration,
        warnings: usize,
        stages: &'a crate::Timings,
    },
    /// The whole site was made and checked in the background (every file,
    /// the link check), `elapsed` after the save.
    Checked {
        files: usize,
        elapsed: Duration,
        warnings: usize,
    },
    /// A build failed; the last good build stays in service.
    Failed {
        errors: &'a [String],
        serving_last_good: bool,
    },
}

/// What the HTTP side reads: the generation, whether a site is live, the
/// last good whole site and the errors of the latest build.
#[derive(Default)]
struct State {
    /// Bumped whenever pages should reload: a site ready, errors found.
    generation: u64,
    /// Whether the builder holds a site to make files from on demand.
    live: bool,
    /// The files only the whole site makes, of the last one that passed
    /// every check: served while none is live or the latest failed.
    good: Option<Arc<Site>>,
    /// Errors of the latest build, `file:line:column: error: message`.
    errors: Vec<String>,
}

/// The files of a whole site that pages on demand do not make (open data,
/// feeds, the archive...), in memory.
struct Site {
    files: BTreeMap<String, Arc<Vec<u8>>>,
    /// URL path (no leading slash) -> file on disk, read when asked for.
    statics: HashMap<String, PathBuf>,
}

/// The builder's answer for one path.
enum Answer {
    /// The file, and the errors making it gave (a template's).
    File(Arc<Vec<u8>>, Vec<String>),
    /// A folder asked for without its slash.
    Redirect,
    /// A file of the site's `static/`.
    Static(PathBuf),
    NotFound,
    /// No site is live: the last good whole site answers.
    NotLive,
    /// The content changed before the file was made: ask again.
    Retry,
}

/// What the builder hears: a change on disk, a request for a file, the
/// whole site of a generation made in the background.
enum Msg {
    Changed(DebounceEventResult),
    Want(String, mpsc::Sender<Answer>),
    Complete(u64, Box<Result<Option<crate::Preview>, Failure>>),
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// The site folder, its real path: no file outside it is served.
    root: PathBuf,
    /// The language of the preview's own words (its error banner).
    lang: crate::diag::Lang,
    /// Where requests for files go.
    to_builder: Mutex<mpsc::Sender<Msg>>,
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
    let (tx, rx) = mpsc::channel::<Msg>();
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
        root: opts.root.clone(),
        lang: opts.lang.unwrap_or_default(),
        to_builder: Mutex::new(tx.clone()),
    });
    let watch_tx = tx.clone();
    let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let _ = watch_tx.send(Msg::Changed(result));
    })
    .map_err(|e| {
        let path = opts.root.display();
        Failure::Usage(crate::msg!("serve.cannot_watch", path, error = e))
    })?;
    let mut builder = live::Builder::new(&opts, Arc::clone(&shared), on_event, rx, tx, debouncer);
    // The root itself, not recursively, so that a folder created later
    // (say templates/) is noticed and watched.
    builder.watch_root().map_err(|e| {
        let path = opts.root.display();
        Failure::Usage(crate::msg!("serve.cannot_watch", path, error = e))
    })?;
    builder.watch_new();
    // Listening at once: pages asked for before the first build is ready
    // wait for it.
    shared.lock().live = true;
    builder.listening(&url);
    let http_shared = Arc::clone(&shared);
    std::thread::spawn(move || accept(&listener, &http_shared));
    builder.run(&opts);
    Ok(())
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
                    let _ = stream.set_write_timeout(Some(http::REQUEST_TIMEOUT));
                    http::send(stream, false, 503, &[], b"");
                } else {
                    http::connection(stream, &shared);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

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
