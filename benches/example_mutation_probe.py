#!/usr/bin/env python3
"""Randomised rule examples: does each rule still find its own example when the secret's
random part is replaced by fresh random characters of the same classes?

A rule's examples are written once, by hand; a filter (entropy floor, allow list, placeholder
marker) that happens to let the written value through may still drop one real key in fifty.
For every example of every rule this script scans the example, takes the secret the rule
reports, replaces each letter and digit that is not part of one of the rule's keywords by a
random one of the same class (lower, upper, digit; hex stays hex), scans again and counts how
often the rule no longer reports it.

    python3 benches/example_mutation_probe.py [--keyward BINARY] [--rounds N] [--seed N] [--list]
"""
import argparse
import collections
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "..", "rules")
SKIP = {"shared.toml", "aws-canary-accounts.toml", "terraform-state.toml"}


def load_rules():
    rules = []
    for name in sorted(os.listdir(RULES)):
        if name.endswith(".toml") and name not in SKIP:
            with open(os.path.join(RULES, name), "rb") as f:
                rules.extend(tomllib.load(f).get("rules", []))
    return rules


def scan(keyward, files):
    """{file name: [(rule, secret)]} for a directory of example files."""
    with tempfile.TemporaryDirectory() as d:
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text + "\n")
        out = subprocess.run([keyward, "scan", d, "--no-progress", "--format", "json",
                              "--show-secrets", "--confidence", "low"],
                             capture_output=True, text=True).stdout
    found = collections.defaultdict(list)
    for f in json.loads(out)["findings"]:
        found[os.path.basename(f["path"])].append((f["rule"], f["secret"]))
    return found


def mutate(secret, keywords, rng):
    """The secret with its random part redrawn. Kept: the rule's keywords where they occur, the
    leading prefix up to the last separator in the first 16 characters (`sk-ant-api03-`,
    `xoxb-`, `live_`) or the first four characters of a token without one (`AKIA`), and every
    character that is not a letter or digit. Each other character is drawn from its class (digit,
    lower, upper) in the alphabet its segment appears to use (hex, base32, base58, base62). Structure the characters carry (checksums, base64 of JSON, a
    JWT) is not kept: those rules lose their mutated examples by design."""
    keep = [False] * len(secret)
    low = secret.lower()
    for k in keywords:
        k = k.lower()
        i = low.find(k)
        while k and i >= 0:
            for j in range(i, i + len(k)):
                keep[j] = True
            i = low.find(k, i + 1)
    head = secret[:16]
    cut = max(head.rfind(s) for s in "_-.")
    for j in range(cut + 1 if cut >= 0 else min(4, len(secret) // 4)):
        keep[j] = True
    # Pools per segment (runs between separators): `<32 hex>.<base62>` keeps hex in its hex part.
    seg_of, seg = [], 0
    for c in secret:
        if not c.isalnum():
            seg += 1
        seg_of.append(seg)
    pools = {}
    for s in set(seg_of):
        chars = [c for c, g, k in zip(secret, seg_of, keep) if g == s and not k and c.isalnum()]
        seen = set(chars)
        if chars and seen <= set("0123456789abcdef"):
            d, lo, up = string.digits, "abcdef", "ABCDEF"
        elif chars and seen <= set("0123456789ABCDEF"):
            d, lo, up = string.digits, "abcdef", "ABCDEF"
        else:
            d, lo, up = string.digits, string.ascii_lowercase, string.ascii_uppercase
            if seen & set(string.digits) and seen & set(string.digits) <= set("234567"):
                d = "234567"  # base32
            if len(chars) >= 20:  # base58 leaves out 0 O I l; keep an alphabet that does
                d = "".join(c for c in d if c != "0" or "0" in seen)
                up = "".join(c for c in up if c not in "IO" or c in seen)
                lo = "".join(c for c in lo if c != "l" or "l" in seen)
        pools[(s, "d")], pools[(s, "l")], pools[(s, "u")] = d, lo, up
    out = []
    for c, k, g in zip(secret, keep, seg_of):
        if k or not c.isalnum():
            out.append(c)
        else:
            cls = "d" if c.isdigit() else "l" if c.islower() else "u"
            out.append(rng.choice(pools[(g, cls)]))
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keyward", default=os.path.join(HERE, "..", "target", "release", "keyward"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list", action="store_true", help="print every lost mutation")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rules = load_rules()
    originals, meta = {}, {}
    for r in rules:
        if r.get("validate"):
            continue  # structural checks (base64 of a key, user:pass) fail on redrawn characters by design
        for i, ex in enumerate(r.get("examples", [])):
            name = f"{r['id']}.{i}.txt"
            originals[name] = ex
            meta[name] = r
    base = scan(a.keyward, originals)
    cases, mutated = {}, {}
    for name, ex in originals.items():
        r = meta[name]
        secrets = [s for rule, s in base.get(name, []) if rule == r["id"]]
        if not secrets or len(secrets[0]) < 12:
            continue
        for n in range(a.rounds):
            m = mutate(secrets[0], r.get("keywords", []), rng)
            if m == secrets[0]:
                continue
            file = f"m{len(mutated)}.txt"
            mutated[file] = ex.replace(secrets[0], m)
            cases[file] = (r["id"], name, m)
    found = scan(a.keyward, mutated)
    lost = collections.Counter()
    total = collections.Counter()
    for file, (rule, name, m) in cases.items():
        total[rule] += 1
        if not any(r == rule for r, _ in found.get(file, [])):
            lost[rule] += 1
            if a.list:
                print("LOST", rule, repr(mutated[file][:160]))
    n_lost, n = sum(lost.values()), sum(total.values())
    print(f"{n - n_lost}/{n} mutated examples still found by their rule "
          f"({len(total)} rules, {a.rounds} rounds, seed {a.seed})")
    for rule, k in lost.most_common(40):
        print(f"  {rule}: lost {k}/{total[rule]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
