//! The Azure transfer blob (`.byok`) and the Azure key identifier it names.

use base64::Engine;
use serde::Serialize;

use crate::keytype::KeyType;

/// Why an Azure `--kid` was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KidError {
    /// Not a URL of the expected shape.
    #[error("--kid '{0}' is not an Azure key identifier: give the KEK's versioned id, https://NAME.managedhsm.azure.net/keys/KEY/VERSION (from `az keyvault key show --query key.kid`)")]
    Shape(String),
    /// A valid versioned kid with a `/` after it.
    #[error(
        "--kid '{0}' ends with a '/': remove the trailing / (a versioned kid ends in /keys/KEY/VERSION)"
    )]
    TrailingSlash(String),
    /// Missing the version part.
    #[error("--kid '{0}' has no version: give the versioned id that ends in /keys/KEY/VERSION (`az keyvault key show --query key.kid`)")]
    NoVersion(String),
    /// An AES key for a Key Vault (not Managed HSM) KEK.
    #[error("--kid '{0}' is a Key Vault KEK, but AES (oct-HSM) keys can only be imported into Managed HSM: create the KEK in a Managed HSM (NAME.managedhsm.azure.net)")]
    SymmetricIntoVault(String),
}

/// Which Azure service a kid points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AzureService {
    /// Azure Key Vault (Premium, HSM-backed keys).
    KeyVault,
    /// Azure Managed HSM.
    ManagedHsm,
}

const VAULT_SUFFIXES: [&str; 4] =
    [".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net", ".vault.microsoftazure.de"];
const MHSM_SUFFIXES: [&str; 3] =
    [".managedhsm.azure.net", ".managedhsm.azure.cn", ".managedhsm.usgovcloudapi.net"];

/// A validated, versioned Azure key identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AzureKid {
    url: String,
    service: AzureService,
}

impl AzureKid {
    /// Checks `https://NAME.(vault|managedhsm).SUFFIX/keys/KEY/VERSION`.
    pub fn parse(kid: &str) -> Result<AzureKid, KidError> {
        let shape = || KidError::Shape(kid.to_string());
        if let Some(trimmed) = kid.strip_suffix('/') {
            if AzureKid::parse(trimmed.trim_end_matches('/')).is_ok() {
                return Err(KidError::TrailingSlash(kid.to_string()));
            }
        }
        let rest = kid.strip_prefix("https://").ok_or_else(shape)?;
        let (host, path) = rest.split_once('/').ok_or_else(shape)?;
        let host = host.to_ascii_lowercase();
        let vault = VAULT_SUFFIXES.iter().find_map(|s| host.strip_suffix(s));
        let mhsm = MHSM_SUFFIXES.iter().find_map(|s| host.strip_suffix(s));
        let (name, service) = match (mhsm, vault) {
            (Some(name), _) => (name, AzureService::ManagedHsm),
            (None, Some(name)) => (name, AzureService::KeyVault),
            _ => return Err(shape()),
        };
        if !valid_vault_name(name) {
            return Err(shape());
        }
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["keys", key, version] if valid_name(key) && valid_version(version) => {}
            ["keys", key] | ["keys", key, ""] if valid_name(key) => {
                return Err(KidError::NoVersion(kid.to_string()))
            }
            _ => return Err(shape()),
        }
        Ok(AzureKid { url: kid.to_string(), service })
    }

    /// Refuses combinations Azure will not import.
    pub fn check_key_type(&self, key_type: KeyType) -> Result<(), KidError> {
        if key_type.is_symmetric() && self.service == AzureService::KeyVault {
            return Err(KidError::SymmetricIntoVault(self.url.clone()));
        }
        Ok(())
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Key Vault or Managed HSM.
    pub fn service(&self) -> AzureService {
        self.service
    }
}

fn valid_name(s: &str) -> bool {
    (1..=127).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Key Vault and Managed HSM names: 3 to 24 letters, digits and single hyphens, starting with a
/// letter and not ending with a hyphen (one DNS label: no dots, ports, queries or user info).
fn valid_vault_name(s: &str) -> bool {
    (3..=24).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Key versions are 32 hex digits.
fn valid_version(s: &str) -> bool {
    s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit())
}

#[derive(Serialize)]
struct Header<'a> {
    kid: &'a str,
    alg: &'a str,
    enc: &'a str,
}

