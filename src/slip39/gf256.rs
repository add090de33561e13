//! Arithmetic in GF(2^8) with the AES reduction polynomial x^8+x^4+x^3+x+1
//! (0x11b), as SLIP-39 prescribes.
//!
//! Every operation runs in constant time with respect to its operands: no
//! lookup tables, no branches on data. Multiplication is shift-and-add where
//! the conditional xors are done with all-ones / all-zeros masks, and
//! inversion is exponentiation to x^254 with a fixed chain of squarings and
//! multiplications.

/// Addition (and subtraction) in GF(256): xor.
#[inline]
pub fn add(a: u8, b: u8) -> u8 {
    a ^ b
}

/// Multiplication in GF(256) modulo 0x11b, branch-free and table-free.
#[inline]
pub fn mul(a: u8, b: u8) -> u8 {
    let mut a = a;
    let mut b = b;
    let mut product: u8 = 0;
    for _ in 0..8 {
        // 0xff when the low bit of b is set, 0x00 otherwise.
        let take = 0u8.wrapping_sub(b & 1);
        product ^= a & take;
        // Multiply a by x; if the bit shifted out was set, reduce by 0x1b.
        let carry = 0u8.wrapping_sub(a >> 7);
        a = (a << 1) ^ (0x1b & carry);
        b >>= 1;
    }
    product
}

/// Squaring, a special case of [`mul`].
#[inline]
fn square(a: u8) -> u8 {
    mul(a, a)
}

/// Multiplicative inverse as a^254 (a^255 = 1 for a != 0); `inv(0) == 0`.
///
/// 254 = 0b1111_1110: the chain below computes a^2, a^4, ... a^128 and
/// multiplies them together, always the same sequence of operations.
pub fn inv(a: u8) -> u8 {
    let a2 = square(a); // a^2
    let a4 = square(a2); // a^4
    let a8 = square(a4); // a^8
    let a16 = square(a8); // a^16
    let a32 = square(a16); // a^32
    let a64 = square(a32); // a^64
    let a128 = square(a64); // a^128
    let mut r = mul(a2, a4); // a^6
    r = mul(r, a8); // a^14
    r = mul(r, a16); // a^30
    r = mul(r, a32); // a^62
    r = mul(r, a64); // a^126
    mul(r, a128) // a^254
}

/// Division `a / b`; the caller guarantees `b != 0` (only ever called with
/// differences of distinct, public share indices).
#[inline]
pub fn div(a: u8, b: u8) -> u8 {
    mul(a, inv(b))
}
