#!/usr/bin/env python3
"""Assignment-syntax probe: how many ways of writing down a credential does the scanner find?

Writes one file per (credential name, layout, value shape) with a fresh random value for a
made-up provider ("zorbly", which no rule knows), scans them all at the default confidence and
prints the share found per name, per layout and per value shape. Rule examples from other
scanners and real leaks name tokens after their provider (`zorbly_token`, `ZORBLY_API_KEY`,
`acmeToken`) in every language's syntax; this measures the generic layer on exactly that.

    python3 benches/name_probe.py [--keyward target/release/keyward] [--seed N] [--misses]
"""
import argparse
import base64
import collections
import json
import os
import random
import string
import subprocess
import tempfile


def shapes(rng):
    def mixed(n):
        while True:
            s = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))
            if any(c.isupper() for c in s) and any(c.islower() for c in s) and any(c.isdigit() for c in s):
                return s

    def hexs(n):
        return "".join(rng.choice("0123456789abcdef") for _ in range(n))

    def b64(n):
        return "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(n))

    def single_case(n, letters):
        while True:
            s = "".join(rng.choice(letters + string.digits) for _ in range(n))
            if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
                return s

    def b64_bytes(n):
        return base64.b64encode(bytes(rng.randrange(256) for _ in range(n))).decode()

    return {
        "mixed20": lambda: mixed(20),
        "mixed32": lambda: mixed(32),
        "mixed48_": lambda: mixed(20) + "_" + mixed(27),
        "dashed": lambda: mixed(8) + "-" + mixed(12) + "-" + mixed(10),
        "b64_44": lambda: b64(43) + "=",
        "hex32": lambda: hexs(32),
        "hex40": lambda: hexs(40),
        "hex64": lambda: hexs(64),
        "uuid": lambda: f"{hexs(8)}-{hexs(4)}-4{hexs(3)}-a{hexs(3)}-{hexs(12)}",
        # Shapes added in session 7: single-case alphanumerics, an odd hex length, 64 random
        # bytes in base64 (88 characters ending in == padding).
        "lower32": lambda: single_case(32, string.ascii_lowercase),
        "upper20": lambda: single_case(20, string.ascii_uppercase),
        "hex48": lambda: hexs(48),
        "b64_88": lambda: b64_bytes(64),
    }


NAMES = [
    "zorbly_api_key", "zorblyApiKey", "ZORBLY_API_KEY", "zorbly-api-key", "zorbly.api.key",
    "zorbly_token", "zorblyToken", "ZORBLY_TOKEN", "zorbly_api_token", "ZORBLY_AUTH_TOKEN",
    "zorbly_access_token", "zorbly_secret", "zorblySecret", "ZORBLY_SECRET", "zorbly_secret_key",
    "zorbly_client_secret", "zorbly_key", "ZORBLY_KEY", "zorbly_access_key", "ZORBLY_PAT",
    "zorbly_password",
]

LAYOUTS = {
    "python": '{n} = "{v}"', "env": "{n}={v}", "env_quoted": "{n}='{v}'", "export": 'export {n}="{v}"',
    "yaml": "{n}: {v}", "yaml_quoted": '{n}: "{v}"', "json": '{{"{n}": "{v}"}}',
    "json_nested": '{{"zorbly": {{"{n}": "{v}"}}}}', "toml": '{n} = "{v}"', "ini": "{n} = {v}",
    "xml": "<{n}>{v}</{n}>", "xml_attr": '<add key="{n}" value="{v}" />', "php_array": "'{n}' => '{v}',",
    "php_define": "define('{n}', '{v}');", "python_dict": "config['{n}'] = '{v}'", "ruby": '{n}: "{v}",',
    "go": '{n} := "{v}"', "js": 'const {n} = "{v}";', "java": 'String {n} = "{v}";',
    "kotlin": 'val {n} = "{v}"', "rust": 'let {n} = "{v}";', "csharp": 'var {n} = "{v}";',
    "powershell": '${n} = "{v}"', "powershell_env": '$env:{n} = "{v}"', "windows_set": "set {n}={v}",
    "dockerfile_env": "ENV {n}={v}", "hcl": '"{n}" = "{v}"', "cli_flag": "zorbly deploy --{flag} {v}",
    "cli_flag_eq": "zorbly deploy --{flag}={v}", "url_query": "https://api.zorbly.io/v1?{n}={v}",
    "sql": "INSERT INTO settings VALUES ('{n}', '{v}');",
}

