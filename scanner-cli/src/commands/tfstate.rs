//! `keyward tfstate`: Terraform state read from an S3 backend and scanned like any file.

use anyhow::{Context, Result};
use scanner_core::{Origin, Report, SkipReason};

use super::{setup, verify};
use crate::args::TfstateArgs;
use crate::exit::ExitCode;
use crate::output::write_report;

pub fn run(args: TfstateArgs) -> Result<ExitCode> {
    let mut target = verify::target(&args.common.aws);
    let location = match (&args.url, &args.backend) {
        (Some(url), _) => responder::S3StateLocation::parse(url)?,
        (None, Some(dir)) => {
            let backend = responder::read_s3_backend(dir)?;
            if target.region.is_none() {
                target.region = backend.region.clone();
            }
            if target.profile.is_none() {
                target.profile = backend.profile.clone();
            }
            if target.endpoint.is_none() {
                target.endpoint = backend.endpoint.clone();
            }
            backend.location()?
        }
        (None, None) => anyhow::bail!("give s3://BUCKET/KEY or --backend DIR"),
    };
    let root = args.backend.clone().unwrap_or_else(|| ".".into());
    let config = setup::config(&args.common, &root)?;
    let canaries = setup::canaries(&config);
    let scanner = setup::scanner(&args.common, config, false, false)?;
    let selection = responder::StateSelection {
        workspace: args.workspace.clone(),
        all_workspaces: args.all_workspaces,
        all_versions: args.all_versions,
        max_size: args.common.max_file_size,
    };
    let states = responder::fetch_states(&target, &location, &selection).with_context(|| {
        format!(
            "cannot read state from s3://{}/{}",
            location.bucket, location.key
        )
    })?;
    let mut report = Report::default();
    for state in states {
        if let Some(why) = &state.skipped {
            report
                .summary
                .skip(state.url.clone(), SkipReason::TooLarge, why.clone());
            continue;
        }
        let r = scanner.scan_bytes(
            &state.bytes,
            Origin::Remote {
                url: state.url.clone(),
            },
        );
        let mut findings = r.findings;
        for f in &mut findings {
            let mut v = serde_json::Map::new();
            if let Some(id) = &state.version_id {
                v.insert("version_id".into(), id.clone().into());
            }
            v.insert("is_latest".into(), state.is_latest.into());
            if let Some(t) = &state.last_modified {
                v.insert("last_modified".into(), t.clone().into());
            }
            f.annotations.insert("s3_object".into(), v.into());
        }
        report.findings.extend(findings);
        report.summary.merge(r.summary);
    }
    report.summary.rules = scanner.rules().len();
    report.finish();
    responder::annotate(&mut report, &canaries);
    verify::after_scan(&mut report, &args.common.aws, &canaries)?;
    write_report(&args.common.output, &report, scanner.rules())?;
    Ok(super::exit_code(&report, args.common.strict))
}
