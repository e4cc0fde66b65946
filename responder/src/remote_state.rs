//! Terraform state read straight from an S3 backend: the current object, other workspaces
//! (`env:/<workspace>/<key>`), and with `--all-versions` every stored version, because old
//! versions keep old secrets.

use aws_sdk_s3::primitives::ByteStream;

use crate::error::ResponderError;
use crate::sdk::{block_on, responder_config, AwsTarget};

/// Where a state lives in S3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3StateLocation {
    /// Bucket.
    pub bucket: String,
    /// Object key of the default workspace's state.
    pub key: String,
    /// Prefix of non-default workspaces (`env:` unless the backend says otherwise).
    pub workspace_key_prefix: String,
}

impl S3StateLocation {
    /// Parses `s3://BUCKET/KEY`.
    ///
    /// ```
    /// let l = responder::S3StateLocation::parse("s3://tf-state/prod/terraform.tfstate").unwrap();
    /// assert_eq!((l.bucket.as_str(), l.key.as_str()), ("tf-state", "prod/terraform.tfstate"));
    /// assert_eq!(l.object_key(Some("blue")), "env:/blue/prod/terraform.tfstate");
    /// ```
    pub fn parse(url: &str) -> Result<S3StateLocation, ResponderError> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| {
            ResponderError::Input(format!("`{url}` is not an s3://BUCKET/KEY URL"))
        })?;
        match rest.split_once('/') {
            Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => Ok(S3StateLocation {
                bucket: bucket.to_string(),
                key: key.to_string(),
                workspace_key_prefix: "env:".into(),
            }),
            _ => Err(ResponderError::Input(format!(
                "`{url}` needs both a bucket and a key: s3://BUCKET/KEY"
            ))),
        }
    }

    /// Object key of a workspace's state (`None` or `default`: the key itself).
    pub fn object_key(&self, workspace: Option<&str>) -> String {
        match workspace {
            None | Some("default") => self.key.clone(),
            Some(w) => format!("{}/{w}/{}", self.workspace_key_prefix, self.key),
        }
    }
}

/// Which objects to read.
#[derive(Debug, Clone, Default)]
pub struct StateSelection {
    /// One workspace (default: the default workspace).
    pub workspace: Option<String>,
    /// Every workspace found under the workspace prefix, plus the default one.
    pub all_workspaces: bool,
    /// Every stored version of each object, not only the current one.
    pub all_versions: bool,
    /// Objects larger than this are skipped and reported.
    pub max_size: u64,
}

/// One state object read from S3.
#[derive(Debug, Clone)]
pub struct FetchedState {
    /// `s3://bucket/key`, with `?versionId=` for a version.
    pub url: String,
    /// Version id, when versions were listed.
    pub version_id: Option<String>,
    /// Whether this is the current version.
    pub is_latest: bool,
    /// Last modification time (RFC 3339), when S3 gave one.
    pub last_modified: Option<String>,
    /// Contents (empty when skipped).
    pub bytes: Vec<u8>,
    /// Why the object was not read, when it was not.
    pub skipped: Option<String>,
}

/// Reads the selected state objects.
pub fn fetch_states(
    target: &AwsTarget,
    location: &S3StateLocation,
    selection: &StateSelection,
) -> Result<Vec<FetchedState>, ResponderError> {
    block_on(fetch(target, location, selection))?
}

async fn fetch(
    target: &AwsTarget,
    location: &S3StateLocation,
    selection: &StateSelection,
) -> Result<Vec<FetchedState>, ResponderError> {
    let config = responder_config(target).await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(target.custom_endpoint())
            .build(),
    );
    let mut keys = vec![location.object_key(selection.workspace.as_deref())];
    if selection.all_workspaces {
        keys = vec![location.key.clone()];
        let prefix = format!("{}/", location.workspace_key_prefix);
        let suffix = format!("/{}", location.key);
        let mut pages = s3
            .list_objects_v2()
            .bucket(&location.bucket)
            .prefix(&prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| ResponderError::aws("s3:ListObjectsV2", e))?;
            for o in page.contents() {
                if let Some(k) = o.key() {
                    // env:/<workspace>/<key>: exactly one path segment between prefix and key.
                    if let Some(ws) = k
                        .strip_prefix(&prefix)
                        .and_then(|r| r.strip_suffix(&suffix))
                    {
                        if !ws.is_empty() && !ws.contains('/') {
                            keys.push(k.to_string());
                        }
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for key in keys {
        if selection.all_versions {
            let mut marker: Option<(String, Option<String>)> = None;
            loop {
                let mut req = s3
                    .list_object_versions()
                    .bucket(&location.bucket)
                    .prefix(&key);
                if let Some((k, v)) = &marker {
                    req = req.key_marker(k).set_version_id_marker(v.clone());
                }
                let page = req
                    .send()
                    .await
                    .map_err(|e| ResponderError::aws("s3:ListObjectVersions", e))?;
                for v in page.versions() {
                    if v.key() != Some(key.as_str()) {
                        continue;
                    }
                    let id = v.version_id().map(str::to_string);
                    let size = v.size().unwrap_or(0).max(0) as u64;
                    let mut state = get(
                        &s3,
                        &location.bucket,
                        &key,
                        id.as_deref(),
                        size,
                        selection.max_size,
                    )
                    .await?;
                    state.is_latest = v.is_latest().unwrap_or(false);
                    state.last_modified = v.last_modified().map(|t| t.to_string());
                    out.push(state);
                }
                if page.is_truncated() == Some(true) {
                    marker = page.next_key_marker().map(|k| {
                        (
                            k.to_string(),
                            page.next_version_id_marker().map(str::to_string),
                        )
                    });
                    if marker.is_none() {
                        break;
                    }
                } else {
                    break;
                }
            }
        } else {
            let mut state = get(&s3, &location.bucket, &key, None, 0, selection.max_size).await?;
            state.is_latest = true;
            out.push(state);
        }
    }
    Ok(out)
}

async fn get(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    version: Option<&str>,
    listed_size: u64,
    max_size: u64,
) -> Result<FetchedState, ResponderError> {
    let url = match version {
        Some(v) => format!("s3://{bucket}/{key}?versionId={v}"),
        None => format!("s3://{bucket}/{key}"),
    };
    let mut state = FetchedState {
        url,
        version_id: version.map(str::to_string),
        is_latest: false,
        last_modified: None,
        bytes: Vec::new(),
        skipped: None,
    };
    if max_size > 0 && listed_size > max_size {
        state.skipped = Some(format!(
            "{listed_size} bytes exceeds --max-file-size ({max_size})"
        ));
        return Ok(state);
    }
    let resp = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .set_version_id(version.map(str::to_string))
        .send()
        .await
        .map_err(|e| ResponderError::aws("s3:GetObject", e))?;
    let len = resp.content_length().unwrap_or(0).max(0) as u64;
    if max_size > 0 && len > max_size {
        state.skipped = Some(format!("{len} bytes exceeds --max-file-size ({max_size})"));
        return Ok(state);
    }
    if state.last_modified.is_none() {
        state.last_modified = resp.last_modified().map(|t| t.to_string());
    }
    state.bytes = collect(resp.body).await?;
    Ok(state)
}

async fn collect(body: ByteStream) -> Result<Vec<u8>, ResponderError> {
    body.collect()
        .await
        .map(|b| b.into_bytes().to_vec())
        .map_err(|e| ResponderError::aws("s3:GetObject (body)", e))
}
