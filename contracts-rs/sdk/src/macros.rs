//! `contract!` (dispatch by selector) and `interface!` (typed calls).

/// Turns an `impl` block into a contract: each method marked
/// `#[selector(N)]` becomes public and is called for calldata starting
/// with selector `N` (u32 little-endian), its arguments decoded from the
/// 32-byte words that follow and its result returned in the same encoding
/// (a `()` result ends with no return data). An optional first method
/// marked `#[constructor]` runs once, at deploy, with the deploy's input
/// as its arguments (no selector). Unknown selectors revert with
/// "unknown selector"; missing arguments with "missing argument", words
/// that do not hold the argument's type with "bad argument". The marker
/// attribute comes first, a method's doc comment after it.
///
/// ```ignore
/// pub struct Counter;
/// avm_sdk::contract! {
///     impl Counter {
///         #[constructor]
///         fn deploy(start: U256) { COUNT.set(&start) }
///         #[selector(1)]
///         fn get() -> U256 { COUNT.get() }
///     }
/// }
/// ```
#[macro_export]
macro_rules! contract {
    (
        impl $ty:ident {
            $(
                #[constructor]
                $(#[$cmeta:meta])*
                fn $cname:ident ( $($carg:ident : $cty:ty),* $(,)? ) $cbody:block
            )?
            $(
                #[selector($sel:literal)]
                $(#[$fmeta:meta])*
                fn $name:ident ( $($arg:ident : $aty:ty),* $(,)? ) $(-> $ret:ty)? $body:block
            )*
        }
    ) => {
        impl $ty {
            $( $(#[$cmeta])* pub fn $cname($($carg: $cty),*) $cbody )?
            $( $(#[$fmeta])* pub fn $name($($arg: $aty),*) $(-> $ret)? $body )*
        }

        /// The constructor's entry, called by the SDK's `_start`.
        #[no_mangle]
        pub extern "C" fn __avm_deploy() -> u32 {
            $(
                let mut _args = $crate::Args::deploy();
                $( let $carg: $cty = _args.next(); )*
                <$ty>::$cname($($carg),*);
            )?
            0
        }

        /// A call's entry, called by the SDK's `_start`.
        #[no_mangle]
        pub extern "C" fn __avm_call() -> u32 {
            match $crate::selector() {
                $(
                    $sel => {
                        let mut _args = $crate::Args::call();
                        $( let $arg: $aty = _args.next(); )*
                        $crate::finish(<$ty>::$name($($arg),*))
                    }
                )*
                _ => $crate::revert("unknown selector"),
            }
        }
    };
}

/// Declares another contract's interface: a struct holding its address,
/// with one method per entry that encodes the arguments, calls it and
/// decodes the return data. Each call gives the callee `gas`
/// ([`crate::call::DEFAULT_GAS`] unless set with `with_gas`) and sends
/// `value` (none unless set with `with_value`).
///
/// ```ignore
/// avm_sdk::interface! {
///     /// An ERC-20 token.
///     pub struct Erc20 {
///         #[selector(2)]
///         fn transfer(to: Address, amount: U256);
///         #[selector(5)]
///         fn balance_of(owner: Address) -> U256;
///     }
/// }
/// let paid = Erc20::at(token).transfer(&to, &amount).is_ok();
/// ```
#[macro_export]
macro_rules! interface {
    (@ret) => { () };
    (@ret $t:ty) => { $t };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                #[selector($sel:literal)]
                $(#[$fmeta:meta])*
                fn $fname:ident ( $($arg:ident : $aty:ty),* $(,)? ) $(-> $ret:ty)?;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        $vis struct $name {
            /// The contract's address.
            pub address: $crate::Address,
            /// The gas each call gives the callee.
            pub gas: u64,
            /// The native tokens each call sends.
            pub value: u128,
        }

        impl $name {
            /// The contract at `address`, called with the default gas and
            /// no value.
            pub const fn at(address: $crate::Address) -> $name {
                $name { address, gas: $crate::call::DEFAULT_GAS, value: 0 }
            }

            /// The same contract, called with `gas`.
            pub const fn with_gas(self, gas: u64) -> $name {
                $name { gas, ..self }
            }

            /// The same contract, called with `value` native tokens.
            pub const fn with_value(self, value: u128) -> $name {
                $name { value, ..self }
            }

            $(
                $(#[$fmeta])*
                pub fn $fname(&self, $($arg: &$aty),*)
                    -> Result<$crate::interface!(@ret $($ret)?), $crate::CallError>
                {
                    let input = $crate::Calldata::new($sel) $( .arg($arg) )*;
                    $crate::call::call_typed(&self.address, &input, self.value, self.gas)
                }
            )*
        }
    };
}
