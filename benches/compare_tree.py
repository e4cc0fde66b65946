#!/usr/bin/env python3
"""Working-tree benchmark: keyward against Kingfisher, Betterleaks and ripgrep on one corpus.

Runs the tools alternately (A B C A B C ...), RUNS times each, on a warm page cache, and prints
the median wall time and peak RSS of each plus keyward's ratios to each peer. Peers come from
../shared/bench/get-peers.sh and the corpus from ../shared/bench/corpus-linux.sh.

    benches/compare_tree.py --corpus DATA/linux-source-6.1 --peers DATA/peers/bin [--runs 3]
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile

def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS MiB, exit code)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    parts = [float(x) for x in wall.split(":")]
    secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return secs, rss, p.returncode

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--peers", required=True, help="directory with kingfisher, betterleaks")
    ap.add_argument("--keyward", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "keyward"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    out = tempfile.mkdtemp(prefix="kw-bench-")
    empty = tempfile.mkdtemp(prefix="kw-empty-")
    tools = {
        "keyward": [a.keyward, "scan", a.corpus, "--format", "json", "-o", f"{out}/keyward.json", "--no-progress"],
        "kingfisher": [f"{a.peers}/kingfisher", "scan", a.corpus, "--no-validate", "--no-update-check", "--format", "json", "-o", f"{out}/kingfisher.json", "-q"],
        "betterleaks": [f"{a.peers}/betterleaks", a.corpus, "-o", f"{out}/betterleaks.json", "--no-banner", "-l", "error", "--exit-code", "0"],
    }
    if shutil.which("rg"):
        tools["ripgrep-5-literals"] = ["rg", "-c", "-j2", "--no-ignore", "--hidden", "AKIA|ASIA|ghp_|xox[bp]-|sk_live_", a.corpus]
    tools = {k: v for k, v in tools.items() if os.path.exists(v[0]) or shutil.which(v[0])}
    # Warm the page cache once so every tool sees the same state.
    subprocess.run(["rg", "-c", "--no-ignore", "zzzzqqq", a.corpus] if shutil.which("rg") else ["true"], stdout=subprocess.DEVNULL)
    res = {k: [] for k in tools}
    for i in range(a.runs):
        for name, cmd in tools.items():
            w, r, code = timed(cmd)
            res[name].append((w, r))
            print(f"run {i+1} {name:<20} {w:7.2f} s {r:8.1f} MiB (exit {code})", file=sys.stderr)
    empties = sorted(timed([a.keyward, "scan", empty])[0] for _ in range(11))
    med = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for k, v in res.items()}
    print(f"\ncorpus: {a.corpus}  runs: {a.runs} each, alternating")
    print(f"{'tool':<20} {'median wall':>12} {'median peak RSS':>16}")
    for k, (w, r) in med.items():
        print(f"{k:<20} {w:10.2f} s {r:12.1f} MiB")
    kw = med.get("keyward")
    if kw:
        for peer in ("kingfisher", "betterleaks"):
            if peer in med:
                print(f"keyward / {peer}: wall {kw[0] / med[peer][0]:.2f}x, RSS {kw[1] / med[peer][1]:.2f}x")
    print(f"keyward scan of an empty directory: median {statistics.median(empties) * 1000:.1f} ms (11 runs)")

if __name__ == "__main__":
    main()
