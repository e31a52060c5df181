//! `tiendo serve` as an editor meets it: the real binary on a free port,
//! asked for pages over plain HTTP while the test edits the site's files.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a rebuild may take before a test gives up (debug build, busy
/// machine); a passing test waits only as long as the rebuild takes.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `tiendo serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stdout: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Owned by the guard from here on, so that a failed start stops it too.
    let mut server = Server {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        stdout: rx,
    };
    let deadline = Instant::now() + PATIENCE;
    loop {
        let line = server
            .stdout
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("tiendo serve printed no address");
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            server.addr = url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .parse()
                .unwrap();
            return server;
        }
    }
}

/// (status code, headers, body) of a GET.
fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (code, head.to_string(), body.to_string())
}

/// Polls `path` until its body satisfies `ok`; returns that body.
fn wait_for(addr: SocketAddr, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (_, _, body) = get(addr, path);
        if ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "gave up waiting; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn answers_pages_from_memory_on_127_0_0_1() {
    let site = common::site_with(&[]);
    let server = start(site.path(), &[]);
    assert!(server.addr.ip().is_loopback(), "{}", server.addr);
    assert_ne!(server.addr.port(), 0);

    let (code, head, body) = get(server.addr, "/");
    assert_eq!(code, 200);
    assert!(head.contains("text/html; charset=utf-8"), "{head}");
    assert!(body.contains("Cổng thử nghiệm"));
    // Links use the preview's own base URL, not the site's.
    assert!(!body.contains("https://example.org/cong/"), "{body}");
    assert!(
        body.contains(
            "<script src=\"/__tiendo/reload.js\" data-generation=\"1\"></script>\n</body>"
        )
    );
    let (code, _, js) = get(server.addr, "/__tiendo/reload.js");
    assert_eq!(code, 200);
    assert!(js.contains("EventSource('/__tiendo/events')"));
    let (code, head, _) = get(server.addr, "/nhiem-vu");
    assert_eq!(code, 301);
    assert!(head.contains("Location: /nhiem-vu/"), "{head}");
    assert_eq!(get(server.addr, "/nhiem-vu/").0, 200);
    assert_eq!(get(server.addr, "/assets/style.css").0, 200);
    let (code, _, body) = get(server.addr, "/khong-co-trang-nay/");
    assert_eq!(code, 404);
    assert!(
        body.contains("/__tiendo/reload.js"),
        "the 404 page reloads too"
    );
    assert!(!site.path().join("output").exists(), "serve wrote output/");

    // Bound to the loopback interface only: the machine's other address
    // (when it has one) refuses the connection.
    let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    if probe.connect("10.255.255.255:9").is_ok()
        && let Ok(local) = probe.local_addr()
        && !local.ip().is_loopback()
        && !local.ip().is_unspecified()
    {
        let other = SocketAddr::new(local.ip(), server.addr.port());
        assert!(
            TcpStream::connect_timeout(&other, Duration::from_secs(2)).is_err(),
            "the preview answers on {other}"
        );
    }
}

