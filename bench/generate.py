"""Writes the synthetic sites of the benchmark. Deterministic (fixed seed).

  generate.py national DIR   the national-scale portal of issue 14: 500
                             agencies, 20,000 tasks in 50 plans, two years
                             of monthly reports (about 245,000 updates),
                             1,000 KPIs, 10,000 news articles (about 105 MB)
  generate.py news DIR HUGO  the same 10,000 articles twice: a news-only
                             tiendo site in DIR and a Hugo site in HUGO (same
                             Markdown; articles, lists of 10, one page per tag)

Sizes can be scaled down for a quick look: TASKS=2000 ARTICLES=1000 ...
"""

import os
import random
import sys
from pathlib import Path

TASKS = int(os.environ.get("TASKS", 20000))
PLANS = int(os.environ.get("PLANS", 50))
AGENCIES = int(os.environ.get("AGENCIES", 500))
KPIS = int(os.environ.get("KPIS", 1000))
ARTICLES = int(os.environ.get("ARTICLES", 10000))
MONTHS = int(os.environ.get("MONTHS", 24))  # 2024-01 .. 2025-12
TAGS = 200
AS_OF = "2025-12-25"

# Words of Vietnamese administrative prose, with their diacritics, for
# article text; numbers and place names add the long tail of rare words a
# real corpus has.
WORDS = """chuyển đổi số chính quyền điện tử dịch vụ công trực tuyến toàn trình người
dân doanh nghiệp hồ sơ thủ tục hành chính cơ sở dữ liệu quốc gia dân cư định
danh xác thực ứng dụng nền tảng hạ tầng mạng lưới cáp quang viễn thông an toàn
thông tin bảo mật giám sát điều hành thông minh trung tâm tỉnh huyện xã phường
thị trấn sở ban ngành địa phương kế hoạch triển khai thực hiện nhiệm vụ giải
pháp đẩy mạnh nâng cao chất lượng hiệu quả tiến độ kết quả đánh giá báo cáo
tháng quý năm giai đoạn mục tiêu chỉ tiêu tỷ lệ phần trăm hoàn thành đúng hạn
quá hạn chậm trễ khó khăn vướng mắc kiến nghị đề xuất chỉ đạo Ủy ban nhân dân
Chủ tịch Phó Giám đốc cán bộ công chức viên chức đào tạo bồi dưỡng kỹ năng học
tập cộng đồng bình dân học vụ thanh toán không dùng tiền mặt ngân hàng bệnh án
điện tử y tế giáo dục trường học nông nghiệp môi trường giao thông xây dựng
đất đai tài nguyên khoa học công nghệ đổi mới sáng tạo khởi nghiệp kinh tế số
xã hội số thương mại điện tử sàn giao dịch sản phẩm OCOP hợp tác xã du lịch
văn hóa di tích lễ hội Côn Sơn Kiếp Bạc Chí Linh Kinh Môn Thanh Hà Ninh Giang
Tứ Kỳ Gia Lộc Bình Giang Cẩm Giàng Kim Thành Nam Sách Hải Dương Hải Phòng
được các của và với cho trong trên theo để từ đến những một hai ba nhiều đã
đang sẽ cần phải tiếp tục bảo đảm phối hợp chặt chẽ kịp thời đầy đủ chính xác""".split()


def sentence(rng, n):
    ws = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        ws.insert(rng.randrange(len(ws)), f"{rng.randint(1, 99999)}")
    if rng.random() < 0.2:
        ws.insert(rng.randrange(len(ws)), f"mã{rng.randint(1, 500000)}")
    s = " ".join(ws)
    return s[0].upper() + s[1:] + "."


def article_body(rng, n):
    """About 6 KB of Markdown: headings, paragraphs, a list, emphasis."""
    parts = [f"*Bài viết thử tải số {n}.*"]
    for h in range(4):
        parts.append(f"## {sentence(rng, 5)[:-1]}")
        for _ in range(3):
            parts.append(" ".join(sentence(rng, rng.randint(10, 22)) for _ in range(4)))
        if h == 1:
            parts.append("\n".join(f"- **{rng.choice(WORDS)}**: {sentence(rng, 8)}" for _ in range(4)))
    return "\n\n".join(parts) + "\n"


