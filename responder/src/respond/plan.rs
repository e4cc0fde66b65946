//! Step 2: the plan. A list of actions, each with the AWS call it makes (as the responder
//! identity) and the equivalent `aws` CLI command. A plan is data; printing it changes nothing.

use serde::Serialize;

use super::investigate::Investigation;
use crate::intelligence::{KeyClass, KeyIntel};

/// What an action is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// Stop the key from working.
    Contain,
    /// Give the owner a working credential again.
    Restore,
    /// Something a person must do or decide.
    Review,
}

/// One step of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// Stable id (the journal refers to it).
    pub id: String,
    /// Kind.
    pub kind: ActionKind,
    /// What it does, in words.
    pub description: String,
    /// SDK operation (`iam:UpdateAccessKey`), for actions keyward performs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// The equivalent `aws` CLI command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cli: Option<String>,
    /// Whether it changes anything in AWS.
    pub mutating: bool,
    /// Parameters of the call.
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub params: serde_json::Value,
}

/// What `respond` will do, in order.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Key id.
    pub key_id: String,
    /// Actions.
    pub actions: Vec<Action>,
}

/// The policy that denies every session issued before `now` (AWS's "revoke active sessions").
pub fn revoke_older_sessions_policy(now_rfc3339: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Deny",
            "Action": ["*"],
            "Resource": ["*"],
            "Condition": {"DateLessThan": {"aws:TokenIssueTime": now_rfc3339}}
        }]
    })
    .to_string()
}

/// Name of the inline policy AWS's console uses to revoke older sessions.
pub const REVOKE_POLICY_NAME: &str = "AWSRevokeOlderSessions";

/// Whom an ARN names: `(kind, name)` with kind `role` or `user`.
pub(crate) fn principal_of(arn: &str) -> Option<(&'static str, String)> {
    let resource = arn.splitn(6, ':').nth(5)?;
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        return rest.split('/').next().map(|r| ("role", r.to_string()));
    }
    if let Some(rest) = resource.strip_prefix("user/") {
        return rest.rsplit('/').next().map(|u| ("user", u.to_string()));
    }
    if let Some(rest) = resource.strip_prefix("federated-user/") {
        // GetFederationToken sessions act for the IAM user that called it; the name is the
        // federated user's, so the revoke policy goes on the user only when named so.
        return Some(("user", rest.to_string()));
    }
    None
}

