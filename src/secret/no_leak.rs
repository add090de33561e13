//! Compile-time proof that no secret type can be copied or serialised: the crate stops compiling
//! if anyone adds `Clone`, `Copy` or `Serialize` to one of them (derived or written by hand). A
//! derived `Debug` conflicts with the hand-written placeholder impl (and the unit tests pin what it
//! prints); the `compile_fail` examples in [`crate::secret`] show the errors a caller gets.
//!
//! How: `Ambiguous<Marker>` has a blanket impl for every type and one for types with the trait.
//! Naming `<T as Ambiguous<_>>::SOME` compiles only when exactly one impl applies, that is when
//! `T` does not have the trait.

macro_rules! assert_lacks {
    ($ty:ty: $($trait:path),+) => {
        const _: fn() = || {
            trait Ambiguous<A> {
                const SOME: () = ();
            }
            impl<T: ?Sized> Ambiguous<()> for T {}
            $({
                #[allow(dead_code)]
                struct Marker;
                impl<T: ?Sized + $trait> Ambiguous<Marker> for T {}
            })+
            <$ty as Ambiguous<_>>::SOME
        };
    };
}

assert_lacks!(crate::secret::TargetKey: Clone, Copy, serde::Serialize);
assert_lacks!(crate::slip39::Share: Clone, Copy, serde::Serialize);
assert_lacks!(crate::dice::Rolls: Clone, Copy, serde::Serialize);
assert_lacks!(crate::dice::CeremonyRng: Clone, Copy, serde::Serialize);
assert_lacks!(crate::log::Signer: Clone, Copy, serde::Serialize);
assert_lacks!(crate::escrow::SharePassphrase: Clone, Copy, serde::Serialize);
