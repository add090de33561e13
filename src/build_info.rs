//! What this binary is made of, embedded at build time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/build_info.rs"));

/// SHA-256 of the running executable (`/proc/self/exe`), lowercase hex. Read in 64 KiB pieces, not
/// whole: once a ceremony has locked its memory every allocation is locked too, and a buffer the
/// size of the binary would cost megabytes of RLIMIT_MEMLOCK (or fail under it).
pub fn running_binary_sha256() -> Option<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut file = std::fs::File::open("/proc/self/exe").ok()?;
    let mut hasher = sha2::Sha256::new();
    let mut piece = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => hasher.update(&piece[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(crate::fsutil::hex_lower(&hasher.finalize()))
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

    #[test]
    fn the_binary_hash_is_the_hash_of_the_whole_file() {
        let whole = std::fs::read("/proc/self/exe").unwrap();
        assert_eq!(running_binary_sha256().unwrap(), crate::fsutil::sha256_hex(&whole));
    }
}