#[test]
fn a_busy_port_is_a_usage_error_that_says_what_to_do() {
    let site = common::site_with(&[]);
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        // In the site's first language (Vietnamese).
        stderr.contains(&format!("cổng {port} trên 127.0.0.1 đang được dùng")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[test]
fn rebuilds_on_change_and_keeps_the_last_good_build_while_content_has_errors() {
    let site = common::site_with(&[]);
    let root = site.path();
    let server = start(root, &[]);

    edit(root, "content/site.yaml", "Cổng thử nghiệm", "Cổng đã sửa");
    let body = wait_for(server.addr, "/", |b| b.contains("Cổng đã sửa"));
    assert!(!body.contains("tiendo-preview-errors"));

    // A bad edit: the page keeps the last good build and says what is wrong
    // and where, on every page.
    edit(
        root,
        "content/site.yaml",
        "as_of: 2025-04-25",
        "as_of: 2025-13-45",
    );
    let body = wait_for(server.addr, "/", |b| b.contains("tiendo-preview-errors"));
    assert!(
        body.contains("Cổng đã sửa"),
        "the last good build is gone:\n{body}"
    );
    assert!(
        body.contains("content/site.yaml:3:"),
        "no file:line:column:\n{body}"
    );
    let (code, _, task_list) = get(server.addr, "/nhiem-vu/");
    assert_eq!(code, 200);
    assert!(task_list.contains("content/site.yaml:3:"));

    // Fixed: the errors go away.
    edit(
        root,
        "content/site.yaml",
        "as_of: 2025-13-45",
        "as_of: 2025-04-25",
    );
    wait_for(server.addr, "/", |b| !b.contains("tiendo-preview-errors"));
    let printed: Vec<String> = server.stdout.try_iter().collect();
    assert!(
        printed.iter().filter(|l| l.contains("đã dựng")).count() >= 2,
        "{printed:?}"
    );
    assert!(!root.join("output").exists(), "serve wrote output/");

    // Files beside the watched folders (a `tiendo build` writing output/)
    // do not rebuild the preview.
    std::thread::sleep(Duration::from_millis(500));
    let _ = server.stdout.try_iter().count();
    std::fs::create_dir_all(root.join("output")).unwrap();
    std::fs::write(root.join("output/index.html"), "x").unwrap();
    std::thread::sleep(Duration::from_secs(1));
    // (The whole site of the last save may still be told as checked.)
    let printed: Vec<String> = server.stdout.try_iter().collect();
    assert!(
        !printed.iter().any(|l| l.contains("đã dựng")),
        "{printed:?}"
    );
}

#[test]
fn the_event_stream_announces_every_rebuild() {
    let site = common::site_with(&[]);
    let root = site.path();
    let server = start(root, &[]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "GET /__tiendo/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut lines = BufReader::new(s).lines().map_while(Result::ok);
    let mut next_data = || {
        lines
            .by_ref()
            .find_map(|l| l.strip_prefix("data: ").map(str::to_string))
            .expect("the stream ended")
    };
    assert_eq!(next_data(), "1");
    // A template override is watched too, even in a folder made after start.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/extra.html"), "<p>x</p>").unwrap();
    let n: u64 = next_data().parse().unwrap();
    assert!(n >= 2, "{n}");
    edit(root, "content/site.yaml", "Cổng thử nghiệm", "Cổng mới");
    let m: u64 = next_data().parse().unwrap();
    assert!(m > n);
}

/// The raw answer to `request`, written as it is; the server closes the
/// connection after one answer, so reading to the end terminates.
fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    let _ = s.write_all(request);
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn redirects_stay_on_the_site_and_oversized_requests_are_refused() {
    let site = common::site_with(&[]);
    let server = start(site.path(), &[]);
    // `//nhiem-vu` would send the browser to the host `nhiem-vu`.
    for path in ["//nhiem-vu", "///nhiem-vu", "/nhiem-vu"] {
        let (code, head, _) = get(server.addr, path);
        assert_eq!(code, 301, "{path}");
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("Location: "))
            .unwrap();
        assert_eq!(location, "/nhiem-vu/", "{path}");
    }
    // A request line longer than the limit: 414, answered without waiting
    // for the rest of it.
    let long = format!("GET /{} HTTP/1.1\r\n", "a".repeat(64 * 1024));
    let answer = raw(server.addr, long.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 414 "), "{answer:.80}");
    // Headers longer than the limit: 431.
    let mut big = String::from("GET / HTTP/1.1\r\nHost: x\r\n");
    for i in 0..2000 {
        big.push_str(&format!("X-Filler-{i}: {}\r\n", "b".repeat(20)));
    }
    big.push_str("\r\n");
    let answer = raw(server.addr, big.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer:.80}");
    // Not HTTP: 400.
    assert!(raw(server.addr, b"HELLO\r\n\r\n").starts_with("HTTP/1.1 400 "));
    // `Connection: close` (and keep-alive too): one answer, then the
    // server closes, so that reading to the end returns.
    for connection in ["close", "keep-alive"] {
        let request = format!("GET / HTTP/1.1\r\nHost: x\r\nConnection: {connection}\r\n\r\n");
        let started = Instant::now();
        let answer = raw(server.addr, request.as_bytes());
        assert!(answer.starts_with("HTTP/1.1 200 "), "{answer:.80}");
        assert!(answer.contains("Connection: close\r\n"));
        assert!(answer.contains("Cổng thử nghiệm"));
        assert!(started.elapsed() < Duration::from_secs(5), "not closed");
    }
    // The preview still answers after all that.
    assert_eq!(get(server.addr, "/").0, 200);
}

#[cfg(unix)]
#[test]
fn a_static_file_swapped_for_a_link_out_of_the_site_is_not_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let site = common::site_with(&[("content/static/tai-lieu/a.txt", Some(b"public"))]);
    let server = start(site.path(), &[]);
    let (code, _, body) = get(server.addr, "/tai-lieu/a.txt");
    assert_eq!((code, body.as_str()), (200, "public"));
    // Swapped after the build: the preview must not follow it.
    let file = site.path().join("content/static/tai-lieu/a.txt");
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), &file).unwrap();
    let (code, _, body) = get(server.addr, "/tai-lieu/a.txt");
    assert!(!body.contains("secret"), "{body}");
    assert_eq!(code, 404);
}

