//! AWS key intelligence, live verification and the incident-response flow
//! (`classify → verify → plan → apply → report`), plus Terraform state read from S3. This crate
//! is the only one that holds AWS SDK and network code; nothing in it runs unless the user asked
//! for verification, a response or a remote state.

mod backend_config;
mod error;
mod intelligence;
mod remote_state;
mod respond;
mod sdk;
mod verify;

pub use backend_config::{parse_s3_backend, read_s3_backend, S3Backend};
pub use error::ResponderError;
pub use intelligence::{account_id, annotate, classify, CanaryList, KeyClass, KeyIntel};
pub use remote_state::{fetch_states, FetchedState, S3StateLocation, StateSelection};
pub use respond::{
    respond, revoke_older_sessions_policy, Action, ActionKind, CloudTrailSummary, Incident,
    IncidentJournal, Investigation, JournalEntry, LeakSource, Plan, RespondInput, RespondOptions,
    TrailEvent, DEFAULT_REGIONS, FLAGGED_EVENTS, REVOKE_POLICY_NAME,
};
pub use sdk::AwsTarget;
pub use verify::{verify_report, Verification, VerifyOptions, VerifySummary};
