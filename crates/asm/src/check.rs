//! Checks across lines: names defined or listed twice.
//!
//! Labels, data and constants share one namespace, since all of them are referred to by a
//! bare identifier operand. Imports, entry points and ISA ids are each checked on their own.
//! References to undefined names are left to lowering.

use std::collections::HashMap;

use crate::ast::{Directive, ItemKind, Module};
use crate::diagnostic::LineIndex;
use crate::error::SyntaxError;
use crate::span::{Name, Span};

/// A duplicate: the error, where it is, and a note pointing at the first occurrence.
pub(crate) type Duplicate = (SyntaxError, Span, Option<String>);

/// Every second (and later) definition of a name in `module`.
pub(crate) fn duplicates(module: &Module, index: &LineIndex<'_>) -> Vec<Duplicate> {
    let mut defs = Namespace::new(index, "first defined at");
    let mut imports = Namespace::new(index, "first imported at");
    let mut entries = Namespace::new(index, "first exported at");
    let mut isa = Namespace::new(index, "first listed at");
    let mut found = Vec::new();
    for item in &module.items {
        let (space, name, what) = match &item.kind {
            ItemKind::Label(name) => (&mut defs, name, None),
            ItemKind::Instruction(_) => continue,
            ItemKind::Directive(directive) => match directive {
                Directive::Data { name, .. } | Directive::Const { name, .. } => {
                    (&mut defs, name, None)
                }
                Directive::Import { name, .. } => (&mut imports, name, Some("import")),
                Directive::Entry { name, .. } => (&mut entries, name, Some("entry point")),
                Directive::Bytes(_) => continue,
                Directive::Isa(ids) => {
                    for id in ids {
                        if let Some(note) = isa.insert(id) {
                            let err = SyntaxError::DuplicateUse {
                                what: "ISA extension id",
                                name: id.node.clone(),
                            };
                            found.push((err, id.span, Some(note)));
                        }
                    }
                    continue;
                }
            },
        };
        if let Some(note) = space.insert(name) {
            let err = match what {
                None => SyntaxError::Duplicate(name.node.clone()),
                Some(what) => SyntaxError::DuplicateUse {
                    what,
                    name: name.node.clone(),
                },
            };
            found.push((err, name.span, Some(note)));
        }
    }
    found
}

struct Namespace<'s, 'i> {
    index: &'i LineIndex<'s>,
    note: &'static str,
    /// First span of each name, and the note about it once computed (computed once, so
    /// that many duplicates of one name cost linear time).
    first: HashMap<String, (Span, Option<String>)>,
}

impl<'s, 'i> Namespace<'s, 'i> {
    fn new(index: &'i LineIndex<'s>, note: &'static str) -> Self {
        Namespace {
            index,
            note,
            first: HashMap::new(),
        }
    }

    /// Records `name`; if it was seen before, returns the note about its first occurrence.
    fn insert(&mut self, name: &Name) -> Option<String> {
        match self.first.get_mut(&name.node) {
            None => {
                self.first.insert(name.node.clone(), (name.span, None));
                None
            }
            Some((span, note)) => {
                let (index, what) = (self.index, self.note);
                let note = note.get_or_insert_with(|| {
                    let (line, col) = index.line_col(span.start);
                    format!("{what} {line}:{col}")
                });
                Some(note.clone())
            }
        }
    }
}
