#!/usr/bin/env bash
# Dependency audit without network access to the advisory database: the RustSec snapshot in
# ../shared/advisory-db (see ../shared/advisory-db.README) is placed where deny.toml's db-path
# expects it, as a git repository, and cargo-deny runs --offline (crates are fetched first, since
# `cargo metadata` needs every platform's packages).
set -euo pipefail
cd "$(dirname "$0")/.."
snapshot=${ADVISORY_DB:-../shared/advisory-db}
db=target/advisory-dbs/advisory-db-3157b0e258782691   # the directory cargo-deny derives from db-urls
command -v cargo-deny >/dev/null || cargo install cargo-deny --locked --version 0.20.2
rm -rf "$db"
mkdir -p "$db"
cp -r "$snapshot/." "$db/"
git -C "$db" init -q
git -C "$db" add -A
git -C "$db" -c user.email=ci@localhost -c user.name=ci commit -q -m "RustSec snapshot"
cargo fetch --locked >/dev/null
cargo deny --offline check advisories bans licenses sources