def article(rng, n, with_tasks):
    year = 2024 + n % 2
    tags = sorted({f"chu-de-{rng.randrange(TAGS)}" for _ in range(3)})
    title = sentence(rng, 8)[:-1]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    # No article dated after the as-of day (it would be held back, warned).
    if f"{year}-{month:02d}-{day:02d}" > AS_OF:
        day = int(AS_OF[-2:])
    head = [
        "---",
        f"title: {title} (tin {n})",
        f"date: {year}-{month:02d}-{day:02d}",
        f"summary: {sentence(rng, 20)}",
        f"tags: [{', '.join(tags)}]",
    ]
    if with_tasks:
        head.append(f"tasks: [nhiem-vu-{rng.randrange(TASKS)}, nhiem-vu-{rng.randrange(TASKS)}]")
    return "\n".join(head) + "\n---\n" + article_body(rng, n)


def site_yaml(c, title):
    (c / "site.yaml").write_text(
        f"title: {title}\nbase_url: https://example.org/\nas_of: {AS_OF}\nlanguages: [vi]\nsample_data: true\n",
        encoding="utf-8",
    )


def months():
    return [(2024 + m // 12, m % 12 + 1) for m in range(MONTHS)]


def national(root):
    rng = random.Random(2025)
    c = root / "content"
    for sub in ["plans", "news", "pages"]:
        (c / sub).mkdir(parents=True, exist_ok=True)
    site_yaml(c, "Cổng thử tải cấp quốc gia")
    groups = "\n".join(f"  - id: to-{g}\n    name: Tổ công tác số {g}\n    leader: Phó Chủ tịch {g}" for g in range(20))
    ags = "\n".join(
        f"  - id: co-quan-{a}\n    name: Cơ quan thử nghiệm số {a}\n    short: CQ {a}\n    kind: department\n    group: to-{a % 20}"
        for a in range(AGENCIES)
    )
    (c / "agencies.yaml").write_text(f"groups:\n{groups}\nagencies:\n{ags}\n", encoding="utf-8")
    kpis = "\n".join(
        f"  - id: chi-tieu-{k}\n    name: Tỷ lệ {rng.choice(WORDS)} {rng.choice(WORDS)} thứ {k}\n    unit: \"%\"\n    target: 90\n"
        f"    baseline: {{ date: 2023-12-31, value: {rng.randint(10, 60)} }}\n    deadline: 2025-12-31\n    owner: co-quan-{k % AGENCIES}"
        for k in range(KPIS)
    )
    (c / "kpis.yaml").write_text(f"kpis:\n{kpis}\n", encoding="utf-8")
    lead_of = {}
    per_plan = TASKS // PLANS
    for p in range(PLANS):
        lines = [f"id: ke-hoach-{p}", f"title: Kế hoạch chuyển đổi số số {p}", "issued: 2024-01-05", "tasks:"]
        for i in range(p * per_plan, (p + 1) * per_plan):
            lead = rng.randrange(AGENCIES)
            lead_of[i] = lead
            year, month = 2024 + rng.randrange(2), rng.randint(1, 12)
            deadline = "ongoing" if i % 17 == 0 else f"{rng.randint(1, 28):02d}/{month:02d}/{year}"
            lines += [
                f"  - id: nhiem-vu-{i}",
                f"    ref: \"{p}.{i}\"",
                f"    title: {sentence(rng, 9)[:-1]} (nhiệm vụ {i})",
                f"    description: {sentence(rng, 25)}",
                f"    lead: co-quan-{lead}",
                f"    support: [co-quan-{(lead + 1) % AGENCIES}]",
                f"    deadline: {deadline}",
                f"    result: {sentence(rng, 6)}",
                "    responsible: Thủ trưởng cơ quan",
                f"    tags: [chu-de-{i % TAGS}]",
            ]
        (c / "plans" / f"ke-hoach-{p}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    states = ["in_progress"] * 16 + ["blocked", "blocked", "not_started", "done"]
    done = set()
    updates = 0
    for year, month in months():
        d = c / "reports" / f"{year}-{month:02d}"
        d.mkdir(parents=True, exist_ok=True)
        by_agency = {}
        for i, lead in lead_of.items():
            if i not in done and rng.random() < 0.75:
                by_agency.setdefault(lead, []).append(i)
        for a in range(AGENCIES):
            if rng.random() < 0.05:
                continue  # a missing report
            lines = [f"agency: co-quan-{a}", f"period: {year}-{month:02d}", f"submitted: {year}-{month:02d}-{rng.randint(10, 24):02d}"]
            lines.append("updates:")
            for i in by_agency.get(a, []):
                state = states[rng.randrange(len(states))]
                if i % 17 == 0 and state == "done":
                    state = "in_progress"
                updates += 1
                lines += [f"  - task: nhiem-vu-{i}", f"    state: {state}"]
                if state == "done":
                    done.add(i)
                    lines.append(f"    done_on: {year}-{month:02d}-05")
                elif state != "not_started":
                    lines.append(f"    progress: {rng.randint(5, 95)}")
                lines.append(f"    note: {sentence(rng, 12)}")
            kv = [k for k in range(a, KPIS, AGENCIES)]
            if kv:
                lines.append("kpi_values:")
                lines += [f"  - {{ kpi: chi-tieu-{k}, date: {year}-{month:02d}-05, value: {rng.randint(30, 95)} }}" for k in kv]
            if lines[-1] == "updates:":
                lines.pop()
            (d / f"co-quan-{a}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for n in range(ARTICLES):
        (c / "news" / f"tin-{n}.md").write_text(article(rng, n, True), encoding="utf-8")
    (c / "pages" / "gioi-thieu.md").write_text("---\ntitle: Giới thiệu\nmenu: 1\n---\nCổng thử tải.\n", encoding="utf-8")
    print(f"national: {AGENCIES} agencies, {TASKS} tasks in {PLANS} plans, {updates} updates, "
          f"{KPIS} KPIs, {ARTICLES} articles in {root}")


HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "vi"
title = "Cổng thử tải"
[pagination]
  pagerSize = 10
[taxonomies]
  tag = "tags"
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> <a href="{{ "/tin-tuc/" | relURL }}">Tin tức</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1><p><time>{{ .Date.Format "02/01/2006" }}</time></p>
<p>{{ .Params.summary }}</p>{{ if gt .WordCount 400 }}<nav>{{ .TableOfContents }}</nav>{{ end }}{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p></article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages.ByDate.Reverse }}
<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "02/01/2006" }}</time><p>{{ .Params.summary }}</p></li>{{ end }}</ul>
{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Sau</a>{{ end }}{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "02/01/2006" }}</time></li>{{ end }}</ul>{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>{{ end }}
""",
}


def news(root, hugo):
    """The same articles (same bytes) for tiendo and for Hugo."""
    rng = random.Random(2026)
    c = root / "content"
    for sub in ["plans", "news", "pages"]:
        (c / sub).mkdir(parents=True, exist_ok=True)
    site_yaml(c, "Cổng thử tải")
    (c / "agencies.yaml").write_text(
        "groups:\n  - id: to-1\n    name: Tổ công tác\n    leader: Phó Chủ tịch\n"
        "agencies:\n  - id: co-quan\n    name: Cơ quan\n    kind: department\n    group: to-1\n",
        encoding="utf-8",
    )
    (c / "kpis.yaml").write_text("kpis: []\n", encoding="utf-8")
    (c / "plans" / "ke-hoach.yaml").write_text(
        "id: ke-hoach\ntitle: Kế hoạch\nissued: 2025-01-05\ntasks:\n"
        "  - id: nhiem-vu\n    title: Nhiệm vụ\n    lead: co-quan\n    deadline: 2025-12-31\n"
        "    result: Kết quả\n    responsible: Giám đốc\n",
        encoding="utf-8",
    )
    (hugo / "content" / "tin-tuc").mkdir(parents=True, exist_ok=True)
    (hugo / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (hugo / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    total = 0
    for n in range(ARTICLES):
        text = article(rng, n, False)
        total += len(text.encode())
        (c / "news" / f"tin-{n}.md").write_text(text, encoding="utf-8")
        (hugo / "content" / "tin-tuc" / f"tin-{n}.md").write_text(text, encoding="utf-8")
    print(f"news: {ARTICLES} articles ({total / 1e6:.1f} MB of Markdown) in {root} and {hugo}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "national":
        national(Path(sys.argv[2]))
    elif len(sys.argv) >= 4 and sys.argv[1] == "news":
        news(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(__doc__)
