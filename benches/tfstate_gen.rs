//! A deterministic generator of large, realistic Terraform v4 states, shared by the `tfstate`
//! bench and the end-to-end tests (`#[path = "../benches/tfstate_gen.rs"] mod tfstate_gen;`).
//!
//! The state is written the way Terraform writes it (two-space indented JSON, Go's escaping of
//! `<`, `>` and `&`): mostly `aws_instance` with large attribute maps, IAM policies whose policy
//! document is an escaped JSON string, security groups with rule lists, S3 buckets, and one
//! resource in `secret_every` holding a secret (in turn an IAM access key, a `random_password`
//! and a database password), listed in [`Generated::planted`].

#![allow(dead_code)]

use std::fmt::Write as _;

/// A secret the generator put in the state.
#[derive(Debug, Clone)]
pub struct Planted {
    /// Resource instance address (`module.app_3.aws_iam_access_key.deploy[0]`).
    pub address: String,
    /// Attribute holding the secret.
    pub attribute: &'static str,
    /// The secret, as its value decodes.
    pub secret: String,
    /// For access keys: the key id (the pattern rules report the pair from the key id).
    pub key_id: Option<String>,
}

/// A generated state.
pub struct Generated {
    /// The state document.
    pub bytes: Vec<u8>,
    /// Its resources.
    pub resources: usize,
    /// The secrets in it.
    pub planted: Vec<Planted>,
}

/// A state with about `target_bytes` bytes (at least `min_resources` resources), one resource
/// in `secret_every` holding a secret.
pub fn generate(target_bytes: usize, min_resources: usize, secret_every: usize) -> Generated {
    let mut g = Gen {
        out: String::with_capacity(target_bytes + 64 * 1024),
        rng: Rng(0x2545_F491_4F6C_DD1D),
        planted: Vec::new(),
    };
    g.out.push_str(
        "{\n  \"version\": 4,\n  \"terraform_version\": \"1.7.5\",\n  \"serial\": 1842,\n  \"lineage\": \"6c0f2a7e-93b1-4d5a-b8e2-1f4c7d9a0e3b\",\n  \"outputs\": {\n    \"vpc_id\": {\n      \"value\": \"vpc-0a7c3e91d5b2f4068\",\n      \"type\": \"string\"\n    }\n  },\n  \"resources\": [\n",
    );
    let mut n = 0usize;
    while n < min_resources || g.out.len() < target_bytes {
        if n > 0 {
            g.out.push_str(",\n");
        }
        let module = format!("module.app_{}", n % 37);
        let v = if n % secret_every == secret_every / 2 {
            g.secret_resource(n / secret_every, n, &module)
        } else {
            match n % 10 {
                0..=4 => g.instance(n, &module),
                5 | 6 => g.policy(n, &module),
                7 | 8 => g.security_group(n, &module),
                _ => g.bucket(n, &module),
            }
        };
        g.out.push_str("    ");
        write_value(&mut g.out, &v, 4);
        n += 1;
    }
    g.out.push_str("\n  ],\n  \"check_results\": null\n}\n");
    Generated {
        bytes: g.out.into_bytes(),
        resources: n,
        planted: g.planted,
    }
}

/// A JSON value with its members in the order they are written.
enum J {
    Obj(Vec<(String, J)>),
    Arr(Vec<J>),
    Str(String),
    Raw(String),
}

fn s(v: impl Into<String>) -> J {
    J::Str(v.into())
}

fn raw(v: impl ToString) -> J {
    J::Raw(v.to_string())
}

