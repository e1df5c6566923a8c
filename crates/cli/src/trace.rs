//! `avm run --trace`: each executed instruction with the registers it changed.
//!
//! The VM reports every step to a [`Tracer`]; [`StepTracer`] snapshots the registers
//! before an instruction and compares every register defined before or after it, so a
//! step lists exactly the values it wrote (including registers it made undefined and st0).

use crate::load::{short_id, Input};
use crate::value;
use avm_alu::{Instr, LibId, Operand, Reg, Registers, Site, Tracer};
use std::collections::{BTreeMap, BTreeSet};

/// One executed instruction.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Step {
    /// Where it is.
    pub site: Site,
    /// The instruction as assembly text.
    pub instr: String,
    /// What changed: register (or `st0`) and its new value, `None` when it became undefined.
    pub changes: Vec<(String, Option<String>)>,
}

/// Names for code offsets and libraries, so a trace reads like the source.
pub struct Symbols {
    entry: LibId,
    libs: BTreeMap<LibId, LibSymbols>,
    /// Width of the site column: `0x0000`, or `0x0000@name` for the longest name.
    site_width: usize,
}

struct LibSymbols {
    name: String,
    /// A label (source) or entry (library) at each offset that has one.
    labels: BTreeMap<u16, String>,
    /// The library's imports, by index.
    imports: Vec<LibId>,
}

impl Symbols {
    /// The names known for the program in `input`: the entry library's labels (or
    /// entries) and every imported library's name and entries.
    pub fn new(input: &Input) -> Symbols {
        let entry = input.library.id();
        let mut libs = BTreeMap::new();
        let mut labels = BTreeMap::new();
        for (name, pos) in &input.labels {
            labels.entry(*pos).or_insert_with(|| name.clone());
        }
        libs.insert(
            entry,
            LibSymbols {
                name: input.name_of(entry),
                labels,
                imports: input.library.libs.clone(),
            },
        );
        for lib in &input.deps {
            let mut labels = BTreeMap::new();
            for (name, pos) in &lib.entries {
                labels.entry(*pos).or_insert_with(|| name.clone());
            }
            libs.insert(
                lib.id(),
                LibSymbols {
                    name: input.name_of(lib.id()),
                    labels,
                    imports: lib.libs.clone(),
                },
            );
        }
        let longest = libs
            .iter()
            .filter(|(id, _)| **id != entry)
            .map(|(_, l)| l.name.chars().count() + 1)
            .max()
            .unwrap_or(0);
        Symbols {
            entry,
            libs,
            site_width: 6 + longest,
        }
    }

    /// `0x0012` in the entry library, `0x0012@name` in another one.
    pub fn site(&self, site: Site) -> String {
        if site.lib == self.entry {
            format!("{:#06x}", site.pos)
        } else {
            format!("{:#06x}@{}", site.pos, self.name(site.lib))
        }
    }

    /// A library's name, or its id shortened.
    pub fn name(&self, id: LibId) -> String {
        self.libs
            .get(&id)
            .map_or_else(|| short_id(id), |l| l.name.clone())
    }

    /// The instruction as assembly text: `mnemonic[.suffix] op, op, ...`, with jump
    /// targets and call sites by name where one is known.
    pub fn instr(&self, lib: LibId, instr: &Instr) -> String {
        match instr {
            Instr::Reserved(op) => return format!("reserved {op:#04x}"),
            Instr::Ext(e) => {
                let bytes: Vec<String> = e.operands().iter().map(|b| format!("{b:02x}")).collect();
                return format!("ext {:#04x} x\"{}\"", e.opcode, bytes.join(""));
            }
            _ => {}
        }
        let here = self.libs.get(&lib);
        let mut out = instr.mnemonic().to_string();
        if let Some(sfx) = instr.suffix() {
            out.push('.');
            out.push_str(sfx);
        }
        let ops: Vec<String> = instr
            .operands()
            .iter()
            .map(|op| match *op {
                Operand::Pos(pos) => here
                    .and_then(|l| l.labels.get(&pos).cloned())
                    .unwrap_or_else(|| op.to_string()),
                Operand::Site { pos, lib: idx } => {
                    let target = here.and_then(|l| l.imports.get(idx as usize));
                    let Some(target) = target else {
                        return op.to_string();
                    };
                    let label = self
                        .libs
                        .get(target)
                        .and_then(|t| t.labels.get(&pos).cloned())
                        .unwrap_or_else(|| format!("{pos:#06x}"));
                    format!("{label} @ {}", self.name(*target))
                }
                _ => op.to_string(),
            })
            .collect();
        if !ops.is_empty() {
            out.push(' ');
            out.push_str(&ops.join(", "));
        }
        out
    }