LATER_SHAPES = {"lower32", "upper20", "hex48", "b64_88"}

# Credential syntax that names no provider: the header or flag alone says "credential". Run
# once per value shape (NAMELESS_REPEATS fresh values each) and reported on a line of its own.
NAMELESS = {
    "bearer_header": 'curl -H "Authorization: Bearer {v}" https://api.zorbly.io/v1/items',
    "token_header": 'curl -H "Authorization: Token {v}" https://api.zorbly.io/v1/items',
    "x_header": "fetch(url, {{ headers: {{ 'X-Zorbly-Key': '{v}' }} }})",
    "curl_user_key": "curl https://api.zorbly.io/v1/charges -u {v}: -d amount=2000",
    "url_key": "curl 'https://api.zorbly.io/v1/items?q=oslo&key={v}'",
}
NAMELESS_REPEATS = 5

# A credential written down under a label of words, as in notes, READMEs, tickets and chat:
# the provider's name, a kind of credential, a separator. Run like NAMELESS.
LABELS = {
    "label_dash": "zorbly token - '{v}'",
    "label_colon": "Zorbly API key: {v}",
    "label_is": "The zorbly API token is {v}",
    "label_equals": "zorbly secret = {v}",
    "label_table": "| Zorbly access token | {v} |",
}

IDENTIFIER_ONLY = {"go", "js", "java", "kotlin", "rust", "csharp", "powershell", "powershell_env"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--keyward", default=os.path.join(here, "..", "target", "release", "keyward"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--misses", action="store_true", help="list every missed (name, layout, shape)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    value_of = shapes(rng)
    cases = {}
    with tempfile.TemporaryDirectory() as d:
        for shape, make in value_of.items():
            for name in NAMES:
                for layout, template in LAYOUTS.items():
                    if layout in IDENTIFIER_ONLY and ("-" in name or "." in name):
                        continue
                    file = f"c{len(cases)}.txt"
                    flag = name.lower().replace("_", "-").replace(".", "-")
                    text = template.format(n=name, v=make(), flag=flag)
                    with open(os.path.join(d, file), "w") as f:
                        f.write(text + "\n")
                    cases[file] = (name, layout, shape)
        nameless, labelled = {}, {}
        for group, templates, prefix in ((nameless, NAMELESS, "n"), (labelled, LABELS, "l")):
            for shape, make in value_of.items():
                for layout, template in templates.items():
                    for _ in range(NAMELESS_REPEATS):
                        file = f"{prefix}{len(group)}.txt"
                        with open(os.path.join(d, file), "w") as f:
                            f.write(template.format(v=make()) + "\n")
                        group[file] = (layout, shape)
        out = subprocess.run([a.keyward, "scan", d, "--no-progress", "--format", "json"],
                             capture_output=True, text=True).stdout
    found = {os.path.basename(f["path"]) for f in json.loads(out)["findings"]}
    tally = collections.defaultdict(lambda: [0, 0])
    for file, key in cases.items():
        for dim, value in zip(("name", "layout", "shape"), key):
            tally[(dim, value)][0] += file in found
            tally[(dim, value)][1] += 1
    print(f"found {len(found & set(cases))}/{len(cases)} at the default confidence (seed {a.seed})")
    first = [f for f, key in cases.items() if key[2] not in LATER_SHAPES]
    print(f"  of them in the shapes before session 7: {len(found & set(first))}/{len(first)}")
    for title, group in (("credential syntax without a name", nameless), ("labels in prose", labelled)):
        got = collections.Counter(layout for file, (layout, _) in group.items() if file in found)
        total = collections.Counter(layout for layout, _ in group.values())
        print(f"{title}: {sum(got.values())}/{len(group)} ("
              + ", ".join(f"{k} {got[k]}/{n}" for k, n in sorted(total.items())) + ")")
    for dim in ("shape", "name", "layout"):
        rows = sorted((v, n) for (d_, v), n in tally.items() if d_ == dim)
        print(f"{dim}: " + ", ".join(f"{v} {n[0]}/{n[1]}" for v, n in rows))
    if a.misses:
        for file, key in sorted(cases.items(), key=lambda kv: kv[1]):
            if file not in found:
                print("MISSED", *key)


if __name__ == "__main__":
    main()
