//! What a verified log says: looked up by event and field name.

use serde_json::Value;

use crate::log::Entry;

/// One `artifact.written` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedArtifact {
    /// Path as logged (relative to the ceremony directory, or absolute for `--shares-dir`).
    pub path: String,
    /// Lowercase hex SHA-256.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: Option<u64>,
}

/// One share of `escrow.split`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedShare {
    /// 1-based share number.
    pub number: u64,
    /// SHA-256 of the mnemonic (lowercase words, single spaces).
    pub commitment: String,
    /// The share file's logged path.
    pub file: String,
}

/// Read access to the entries of a verified log.
pub struct Facts<'a> {
    /// Every line, seal included.
    pub entries: &'a [Entry],
}

impl<'a> Facts<'a> {
    /// Wraps verified entries.
    pub fn new(entries: &'a [Entry]) -> Facts<'a> {
        Facts { entries }
    }

    /// The first line with this event.
    pub fn first(&self, event: &str) -> Option<&'a Entry> {
        self.entries.iter().find(|e| e.event == event)
    }

    /// A field of the first line with this event.
    pub fn field(&self, event: &str, key: &str) -> Option<&'a Value> {
        self.first(event).and_then(|e| e.fields.get(key))
    }

    /// A string field of the first line with this event.
    pub fn str(&self, event: &str, key: &str) -> Option<&'a str> {
        self.field(event, key).and_then(Value::as_str)
    }

    /// An integer field of the first line with this event.
    pub fn u64(&self, event: &str, key: &str) -> Option<u64> {
        self.field(event, key).and_then(Value::as_u64)
    }

    /// The event that brought the key: `key.generated`, or `key.recovered` (a recovery ceremony).
    pub fn key_event(&self) -> &'static str {
        if self.first("key.generated").is_none() && self.first("key.recovered").is_some() {
            "key.recovered"
        } else {
            "key.generated"
        }
    }

    /// Every `artifact.written` line; malformed ones come back as `Err(seq)`.
    pub fn artifacts(&self) -> Vec<Result<LoggedArtifact, u64>> {
        self.entries
            .iter()
            .filter(|e| e.event == "artifact.written")
            .map(|e| {
                let path = e.fields.get("path").and_then(Value::as_str);
                let sha = e.fields.get("sha256").and_then(Value::as_str);
                match (path, sha) {
                    (Some(p), Some(s)) => Ok(LoggedArtifact {
                        path: p.to_string(),
                        sha256: s.to_string(),
                        bytes: e.fields.get("bytes").and_then(Value::as_u64),
                    }),
                    _ => Err(e.seq),
                }
            })
            .collect()
    }

    /// The shares listed by `escrow.split` (empty without escrow).
    pub fn shares(&self) -> Vec<LoggedShare> {
        let Some(Value::Array(items)) = self.field("escrow.split", "shares") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|s| {
                Some(LoggedShare {
                    number: s.get("number")?.as_u64()?,
                    commitment: s.get("commitment_sha256")?.as_str()?.to_string(),
                    file: s.get("file")?.as_str()?.to_string(),
                })
            })
            .collect()
    }
}