    /// A step as one line: site, instruction, and after `;` what it changed.
    pub fn line(&self, step: &Step) -> String {
        let site = self.site(step.site);
        let mut out = format!("{site:<width$}  {}", step.instr, width = self.site_width);
        if !step.changes.is_empty() {
            let pad = 36usize.saturating_sub(step.instr.chars().count());
            out.push_str(&" ".repeat(pad));
            out.push_str(" ; ");
            let changes: Vec<String> = step
                .changes
                .iter()
                .map(|(reg, v)| format!("{reg} = {}", v.as_deref().unwrap_or("undefined")))
                .collect();
            out.push_str(&changes.join(", "));
        }
        out
    }
}

/// Records or streams every step of a run.
pub struct StepTracer<'s, F: FnMut(Step)> {
    symbols: &'s Symbols,
    pending: Option<(Site, String, Registers)>,
    sink: F,
}

impl<'s, F: FnMut(Step)> StepTracer<'s, F> {
    /// A tracer printing instructions with `symbols`, handing each finished step to `sink`.
    pub fn new(symbols: &'s Symbols, sink: F) -> Self {
        StepTracer {
            symbols,
            pending: None,
            sink,
        }
    }

    /// Emits the last instruction, which ended the run and so had no `after`.
    pub fn finish(mut self) {
        if let Some((site, instr, _)) = self.pending.take() {
            (self.sink)(Step {
                site,
                instr,
                changes: vec![],
            });
        }
    }
}

impl<F: FnMut(Step)> Tracer for StepTracer<'_, F> {
    fn before(&mut self, site: Site, instr: &Instr, regs: &Registers) {
        let text = self.symbols.instr(site.lib, instr);
        self.pending = Some((site, text, regs.clone()));
    }

    fn after(&mut self, regs: &Registers) {
        let Some((site, instr, old)) = self.pending.take() else {
            return;
        };
        (self.sink)(Step {
            site,
            instr,
            changes: diff(&old, regs),
        });
    }
}

/// Registers whose value differs between `old` and `new`, in canonical order, then st0.
pub fn diff(old: &Registers, new: &Registers) -> Vec<(String, Option<String>)> {
    let mut changes = Vec::new();
    if old == new {
        return changes;
    }
    let regs: BTreeSet<Reg> = old.defined().into_iter().chain(new.defined()).collect();
    // `Reg`'s order is A, F, R, S by width then index: the order `defined()` uses.
    for reg in regs {
        if old.get(reg) != new.get(reg) {
            changes.push((reg.to_string(), value::render(new, reg)));
        }
    }
    if old.st0 != new.st0 {
        changes.push(("st0".to_string(), Some(new.st0.to_string())));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_alu::reg::{AWidth, RegA};

    #[test]
    fn diff_lists_written_undefined_and_st0() {
        let a = |idx| RegA {
            width: AWidth::A64,
            idx,
        };
        let mut old = Registers::new();
        old.set_a_u64(a(0), 1);
        old.set_a_u64(a(1), 2);
        let mut new = old.clone();
        new.set_a_u64(a(1), 3);
        new.set(Reg::A(a(0)), None);
        new.set_a_u64(a(2), 4);
        new.st0 = false;
        let changes = diff(&old, &new);
        let expect = [
            ("a64[0]", None),
            ("a64[1]", Some("3")),
            ("a64[2]", Some("4")),
            ("st0", Some("false")),
        ];
        let got: Vec<(&str, Option<&str>)> = changes
            .iter()
            .map(|(r, v)| (r.as_str(), v.as_deref()))
            .collect();
        assert_eq!(got, expect);
        assert!(diff(&new, &new).is_empty());
    }
}