#[test]
fn idle_connections_do_not_keep_the_editor_waiting() {
    let site = common::site_with(&[]);
    let server = start(site.path(), &[]);
    // Connections that never send a request (or only half of one) each
    // wait out their time on the server; a page asked for meanwhile is
    // answered at once.
    let idle: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            if i % 2 == 0 {
                let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
            }
            s
        })
        .collect();
    let started = Instant::now();
    let (code, _, body) = get(server.addr, "/");
    assert_eq!(code, 200);
    assert!(body.contains("Cổng thử nghiệm"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop(idle);
}

/// The options `serve` builds with: its own base URL.
fn preview_options(root: &Path) -> tiendo::Options {
    tiendo::Options {
        root: root.to_path_buf(),
        output: None,
        as_of: None,
        fallback_date: tiendo::date::parse_date("2025-04-25").unwrap(),
        base_url: Some(tiendo::route::BaseUrl::parse_absolute("http://127.0.0.1:8000/").unwrap()),
        drafts: false,
        lang: Some(tiendo::Lang::Vi),
        force: false,
        previous: None,
        no_cache: false,
    }
}

/// Every file of a whole preview of `opts`, made on demand from `loaded`
/// and compared byte for byte; returns how many were made on demand (the
/// rest only the whole site makes).
fn on_demand_equals_whole(opts: &tiendo::Options, loaded: &tiendo::Loaded) -> usize {
    use tiendo::render::on_demand::File;
    let whole = tiendo::preview(opts).unwrap();
    tiendo::preview_live(opts, loaded, |live| {
        let live = live.unwrap();
        let mut made = 0;
        for (path, bytes) in &whole.site.files {
            match live.files.file(path) {
                File::Bytes(mine, d) => {
                    assert!(!d.has_errors(), "{path}");
                    assert!(&mine == bytes, "{path} differs from the whole site's");
                    made += 1;
                }
                File::Whole => assert!(!path.ends_with(".html") || live.files.has(path)),
                File::Missing => panic!("{path} is missing on demand"),
            }
        }
        // A path no page has is missing, not waited for.
        assert!(matches!(
            live.files.file("khong-co-trang-nay/index.html"),
            File::Missing
        ));
        made
    })
}

#[test]
fn pages_made_on_demand_are_the_whole_sites_bytes_after_an_edit() {
    let site = common::site_with(&[]);
    let root = site.path();
    let opts = preview_options(root);
    let first = tiendo::preview_load(&opts, None).unwrap();
    let made = on_demand_equals_whole(&opts, &first);
    assert!(made > 20, "{made}");
    let cache = first.next_cache(None);
    // A report saved: loaded with the last load's cache (only that file
    // parsed again), every page, chart, image and asset the same as a
    // whole site's of the new content.
    edit(
        root,
        "content/reports/2025-04/so-mot.yaml",
        "    done_on: 2025-04-02",
        "    done_on: 2025-04-02\n    note: Đã nghiệm thu",
    );
    edit(
        root,
        "content/plans/ke-hoach.yaml",
        "title: Việc một",
        "title: Việc thứ nhất",
    );
    let second = tiendo::preview_load(&opts, cache.as_ref()).unwrap();
    assert_eq!(on_demand_equals_whole(&opts, &second), made);
    tiendo::preview_live(&opts, &second, |live| {
        let live = live.unwrap();
        let tiendo::render::on_demand::File::Bytes(page, _) =
            live.files.file("nhiem-vu/viec-mot/index.html")
        else {
            panic!("no task page on demand");
        };
        assert!(String::from_utf8_lossy(&page).contains("Đã nghiệm thu"));
    });
    // The default portal: two languages, every kind of page.
    let portal = preview_options(Path::new(env!("CARGO_MANIFEST_DIR")));
    let loaded = tiendo::preview_load(&portal, None).unwrap();
    assert!(on_demand_equals_whole(&portal, &loaded) > 100);
}

#[test]
fn files_only_the_whole_site_makes_are_served_fresh_after_a_save() {
    let site = common::site_with(&[]);
    let root = site.path();
    let server = start(root, &[]);
    // Made in the background: asked for, they wait for it.
    let (code, head, sitemap) = get(server.addr, "/sitemap.xml");
    assert_eq!(code, 200, "{head}");
    assert!(sitemap.contains("/nhiem-vu/"), "{sitemap}");
    assert_eq!(get(server.addr, "/du-lieu/").0, 200);
    assert_eq!(get(server.addr, "/luu-tru/").0, 200);
    // A folder only the whole site makes is redirected too.
    assert_eq!(get(server.addr, "/luu-tru").0, 301);

    edit(
        root,
        "content/plans/ke-hoach.yaml",
        "title: Việc một",
        "title: Việc thứ nhất",
    );
    wait_for(server.addr, "/nhiem-vu/", |b| b.contains("Việc thứ nhất"));
    // The open data of the new content, not of the last whole site.
    let (code, _, tasks) = get(server.addr, "/du-lieu/nhiem-vu.csv");
    assert_eq!(code, 200);
    assert!(tasks.contains("Việc thứ nhất"), "{tasks}");
    let printed: Vec<String> = server.stdout.try_iter().collect();
    assert!(
        printed.iter().any(|l| l.contains("kiểm tra cả trang")),
        "{printed:?}"
    );
}

#[test]
fn a_broken_link_found_by_the_whole_sites_check_shows_over_the_pages() {
    let site = common::site_with(&[]);
    let root = site.path();
    let server = start(root, &[]);
    // The first whole site, checked.
    assert_eq!(get(server.addr, "/sitemap.xml").0, 200);
    edit(
        root,
        "content/news/tin-mot.md",
        "Nội dung tin.",
        "Nội dung mới, [hỏng](/khong-co-trang-nay/).",
    );
    // The banner comes once the background's link check ends, over the
    // page as saved.
    let body = wait_for(server.addr, "/tin-tuc/tin-mot/", |b| {
        b.contains("tiendo-preview-errors")
    });
    assert!(body.contains("content/news/tin-mot.md"), "{body}");
    assert!(body.contains("Nội dung mới"), "{body}");
    // The files only the whole site makes: the last ones that passed.
    assert_eq!(get(server.addr, "/sitemap.xml").0, 200);
    // Fixed: the errors go.
    edit(
        root,
        "content/news/tin-mot.md",
        "[hỏng](/khong-co-trang-nay/)",
        "[sửa](/nhiem-vu/)",
    );
    let body = wait_for(server.addr, "/tin-tuc/tin-mot/", |b| {
        !b.contains("tiendo-preview-errors") && b.contains("sửa</a>")
    });
    assert!(body.contains("/nhiem-vu/"));
}
