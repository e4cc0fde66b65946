//! The network steps after a scan, only when asked for: `--verify` (and `--respond`).

use anyhow::Result;
use scanner_core::Report;

use crate::args::AwsArgs;

/// The responder's view of `--region`, `--endpoint-url` and `--profile`.
pub fn target(aws: &AwsArgs) -> responder::AwsTarget {
    responder::AwsTarget {
        profile: aws.profile.clone(),
        region: aws.region.clone(),
        endpoint: aws.endpoint_url.clone(),
    }
}

/// Runs `--verify` (and `--respond`) over a finished report. Does nothing, and touches no
/// network, unless `--verify` was given.
pub fn after_scan(
    report: &mut Report,
    aws: &AwsArgs,
    canaries: &responder::CanaryList,
) -> Result<()> {
    if !aws.verify {
        return Ok(());
    }
    let opts = responder::VerifyOptions {
        target: target(aws),
        ..Default::default()
    };
    let s = responder::verify_report(report, canaries, &opts)?;
    eprintln!(
        "keyward: --verify: AWS key findings: {} live, {} invalid, {} unknown, {} not sent ({} STS requests)",
        s.live, s.invalid, s.unknown, s.not_sent, s.requests
    );
    if aws.respond {
        super::respond::for_live_keys(report, aws)?;
    }
    Ok(())
}
