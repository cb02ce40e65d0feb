#!/usr/bin/env bash
# Prints the failed tests with the first line of their error, then one plain closing line,
# "N passed, N failed, N skipped", from the trx files of a run.
set -euo pipefail
dir=${1:-TestResults}
python3 - "$dir" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    for result in root.iterfind("t:Results/t:UnitTestResult", ns):
        skipped += result.get("outcome") == "NotExecuted"
        if result.get("outcome") in ("Failed", "Error", "Timeout"):
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            first_line = message.splitlines()[0][:300] if message else ""
            print(f"FAILED {result.get('testName')} ({result.get('duration')}): {first_line}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
