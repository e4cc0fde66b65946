//! AWS SDK set-up shared by every network step: one small runtime per call from the CLI, the
//! responder identity from the standard credential chain, and the leaked-key identity that is
//! only ever handed to `sts:GetCallerIdentity`.

use std::future::Future;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

use crate::error::ResponderError;

/// Where and as whom the responder talks to AWS. Endpoints come from the environment
/// (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`) exactly as the SDK reads them; `endpoint`
/// overrides them all.
#[derive(Debug, Clone, Default)]
pub struct AwsTarget {
    /// Named profile of the responder identity (`--profile`).
    pub profile: Option<String>,
    /// Region override.
    pub region: Option<String>,
    /// Endpoint override for every service.
    pub endpoint: Option<String>,
}

impl AwsTarget {
    /// Whether requests go to a custom endpoint (an emulator or a VPC endpoint), where S3
    /// needs path-style addressing.
    pub fn custom_endpoint(&self) -> bool {
        self.endpoint.is_some()
            || std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some()
    }
}

/// Runs one async SDK job to completion on a private current-thread runtime, so the CLI and
/// the scanner stay synchronous.
pub(crate) fn block_on<F: Future>(f: F) -> Result<F::Output, ResponderError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ResponderError::Runtime(e.to_string()))?;
    Ok(rt.block_on(f))
}

fn timeouts() -> aws_config::timeout::TimeoutConfig {
    aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_secs(30))
        .build()
}

/// The responder's own identity: the standard credential chain (environment, profile, SSO,
/// web identity, instance role). Never the leaked key.
pub(crate) async fn responder_config(target: &AwsTarget) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts());
    if let Some(p) = &target.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &target.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(e) = &target.endpoint {
        loader = loader.endpoint_url(e);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        // IAM and STS are global; us-east-1 is where their requests are signed.
        return config
            .into_builder()
            .region(Region::new("us-east-1"))
            .build();
    }
    config
}

/// A configuration that signs with the leaked key. Region and endpoints still come from the
/// environment, so tests reach an emulator the same way users reach AWS; credentials never do.
/// Only [`crate::verify`] uses it, for `sts:GetCallerIdentity` and nothing else.
pub(crate) async fn leaked_key_config(
    target: &AwsTarget,
    key_id: &str,
    secret: &str,
    session_token: Option<&str>,
) -> SdkConfig {
    let creds = Credentials::new(
        key_id,
        secret,
        session_token.map(str::to_string),
        None,
        "keyward-leaked-key",
    );
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .credentials_provider(creds)
        .timeout_config(timeouts())
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
        .region(Region::new(
            target.region.clone().unwrap_or_else(|| "us-east-1".into()),
        ));
    if let Some(e) = &target.endpoint {
        loader = loader.endpoint_url(e);
    }
    loader.load().await
}
