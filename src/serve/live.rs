//! Part of `serve`: the builder, one thread that holds the live site.
//!
//! Input: changes on disk, requests for files, the whole site when the
//! background has made it (all as [`Msg`]s). Output: the state the HTTP
//! side reads, answers to requests, [`ServeEvent`]s. After a save it loads
//! the content again (unchanged files from its cache) and, when it loaded
//! without errors, computes status and the site index
//! ([`crate::preview_live`]); the generation is then bumped, so that open
//! pages reload, and each file asked for is made from that index on demand.
//! Beside it, a background thread makes the whole site on one core
//! ([`crate::Live::complete`]): the files no page-at-a-time render makes,
//! and the link check; a save stops it.

use super::{Answer, Msg, ServeEvent, Shared, Site, WATCHED, touches};
use crate::render::on_demand::File;
use crate::{Failure, Live, Loaded, Options};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{Debouncer, RecommendedCache};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Instant;

type OnEvent = Box<dyn Fn(ServeEvent) + Send + Sync>;

pub(super) struct Builder {
    shared: Arc<Shared>,
    on_event: OnEvent,
    rx: mpsc::Receiver<Msg>,
    /// For the background's message, and requests put back in line.
    tx: mpsc::Sender<Msg>,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watching: Vec<PathBuf>,
    /// The last good load's parses: the next load parses only the files
    /// that changed.
    cache: Option<crate::cache::Cache>,
    /// When the change being built was seen.
    started: Instant,
    /// The address, said once the first build is ready or failed.
    url: Option<String>,
    /// Bumped for each site made live, to tell the background's results
    /// apart.
    made: u64,
}

/// What ends a live site: content that loaded after a save.
type Next = Option<Loaded>;

impl Builder {
    pub(super) fn new(
        opts: &Options,
        shared: Arc<Shared>,
        on_event: impl Fn(ServeEvent) + Send + Sync + 'static,
        rx: mpsc::Receiver<Msg>,
        tx: mpsc::Sender<Msg>,
        debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    ) -> Builder {
        Builder {
            shared,
            on_event: Box::new(on_event),
            rx,
            tx,
            debouncer,
            root: opts.root.clone(),
            watching: Vec::new(),
            cache: None,
            started: Instant::now(),
            url: None,
            made: 0,
        }
    }

    pub(super) fn watch_root(&mut self) -> Result<(), notify_debouncer_full::notify::Error> {
        self.debouncer
            .watch(&self.root, RecursiveMode::NonRecursive)
    }

    /// Watches the watched folders not yet watched (one created since).
    pub(super) fn watch_new(&mut self) {
        for dir in WATCHED.iter().map(|d| self.root.join(d)) {
            if dir.is_dir() && !self.watching.contains(&dir) {
                // A folder that cannot be watched is still built; it just
                // needs a manual refresh.
                if self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok() {
                    self.watching.push(dir);
                }
            }
        }
    }

    /// Says the address after the first build's outcome.
    pub(super) fn listening(&mut self, url: &str) {
        self.url = Some(url.to_string());
    }

    fn said(&mut self) {
        if let Some(url) = self.url.take() {
            (self.on_event)(ServeEvent::Listening(&url));
        }
    }

    /// Builds and serves until the process is stopped.
    pub(super) fn run(&mut self, opts: &Options) {
        let mut next = match self.load(opts) {
            Some(loaded) => loaded,
            None => self.wait(opts),
        };
        loop {
            let made = crate::preview_live(opts, &next, |live| self.live(opts, &next, live));
            next = match made {
                Ok(Some(loaded)) => loaded,
                Ok(None) => return,
                Err(()) => self.wait(opts),
            };
        }
    }

    /// Load and model; `None` (the errors told) when the content has
    /// errors.
    fn load(&mut self, opts: &Options) -> Next {
        match crate::preview_load(opts, self.cache.as_ref()) {
            Ok(loaded) => Some(loaded),
            Err(failure) => {
                self.failed(opts, failure);
                None
            }
        }
    }

