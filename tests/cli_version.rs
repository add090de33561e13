//! `version --json` reports the running binary's SHA-256, toolchain and dependencies.

mod common;

use common::*;

#[test]
fn version_json_hash_equals_sha256sum_of_the_binary() {
    let o = run(&["version", "--json"]);
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let bytes = std::fs::read(bin()).unwrap();
    assert_eq!(doc["binary_sha256"].as_str().unwrap(), byok_ceremony::fsutil::sha256_hex(&bytes));
    assert_eq!(doc["version"], env!("CARGO_PKG_VERSION"));
    assert!(doc["toolchain"].as_str().unwrap().starts_with("rustc 1."));
    let deps = doc["dependencies"].as_array().unwrap();
    assert!(deps.iter().any(|d| d["name"] == "rsa" && d["source"] == "crates.io"));
}