#[derive(Serialize)]
struct Blob<'a> {
    schema_version: &'a str,
    header: Header<'a>,
    ciphertext: String,
    generator: String,
}

/// The Azure `.byok` JSON: compact, no BOM, a trailing newline, ciphertext in unpadded base64url.
pub fn azure_byok(kid: &AzureKid, wrapped: &[u8]) -> Vec<u8> {
    let blob = Blob {
        schema_version: "1.0.0",
        header: Header { kid: kid.as_str(), alg: "dir", enc: "CKM_RSA_AES_KEY_WRAP" },
        ciphertext: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(wrapped),
        generator: crate::generator(),
    };
    let mut out = serde_json::to_vec(&blob).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MHSM: &str = "https://contoso.managedhsm.azure.net/keys/kek/0123456789abcdef0123456789abcdef";

    #[test]
    fn accepts_versioned_ids_in_every_cloud() {
        for kid in [
            MHSM,
            "https://contoso.vault.azure.net/keys/my-kek/78deebed173b48e48f55abf87ed4cf71",
            "https://contoso.managedhsm.usgovcloudapi.net/keys/kek/0123456789abcdef0123456789ABCDEF",
            "https://contoso.vault.azure.cn/keys/kek/0123456789abcdef0123456789abcdef",
        ] {
            AzureKid::parse(kid).unwrap();
        }
    }

    #[test]
    fn refuses_unversioned_foreign_and_vault_for_aes() {
        assert!(matches!(
            AzureKid::parse("https://contoso.vault.azure.net/keys/kek"),
            Err(KidError::NoVersion(_))
        ));
        let v = "0123456789abcdef0123456789abcdef";
        for bad in [
            format!("http://contoso.vault.azure.net/keys/k/{v}"),
            format!("https://example.com/keys/k/{v}"),
            format!("https://evil.com?.managedhsm.azure.net/keys/k/{v}"),
            format!("https://evil.com#.managedhsm.azure.net/keys/k/{v}"),
            format!("https://a.b.managedhsm.azure.net/keys/k/{v}"),
            format!("https://-.managedhsm.azure.net/keys/k/{v}"),
            format!("https://contoso.managedhsm.azure.net:443/keys/k/{v}"),
            format!("https://contoso.managedhsm.azure.net/keys/k/{v}?x=1"),
            "https://contoso.managedhsm.azure.net/keys/k/v".to_string(),
            "kek".to_string(),
            String::new(),
        ] {
            let bad = bad.as_str();
            assert!(matches!(AzureKid::parse(bad), Err(KidError::Shape(_))), "{bad}");
        }
        for slash in ["/", "//"] {
            let bad = format!("https://contoso.managedhsm.azure.net/keys/k/{v}{slash}");
            assert!(matches!(AzureKid::parse(&bad), Err(KidError::TrailingSlash(_))), "{bad}");
        }
        let vault = AzureKid::parse(&format!("https://contoso.vault.azure.net/keys/kek/{v}")).unwrap();
        assert!(vault.check_key_type(KeyType::Aes256).is_err());
        assert!(AzureKid::parse(MHSM).unwrap().check_key_type(KeyType::Aes256).is_ok());
    }

    #[test]
    fn blob_has_the_contract_shape() {
        let blob = azure_byok(&AzureKid::parse(MHSM).unwrap(), &[0xfb, 0xff, 0x00]);
        let text = String::from_utf8(blob).unwrap();
        assert!(text.starts_with(
            "{\"schema_version\":\"1.0.0\",\"header\":{\"kid\":\"https://contoso.managedhsm.azure.net/keys/kek/0123456789abcdef0123456789abcdef\",\"alg\":\"dir\",\"enc\":\"CKM_RSA_AES_KEY_WRAP\"},\"ciphertext\":\"-_8A\",\"generator\":\"byok-ceremony "
        ));
        assert!(text.ends_with("\"}\n"));
    }
}
