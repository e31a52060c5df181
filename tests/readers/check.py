"""Independent readers accept tiendo's files: frictionless validates the
data package and its CSV files, icalendar parses every .ics, feedparser
parses every Atom feed. Usage: check.py SITE_DIR. Prints one line per
check and a closing 'N passed, N failed' line; exits 1 on any failure."""

import sys
from pathlib import Path

import feedparser
import icalendar
from frictionless import Package, validate

site = Path(sys.argv[1])
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


report = validate(str(site / "du-lieu" / "datapackage.json"))
errors = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
check("frictionless: datapackage.json and every CSV", report.valid, "; ".join(errors[:5]))
package = Package(str(site / "du-lieu" / "datapackage.json"))
for resource in package.resources:
    rows = resource.read_rows()
    check(f"frictionless: {resource.name} has rows", len(rows) > 0, "no rows")

# The one download: a valid data package once unpacked.
import tempfile
import zipfile

with tempfile.TemporaryDirectory() as unpacked:
    with zipfile.ZipFile(site / "du-lieu" / "tiendo-du-lieu.zip") as z:
        names = z.namelist()
        z.extractall(unpacked)
    check("zip: holds datapackage.json and README.md", {"datapackage.json", "README.md"} <= set(names), repr(names))
    report = validate(str(Path(unpacked) / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    check("frictionless: the data package inside tiendo-du-lieu.zip", report.valid, "; ".join(errors[:5]))

for ics in sorted(site.rglob("*.ics")):
    try:
        cal = icalendar.Calendar.from_ical(ics.read_bytes())
        events = cal.walk("VEVENT")
        uids = [str(e["UID"]) for e in events]
        ok = len(uids) == len(set(uids)) and all(e.get("DTSTART") and e.get("DTSTAMP") for e in events)
        check(f"icalendar: {ics.relative_to(site)} ({len(events)} events)", ok, "duplicate UID or missing DTSTART/DTSTAMP")
    except Exception as e:  # noqa: BLE001 - any parse failure is a failed check
        check(f"icalendar: {ics.relative_to(site)}", False, repr(e))

for xml in sorted(site.rglob("*.xml")):
    if xml.name == "sitemap.xml":
        continue
    feed = feedparser.parse(xml.read_bytes())
    ok = not feed.bozo and feed.version == "atom10" and feed.feed.get("title")
    check(f"feedparser: {xml.relative_to(site)} ({len(feed.entries)} entries)", ok, repr(feed.get("bozo_exception")))
    for entry in feed.entries:
        if not (entry.get("id") and entry.get("link") and entry.get("updated")):
            check(f"feedparser: entry of {xml.relative_to(site)}", False, "entry without id, link or updated")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
