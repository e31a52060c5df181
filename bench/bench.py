"""The benchmark of issue 14, run by hand (bench/run), not in CI.

1. The national-scale portal (generate.py national): build time with the
   build's own stage timings, peak memory, the largest HTML pages, the feeds
   and the bytes a phone fetches to search.
2. The national portal built by tiendo and by Hugo (bench/hugo-national:
   a content adapter over the same YAML makes the same page set),
   alternating fresh runs, medians and ratios of wall time, CPU time and
   peak memory (issue 32).
3. The same 10,000 articles built by tiendo and by Hugo (generate.py news),
   runs alternating, medians and the ratio tiendo / Hugo for wall time and
   peak memory.

Environment: TIENDO (binary), HUGO (binary), RUNS (default 5), NATIONAL_RUNS
(default 3; settled fresh builds of the national site), WORK (folder,
default target/bench), SKIP_NATIONAL=1, SKIP_NATIONAL_HUGO=1 or
SKIP_NEWS=1 to leave a part out, ONLY=national, national-hugo or news to
run one part, NATIONAL_HUGO_RUNS (default 3; pairs of the side-by-side),
BASELINE (a tiendo binary to compare the national fresh build with, run
alternately: the build before share images, to say what they cost).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

repo = Path(__file__).resolve().parent.parent
tiendo = os.environ.get("TIENDO", str(repo / "target" / "release" / "tiendo"))
baseline = os.environ.get("BASELINE", "")
share_bench = repo / "target" / "release" / "examples" / "share_bench"
hugo = os.environ.get("HUGO", "")
runs = int(os.environ.get("RUNS", 5))
work = Path(os.environ.get("WORK", repo / "target" / "bench"))
MB = 1e6


def timed(cmd):
    """Wall seconds, peak resident memory (MB) and CPU seconds (user and
    system; steadier than wall time on a shared machine) of one run, by GNU
    time."""
    res = subprocess.run(["/usr/bin/time", "-f", "@@ %e %M %U %S"] + cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{res.stderr[-3000:]}")
    line = [l for l in res.stderr.splitlines() if l.startswith("@@ ")][-1]
    _, wall, kb, user, system = line.split()
    return float(wall), int(kb) / 1024, float(user) + float(system), res.stdout


def largest(out, pattern="*.html", n=3):
    files = sorted(((p.stat().st_size, p) for p in out.rglob(pattern)), reverse=True)
    return [(size, "/" + str(p.relative_to(out)).removesuffix("index.html")) for size, p in files[:n]]


def search_bytes(out, queries):
    """Bytes the search page fetches for each query: the index files the
    search script asks for (bench/search-bytes.js), or the one old index."""
    res = subprocess.run(
        ["node", str(repo / "bench" / "search-bytes.js"), str(out)] + queries,
        capture_output=True, text=True,
    )
    if res.returncode == 0:
        return json.loads(res.stdout)
    old = out / "tim-kiem" / "chi-muc.json"
    if old.exists():
        return {q: {"bytes": old.stat().st_size, "files": 1} for q in queries}
    sys.exit(f"bench: search-bytes.js failed:\n{res.stderr}")


def fresh(path):
    """Deletes an output folder and the spare tree tiendo keeps beside it."""
    shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(path.parent / f".{path.name}-spare", ignore_errors=True)


def kb(n):
    return f"{n / 1000:,.0f} KB"


def settle(site, wait=True):
    """Lets the disk settle before a timed build. Deleting a tree of 130,000
    inodes makes the next tens of thousands of file creations slow on this
    machine's ext4 (no journal): for 60 s after a deletion, and for 360 s
    while the inode's table block is dirty, the kernel will not reuse a
    freed inode and scans past each one (`recently_deleted` in
    fs/ext4/ialloc.c). A build dirties those blocks itself as it creates
    files in them, so the effect lasts about six minutes whatever is
    synced or dropped. The runs therefore write into folders of their
    own, and nothing is deleted between them; before the first, leftovers
    of an earlier benchmark are deleted and 65 s waited (enough unless a
    benchmark ran within six minutes). As root the caches are then dropped
    and the content read back in, so that every run starts alike, warm."""
    import time
    os.sync()
    if wait:
        time.sleep(65)
        os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return "sync" + (" and a 65-second wait" if wait else "")
    for p in (site / "content").rglob("*"):
        if p.is_file():
            p.read_bytes()
    Path(tiendo).read_bytes()
    return "sync, " + ("a 65-second wait, " if wait else "") + "caches dropped, content read back"


def national():
    site = work / "national"
    if not (site / "content").exists():
        subprocess.run([sys.executable, str(repo / "bench" / "generate.py"), "national", str(site)], check=True)
    size = sum(p.stat().st_size for p in (site / "content").rglob("*") if p.is_file())
    runs_n = int(os.environ.get("NATIONAL_RUNS", 3))
    outs = [work / f"national-out-{i + 1}" for i in range(runs_n)]
    base_outs = [work / f"national-base-{i + 1}" for i in range(runs_n)] if baseline else []

    def build(out, binary=None):
        # Stage names in English, for the timings parsed below.
        return [binary or tiendo, "build", "--lang", "en", "--root", str(site), "--output", str(out)]

    # NATIONAL_RUNS fresh builds on a settled disk, each into a folder of
    # its own: nothing is deleted between them (see settle), so no run
    # meets the inodes the one before freed. Leftovers of an earlier
    # benchmark are deleted first. With BASELINE, a fresh build of that
    # binary follows each, alternating.
    for o in [work / "national-out", *outs, *base_outs]:
        fresh(o)
    settled, based = [], []
    for i, o in enumerate(outs):
        how = settle(site, wait=i == 0)
        settled.append(timed(build(o)))
        print(f"national: {settled[-1][0]:.2f} s wall, {settled[-1][2]:.2f} s CPU, {settled[-1][1]:.0f} MB", file=sys.stderr)
        if baseline:
            settle(site, wait=False)
            based.append(timed(build(base_outs[i], baseline)))
            print(f"baseline: {based[-1][0]:.2f} s wall, {based[-1][2]:.2f} s CPU", file=sys.stderr)
    # The same work without writing a file: `check` loads, models, computes
    # and renders every page in memory and drops it. What a fresh build
    # takes beyond this is the file system's.
    checked = [timed([tiendo, "check", "--root", str(site)]) for _ in outs]
    out = outs[0]
    wall = statistics.median(x[0] for x in settled)
    cpu = statistics.median(x[2] for x in settled)
    peak = max(x[1] for x in settled)
    stdout = sorted(settled, key=lambda x: x[0])[len(settled) // 2][3]
    stages = next((l for l in stdout.splitlines() if l.startswith("Built ")), "")
    print(f"\n## National scale ({size / MB:.0f} MB of content)\n")
    print(f"median run: {stages}")
    print(f"settling before each run: {how}; wall times {', '.join(f'{x[0]:.2f}' for x in settled)} s")
    big = largest(out)
    over = sum(1 for p in out.rglob("*.html") if p.stat().st_size > 500_000)
    # The monthly archive (issue 16): its share of the build, and what it
    # adds to the output (its pages and its data files).
    timings = dict((name, int(v)) for name, v in re.findall(r"(\w+) (\d+) ms", stages))
    archive_ms = timings.get("archive", 0)
    total_ms = sum(timings.values()) or 1
    archive_bytes = sum(
        p.stat().st_size
        for d in [out / "luu-tru", out / "du-lieu" / "luu-tru"]
        if d.exists()
        for p in d.rglob("*")
        if p.is_file()
    )
    # Rebuilds with no content change, and how many files they rewrite.
    # The first after a fresh build finds an empty spare (its manifest
    # only); from the second on, the spare is the previous site's tree,
    # which is what a release meets.
    first_wall, _, _, _ = timed(build(out))
    rebuild_wall, _, rebuild_cpu, again = timed(build(out))
    # One report changed (issue 32): the build cache parses that file
    # alone and renders only the pages whose inputs changed. Three edits,
    # the median; the report is put back afterwards.
    report = site / "content" / "reports" / "2025-11" / "co-quan-7.yaml"
    original = report.read_bytes()
    changed = []
    for value in (41, 42, 43):
        text = re.sub(rb"progress: \d+", b"progress: %d" % value, original, count=1)
        report.write_bytes(text)
        changed.append(timed(build(out)))
    # The pages' input keys checked once (TIENDO_VERIFY_KEYS=1): every
    # view is built anyway and the build fails if a matching key hid a
    # changed view (README, Incremental builds).
    report.write_bytes(re.sub(rb"progress: \d+", b"progress: 44", original, count=1))
    res = subprocess.run(build(out), capture_output=True, text=True,
                         env={**os.environ, "TIENDO_VERIFY_KEYS": "1"})
    verified = "no key missed" if res.returncode == 0 else "a key missed an input: " + res.stderr[-300:]
    report.write_bytes(original)
    timed(build(out))
    one_wall = statistics.median(x[0] for x in changed)
    one_cpu = statistics.median(x[2] for x in changed)
    one_peak = max(x[1] for x in changed)
    images_line = re.search(r"Share images: (\d+), (\d+) drawn, (\d+) kept", stdout)
    images_again = re.search(r"Share images: (\d+), (\d+) drawn, (\d+) kept", again)
    images_bytes = sum(p.stat().st_size for p in out.rglob("chia-se.png"))
    # A fresh build right after the previous output was deleted (what a
    # script that wipes the folder before each build meets).
    wiped = outs[-1]
    fresh(wiped)
    wiped_wall, _, wiped_cpu, _ = timed(build(wiped))
    rewritten = re.search(r"\((\d+) written, (\d+) unchanged\)", again)
    feeds = {f: (out / f).stat().st_size for f in ["atom.xml", "bao-cao/thay-doi.xml"] if (out / f).exists()}
    queries = ["chuyen doi so", "dich vu cong truc tuyen", "hai duong", "nhiem vu 12345"]
    search = search_bytes(out, queries)
    worst = max(v["bytes"] for v in search.values())
    print()
    print("| measure | value | target |")
    print("| --- | --- | --- |")
    print(f"| build time, fresh output folder (median of {len(settled)}, settled disk) | {wall:.1f} s wall, {cpu:.1f} s CPU | under 10 s |")
    print(f"| the same work, nothing written (`tiendo check`, median of {len(checked)}) | {statistics.median(x[0] for x in checked):.1f} s wall, {statistics.median(x[2] for x in checked):.1f} s CPU | |")
    print(f"| build time right after deleting the previous output | {wiped_wall:.1f} s wall, {wiped_cpu:.1f} s CPU | |")
    print(f"| first rebuild after a fresh build, no content change (empty spare) | {first_wall:.1f} s wall | |")
    print(f"| rebuild, no content change, the spare tree reused (a release) | {rebuild_wall:.1f} s wall, {rebuild_cpu:.1f} s CPU | |")
    print(f"| one report changed, the build cache used (median of {len(changed)}) | {one_wall:.1f} s wall, {one_cpu:.1f} s CPU ({one_wall / wall:.2f} / {one_cpu / cpu:.2f} of a fresh build), {one_peak:,.0f} MB | at most 0.1 of a fresh build |")
    print(f"| one report changed, input keys verified (`TIENDO_VERIFY_KEYS=1`) | {verified} | no key missed |")
    check_wall = statistics.median(x[0] for x in checked)
    check_cpu = statistics.median(x[2] for x in checked)
    print(f"| fresh build / `check` | {wall / check_wall:.2f} wall, {cpu / check_cpu:.2f} CPU | at most 1.25 |")
    print(f"| peak memory (highest of the runs) | {peak:,.0f} MB | under 1,000 MB |")
    print(f"| largest HTML pages | {', '.join(f'{p} {kb(s)}' for s, p in big)} | under 500 KB |")
    print(f"| HTML pages over 500 KB | {over} | none |")
    print(f"| monthly archive: share of the build, output added | {archive_ms / total_ms:.0%} ({archive_ms / 1000:.1f} s), {archive_bytes / MB:.0f} MB | under 20%, under 50 MB |")
    if rewritten:
        print(f"| rebuild with no content change | {rewritten.group(1)} files rewritten (the marker), {int(rewritten.group(2)):,} unchanged | no file rewritten |")
    if images_line:
        n = int(images_line.group(1))
        print(f"| share images: how many, bytes | {n:,} images, {images_bytes / MB:,.0f} MB ({images_bytes / max(n, 1) / 1000:.0f} KB each) | |")
        print(f"| share images: the `images` lap of the median run (wall, two threads) | {timings.get('images', 0) / 1000:.1f} s | |")
        if based:
            bwall = statistics.median(x[0] for x in based)
            bcpu = statistics.median(x[2] for x in based)
            print(f"| fresh build without share images (`BASELINE`, median of {len(based)}, alternating) | {bwall:.1f} s wall, {bcpu:.1f} s CPU | |")
            print(f"| share images: what they add to a fresh build | {wall - bwall:+.1f} s wall ({wall / bwall - 1:+.0%}), {cpu - bcpu:+.1f} s CPU ({cpu / bcpu - 1:+.0%}), {(cpu - bcpu) * 1000 / max(n, 1):.2f} ms of CPU an image, written | under +100% (not double) |")
        if share_bench.exists():
            one = subprocess.run([str(share_bench), "2000"], capture_output=True, text=True).stdout.strip()
            print(f"| share images: drawing alone, one thread (`examples/share_bench`) | {one} | |")
    if images_again:
        print(f"| share images in the rebuild with no content change | {int(images_again.group(2)):,} drawn, {int(images_again.group(3)):,} kept | none drawn |")
    print(f"| search, bytes fetched per query (worst of {len(queries)}) | {kb(worst)} | under 300 KB |")
    print(f"| feeds | {', '.join(f'{f} {kb(s)}' for f, s in feeds.items())} | latest 50 entries |")
    print()
    for q, v in search.items():
        print(f"search \"{q}\": {kb(v['bytes'])} in {v['files']} files, {v.get('results', '?')} results")
    for o in [*outs, *base_outs]:
        fresh(o)


def hugo_project(site, hsite):
    """The Hugo project of the national portal (bench/hugo-national: its
    config, content adapter and templates) around the generated content:
    the YAML as Hugo's data/ and the articles as content/tin-tuc/, by hard
    links (no bytes copied; removing them frees no inode). Made again at
    each run, so that it follows the templates."""
    shutil.rmtree(hsite, ignore_errors=True)
    shutil.copytree(repo / "bench" / "hugo-national", hsite)
    c = site / "content"
    (hsite / "data").mkdir()
    for d in ["plans", "reports"]:
        shutil.copytree(c / d, hsite / "data" / d, copy_function=os.link)
    for f in ["agencies.yaml", "kpis.yaml"]:
        os.link(c / f, hsite / "data" / f)
    shutil.copytree(c / "news", hsite / "content" / "tin-tuc", copy_function=os.link)
    os.link(c / "pages" / "gioi-thieu.md", hsite / "content" / "gioi-thieu.md")


def count_files(out):
    html = files = 0
    for p in out.rglob("*"):
        if p.is_file():
            files += 1
            html += p.suffix == ".html"
    return html, files


def national_hugo():
    """Issue 32: the national portal built fresh by tiendo and by Hugo
    (bench/hugo-national, a content adapter over the same YAML: the same
    page set), NATIONAL_HUGO_RUNS alternating pairs (default 3), each run
    into a folder of its own, which of the two goes first alternating;
    medians of wall time, CPU time and peak memory, and the ratios."""
    site, hsite = work / "national", work / "national-hugo"
    if not (site / "content").exists():
        subprocess.run([sys.executable, str(repo / "bench" / "generate.py"), "national", str(site)], check=True)
    hugo_project(site, hsite)
    n = int(os.environ.get("NATIONAL_HUGO_RUNS", 3))
    outs = [(work / f"national-tiendo-{i + 1}", work / f"national-hugo-out-{i + 1}") for i in range(n)]
    for pair in outs:
        for o in pair:
            fresh(o)
    how = settle(site)
    t, h, loads = [], [], []
    for i, (out, hout) in enumerate(outs):
        runs_ = [
            (t, [tiendo, "build", "--lang", "en", "--root", str(site), "--output", str(out)]),
            (h, [hugo, "--quiet", "--source", str(hsite), "--destination", str(hout)]),
        ]
        for into, cmd in runs_ if i % 2 == 0 else reversed(runs_):
            into.append(timed(cmd))
            loads.append(os.getloadavg()[0])
        print(f"national pair {i + 1}: tiendo {t[-1][0]:.1f} s wall {t[-1][2]:.1f} s CPU {t[-1][1]:.0f} MB, "
              f"hugo {h[-1][0]:.1f} s wall {h[-1][2]:.1f} s CPU {h[-1][1]:.0f} MB; load {loads[-1]:.1f}", file=sys.stderr)
    med = lambda xs, k: statistics.median(x[k] for x in xs)
    tw, tc, tm = med(t, 0), med(t, 2), med(t, 1)
    hw, hc, hm = med(h, 0), med(h, 2), med(h, 1)
    (th, tf), (hh, hf) = count_files(outs[0][0]), count_files(outs[0][1])
    images = re.search(r"images (\d+) ms", sorted(t, key=lambda x: x[0])[len(t) // 2][3])
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]
    print(f"\n## National portal: tiendo and Hugo {version} (content adapter), {n} alternating pairs, medians\n")
    print("| | tiendo | Hugo | tiendo / Hugo | target |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| wall time, fresh build | {tw:.1f} s | {hw:.1f} s | {tw / hw:.2f} | at most 0.25 |")
    print(f"| CPU time (user + system) | {tc:.1f} s | {hc:.1f} s | **{tc / hc:.2f}** | at most 0.25 |")
    print(f"| peak memory | {tm:,.0f} MB | {hm:,.0f} MB | **{tm / hm:.2f}** | at most 0.33 |")
    print(f"| HTML pages | {th:,} | {hh:,} | | |")
    print(f"| files written | {tf:,} | {hf:,} | | |")
    print()
    print(f"settling: {how}, once before the first pair; load average during the runs {min(loads):.1f}-{max(loads):.1f}")
    print(f"wall times: tiendo {', '.join(f'{x[0]:.1f}' for x in t)}; hugo {', '.join(f'{x[0]:.1f}' for x in h)} s")
    print(f"CPU times: tiendo {', '.join(f'{x[2]:.1f}' for x in t)}; hugo {', '.join(f'{x[2]:.1f}' for x in h)} s")
    if images:
        print(f"tiendo's share images (which Hugo does not draw): the images lap of its median run, {int(images.group(1)) / 1000:.1f} s")
    for pair in outs:
        for o in pair:
            fresh(o)


def news():
    site, hsite = work / "news", work / "news-hugo"
    if not (site / "content").exists():
        subprocess.run([sys.executable, str(repo / "bench" / "generate.py"), "news", str(site), str(hsite)], check=True)
    # Each run into a folder of its own, nothing deleted until the end (see
    # settle): both tools meet the same disk.
    outs = [(work / f"news-out-{i + 1}", work / f"news-hugo-out-{i + 1}") for i in range(runs)]
    for o in [work / "news-out", work / "news-hugo-out", *(x for pair in outs for x in pair)]:
        fresh(o)
    settle(site)
    t, h = [], []
    for i, (out, hout) in enumerate(outs):
        t.append(timed([tiendo, "build", "--root", str(site), "--output", str(out)])[:3])
        h.append(timed([hugo, "--quiet", "--source", str(hsite), "--destination", str(hout)])[:3])
        print(f"run {i + 1}: tiendo {t[-1][0]:.2f} s {t[-1][1]:.0f} MB, hugo {h[-1][0]:.2f} s {h[-1][1]:.0f} MB",
              file=sys.stderr)
    tw, tm = statistics.median(x[0] for x in t), statistics.median(x[1] for x in t)
    hw, hm = statistics.median(x[0] for x in h), statistics.median(x[1] for x in h)
    tc, hc = statistics.median(x[2] for x in t), statistics.median(x[2] for x in h)
    count = lambda d: sum(1 for _ in d.rglob("*.html"))
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]
    articles = sum(1 for _ in (site / "content" / "news").glob("*.md"))
    print(f"\n## {articles:,} articles: tiendo and Hugo {version}, {runs} alternating runs, medians\n")
    print("| | tiendo | Hugo | tiendo / Hugo | target |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| wall time | {tw:.2f} s | {hw:.2f} s | {tw / hw:.2f} | at most 0.50 |")
    print(f"| CPU time (user + system) | {tc:.2f} s | {hc:.2f} s | {tc / hc:.2f} | at most 0.25 (issue 32) |")
    print(f"| peak memory | {tm:,.0f} MB | {hm:,.0f} MB | {tm / hm:.2f} | at most 0.33 |")
    print(f"| HTML pages | {count(out):,} | {count(hout):,} | | |")
    print()
    print(f"wall times: tiendo {', '.join(f'{x[0]:.2f}' for x in t)}; hugo {', '.join(f'{x[0]:.2f}' for x in h)}")
    search = search_bytes(out, ["chuyen doi so", "ha tang mang"])
    for q, v in search.items():
        print(f"search \"{q}\": {kb(v['bytes'])} in {v['files']} files, {v.get('results', '?')} results")
    big = largest(out, n=1)[0]
    print(f"largest HTML page: {big[1]} {kb(big[0])}")
    for pair in outs:
        for o in pair:
            fresh(o)


if __name__ == "__main__":
    # Each table as soon as it is measured, even into a file: deleting the
    # outputs afterwards takes minutes.
    sys.stdout.reconfigure(line_buffering=True)
    work.mkdir(parents=True, exist_ok=True)
    print(f"tiendo {tiendo}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    only = os.environ.get("ONLY", "")
    if not os.environ.get("SKIP_NATIONAL") and only in ("", "national"):
        national()
    if not os.environ.get("SKIP_NATIONAL_HUGO") and only in ("", "national-hugo"):
        national_hugo()
    if not os.environ.get("SKIP_NEWS") and only in ("", "news"):
        news()
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (other work on the machine slows wall times)")
