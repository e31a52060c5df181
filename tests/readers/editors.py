"""Independent checks of the editors' tools, with tools tiendo does not use.

1. JSON Schemas (`tiendo schema`) under `jsonschema` (draft 2020-12): they
   accept every content file of the default site, the scaffold of
   `tiendo init` and the test fixture, and reject files with unknown keys
   or wrong types, which `tiendo check` rejects too.
2. Report workbooks under `openpyxl`: one exported by tiendo and edited
   here, and one written here from scratch, import with `tiendo import`.
3. The translators' workbook under `openpyxl`: exported by tiendo, locked
   but for its English column, a title typed here comes back into the
   plan's YAML through `tiendo import`.

Usage: python editors.py TIENDO_BINARY   (from the repository root)
Prints one `ok ...` line per check and a last line with the count; exits
1 on the first failure.
"""

import datetime
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import openpyxl
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIENDO = str(pathlib.Path(sys.argv[1]).resolve())
passed = 0


def ok(what):
    global passed
    passed += 1
    print(f"ok {what}")


def fail(what):
    print(f"FAIL {what}")
    sys.exit(1)


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 as tiendo reads it: dates stay text, and only true/false
    are booleans (yes, no, on, off are text)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
        and not (tag == "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def front_matter(text):
    _, fm, _ = text.split("---\n", 2)
    return fm


def kind_of(rel):
    parts = rel.split("/")
    if rel == "content/site.yaml":
        return "site"
    if rel == "content/agencies.yaml":
        return "agencies"
    if rel == "content/kpis.yaml":
        return "kpis"
    if parts[1] == "plans" and rel.endswith(".yaml"):
        return "plan"
    if parts[1] == "reports" and rel.endswith(".yaml"):
        return "report"
    if parts[1] == "news" and rel.endswith(".md"):
        return "news"
    if parts[1] == "pages" and rel.endswith(".md"):
        return "page"
    return None


def instance(rel, text):
    if rel.endswith(".md"):
        text = front_matter(text)
    return yaml.load(text, Loader=Yaml12Loader)


def run(*args, root=None):
    cmd = [TIENDO, *args] + (["--root", str(root)] if root else [])
    return subprocess.run(cmd, capture_output=True, text=True)


def schemas(tmp):
    out = tmp / "schemas"
    r = run("schema", "--out", str(out))
    if r.returncode != 0:
        fail(f"tiendo schema: {r.stderr}")
    validators = {}
    for path in out.glob("*.schema.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[path.name.removesuffix(".schema.json")] = jsonschema.Draft202012Validator(schema)
    if len(validators) != 7:
        fail(f"expected 7 schemas, got {sorted(validators)}")
    ok("7 schemas are valid draft 2020-12 schemas")
    return validators


def accepts_every_valid_site(validators, tmp):
    init = tmp / "init"
    r = run("init", str(init))
    if r.returncode != 0:
        fail(f"tiendo init: {r.stderr}")
    sites = {
        "the default content": ROOT,
        "the scaffold": ROOT / "scaffold",
        "the minimal fixture": ROOT / "tests/fixtures/minimal",
        "a site from tiendo init": init,
    }
    for name, site in sites.items():
        n = 0
        for path in sorted((site / "content").rglob("*")):
            rel = path.relative_to(site).as_posix()
            kind = kind_of(rel)
            if kind is None or not path.is_file():
                continue
            errors = list(validators[kind].iter_errors(instance(rel, path.read_text())))
            if errors:
                fail(f"{name}: {rel}: {errors[0].message} at {list(errors[0].path)}")
            n += 1
        ok(f"schemas accept all {n} content files of {name}")


# (file, text, kind): each breaks a rule of the load stage, so `tiendo
# check` rejects it and so must the schema.
INVALID = [
    ("content/plans/ke-hoach.yaml", "id: ke-hoach\ntitle: K\nissued: 2025-02-25\ntasks: viec\n", "plan"),
    (
        "content/plans/ke-hoach.yaml",
        "id: ke-hoach\ntitle: K\nissued: 2025-02-25\ntasks:\n  - id: viec-mot\n    title: Việc\n    deadlin: 2025-03-31\n",
        "plan",
    ),
    ("content/site.yaml", "title: T\nbase_url: https://x.example/\nsample_data: yes\n", "site"),
    ("content/site.yaml", "title: T\nbase_url: https://x.example/\ntheme: dark\n", "site"),
    ("content/agencies.yaml", "agencies:\n  - id: so-mot\n    nam: Sở\n    kind: department\n", "agencies"),
    ("content/agencies.yaml", "agencies:\n  - id: so-mot\n    name: [Sở, Một]\n    kind: department\n", "agencies"),
    ("content/kpis.yaml", "kpis:\n  id: chi-tieu\n", "kpis"),
    (
        "content/reports/2025-03/so-mot.yaml",
        "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  task: viec-mot\n  state: done\n",
        "report",
    ),
    (
        "content/reports/2025-03/so-mot.yaml",
        "agency: so-mot\nperiod: 2025-03\nsubmitted: 2025-03-19\nupdates:\n  - task: viec-mot\n    state: in_progress\n    progres: 50\n",
        "report",
    ),
    ("content/news/tin-mot.md", "---\ntitle: Tin\ndate: 2025-03-01\ntags: chuyen-doi-so\n---\nBài.\n", "news"),
    ("content/news/tin-mot.md", "---\ntitle: Tin\ndate: 2025-03-01\nanh: a.jpg\n---\nBài.\n", "news"),
    ("content/pages/gioi-thieu.md", "---\ntitle: Giới thiệu\nmenu: [1]\n---\nTrang.\n", "page"),
]


def rejects_what_check_rejects(validators, tmp):
    for i, (rel, text, kind) in enumerate(INVALID):
        errors = list(validators[kind].iter_errors(instance(rel, text)))
        if not errors:
            fail(f"the {kind} schema accepts invalid sample {i}: {text!r}")
        site = tmp / f"invalid-{i}"
        shutil.copytree(ROOT / "tests/fixtures/minimal", site)
        (site / rel).write_text(text)
        r = run("check", root=site)
        if r.returncode != 1 or rel not in r.stderr:
            fail(f"tiendo check accepts invalid sample {i} ({r.returncode}): {r.stderr}")
    ok(f"schemas and tiendo check both reject all {len(INVALID)} invalid samples")


def site_copy(tmp, name):
    site = tmp / name
    shutil.copytree(ROOT / "content", site / "content")
    return site


def edited_workbook(tmp):
    site = site_copy(tmp, "xlsx-edit")
    book = tmp / "so-khcn-2025-05.xlsx"
    r = run("export", "report", "--agency", "so-khcn", "--period", "2025-05", "--xlsx", str(book), root=site)
    if r.returncode != 0:
        fail(f"export: {r.stderr}")
    wb = openpyxl.load_workbook(book)
    if wb.sheetnames != ["Hướng dẫn", "Báo cáo", "Nhiệm vụ", "Chỉ số", "Kiến nghị", "Trả lời"]:
        fail(f"sheets: {wb.sheetnames}")
    updates = wb["Nhiệm vụ"]
    if not updates.protection.sheet or updates["A2"].protection.locked is False:
        fail("the id column is not locked")
    if updates["D2"].protection.locked:
        fail("the progress column is locked")
    kinds = {dv.type for dv in updates.data_validations.dataValidation}
    if not {"list", "decimal", "date"} <= kinds:
        fail(f"validations on the updates sheet: {kinds}")
    wb["Báo cáo"]["B4"] = "20/05/2025"  # a date typed as text
    updates["D2"] = 91
    updates["F2"] = "Sửa bằng openpyxl."
    wb["Chỉ số"]["D2"] = datetime.datetime(2025, 5, 16)  # a real Excel date
    wb["Chỉ số"]["E2"] = 75.5
    wb.save(book)
    r = run("import", str(book), root=site)
    if r.returncode != 2 or "--force" not in r.stderr:
        fail(f"import replaced a report without --force: {r.returncode} {r.stderr}")
    r = run("import", str(book), "--force", root=site)
    if r.returncode != 0:
        fail(f"import of the workbook edited by openpyxl: {r.stderr}")
    text = (site / "content/reports/2025-05/so-khcn.yaml").read_text()
    # Edited in place: the values changed, the file's comment and its
    # one-line KPI values kept.
    for line in [
        "# Báo cáo tháng 05/2025 — dữ liệu minh họa.\n",
        "submitted: 2025-05-20\n",
        "    progress: 91\n    note: \"Sửa bằng openpyxl.\"\n",
        "  - { kpi: dvc-toan-trinh, date: 2025-05-16, value: 75.5 }\n",
    ]:
        if line not in text:
            fail(f"imported report lacks {line!r}:\n{text}")
    kept = list((site / "content/reports/2025-05").glob("so-khcn.yaml.*.bak~"))
    if len(kept) != 1 or "value: 74 }" not in kept[0].read_text():
        fail(f"the replaced report is not kept beside it: {kept}")
    r = run("check", root=site)
    if r.returncode != 0:
        fail(f"check after import: {r.stderr}")
    ok("a workbook exported by tiendo and edited by openpyxl imports, with a text date and an Excel date")


def workbook_from_scratch(tmp):
    site = site_copy(tmp, "xlsx-new")
    wb = openpyxl.Workbook()
    wb.active.title = "Báo cáo"
    rep = wb["Báo cáo"]
    rep.append(["Trường", "Giá trị"])
    rep.append(["agency", "so-y-te"])
    rep.append(["period", "2025-05"])
    rep.append(["submitted", datetime.date(2025, 5, 19)])
    rep.append(["summary", "Bệnh án điện tử."])
    ups = wb.create_sheet("Nhiệm vụ")
    ups.append(["task", "Tên nhiệm vụ", "state", "progress", "done_on", "note", "evidence"])
    ups.append(["benh-an-dien-tu", "", "Đang thực hiện", "90%", None, "11/12 bệnh viện.", None])
    wb.create_sheet("Chỉ số").append(["kpi", "Tên chỉ số", "Đơn vị", "date", "value", "note"])
    book = tmp / "so-y-te.xlsx"
    wb.save(book)
    r = run("import", str(book), root=site)
    if r.returncode != 0:
        fail(f"import of a workbook written by openpyxl: {r.stderr}")
    text = (site / "content/reports/2025-05/so-y-te.yaml").read_text()
    if "submitted: 2025-05-19\n" not in text or "    progress: 90\n" not in text:
        fail(f"imported report:\n{text}")
    r = run("check", root=site)
    if r.returncode != 0 or "`so-y-te` has not submitted its report for 2025-05" in r.stderr:
        fail(f"check after import: {r.stderr}")
    ok("a workbook written from scratch by openpyxl imports")


def translators_workbook(tmp):
    site = site_copy(tmp, "translations")
    book = tmp / "ban-dich.xlsx"
    r = run("export", "translations", "--xlsx", str(book), root=site)
    if r.returncode != 0:
        fail(f"export translations: {r.stderr}")
    wb = openpyxl.load_workbook(book)
    if wb.sheetnames != ["Hướng dẫn", "Bản dịch"]:
        fail(f"sheets: {wb.sheetnames}")
    texts = wb["Bản dịch"]
    if [c.value for c in texts[1]] != ["id", "trường", "Tiếng Việt", "English"]:
        fail(f"header: {[c.value for c in texts[1]]}")
    if not texts.protection.sheet or texts["C2"].protection.locked is False:
        fail("the Vietnamese column is not locked")
    if texts["D2"].protection.locked:
        fail("the English column is locked")
    row = next(r for r in texts.iter_rows(min_row=2) if r[0].value == "task/so-hoa-ho-so" and r[1].value == "title")
    row[3].value = "Digitise records: 100% of results"
    wb.save(book)
    r = run("import", str(book), root=site)
    # The default content has English for every title: this one replaces it.
    if r.returncode != 0 or "thêm 0 bản dịch, thay 1" not in r.stdout:
        fail(f"import of the translators' workbook edited by openpyxl: {r.stdout} {r.stderr}")
    text = (site / "content/plans/kl-2025-02.yaml").read_text()
    if '    title_en: "Digitise records: 100% of results"\n' not in text:
        fail(f"translated plan:\n{text}")
    r = run("check", root=site)
    if r.returncode != 0:
        fail(f"check after import: {r.stderr}")
    ok("a translators' workbook edited by openpyxl imports: locked but for English, the title quoted in YAML")


def main():
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        validators = schemas(tmp)
        accepts_every_valid_site(validators, tmp)
        rejects_what_check_rejects(validators, tmp)
        edited_workbook(tmp)
        workbook_from_scratch(tmp)
        translators_workbook(tmp)
    print(f"editors: {passed} checks passed")


main()
