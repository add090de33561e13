//! Embeds what the binary is made of, so `byok-ceremony version --json` can report it without
//! any file beside it: the compiler version, the target, and every package (name, version, source)
//! reachable from the runtime dependencies in Cargo.lock. The idea of cargo-auditable, in plain text.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=build.rs");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = Command::new(rustc)
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let target = std::env::var("TARGET").unwrap_or_default();
    let lock = fs::read_to_string("Cargo.lock").unwrap_or_default();
    let manifest = fs::read_to_string("Cargo.toml").unwrap_or_default();
    let deps = runtime_packages(&lock, &direct_dependencies(&manifest));
    let mut out = String::new();
    out.push_str(&format!("/// `rustc -V` of the compiler that built this binary.\npub const RUSTC: &str = {rustc_version:?};\n"));
    out.push_str(&format!("/// The target triple.\npub const TARGET: &str = {target:?};\n"));
    out.push_str("/// (name, version, source) of every package in the runtime dependency graph.\npub const DEPENDENCIES: &[(&str, &str, &str)] = &[\n");
    for (name, version, source) in deps {
        out.push_str(&format!("    ({name:?}, {version:?}, {source:?}),\n"));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("build_info.rs");
    fs::write(dest, out).expect("write build_info.rs");
}

/// Names under `[dependencies]` in Cargo.toml (not dev- or build-dependencies).
fn direct_dependencies(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut names = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && !line.is_empty() && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                names.push(name.trim().to_string());
            }
        }
    }
    names
}

/// Walks Cargo.lock from the direct dependencies; returns (name, version, source) sorted.
fn runtime_packages(lock: &str, roots: &[String]) -> BTreeSet<(String, String, String)> {
    // name -> [(version, source, deps)]
    let mut packages: BTreeMap<String, Vec<(String, String, Vec<String>)>> = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = ")))
                .map(|v| v.trim_matches('"').to_string())
                .unwrap_or_default()
        };
        let mut deps = Vec::new();
        if let Some(start) = block.find("dependencies = [") {
            let rest = &block[start + "dependencies = [".len()..];
            let list = &rest[..rest.find(']').unwrap_or(rest.len())];
            deps = list
                .split(',')
                .map(|d| d.trim().trim_matches('"').to_string())
                .filter(|d| !d.is_empty())
                .collect();
        }
        let source = field("source");
        packages.entry(field("name")).or_default().push((field("version"), source, deps));
    }
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.to_vec();
    while let Some(spec) = stack.pop() {
        let mut parts = spec.split(' ');
        let name = parts.next().unwrap_or_default().to_string();
        let version = parts.next().map(str::to_string);
        let Some(candidates) = packages.get(&name) else { continue };
        for (v, source, deps) in candidates {
            if version.as_ref().is_some_and(|want| want != v) {
                continue;
            }
            let source =
                if source.starts_with("registry+") { "crates.io".to_string() } else { source.clone() };
            if seen.insert((name.clone(), v.clone(), source)) {
                stack.extend(deps.iter().cloned());
            }
        }
    }
    seen
}
