//! Key check values: how operators and HSM consoles recognise a key without seeing it.
//!
//! - `kcv`: the first 3 bytes of AES-ECB(key, 16 zero bytes), in hex, as most HSM consoles show it;
//! - `kcv_cmac`: the first 5 bytes of AES-CMAC(key, 16 zero bytes) (ANSI X9.24-1:2017).

use aes::cipher::{generic_array::GenericArray, BlockEncrypt, KeyInit};
use cmac::{Cmac, Mac};

/// Both check values of an AES key, in lowercase hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckValues {
    /// 3 bytes of AES-ECB of a zero block.
    pub kcv: String,
    /// 5 bytes of AES-CMAC of a zero block.
    pub kcv_cmac: String,
}

/// Computes the check values of an AES-128/192/256 key; `None` for any other length.
pub fn aes_check_values(key: &[u8]) -> Option<CheckValues> {
    let (ecb, cmac) = match key.len() {
        16 => (ecb128(key)?, cmac128(key)?),
        24 => (ecb192(key)?, cmac192(key)?),
        32 => (ecb256(key)?, cmac256(key)?),
        _ => return None,
    };
    Some(CheckValues { kcv: hex(&ecb[..3]), kcv_cmac: hex(&cmac[..5]) })
}

/// AES-ECB of one zero block, and AES-CMAC of one zero block, for one AES key size.
macro_rules! zero_block_fns {
    ($ecb:ident, $cmac:ident, $cipher:ty) => {
        fn $ecb(key: &[u8]) -> Option<[u8; 16]> {
            let cipher = <$cipher>::new_from_slice(key).ok()?;
            let mut block = GenericArray::clone_from_slice(&[0u8; 16]);
            cipher.encrypt_block(&mut block);
            Some(block.into())
        }

        fn $cmac(key: &[u8]) -> Option<[u8; 16]> {
            let mut mac = <Cmac<$cipher> as Mac>::new_from_slice(key).ok()?;
            mac.update(&[0u8; 16]);
            Some(mac.finalize().into_bytes().into())
        }
    };
}

zero_block_fns!(ecb128, cmac128, aes::Aes128);
zero_block_fns!(ecb192, cmac192, aes::Aes192);
zero_block_fns!(ecb256, cmac256, aes::Aes256);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FIPS-197 appendix C: AES-128 with key 000102..0f encrypts 00112233..ff to 69c4e0d8...;
    /// here, the zero block under the zero key: 66e94bd4ef8a2c3b884cfa59ca342b2e (well known).
    #[test]
    fn zero_key_kcv_is_the_known_block() {
        let cv = aes_check_values(&[0u8; 16]).unwrap();
        assert_eq!(cv.kcv, "66e94b");
        let cv = aes_check_values(&[0u8; 32]).unwrap();
        assert_eq!(cv.kcv, "dc95c0");
    }

    /// RFC 4493 example 2 is CMAC of one block 6bc1bee2...; example 1 (empty message) does not apply.
    /// The X9.24-1 form is CMAC of a zero block; checked against python `cryptography` for key 2b7e...
    #[test]
    fn cmac_check_value_known_answer() {
        let key = hex::decode("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        let cv = aes_check_values(&key).unwrap();
        assert_eq!(cv.kcv_cmac, "7ad386c376");
        assert_eq!(cv.kcv, "7df76b");
        assert_eq!(aes_check_values(&[0u8; 16]).unwrap().kcv_cmac, "763cbcde81");
        assert_eq!(aes_check_values(&[0u8; 32]).unwrap().kcv_cmac, "9211053c55");
    }

    #[test]
    fn other_lengths_have_none() {
        assert!(aes_check_values(&[0u8; 20]).is_none());
    }
}
