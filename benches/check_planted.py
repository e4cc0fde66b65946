#!/usr/bin/env python3
"""Checks a `keyward git --format json --show-secrets` report of a make-history.py repository
against its ground truth (OUT.planted.json): every planted secret found, with the right
introducing commit, path and line, and removed ones marked as not present at HEAD.

    keyward git REPO --format json --show-secrets -o report.json
    benches/check_planted.py REPO.planted.json report.json
Exit status 0 when everything matches; the problems are listed otherwise.
"""
import json, sys

def main():
    truth = json.load(open(sys.argv[1]))["planted"]
    report = json.load(open(sys.argv[2]))
    problems = []
    for p in truth:
        secret = p["secret"]
        hits = [f for f in report["findings"]
                if f["secret"] == secret or any(c["secret"] == secret for c in f["companions"])
                or (len(secret) > 60 and secret.splitlines()[0] in f["secret"])]
        if not hits:
            problems.append(f"MISSED {p['kind']} at {p['path']} (commit {p['commit']})")
            continue
        at_path = [f for f in hits if f["path"] == p["path"]] or hits
        f = at_path[0]
        origin = f["origin"]
        commit = (origin.get("commit") or {}).get("id")
        if commit != p["commit"]:
            problems.append(f"WRONG COMMIT {p['path']}: {commit} != {p['commit']}")
        if f["path"] != p["path"]:
            problems.append(f"WRONG PATH {p['path']}: {f['path']}")
        line = f["line"] if f["secret"] == secret or len(secret) > 60 else next(c["line"] for c in f["companions"] if c["secret"] == secret)
        end = f["end"]["line"] if f["secret"] == secret or len(secret) > 60 else line
        # A multi-line secret (a PEM block) spans lines; the planted line must fall inside it.
        if not (line <= p["line"] <= max(line, end)):
            problems.append(f"WRONG LINE {p['path']}: {line} != {p['line']}")
        removed = p.get("removed_in") is not None
        if removed and origin.get("present_at_head"):
            problems.append(f"REMOVED BUT AT HEAD {p['path']}")
        if not removed and p.get("ref", "refs/heads/main") == "refs/heads/main" and not origin.get("present_at_head"):
            problems.append(f"LIVE BUT NOT AT HEAD {p['path']}")
    print(f"{len(truth)} planted, {len(problems)} problems")
    for x in problems:
        print("  " + x)
    sys.exit(1 if problems else 0)

main()
