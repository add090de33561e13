//! Shamir secret sharing over GF(256), byte by byte, as SLIP-39 defines it:
//! the shared secret sits at x = 255 and a digest share (4-byte HMAC digest
//! followed by random bytes) at x = 254, so that recovery can detect a wrong
//! combination.

use hmac::{Hmac, Mac};
use rand_core::CryptoRngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::gf256;
use super::Slip39Error;

/// x coordinate of the shared secret.
pub const SECRET_INDEX: u8 = 255;
/// x coordinate of the digest share.
pub const DIGEST_INDEX: u8 = 254;
/// Length of the digest prefix in the digest share.
pub const DIGEST_LENGTH: usize = 4;
/// Largest number of shares in one split (4-bit index).
pub const MAX_SHARE_COUNT: u8 = 16;

/// One point of a sharing polynomial: the x coordinate (public) and the
/// y values (secret), one per byte of the secret.
pub struct Point {
    /// Share index (x coordinate).
    pub x: u8,
    /// Share value (y coordinates, one per secret byte).
    pub y: Zeroizing<Vec<u8>>,
}

/// Evaluates at `x` the polynomial of lowest degree through `points`.
///
/// The x coordinates must be distinct (the callers guarantee it) and the
/// values of equal length. Only x coordinates, which are public share indices,
/// influence control flow; the y values go through constant-time field
/// operations only.
pub fn interpolate(points: &[&Point], x: u8) -> Zeroizing<Vec<u8>> {
    debug_assert!(!points.is_empty());
    if let Some(p) = points.iter().find(|p| p.x == x) {
        return Zeroizing::new(p.y.to_vec());
    }
    let len = points[0].y.len();
    let mut out = Zeroizing::new(vec![0u8; len]);
    for (i, pi) in points.iter().enumerate() {
        debug_assert_eq!(pi.y.len(), len);
        // Lagrange basis polynomial of point i evaluated at x.
        let mut num = 1u8;
        let mut den = 1u8;
        for (j, pj) in points.iter().enumerate() {
            if i != j {
                debug_assert_ne!(pi.x, pj.x);
                num = gf256::mul(num, gf256::add(x, pj.x));
                den = gf256::mul(den, gf256::add(pi.x, pj.x));
            }
        }
        let basis = gf256::div(num, den);
        for (o, &y) in out.iter_mut().zip(pi.y.iter()) {
            *o = gf256::add(*o, gf256::mul(basis, y));
        }
    }
    out
}

/// First [`DIGEST_LENGTH`] bytes of HMAC-SHA256(key = `random_part`, `secret`).
fn digest(random_part: &[u8], secret: &[u8]) -> Zeroizing<[u8; DIGEST_LENGTH]> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(random_part).expect("HMAC accepts keys of any length");
    mac.update(secret);
    let full = Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()));
    let mut d = Zeroizing::new([0u8; DIGEST_LENGTH]);
    d.copy_from_slice(&full[..DIGEST_LENGTH]);
    d
}

/// Splits `secret` into `count` points with indices 0..count, any
/// `threshold` of which recover it. The caller has validated
/// `1 <= threshold <= count <= 16` and `secret.len() >= 16`.
pub fn split_secret(
    threshold: u8,
    count: u8,
    secret: &[u8],
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<Point>, Slip39Error> {
    if threshold < 1 || threshold > count || count > MAX_SHARE_COUNT {
        return Err(Slip39Error::BadParams("need 1 <= threshold <= count <= 16"));
    }
    if secret.len() < 2 * DIGEST_LENGTH {
        return Err(Slip39Error::InvalidSecretLength { len: secret.len() });
    }
    if threshold == 1 {
        // Degree-0 polynomial: every share is the secret itself.
        return Ok((0..count).map(|x| Point { x, y: Zeroizing::new(secret.to_vec()) }).collect());
    }
    let random_count = threshold - 2;
    let mut shares: Vec<Point> = Vec::with_capacity(count.into());
    for x in 0..random_count {
        let mut y = Zeroizing::new(vec![0u8; secret.len()]);
        rng.fill_bytes(&mut y);
        shares.push(Point { x, y });
    }
    let mut digest_share = Zeroizing::new(vec![0u8; secret.len()]);
    rng.fill_bytes(&mut digest_share[DIGEST_LENGTH..]);
    let d = digest(&digest_share[DIGEST_LENGTH..], secret);
    digest_share[..DIGEST_LENGTH].copy_from_slice(&d[..]);
    let digest_point = Point { x: DIGEST_INDEX, y: digest_share };
    let secret_point = Point { x: SECRET_INDEX, y: Zeroizing::new(secret.to_vec()) };
    for x in random_count..count {
        let y = {
            let mut base: Vec<&Point> = shares.iter().collect();
            base.push(&digest_point);
            base.push(&secret_point);
            interpolate(&base, x)
        };
        shares.push(Point { x, y });
    }
    Ok(shares)
}

/// Recovers the secret from exactly `threshold` points with distinct x
/// coordinates and checks the digest share when `threshold >= 2`.
pub fn recover_secret(threshold: u8, points: &[&Point]) -> Result<Zeroizing<Vec<u8>>, Slip39Error> {
    debug_assert_eq!(points.len(), usize::from(threshold));
    if threshold == 1 {
        return Ok(Zeroizing::new(points[0].y.to_vec()));
    }
    let secret = interpolate(points, SECRET_INDEX);
    let digest_share = interpolate(points, DIGEST_INDEX);
    if digest_share.len() < DIGEST_LENGTH {
        return Err(Slip39Error::DigestMismatch);
    }
    let expected = digest(&digest_share[DIGEST_LENGTH..], &secret);
    if bool::from(expected[..].ct_eq(&digest_share[..DIGEST_LENGTH])) {
        Ok(secret)
    } else {
        Err(Slip39Error::DigestMismatch)
    }
}
