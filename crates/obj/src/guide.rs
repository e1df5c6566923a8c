//! docs/objects.md: the object model, families, transactions, gas and traces, with examples.
#![doc = include_str!("../../../docs/objects.md")]
