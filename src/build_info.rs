//! What this binary is made of, embedded at build time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/build_info.rs"));

/// SHA-256 of the running executable (`/proc/self/exe`), lowercase hex.
pub fn running_binary_sha256() -> Option<String> {
    std::fs::read("/proc/self/exe").ok().map(|b| crate::fsutil::sha256_hex(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dependency_list_has_the_crypto_and_no_dev_dependencies() {
        let names: Vec<&str> = DEPENDENCIES.iter().map(|d| d.0).collect();
        for want in ["rsa", "aes-kw", "sha2", "ssh-key", "qrcode", "zeroize"] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        for dev in ["proptest", "tempfile"] {
            assert!(!names.contains(&dev), "dev-dependency {dev} embedded");
        }
        for banned in ["sharks", "blahaj"] {
            assert!(!names.contains(&banned));
        }
        assert!(RUSTC.starts_with("rustc "));
    }
}
