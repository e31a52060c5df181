"""Independent readers accept tiendo's files: frictionless validates the
data package and its CSV files, icalendar parses every .ics, feedparser
parses every Atom feed, rdflib reads the DCAT-AP catalogue as RDF and
its sizes and SHA-256 checksums match the files. Usage: check.py SITE_DIR. Prints one line per
check and a closing 'N passed, N failed' line; exits 1 on any failure."""

import sys
from pathlib import Path

import hashlib
from urllib.parse import urlparse

import feedparser
import icalendar
import rdflib
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
    # A site whose reports raise no proposal has an empty register: its
    # header alone is the right file.
    may_be_empty = resource.name == "kien-nghi"
    check(f"frictionless: {resource.name} has rows", len(rows) > 0 or may_be_empty, "no rows")

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

# The DCAT-AP catalogue, read as RDF (JSON-LD): every table and the zip is
# a dataset, each distribution's size and checksum are the file's.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
graph = rdflib.Graph()
try:
    graph.parse(str(site / "du-lieu" / "dcat.jsonld"), format="json-ld")
    parsed = True
except Exception as e:  # noqa: BLE001 - any parse failure is a failed check
    parsed = False
    check("rdflib: du-lieu/dcat.jsonld parses as JSON-LD", False, repr(e))
if parsed:
    catalogs = list(graph.subjects(rdflib.RDF.type, DCAT.Catalog))
    check("rdflib: one dcat:Catalog", len(catalogs) == 1, repr(catalogs))
    check("rdflib: the catalogue names its publisher",
          bool(catalogs) and graph.value(catalogs[0], DCT.publisher) is not None)
    if package.licenses:
        check("rdflib: the catalogue names the data's licence",
              bool(catalogs) and graph.value(catalogs[0], DCT.license) is not None)
    # The site's base path: the catalogue's own address less its place.
    base = urlparse(str(catalogs[0])).path[: -len("du-lieu/dcat.jsonld")] if catalogs else "/"
    datasets = list(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    stems = {str(graph.value(d, DCT.identifier)) for d in datasets}
    want = {r.name for r in package.resources} | {"tiendo-du-lieu"}
    check("rdflib: a dataset per table and one for the zip", want <= stems, f"{sorted(stems)} vs {sorted(want)}")
    for dist in graph.subjects(rdflib.RDF.type, DCAT.Distribution):
        url = str(graph.value(dist, DCAT.downloadURL))
        local = site / urlparse(url).path[len(base):]
        size = int(graph.value(dist, DCAT.byteSize))
        checksum = graph.value(dist, SPDX.checksum)
        value = str(graph.value(checksum, SPDX.checksumValue)) if checksum is not None else ""
        ok = local.is_file() and local.stat().st_size == size and hashlib.sha256(local.read_bytes()).hexdigest() == value
        check(f"rdflib: {urlparse(url).path} size and SHA-256 match", ok, f"{size} {value}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