    /// Errors of the latest build, shown on every page; the last good site
    /// stays.
    fn failed(&mut self, opts: &Options, failure: Failure) {
        let lang = opts.lang.unwrap_or_default();
        let error = crate::msg!("level.error").render(lang);
        let errors = match failure {
            Failure::Content(diags, lang) => diags.iter().map(|d| d.render(lang)).collect(),
            Failure::Io(text) => vec![format!("{error}: {text}")],
            Failure::Usage(m) => vec![format!("{error}: {}", m.render(lang))],
            Failure::Interrupted(signal) => {
                let m = crate::msg!("serve.stopped", signal);
                vec![format!("{error}: {}", m.render(lang))]
            }
        };
        let serving_last_good = {
            let mut state = self.shared.lock();
            state.generation += 1;
            state.errors = errors.clone();
            state.live || state.good.is_some()
        };
        self.shared.changed.notify_all();
        (self.on_event)(ServeEvent::Failed {
            errors: &errors,
            serving_last_good,
        });
        self.said();
    }

    /// Whether a change is one to build, with the changes queued behind it
    /// (requests queued meanwhile are put back in line).
    fn relevant(&mut self, first: &notify_debouncer_full::DebounceEventResult) -> bool {
        let roots: Vec<PathBuf> = WATCHED.iter().map(|d| self.root.join(d)).collect();
        let mut relevant = touches(first, &roots);
        let mut others = Vec::new();
        while let Ok(more) = self.rx.try_recv() {
            match more {
                Msg::Changed(result) => relevant |= touches(&result, &roots),
                other => others.push(other),
            }
        }
        for other in others {
            let _ = self.tx.send(other);
        }
        if relevant {
            self.watch_new();
            self.started = Instant::now();
        }
        relevant
    }

    /// No site live (the content has errors and none loaded before, or the
    /// templates are unusable): the last good whole site answers, until a
    /// change loads.
    fn wait(&mut self, opts: &Options) -> Loaded {
        self.shared.lock().live = false;
        self.shared.changed.notify_all();
        loop {
            let Ok(msg) = self.rx.recv() else {
                // Every sender gone: nothing will ever change.
                std::thread::park();
                continue;
            };
            match msg {
                Msg::Want(_, reply) => {
                    let _ = reply.send(Answer::NotLive);
                }
                Msg::Complete(..) => {}
                Msg::Changed(result) => {
                    if self.relevant(&result)
                        && let Some(loaded) = self.load(opts)
                    {
                        return loaded;
                    }
                }
            }
        }
    }

    /// Serves a live site until a change loads; `Err` when the site could
    /// not be made live (its errors told).
    fn live(
        &mut self,
        opts: &Options,
        loaded: &Loaded,
        live: Result<Live, Failure>,
    ) -> Result<Next, ()> {
        let live = match live {
            Ok(live) => live,
            Err(failure) => {
                self.failed(opts, failure);
                return Err(());
            }
        };
        self.made += 1;
        let made = self.made;
        let elapsed = self.started.elapsed();
        let mut stages = loaded.timings.clone();
        stages.extend(live.timings.iter().cloned());
        // Said before the pages reload, so that the terminal is never
        // behind the browser.
        (self.on_event)(ServeEvent::Built {
            pages: live.files.pages(),
            elapsed,
            warnings: live.warnings(),
            stages: &stages,
        });
        {
            let mut state = self.shared.lock();
            state.generation += 1;
            state.live = true;
            state.errors.clear();
        }
        self.shared.changed.notify_all();
        self.said();
        let stop = AtomicBool::new(false);
        let tx = self.tx.clone();
        let last = self.cache.take();
        let next = std::thread::scope(|s| {
            // The next load's cache, made beside the pages asked for; the
            // last one stays when it cannot be made.
            let mut cache = Some(s.spawn(move || loaded.next_cache(last.as_ref()).or(last)));
            let mut whole = Whole::default();
            let background = || {
                let tx = tx.clone();
                let (live, stop) = (&live, &stop);
                s.spawn(move || {
                    let result = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                        Ok(pool) => pool.install(|| live.complete(None, stop)),
                        Err(_) => live.complete(None, stop),
                    };
                    let _ = tx.send(Msg::Complete(made, Box::new(result)));
                })
            };
            whole.running = Some(background());
            loop {
                let Ok(msg) = self.rx.recv() else {
                    return None;
                };
                match msg {
                    Msg::Want(path, reply) => whole.answer(&live, path, reply),
                    Msg::Complete(m, result) if m == made => {
                        self.whole(opts, &mut whole, *result);
                    }
                    Msg::Complete(..) => {}
                    Msg::Changed(result) => {
                        if !self.relevant(&result) {
                            continue;
                        }
                        // The background stops within a page while the
                        // content loads.
                        stop.store(true, Ordering::Relaxed);
                        if let Some(made) = cache.take() {
                            self.cache = made.join().unwrap_or_default();
                        }
                        let next = self.load(opts);
                        if let Some(running) = whole.running.take() {
                            let _ = running.join();
                        }
                        if let Some(next) = next {
                            for (_, reply) in whole.waiting.drain(..) {
                                let _ = reply.send(Answer::Retry);
                            }
                            return Some(next);
                        }
                        // The content has errors: this site stays live,
                        // and its whole site is still to be made.
                        if !whole.done {
                            stop.store(false, Ordering::Relaxed);
                            whole.running = Some(background());
                        }
                    }
                }
            }
        });
        Ok(next)
    }

    /// The background's whole site: kept as the last good one, or its
    /// errors shown over the last good one.
    fn whole(
        &mut self,
        opts: &Options,
        whole: &mut Whole,
        result: Result<Option<crate::Preview>, Failure>,
    ) {
        whole.running = None;
        whole.done = !matches!(result, Ok(None));
        match result {
            Ok(Some(p)) => {
                let files: std::collections::BTreeMap<String, Arc<Vec<u8>>> = p
                    .site
                    .files
                    .into_iter()
                    .map(|(path, bytes)| (path, Arc::new(bytes)))
                    .collect();
                let statics = p
                    .static_files
                    .into_iter()
                    .map(|f| (f.url_path, f.source))
                    .collect();
                let count = files.len();
                let site = Arc::new(Site { files, statics });
                self.shared.lock().good = Some(Arc::clone(&site));
                whole.site = Some(site);
                for (path, reply) in std::mem::take(&mut whole.waiting) {
                    whole.answer_whole(&path, reply);
                }
                (self.on_event)(ServeEvent::Checked {
                    files: count,
                    elapsed: self.started.elapsed(),
                    warnings: p.diagnostics.len(),
                });
            }
            Ok(None) => {}
            Err(failure) => {
                // The pages stay live, with the errors over them; the
                // files only the whole site makes come from the last one
                // that passed.
                for (_, reply) in whole.waiting.drain(..) {
                    let _ = reply.send(Answer::NotLive);
                }
                self.failed(opts, failure);
            }
        }
    }
}

