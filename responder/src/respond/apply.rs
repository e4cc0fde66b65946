//! Step 3: performs the plan's mutating actions one by one, journaled before and after each, and
//! skipping what an earlier run completed. An action whose `started` entry has no `completed`
//! (the run died mid-call) runs again: each call here is idempotent or guarded.

use std::path::Path;

use aws_sdk_iam::operation::RequestId;
use aws_sdk_iam::types::StatusType;

use super::journal::{write_private, IncidentJournal};
use super::plan::Plan;
use crate::error::ResponderError;

fn text(p: &serde_json::Value, k: &str) -> String {
    p[k].as_str().unwrap_or_default().to_string()
}

fn request_id(out: &impl RequestId) -> Option<String> {
    out.request_id().map(str::to_string)
}

/// The journal's text for a failed call.
fn failure(e: impl std::error::Error) -> String {
    aws_sdk_iam::error::DisplayErrorContext(&e).to_string()
}

pub(crate) async fn apply(
    config: &aws_config::SdkConfig,
    plan: &Plan,
    journal: &mut IncidentJournal,
    dir: &Path,
) -> Result<(), ResponderError> {
    let iam = aws_sdk_iam::Client::new(config);
    let done = journal.completed();
    for action in plan.actions.iter().filter(|a| a.mutating) {
        if done.contains(&action.id) {
            continue;
        }
        journal.record(&action.id, "started", None, action.cli.clone())?;
        let p = &action.params;
        let result: Result<(Option<String>, Option<String>), String> = match action.id.as_str() {
            "deactivate-key" => iam
                .update_access_key()
                .user_name(text(p, "UserName"))
                .access_key_id(text(p, "AccessKeyId"))
                .status(StatusType::Inactive)
                .send()
                .await
                .map_or_else(|e| Err(failure(e)), |o| Ok((request_id(&o), None))),
            "delete-key" => iam
                .delete_access_key()
                .user_name(text(p, "UserName"))
                .access_key_id(text(p, "AccessKeyId"))
                .send()
                .await
                .map_or_else(|e| Err(failure(e)), |o| Ok((request_id(&o), None))),
            "create-replacement-key" => match iam
                .create_access_key()
                .user_name(text(p, "UserName"))
                .send()
                .await
            {
                Ok(o) => {
                    let rid = request_id(&o);
                    match o.access_key() {
                        Some(k) => {
                            let file = dir.join("replacement-key.json");
                            let body = serde_json::json!({
                                "UserName": k.user_name(),
                                "AccessKeyId": k.access_key_id(),
                                "SecretAccessKey": k.secret_access_key(),
                            });
                            write_private(&file, format!("{body:#}\n").as_bytes())?;
                            Ok((
                                rid,
                                Some(format!(
                                    "new key {} written to {} (mode 0600)",
                                    k.access_key_id(),
                                    file.display()
                                )),
                            ))
                        }
                        None => Err("CreateAccessKey returned no key".into()),
                    }
                }
                Err(e) => Err(failure(e)),
            },
            "revoke-older-sessions" if p.get("RoleName").is_some() => iam
                .put_role_policy()
                .role_name(text(p, "RoleName"))
                .policy_name(text(p, "PolicyName"))
                .policy_document(text(p, "PolicyDocument"))
                .send()
                .await
                .map_or_else(|e| Err(failure(e)), |o| Ok((request_id(&o), None))),
            "revoke-older-sessions" => iam
                .put_user_policy()
                .user_name(text(p, "UserName"))
                .policy_name(text(p, "PolicyName"))
                .policy_document(text(p, "PolicyDocument"))
                .send()
                .await
                .map_or_else(|e| Err(failure(e)), |o| Ok((request_id(&o), None))),
            other => Err(format!("no implementation for action {other}")),
        };
        match result {
            Ok((rid, note)) => journal.record(&action.id, "completed", rid, note)?,
            Err(e) => {
                journal.record(&action.id, "failed", None, Some(e.clone()))?;
                return Err(ResponderError::Aws {
                    operation: "respond --apply",
                    message: format!("{}: {e}", action.id),
                });
            }
        }
    }
    Ok(())
}
