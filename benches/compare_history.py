#!/usr/bin/env python3
"""History and staged-change benchmarks: keyward against Betterleaks and Kingfisher (and
Gitleaks when asked) on the make-history.py corpus, alternating, RUNS times each; then the
correctness check of keyward's report against the planted ground truth; then `keyward git
--staged` with one staged file against `betterleaks git --staged` and plain `git diff --cached`.

    ../shared/bench/make-history.py DATA/linux-source-6.1 DATA/hist-s1 --seed 1
    benches/compare_history.py --repo DATA/hist-s1 --peers DATA/peers/bin [--runs 3] [--gitleaks]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(__file__))
from compare_tree import timed  # noqa: E402

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--peers", required=True)
    ap.add_argument("--keyward", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "keyward"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gitleaks", action="store_true")
    ap.add_argument("--staged-runs", type=int, default=21)
    a = ap.parse_args()
    out = tempfile.mkdtemp(prefix="kw-hist-")
    tools = {
        "keyward": [a.keyward, "git", a.repo, "--format", "json", "--show-secrets", "-o", f"{out}/keyward.json", "--no-progress"],
        "betterleaks": [f"{a.peers}/betterleaks", "git", a.repo, "-o", f"{out}/betterleaks.json", "--no-banner", "-l", "error", "--exit-code", "0"],
        "kingfisher": [f"{a.peers}/kingfisher", "scan", a.repo, "--no-validate", "--no-update-check", "--format", "json", "-o", f"{out}/kingfisher.json", "-q"],
    }
    if a.gitleaks:
        tools["gitleaks"] = [f"{a.peers}/gitleaks", "git", a.repo, "--report-format", "json", "--report-path", f"{out}/gitleaks.json", "--no-banner", "--exit-code", "0"]
    res = {k: [] for k in tools}
    for i in range(a.runs):
        for name, cmd in tools.items():
            if name == "gitleaks" and i > 0:
                continue
            w, r, code = timed(cmd)
            res[name].append((w, r))
            print(f"run {i+1} {name:<12} {w:7.2f} s {r:8.1f} MiB (exit {code})", file=sys.stderr)
    med = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for k, v in res.items() if v}
    print(f"\nrepo: {a.repo}  runs: {a.runs} each, alternating")
    print(f"{'tool':<12} {'median wall':>12} {'median peak RSS':>16}")
    for k, (w, r) in med.items():
        print(f"{k:<12} {w:10.2f} s {r:12.1f} MiB")
    kw = med["keyward"]
    for peer in ("betterleaks", "kingfisher", "gitleaks"):
        if peer in med:
            print(f"keyward / {peer}: wall {kw[0] / med[peer][0]:.2f}x, RSS {kw[1] / med[peer][1]:.2f}x")
    planted = a.repo.rstrip("/") + ".planted.json"
    if os.path.exists(planted):
        print("\nplanted secrets check:")
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "check_planted.py"), planted, f"{out}/keyward.json"])
    staged(a)

def staged(a):
    """One staged file in the big repository; whole-process wall time, median of N."""
    repo = a.repo
    path = os.path.join(repo, "keyward-bench-staged.txt")
    with open(path, "w") as f:
        f.write("export AWS_ACCESS_KEY_ID=AKIAZ3MHBX4QTY7VQZ7B\nexport AWS_SECRET_ACCESS_KEY=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\n")
    subprocess.run(["git", "-C", repo, "add", "-f", path], check=True)
    try:
        cmds = {
            "keyward git --staged": [a.keyward, "git", repo, "--staged", "--no-progress", "--format", "json"],
            "betterleaks git --staged": [f"{a.peers}/betterleaks", "git", repo, "--staged", "--no-banner", "-l", "error", "--exit-code", "0"],
            "git diff --cached": ["git", "-C", repo, "diff", "--cached", "--quiet"],
        }
        times = {k: [] for k in cmds}
        for _ in range(a.staged_runs):
            for k, c in cmds.items():
                t = time.perf_counter()
                p = subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[k].append(time.perf_counter() - t)
        print(f"\nstaged: one file in {repo}, median of {a.staged_runs} runs (whole process)")
        for k, v in times.items():
            print(f"{k:<26} {statistics.median(v) * 1000:8.1f} ms")
    finally:
        subprocess.run(["git", "-C", repo, "rm", "-q", "--cached", path])
        os.remove(path)

if __name__ == "__main__":
    main()
