//! AWS key intelligence, live verification and the incident-response flow
//! (`classify → verify → plan → apply → report`). This crate is the only one that will hold AWS
//! SDK and network code; today it holds the offline part: what a leaked key id says about itself.

mod intelligence;

pub use intelligence::{account_id, annotate, classify, CanaryList, KeyClass, KeyIntel};