/// Builds the plan from the key's class and the investigation.
pub fn make_plan(
    key_id: &str,
    intel: &KeyIntel,
    inv: &Investigation,
    delete: bool,
    rotate: bool,
    now_rfc3339: &str,
) -> Plan {
    let mut actions = Vec::new();
    let review = |id: &str, text: String| Action {
        id: id.into(),
        kind: ActionKind::Review,
        description: text,
        api: None,
        cli: None,
        mutating: false,
        params: serde_json::Value::Null,
    };
    match intel.class {
        KeyClass::LongTerm => match &inv.owner_user {
            Some(user) => {
                actions.push(Action {
                    id: "deactivate-key".into(),
                    kind: ActionKind::Contain,
                    description: format!("Deactivate access key {key_id} of IAM user {user}."),
                    api: Some("iam:UpdateAccessKey".into()),
                    cli: Some(format!(
                        "aws iam update-access-key --user-name {user} --access-key-id {key_id} --status Inactive"
                    )),
                    mutating: true,
                    params: serde_json::json!({"UserName": user, "AccessKeyId": key_id, "Status": "Inactive"}),
                });
                if rotate {
                    actions.push(Action {
                        id: "create-replacement-key".into(),
                        kind: ActionKind::Restore,
                        description: format!(
                            "Create a replacement access key for {user}; it is written only to a 0600 file in the incident folder."
                        ),
                        api: Some("iam:CreateAccessKey".into()),
                        cli: Some(format!("aws iam create-access-key --user-name {user}")),
                        mutating: true,
                        params: serde_json::json!({"UserName": user}),
                    });
                }
                if delete {
                    actions.push(Action {
                        id: "delete-key".into(),
                        kind: ActionKind::Contain,
                        description: format!("Delete access key {key_id} of IAM user {user} (irreversible)."),
                        api: Some("iam:DeleteAccessKey".into()),
                        cli: Some(format!(
                            "aws iam delete-access-key --user-name {user} --access-key-id {key_id}"
                        )),
                        mutating: true,
                        params: serde_json::json!({"UserName": user, "AccessKeyId": key_id}),
                    });
                }
            }
            None => actions.push(review(
                "find-owner",
                format!("The key's owner is unknown (iam:GetAccessKeyLastUsed failed or the key is in another account): deactivate {key_id} from the owning account."),
            )),
        },
        KeyClass::Temporary => match inv.principal_arn.as_deref().and_then(principal_of) {
            Some((kind, name)) => {
                let policy = revoke_older_sessions_policy(now_rfc3339);
                let (api, cli, params) = if kind == "role" {
                    (
                        "iam:PutRolePolicy",
                        format!("aws iam put-role-policy --role-name {name} --policy-name {REVOKE_POLICY_NAME} --policy-document '{policy}'"),
                        serde_json::json!({"RoleName": name, "PolicyName": REVOKE_POLICY_NAME, "PolicyDocument": policy}),
                    )
                } else {
                    (
                        "iam:PutUserPolicy",
                        format!("aws iam put-user-policy --user-name {name} --policy-name {REVOKE_POLICY_NAME} --policy-document '{policy}'"),
                        serde_json::json!({"UserName": name, "PolicyName": REVOKE_POLICY_NAME, "PolicyDocument": policy}),
                    )
                };
                actions.push(Action {
                    id: "revoke-older-sessions".into(),
                    kind: ActionKind::Contain,
                    description: format!(
                        "Deny every session of {kind} {name} issued before {now_rfc3339} (temporary keys cannot be deactivated)."
                    ),
                    api: Some(api.into()),
                    cli: Some(cli),
                    mutating: true,
                    params,
                });
            }
            None => actions.push(review(
                "find-session-principal",
                "The role or user behind this temporary key is unknown (no verification result and no CloudTrail event): find it, then put the AWSRevokeOlderSessions policy on it.".into(),
            )),
        },
        _ => actions.push(review(
            "unsupported-class",
            format!("{key_id} is not a long-term or temporary access key: nothing to deactivate automatically."),
        )),
    }
    if !inv.cloudtrail.flagged.is_empty() {
        let names: std::collections::BTreeSet<&str> = inv
            .cloudtrail
            .flagged
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        actions.push(review(
            "review-flagged-events",
            format!(
                "CloudTrail shows persistence or escalation calls made with the key ({}): undo what they created (users, keys, policies, roles, shared snapshots, instances).",
                names.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    for k in &inv.owner_keys {
        if k.older_than_90_days && k.id != key_id && k.status == "Active" {
            actions.push(review(
                &format!("rotate-old-key-{}", k.id),
                format!(
                    "Access key {} of the same user is {} days old: rotate it.",
                    k.id,
                    k.age_days.unwrap_or(0)
                ),
            ));
        }
    }
    actions.push(review(
        "remove-from-source",
        "Remove the key from the code and from git history (or accept that history keeps it), and add this repository's pre-commit hook.".into(),
    ));
    Plan {
        key_id: key_id.to_string(),
        actions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_from_arns() {
        assert_eq!(
            principal_of("arn:aws:sts::123456789012:assumed-role/deploy/ci-session"),
            Some(("role", "deploy".to_string()))
        );
        assert_eq!(
            principal_of("arn:aws:iam::123456789012:user/path/alice"),
            Some(("user", "alice".to_string()))
        );
        assert_eq!(principal_of("nonsense"), None);
    }
}
