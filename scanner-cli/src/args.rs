//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "keyward",
    version,
    about = "Find leaked credentials in working trees, git history and Terraform state."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (or `-` for standard input).
    Scan(ScanArgs),
    /// Scan git history (every distinct blob once), or the staged changes (`--staged`).
    Git(GitArgs),
    /// Manage the baseline of known findings.
    Baseline {
        #[command(subcommand)]
        command: BaselineCommand,
    },
    /// Install or remove keyward's git hooks.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
    /// List or check rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Scan Terraform state stored in an S3 backend (the current version, other workspaces, or
    /// every stored version).
    Tfstate(TfstateArgs),
    /// Respond to a leaked AWS key: investigate (read-only), plan, and with --apply contain it;
    /// writes the plan, journal and incident report.
    Respond(RespondArgs),
}

#[derive(Debug, Args)]
pub struct RespondArgs {
    /// A JSON report from `keyward scan|git --format json`.
    #[arg(
        long,
        value_name = "REPORT.json",
        requires = "finding",
        conflicts_with = "key_id"
    )]
    pub from: Option<PathBuf>,
    /// Fingerprint of the finding in --from to respond to.
    #[arg(long, value_name = "FINGERPRINT", requires = "from")]
    pub finding: Option<String>,
    /// The leaked access key id.
    #[arg(long, value_name = "AKIA…", required_unless_present = "from")]
    pub key_id: Option<String>,
    /// Read the leaked secret (and, on a second line, the session token) from standard input;
    /// used only to verify the key with sts:GetCallerIdentity.
    #[arg(long)]
    pub secret_stdin: bool,
    /// Perform the plan's changes (after a confirmation prompt unless --yes).
    #[arg(long)]
    pub apply: bool,
    /// Do not ask for confirmation.
    #[arg(long, requires = "apply")]
    pub yes: bool,
    /// Delete the key after deactivating it (irreversible).
    #[arg(long)]
    pub delete: bool,
    /// Create a replacement key for the owner, written only to a 0600 file.
    #[arg(long)]
    pub rotate: bool,
    /// Start of the exposure window (RFC 3339; default: the commit that leaked it, else 90 days ago).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// CloudTrail regions to search (default: every region enabled by default).
    #[arg(long, value_name = "REGION,…", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// CloudTrail LookupEvents requests per second.
    #[arg(long, default_value_t = 2.0)]
    pub rate: f64,
    /// Print the incident as JSON instead of the plan as text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct TfstateArgs {
    /// The state object: s3://BUCKET/KEY.
    #[arg(value_name = "s3://BUCKET/KEY", required_unless_present = "backend")]
    pub url: Option<String>,
    /// Read bucket, key and region from the `backend "s3"` block of the configuration in DIR.
    #[arg(long, value_name = "DIR", conflicts_with = "url")]
    pub backend: Option<PathBuf>,
    /// Workspace to read (its state is at <workspace_key_prefix>/<workspace>/<key>).
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
    /// Every workspace found in the bucket, and the default one.
    #[arg(long, conflicts_with = "workspace")]
    pub all_workspaces: bool,
    /// Every stored version of each state object (old versions keep old secrets).
    #[arg(long)]
    pub all_versions: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules in effect (defaults plus `--config`).
    List {
        /// Configuration file (default: none; only embedded rules).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run the examples and negative examples of rule files and report failures.
    Check {
        /// Rule files (same format as rules/*.toml); a `.keyward.toml` works too.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ConfidenceArg {
    Low,
    Medium,
    High,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print secrets in clear text (they are redacted by default).
    #[arg(long)]
    pub show_secrets: bool,
    /// List every skipped input.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Colour: auto (only on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Write the fingerprints of the current findings (rule + secret hash; sorted, one per line).
    Create {
        /// What to scan: a path (working tree, default `.`).
        path: Option<PathBuf>,
        /// Scan the repository's git history instead of the working tree.
        #[arg(long)]
        git: bool,
        /// Baseline file to write.
        #[arg(long, short = 'o', default_value = ".keyward-baseline")]
        output: PathBuf,
        /// Configuration file (default: `.keyward.toml` at the scanned repository's root).
        #[arg(long, short = 'c', value_name = "FILE")]
        config: Option<PathBuf>,
        /// Do not read any `.keyward.toml`.
        #[arg(long)]
        no_config: bool,
        /// Include findings at or above this confidence.
        #[arg(long, value_enum, default_value_t = ConfidenceArg::Medium)]
        confidence: ConfidenceArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum HookKind {
    PreCommit,
    PrePush,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Install a hook that runs keyward (respects core.hooksPath).
    Install {
        /// Which hook.
        #[arg(long, value_enum, default_value_t = HookKind::PreCommit)]
        hook: HookKind,
        /// Replace an existing hook that is not keyward's.
        #[arg(long)]
        force: bool,
        /// Keep an existing hook and run it before keyward.
        #[arg(long, conflicts_with = "force")]
        chain: bool,
        /// Repository (default: the current one).
        #[arg(long, default_value = ".")]
        repo: PathBuf,
    },
    /// Remove keyward's hooks (restoring a chained hook).
    Uninstall {
        /// Which hook (default: both).
        #[arg(long, value_enum)]
        hook: Option<HookKind>,
        /// Repository (default: the current one).
        #[arg(long, default_value = ".")]
        repo: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct GitArgs {
    /// Repository (working tree, .git directory or bare repository). Default: `.`.
    pub repo: Option<PathBuf>,
    /// Scan what `git commit` would record (index against HEAD), added lines only.
    #[arg(long, conflicts_with_all = ["branch", "since", "range", "pre_push"])]
    pub staged: bool,
    /// Only this ref's history.
    #[arg(long, value_name = "REF")]
    pub branch: Option<String>,
    /// Only commits reachable from HEAD (or --branch) and not from REF (CI: `--since origin/main`).
    #[arg(long, value_name = "REF")]
    pub since: Option<String>,
    /// Only commits in A..B.
    #[arg(long, value_name = "A..B", conflicts_with_all = ["branch", "since"])]
    pub range: Option<String>,
    /// Pre-push hook mode: read `<local ref> <local sha> <remote ref> <remote sha>` lines on stdin.
    #[arg(long, hide = true)]
    pub pre_push: bool,
    /// Print the hook's "how to get past this" message when blocking.
    #[arg(long, hide = true)]
    pub hook_message: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options shared by every command that scans.
#[derive(Debug, Args)]
pub struct CommonArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// Configuration file (default: `.keyward.toml` at the scanned repository's root).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read any `.keyward.toml`.
    #[arg(long)]
    pub no_config: bool,
    /// Suppress findings whose fingerprints are in FILE (see `keyward baseline create`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Scan files that look binary.
    #[arg(long)]
    pub binary: bool,
    /// Skip files larger than this (bytes; K, M, G suffixes allowed).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Report findings at or above this confidence.
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Medium)]
    pub confidence: ConfidenceArg,
    /// Exit with status 4 when some input could not be read (and nothing was found).
    #[arg(long)]
    pub strict: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Do not draw progress on standard error.
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Network features: all off unless asked for.
#[derive(Debug, Args, Clone)]
pub struct AwsArgs {
    /// Check paired AWS keys with one sts:GetCallerIdentity call each, signed with the leaked key
    /// (never for canary or documentation example keys). Exit code 3 when a key is live.
    #[arg(long)]
    pub verify: bool,
    /// With --verify: write the response plan and incident report of every live key
    /// (see `keyward respond`). Changes nothing in AWS.
    #[arg(long, requires = "verify")]
    pub respond: bool,
    /// Where --respond writes incidents.
    #[arg(long, value_name = "DIR", default_value = "keyward-incidents")]
    pub incident_dir: PathBuf,
    /// AWS region for verification and the responder (default: from the environment, else us-east-1).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// AWS endpoint override for every service (default: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Named profile of the responder identity (never used with the leaked key).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

impl Default for AwsArgs {
    fn default() -> Self {
        AwsArgs {
            verify: false,
            respond: false,
            incident_dir: PathBuf::from("keyward-incidents"),
            region: None,
            endpoint_url: None,
            profile: None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input. Default: `.`.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Ignore .gitignore, .ignore and .keywardignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links.
    #[arg(long, short = 'L')]
    pub follow: bool,
}

/// Parses `1024`, `64K`, `256M`, `2G` (binary multiples).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1u64 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("unknown size suffix in `{s}` (use K, M or G)")),
            };
            (&s[..i], m)
        }
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .map_err(|_| format!("`{s}` is not a size"))?
        .checked_mul(mult)
        .ok_or_else(|| format!("`{s}` is too large"))
}
