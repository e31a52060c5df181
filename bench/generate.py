"""Writes a large synthetic portal for the build benchmark:
generate.py DIR [TASKS] [ARTICLES]. Deterministic (fixed seed)."""

import random
import sys
from pathlib import Path

root = Path(sys.argv[1])
tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
articles = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
agencies = 200
rng = random.Random(2025)
c = root / "content"
for sub in ["plans", "news", "pages"]:
    (c / sub).mkdir(parents=True, exist_ok=True)
(c / "site.yaml").write_text(
    "title: Cổng thử tải\nbase_url: https://example.org/\nas_of: 2025-12-25\nlanguages: [vi, en]\nsample_data: true\n",
    encoding="utf-8",
)
groups = "\n".join(f"  - id: to-{g}\n    name: Tổ công tác số {g}\n    leader: Phó Chủ tịch {g}" for g in range(5))
ags = "\n".join(
    f"  - id: co-quan-{a}\n    name: Sở thử nghiệm số {a} tỉnh Hải Dương\n    short: Sở {a}\n    kind: department\n    group: to-{a % 5}"
    for a in range(agencies)
)
(c / "agencies.yaml").write_text(f"groups:\n{groups}\nagencies:\n{ags}\n", encoding="utf-8")
kpis = "\n".join(
    f"  - id: chi-tieu-{k}\n    name: Tỷ lệ chuyển đổi số thứ {k}\n    unit: \"%\"\n    target: 90\n"
    f"    baseline: {{ date: 2024-12-31, value: {rng.randint(10, 60)} }}\n    deadline: 2025-12-31\n    owner: co-quan-{k}"
    for k in range(50)
)
(c / "kpis.yaml").write_text(f"kpis:\n{kpis}\n", encoding="utf-8")
lead_of = {}
per_plan = 1000
for p in range(0, tasks, per_plan):
    lines = [f"id: ke-hoach-{p // per_plan}", f"title: Kế hoạch chuyển đổi số số {p // per_plan}", "issued: 2025-01-10", "tasks:"]
    for i in range(p, min(p + per_plan, tasks)):
        lead = rng.randrange(agencies)
        lead_of[i] = lead
        month = rng.randint(1, 12)
        deadline = "ongoing" if i % 17 == 0 else f"{rng.randint(1, 28):02d}/{month:02d}/2025"
        lines += [
            f"  - id: nhiem-vu-{i}",
            f"    ref: \"{i}\"",
            f"    title: Triển khai nhiệm vụ chuyển đổi số thứ {i} tại đơn vị",
            f"    description: Mô tả **nhiệm vụ** số {i}, gồm các bước triển khai cụ thể.",
            f"    lead: co-quan-{lead}",
            f"    support: [co-quan-{(lead + 1) % agencies}]",
            f"    deadline: {deadline}",
            "    result: Kết quả cụ thể",
            "    responsible: Giám đốc sở",
            f"    tags: [chu-de-{i % 40}]",
        ]
    (c / "plans" / f"ke-hoach-{p // per_plan}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
states = ["in_progress", "in_progress", "blocked", "done", "not_started"]
for month in range(1, 13):
    d = c / "reports" / f"2025-{month:02d}"
    d.mkdir(parents=True, exist_ok=True)
    by_agency = {}
    for i, lead in lead_of.items():
        if rng.random() < 0.3:
            by_agency.setdefault(lead, []).append(i)
    for a in range(agencies):
        if rng.random() < 0.05:
            continue  # a missing report
        lines = [f"agency: co-quan-{a}", f"period: 2025-{month:02d}", f"submitted: 2025-{month:02d}-{rng.randint(10, 24):02d}"]
        lines.append("updates:")
        for i in by_agency.get(a, []):
            state = states[rng.randrange(len(states))]
            if i % 17 == 0 and state == "done":
                state = "in_progress"
            lines += [f"  - task: nhiem-vu-{i}", f"    state: {state}"]
            if state == "done":
                lines.append(f"    done_on: 2025-{month:02d}-05")
            elif state != "not_started":
                lines.append(f"    progress: {rng.randint(5, 95)}")
            lines.append(f"    note: Đã triển khai các bước của tháng {month}.")
        if a < 50:
            lines += ["kpi_values:", f"  - {{ kpi: chi-tieu-{a}, date: 2025-{month:02d}-05, value: {rng.randint(30, 95)} }}"]
        if lines[-1] == "updates:":
            lines.pop()
        (d / f"co-quan-{a}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
for n in range(articles):
    tasks_ref = ", ".join(f"nhiem-vu-{rng.randrange(tasks)}" for _ in range(2))
    (c / "news" / f"tin-{n}.md").write_text(
        f"---\ntitle: Tin chuyển đổi số số {n}\ndate: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
        f"summary: Tóm tắt tin số {n}.\ntags: [chu-de-{n % 40}]\ntasks: [{tasks_ref}]\n---\n"
        f"## Nội dung\n\nBài viết số {n} về **chuyển đổi số**.\n\n## Chi tiết\n\n- Một\n- Hai\n",
        encoding="utf-8",
    )
(c / "pages" / "gioi-thieu.md").write_text("---\ntitle: Giới thiệu\nmenu: 1\n---\nCổng thử tải.\n", encoding="utf-8")
print(f"{tasks} tasks, {articles} articles, {agencies} agencies in {root}")