/// The whole site of the live one: being made, made, and the requests
/// waiting for it.
#[derive(Default)]
struct Whole<'s> {
    running: Option<std::thread::ScopedJoinHandle<'s, ()>>,
    site: Option<Arc<Site>>,
    /// Made, or failed with errors.
    done: bool,
    waiting: Vec<(String, mpsc::Sender<Answer>)>,
}

impl Whole<'_> {
    /// The file at `path`: made now, or from the whole site (the files it
    /// alone makes); such a file waits for it.
    fn answer(&mut self, live: &Live, path: String, reply: mpsc::Sender<Answer>) {
        if let Some(bytes) = self.site.as_ref().and_then(|s| s.files.get(&path)) {
            let _ = reply.send(Answer::File(Arc::clone(bytes), Vec::new()));
            return;
        }
        let answer = match live.files.file(&path) {
            File::Bytes(bytes, d) => {
                let lang = live.lang;
                let errors = d
                    .iter()
                    .filter(|d| d.severity == crate::diag::Severity::Error)
                    .map(|d| d.render(lang))
                    .collect();
                Answer::File(Arc::new(bytes), errors)
            }
            missing => {
                let folder = format!("{path}/index.html");
                let whole = self.site.as_ref();
                if live.files.has(&folder) || whole.is_some_and(|s| s.files.contains_key(&folder)) {
                    Answer::Redirect
                } else if let Some(source) = live.static_file(&path) {
                    Answer::Static(source.to_path_buf())
                } else if matches!(missing, File::Missing) || self.site.is_some() {
                    Answer::NotFound
                } else if self.done {
                    // The whole site failed its checks: the last one that
                    // passed has the file, if any.
                    Answer::NotLive
                } else {
                    self.waiting.push((path, reply));
                    return;
                }
            }
        };
        let _ = reply.send(answer);
    }

    fn answer_whole(&self, path: &str, reply: mpsc::Sender<Answer>) {
        let Some(site) = &self.site else {
            let _ = reply.send(Answer::NotLive);
            return;
        };
        let answer = if let Some(bytes) = site.files.get(path) {
            Answer::File(Arc::clone(bytes), Vec::new())
        } else if site.files.contains_key(&format!("{path}/index.html")) {
            Answer::Redirect
        } else if let Some(source) = site.statics.get(path) {
            Answer::Static(source.clone())
        } else {
            Answer::NotFound
        };
        let _ = reply.send(answer);
    }
}