fn obj(members: Vec<(&str, J)>) -> J {
    J::Obj(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn null() -> J {
    J::Raw("null".into())
}

/// Writes a JSON string escaped as Go's encoding/json does.
fn write_str(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `v` indented like `terraform state pull` (two spaces a level).
fn write_value(out: &mut String, v: &J, indent: usize) {
    let pad = |out: &mut String, n: usize| (0..n).for_each(|_| out.push(' '));
    match v {
        J::Str(x) => write_str(out, x),
        J::Raw(x) => out.push_str(x),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Obj(members) if members.is_empty() => out.push_str("{}"),
        J::Arr(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, indent + 2);
                write_value(out, item, indent + 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push(']');
        }
        J::Obj(members) => {
            out.push_str("{\n");
            for (i, (k, item)) in members.iter().enumerate() {
                pad(out, indent + 2);
                write_str(out, k);
                out.push_str(": ");
                write_value(out, item, indent + 2);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push('}');
        }
    }
}

/// A JSON document on one line (for policy documents, stored as escaped strings).
fn compact(v: &J) -> String {
    let mut out = String::new();
    fn go(out: &mut String, v: &J) {
        match v {
            J::Str(x) => {
                out.push('"');
                out.push_str(x);
                out.push('"');
            }
            J::Raw(x) => out.push_str(x),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    go(out, item);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "\"{k}\":");
                    go(out, item);
                }
                out.push('}');
            }
        }
    }
    go(&mut out, v);
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// `n` characters of `alphabet`, never the same character three times in a row (the
    /// placeholder filters treat runs as masks).
    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            let c = alphabet[self.below(alphabet.len() as u64) as usize] as char;
            if s.ends_with(c) {
                continue;
            }
            s.push(c);
        }
        s
    }

    fn hex(&mut self, n: usize) -> String {
        self.pick(b"0123456789abcdef", n)
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const REGIONS: &[&str] = &["eu-west-1", "eu-central-1", "us-east-1", "us-west-2"];
const ACCOUNT: &str = "318204967551";

struct Gen {
    out: String,
    rng: Rng,
    planted: Vec<Planted>,
}

impl Gen {
    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-a{}-{}",
            self.rng.hex(8),
            self.rng.hex(4),
            self.rng.hex(3),
            self.rng.hex(3),
            self.rng.hex(12)
        )
    }

    fn region(&mut self) -> &'static str {
        REGIONS[self.rng.below(REGIONS.len() as u64) as usize]
    }

    fn tags(&mut self, name: &str, n: usize) -> J {
        let team = ["platform", "payments", "search", "identity", "data"][n % 5];
        obj(vec![
            ("CostCenter", s(format!("cc-{}", 1000 + n % 89))),
            ("Environment", s(["prod", "staging", "dev"][n % 3])),
            ("ManagedBy", s("terraform")),
            ("Name", s(name)),
            ("Owner", s(format!("{team}@corp.internal"))),
            ("Service", s(format!("{team}-svc-{}", n % 13))),
        ])
    }

    fn wrap(
        &mut self,
        module: &str,
        rtype: &str,
        name: &str,
        provider: &str,
        instances: Vec<J>,
    ) -> J {
        obj(vec![
            ("module", s(module)),
            ("mode", s("managed")),
            ("type", s(rtype)),
            ("name", s(name)),
            (
                "provider",
                s(format!(
                    "provider[\"registry.terraform.io/hashicorp/{provider}\"]"
                )),
            ),
            ("instances", J::Arr(instances)),
        ])
    }

    fn one(&mut self, attributes: J, sensitive: Vec<&str>, index: Option<usize>) -> J {
        let mut m = vec![("schema_version", raw(1))];
        if let Some(i) = index {
            m.insert(0, ("index_key", raw(i)));
        }
        m.push(("attributes", attributes));
        m.push((
            "sensitive_attributes",
            J::Arr(
                sensitive
                    .into_iter()
                    .map(|a| J::Arr(vec![obj(vec![("type", s("get_attr")), ("value", s(a))])]))
                    .collect(),
            ),
        ));
        m.push((
            "private",
            s(format!(
                "eyJlMmJmYjczMC1lY2FhLTExZTYtOGY4OC0zNDM2M2JjN2M0YzAiOnsiY3JlYXRlIjo2MDAwMDAwMDAwMDAsImRlbGV0ZSI6MTIwMDAwMDAwMDAwMH0sInNjaGVtYV92ZXJzaW9uIjoiMSJ9{}",
                self.rng.pick(ALNUM, 12)
            )),
        ));
        m.push((
            "dependencies",
            J::Arr(vec![
                s("aws_security_group.web"),
                s("aws_subnet.private"),
                s("data.aws_ami.base"),
            ]),
        ));
        obj(m)
    }

    fn instance(&mut self, n: usize, module: &str) -> J {
        let name = format!("web_{n}");
        let id = format!("i-0{}", self.rng.hex(16));
        let region = self.region();
        let az = format!("{region}{}", ["a", "b", "c"][n % 3]);
        let ip = format!("10.{}.{}.{}", n % 250, (n / 250) % 250, 4 + n % 200);
        let mut instances = Vec::new();
        let count = if n.is_multiple_of(4) { 2 } else { 1 };
        for i in 0..count {
            let block = |g: &mut Gen, dev: &str, size: u64| {
                obj(vec![
                    ("delete_on_termination", raw(true)),
                    ("device_name", s(dev)),
                    ("encrypted", raw(true)),
                    ("iops", raw(3000)),
                    (
                        "kms_key_id",
                        s(format!("arn:aws:kms:{region}:{ACCOUNT}:key/{}", g.uuid())),
                    ),
                    ("snapshot_id", s("")),
                    ("tags", obj(vec![])),
                    ("throughput", raw(125)),
                    ("volume_id", s(format!("vol-0{}", g.rng.hex(16)))),
                    ("volume_size", raw(size)),
                    ("volume_type", s("gp3")),
                ])
            };
            let root = block(self, "/dev/xvda", 40 + (n % 5) as u64 * 20);
            let data = block(self, "/dev/sdf", 200);
            let eni = format!("eni-0{}", self.rng.hex(16));
            let attrs = obj(vec![
                ("ami", s(format!("ami-0{}", self.rng.hex(16)))),
                (
                    "arn",
                    s(format!("arn:aws:ec2:{region}:{ACCOUNT}:instance/{id}")),
                ),
                ("associate_public_ip_address", raw(false)),
                ("availability_zone", s(az.clone())),
                (
                    "capacity_reservation_specification",
                    J::Arr(vec![obj(vec![
                        ("capacity_reservation_preference", s("open")),
                        ("capacity_reservation_target", J::Arr(vec![])),
                    ])]),
                ),
                ("cpu_core_count", raw(2)),
                (
                    "cpu_options",
                    J::Arr(vec![obj(vec![
                        ("amd_sev_snp", s("")),
                        ("core_count", raw(2)),
                        ("threads_per_core", raw(2)),
                    ])]),
                ),
                ("cpu_threads_per_core", raw(2)),
                ("credit_specification", J::Arr(vec![])),
                ("disable_api_stop", raw(false)),
                ("disable_api_termination", raw(false)),
                ("ebs_block_device", J::Arr(vec![data])),
                ("ebs_optimized", raw(true)),
                (
                    "enclave_options",
                    J::Arr(vec![obj(vec![("enabled", raw(false))])]),
                ),
                ("ephemeral_block_device", J::Arr(vec![])),
                ("get_password_data", raw(false)),
                ("hibernation", raw(false)),
                ("host_id", s("")),
                (
                    "iam_instance_profile",
                    s(format!("{module}-web-profile").replace('.', "-")),
                ),
                ("id", s(id.clone())),
                ("instance_initiated_shutdown_behavior", s("stop")),
                ("instance_lifecycle", s("")),
                ("instance_market_options", J::Arr(vec![])),
                ("instance_state", s("running")),
                (
                    "instance_type",
                    s(["m6i.large", "c6i.xlarge", "t3.medium"][n % 3]),
                ),
                ("ipv6_address_count", raw(0)),
                ("ipv6_addresses", J::Arr(vec![])),
                ("key_name", s("ops-2023")),
                ("launch_template", J::Arr(vec![])),
                (
                    "maintenance_options",
                    J::Arr(vec![obj(vec![("auto_recovery", s("default"))])]),
                ),
                (
                    "metadata_options",
                    J::Arr(vec![obj(vec![
                        ("http_endpoint", s("enabled")),
                        ("http_protocol_ipv6", s("disabled")),
                        ("http_put_response_hop_limit", raw(2)),
                        ("http_tokens", s("required")),
                        ("instance_metadata_tags", s("disabled")),
                    ])]),
                ),
                ("monitoring", raw(true)),
                ("network_interface", J::Arr(vec![])),
                ("outpost_arn", s("")),
                ("password_data", s("")),
                ("placement_group", s("")),
                ("placement_partition_number", raw(0)),
                ("primary_network_interface_id", s(eni)),
                (
                    "private_dns",
                    s(format!(
                        "ip-{}.{region}.compute.internal",
                        ip.replace('.', "-")
                    )),
                ),
                (
                    "private_dns_name_options",
                    J::Arr(vec![obj(vec![
                        ("enable_resource_name_dns_a_record", raw(false)),
                        ("enable_resource_name_dns_aaaa_record", raw(false)),
                        ("hostname_type", s("ip-name")),
                    ])]),
                ),
                ("private_ip", s(ip.clone())),
                ("public_dns", s("")),
                ("public_ip", s("")),
                ("root_block_device", J::Arr(vec![root])),
                ("secondary_private_ips", J::Arr(vec![])),
                ("security_groups", J::Arr(vec![])),
                ("source_dest_check", raw(true)),
                ("spot_instance_request_id", s("")),
                ("subnet_id", s(format!("subnet-0{}", self.rng.hex(16)))),
                ("tags", self.tags(&name, n)),
                ("tags_all", self.tags(&name, n)),
                ("tenancy", s("default")),
                ("timeouts", null()),
                ("user_data", s(self.rng.hex(40))),
                ("user_data_base64", null()),
                ("user_data_replace_on_change", raw(false)),
                ("volume_tags", null()),
                (
                    "vpc_security_group_ids",
                    J::Arr(vec![
                        s(format!("sg-0{}", self.rng.hex(16))),
                        s(format!("sg-0{}", self.rng.hex(16))),
                    ]),
                ),
            ]);
            instances.push(self.one(attrs, vec![], (count > 1).then_some(i)));
        }
        self.wrap(module, "aws_instance", &name, "aws", instances)
    }

    fn policy(&mut self, n: usize, module: &str) -> J {
        let name = format!("svc_{n}");
        let region = self.region();
        let statements: Vec<J> = (0..3 + n % 4)
            .map(|k| {
                obj(vec![
                    ("Sid", s(format!("Allow{k}Svc{n}"))),
                    ("Effect", s("Allow")),
                    (
                        "Action",
                        J::Arr(vec![
                            s("s3:GetObject"),
                            s("s3:PutObject"),
                            s("s3:ListBucket"),
                            s("kms:Decrypt"),
                            s("sqs:SendMessage"),
                        ]),
                    ),
                    (
                        "Resource",
                        J::Arr(vec![
                            s(format!("arn:aws:s3:::data-{n}-{k}")),
                            s(format!("arn:aws:s3:::data-{n}-{k}/*")),
                            s(format!("arn:aws:sqs:{region}:{ACCOUNT}:queue-{n}-{k}")),
                        ]),
                    ),
                    (
                        "Condition",
                        obj(vec![(
                            "StringEquals",
                            obj(vec![("aws:PrincipalTag/team", s("platform"))]),
                        )]),
                    ),
                ])
            })
            .collect();
        let doc = compact(&obj(vec![
            ("Version", s("2012-10-17")),
            ("Statement", J::Arr(statements)),
        ]));
        let id = format!("arn:aws:iam::{ACCOUNT}:policy/{name}");
        let attrs = obj(vec![
            ("arn", s(id.clone())),
            ("attachment_count", raw(1)),
            (
                "description",
                s(format!("Access for service {n} & its queues")),
            ),
            ("id", s(id)),
            ("name", s(name.clone())),
            ("name_prefix", s("")),
            ("path", s("/")),
            ("policy", s(doc)),
            ("policy_id", s(format!("ANPA{}", self.rng.pick(B32, 17)))),
            ("tags", self.tags(&name, n)),
            ("tags_all", self.tags(&name, n)),
        ]);
        let inst = self.one(attrs, vec![], None);
        self.wrap(module, "aws_iam_policy", &name, "aws", vec![inst])
    }

    fn security_group(&mut self, n: usize, module: &str) -> J {
        let name = format!("sg_{n}");
        let region = self.region();
        let id = format!("sg-0{}", self.rng.hex(16));
        let rule = |g: &mut Gen, port: u64, k: usize| {
            obj(vec![
                (
                    "cidr_blocks",
                    J::Arr(
                        (0..2 + k % 3)
                            .map(|c| s(format!("10.{}.{}.0/24", n % 250, c * 16 + k)))
                            .collect(),
                    ),
                ),
                ("description", s(format!("port {port} from peers"))),
                ("from_port", raw(port)),
                ("ipv6_cidr_blocks", J::Arr(vec![])),
                ("prefix_list_ids", J::Arr(vec![])),
                ("protocol", s("tcp")),
                (
                    "security_groups",
                    J::Arr(vec![s(format!("sg-0{}", g.rng.hex(16)))]),
                ),
                ("self", raw(false)),
                ("to_port", raw(port)),
            ])
        };
        let ingress: Vec<J> = [22u64, 443, 5432, 6379, 8080]
            .iter()
            .enumerate()
            .map(|(k, &p)| rule(self, p, k))
            .collect();
        let egress = vec![rule(self, 0, 0)];
        let attrs = obj(vec![
            (
                "arn",
                s(format!(
                    "arn:aws:ec2:{region}:{ACCOUNT}:security-group/{id}"
                )),
            ),
            ("description", s("Managed by Terraform")),
            ("egress", J::Arr(egress)),
            ("id", s(id)),
            ("ingress", J::Arr(ingress)),
            ("name", s(name.clone())),
            ("name_prefix", s("")),
            ("owner_id", s(ACCOUNT)),
            ("revoke_rules_on_delete", raw(false)),
            ("tags", self.tags(&name, n)),
            ("tags_all", self.tags(&name, n)),
            ("timeouts", null()),
            ("vpc_id", s(format!("vpc-0{}", self.rng.hex(16)))),
        ]);
        let inst = self.one(attrs, vec![], None);
        self.wrap(module, "aws_security_group", &name, "aws", vec![inst])
    }

    fn bucket(&mut self, n: usize, module: &str) -> J {
        let name = format!("logs_{n}");
        let bucket = format!("corp-logs-{n}-{}", self.rng.hex(6));
        let region = self.region();
        let attrs = obj(vec![
            ("acceleration_status", s("")),
            ("arn", s(format!("arn:aws:s3:::{bucket}"))),
            ("bucket", s(bucket.clone())),
            (
                "bucket_domain_name",
                s(format!("{bucket}.s3.amazonaws.com")),
            ),
            (
                "bucket_regional_domain_name",
                s(format!("{bucket}.s3.{region}.amazonaws.com")),
            ),
            ("force_destroy", raw(false)),
            ("hosted_zone_id", s("Z1BKCTXD74EZPE")),
            ("id", s(bucket.clone())),
            ("object_lock_enabled", raw(false)),
            ("region", s(region)),
            ("request_payer", s("BucketOwner")),
            ("tags", self.tags(&name, n)),
            ("tags_all", self.tags(&name, n)),
        ]);
        let inst = self.one(attrs, vec![], None);
        self.wrap(module, "aws_s3_bucket", &name, "aws", vec![inst])
    }

    /// The `k`th secret, in resource `n`.
    fn secret_resource(&mut self, k: usize, n: usize, module: &str) -> J {
        match k % 3 {
            0 => {
                let key_id = format!("AKIA{}", self.rng.pick(B32, 16));
                let secret = self.rng.pick(B64, 40);
                let attrs = obj(vec![
                    ("create_date", s("2024-02-11T09:14:07Z")),
                    ("encrypted_secret", null()),
                    ("encrypted_ses_smtp_password_v4", null()),
                    ("id", s(key_id.clone())),
                    ("key_fingerprint", null()),
                    ("pgp_key", null()),
                    ("secret", s(secret.clone())),
                    ("ses_smtp_password_v4", s(self.rng.pick(B64, 44))),
                    ("status", s("Active")),
                    ("user", s(format!("deploy-{n}"))),
                ]);
                let inst = self.one(attrs, vec!["secret", "ses_smtp_password_v4"], Some(0));
                self.planted.push(Planted {
                    address: format!("{module}.aws_iam_access_key.deploy_{n}[0]"),
                    attribute: "secret",
                    secret,
                    key_id: Some(key_id),
                });
                self.wrap(
                    module,
                    "aws_iam_access_key",
                    &format!("deploy_{n}"),
                    "aws",
                    vec![inst],
                )
            }
            1 => {
                // Generated passwords may hold `<`, `>` and `&`, which Terraform escapes.
                let secret = format!(
                    "{}&{}<{}",
                    self.rng.pick(ALNUM, 9),
                    self.rng.pick(ALNUM, 8),
                    self.rng.pick(ALNUM, 7)
                );
                let attrs = obj(vec![
                    (
                        "bcrypt_hash",
                        s(format!("$2a$10${}", self.rng.pick(ALNUM, 53))),
                    ),
                    ("id", s("none")),
                    ("keepers", null()),
                    ("length", raw(26)),
                    ("lower", raw(true)),
                    ("min_special", raw(2)),
                    ("override_special", s("&<!#")),
                    ("result", s(secret.clone())),
                    ("special", raw(true)),
                    ("upper", raw(true)),
                ]);
                let inst = self.one(attrs, vec!["bcrypt_hash", "result"], None);
                self.planted.push(Planted {
                    address: format!("{module}.random_password.db_{n}"),
                    attribute: "result",
                    secret,
                    key_id: None,
                });
                self.wrap(
                    module,
                    "random_password",
                    &format!("db_{n}"),
                    "random",
                    vec![inst],
                )
            }
            _ => {
                let secret = self.rng.pick(ALNUM, 24);
                let region = self.region();
                let attrs = obj(vec![
                    (
                        "address",
                        s(format!("db-{n}.c9akciq32.{region}.rds.amazonaws.com")),
                    ),
                    ("allocated_storage", raw(100)),
                    (
                        "arn",
                        s(format!("arn:aws:rds:{region}:{ACCOUNT}:db:db-{n}")),
                    ),
                    ("engine", s("postgres")),
                    ("engine_version", s("15.4")),
                    ("id", s(format!("db-{}", self.rng.pick(B32, 26)))),
                    ("instance_class", s("db.r6g.large")),
                    ("multi_az", raw(true)),
                    ("password", s(secret.clone())),
                    ("port", raw(5432)),
                    ("storage_encrypted", raw(true)),
                    ("tags", self.tags(&format!("db-{n}"), n)),
                    ("username", s("app_admin")),
                ]);
                let inst = self.one(attrs, vec!["password"], None);
                self.planted.push(Planted {
                    address: format!("{module}.aws_db_instance.main_{n}"),
                    attribute: "password",
                    secret,
                    key_id: None,
                });
                self.wrap(
                    module,
                    "aws_db_instance",
                    &format!("main_{n}"),
                    "aws",
                    vec![inst],
                )
            }
        }
    }
}
