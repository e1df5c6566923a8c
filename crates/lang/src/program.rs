//! A whole program: the entry stub, every reachable function, frame
//! placement, and the lowering of the stream to an Alu library through the
//! assembler's syntax tree.

use avm_alu::Library;
use avm_asm::{
    Directive, FloatLit, Instruction, IntLit, Item as AsmItem, ItemKind, Module, Name, NoLibs,
    Operand, OperandKind, Reg, Span,
};
use avm_vm::DataValue;
use num_bigint::BigInt;

use crate::ast::{ExprKind, Program};
use crate::codegen::{bank, interface, FrameSize, FunctionGen, Interface, Plan, BANKS};
use crate::emit::{Arg, Emitter, Item, VReg};
use crate::frame;
use crate::types::{float_of_code, Type, BYTES_BANK};

/// A compiled program.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// The library: code, data and the entry point `main`.
    pub library: Library,
    /// Its function value, `fn(0x300001, library)`, for the registry.
    pub function: DataValue,
    /// Which source expression each instruction implements.
    pub source_map: SourceMap,
    /// The types of `main`'s parameters, in order.
    pub params: Vec<Type>,
    /// The type of `main`'s result.
    pub ret: Type,
    /// Whether the program uses intent forms: it is an intent, which runs
    /// under an intent host (docs/intents.md).
    pub intent: bool,
}

/// Code offsets to source spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Each instruction's first byte and its expression's span, by offset.
    pub entries: Vec<(u16, Span)>,
}

impl SourceMap {
    /// The span of the instruction covering code offset `offset`.
    pub fn span_at(&self, offset: u16) -> Option<Span> {
        let i = self.entries.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).map(|i| self.entries[i].1)
    }
}

/// Why a checked program could not be laid out: a message and a span.
pub type LayoutError = (String, Span);

/// Generates the code of `program` and lowers it to a library.
pub fn build(program: &Program) -> Result<Compiled, LayoutError> {
    let n = program.functions.len();
    let stub = n;
    let main = &program.functions[program.main];
    let mut interfaces: Vec<Interface> = program
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| interface(i, &f.params, f.ret))
        .collect();
    interfaces.push(interface(stub, &[], Type::Unit));

    let inline = crate::inline::plan(program);
    // Who calls whom once calls are expanded in place, and what main reaches.
    let mut callers = vec![Vec::new(); n + 1];
    callers[program.main].push(stub);
    for (f, callees) in crate::inline::routine_calls(program, &inline)
        .into_iter()
        .enumerate()
    {
        for g in callees {
            if !callers[g].contains(&f) {
                callers[g].push(f);
            }
        }
    }
    let mut reachable = vec![false; n + 1];
    reachable[stub] = true;
    for f in (0..=n).rev() {
        reachable[f] |= callers[f].iter().any(|c| reachable[*c]);
    }

    let mut out = Emitter::new();
    let entries: Vec<u32> = (0..=n).map(|_| out.new_label()).collect();
    let mut sizes = vec![[0u32; BANKS]; n + 1];
    let plan = Plan {
        functions: &program.functions,
        interfaces: &interfaces,
        entries: &entries,
        inline: &inline,
    };
    // The entry stub loads the arguments and falls into `main`, whose end
    // puts the result where the calling convention reads it.
    let failed = out.new_label();
    sizes[stub] = load_arguments(
        &mut out,
        &interfaces[program.main],
        &main.params,
        failed,
        main.span,
    );
    sizes[program.main] = FunctionGen::generate(&mut out, program.main, &plan);
    store_result(
        &mut out,
        &interfaces[program.main],
        main.ret,
        failed,
        main.span,
    );
    for (i, inlined) in inline.iter().enumerate() {
        if reachable[i] && !inlined && i != program.main {
            sizes[i] = FunctionGen::generate(&mut out, i, &plan);
            out.control("ret", vec![], program.functions[i].span);
        }
    }
    let bases = frame::place(&sizes, &callers, &reachable).map_err(|o| {
        let f = &program.functions[o.func.min(n - 1)];
        (
            format!(
                "`{}` needs {} registers of width {} with its callers' frames; Alu has {} (spilling is not implemented)",
                f.name,
                o.needed,
                o.bits,
                frame::BANK_SIZE
            ),
            f.span,
        )
    })?;
    // Whether code reachable from `main` uses a form for which `pick` holds.
    let uses = |pick: &dyn Fn(&ExprKind) -> bool| {
        program.functions.iter().enumerate().any(|(i, f)| {
            let mut found = false;
            f.body.visit(&mut |e| found |= pick(&e.kind));
            reachable[i] && found
        })
    };
    let intent = uses(&|k| matches!(k, ExprKind::Intent(..)));
    let uses_objects = intent || uses(&|k| matches!(k, ExprKind::Host(..) | ExprKind::Tx(..)));
    let (mut module, spans) = to_module(&out.items, &bases);
    if uses_objects {
        let isa = Directive::Isa(vec![Name::new(
            avm_obj::alu::ISA_ID.into(),
            Span::default(),
        )]);
        module.items.insert(
            0,
            AsmItem {
                kind: ItemKind::Directive(isa),
                span: Span::default(),
            },
        );
    }
    let exts: [&dyn avm_alu::isa::IsaExtension; 1] = [&avm_obj::alu::ObjIsa];
    let assembled = avm_asm::lower_module("<alma>", &module, &NoLibs, &exts).map_err(|diags| {
        let d = diags.into_iter().next();
        let message = d.as_ref().map_or_else(String::new, |d| d.message.clone());
        (
            format!("internal error lowering the program: {message}"),
            d.map_or(Span::default(), |d| d.span),
        )
    })?;
    let mut entries: Vec<(u16, Span)> = spans
        .iter()
        .enumerate()
        .filter_map(|(k, span)| Some((*assembled.labels.get(&map_label(k))?, *span)))
        .collect();
    entries.sort_by_key(|(o, _)| *o);
    let library = assembled.library;
    let function = DataValue::function(avm_vm::VmId::ALU, library.to_bytes());
    Ok(Compiled {
        library,
        function,
        source_map: SourceMap { entries },
        params: main.params.clone(),
        ret: main.ret,
        intent,
    })
}

/// The entry stub's prologue: loads the arguments by the calling convention
/// of docs/alu-vm.md into `main`'s parameters, jumping to `failed` when one
/// is missing or does not fit. Returns the stub's frame size (the
/// convention's registers and one `a8`).
fn load_arguments(
    out: &mut Emitter,
    main: &Interface,
    params: &[Type],
    failed: u32,
    span: Span,
) -> FrameSize {
    let count = params.len().max(1) as u32;
    let mut size = [0u32; BANKS];
    size[bank(64)] = count;
    size[bank(1024)] = count;
    size[bank(BYTES_BANK)] = count;
    size[bank(8)] = 1;
    let one = Arg::Fixed(8, 0);
    for (i, (ty, &p)) in params.iter().zip(&main.params).enumerate() {
        let i = i as u8;
        let arg64 = Arg::Fixed(64, i);
        if p.bits == BYTES_BANK {
            out.compare("ifn", None, vec![Arg::Str(i)], span);
            out.jump_if(failed, span);
            out.plain("dup", None, vec![Arg::Reg(p), Arg::Str(i)], span);
            continue;
        }
        if p.bits == 64 {
            // Same width: check it is there, then copy.
            out.compare("ifn", None, vec![arg64.clone()], span);
            out.jump_if(failed, span);
            out.plain("dup", None, vec![Arg::Reg(p), arg64], span);
            continue;
        }
        if p.bits < 64 {
            out.fallible("cpy", None, vec![Arg::Reg(p), arg64], span);
        } else {
            let (big, next) = (out.new_label(), out.new_label());
            out.compare("ifn", None, vec![arg64.clone()], span);
            out.jump_if(big, span);
            out.plain("cpy", None, vec![Arg::Reg(p), arg64], span);
            out.jump(next, span);
            out.label(big, span);
            out.fallible("cpy", None, vec![Arg::Reg(p), Arg::Fixed(1024, i)], span);
            out.label(next, span);
        }
        out.compare("ifn", None, vec![Arg::Reg(p)], span);
        out.jump_if(failed, span);
        if *ty == Type::Bool {
            out.plain(
                "put",
                None,
                vec![one.clone(), Arg::Int(BigInt::from(1))],
                span,
            );
            out.compare("gt", Some("u"), vec![Arg::Reg(p), one.clone()], span);
            out.jump_if(failed, span);
        }
    }
    size
}

/// The entry stub's epilogue, after `main`'s body: the result where the
/// calling convention reads it, `stop`; and the `fail` of a bad argument.
fn store_result(out: &mut Emitter, main: &Interface, ret: Type, failed: u32, span: Span) {
    match (ret.reg_bits(), main.result) {
        (Some(BYTES_BANK), Some(r)) => {
            out.plain("dup", None, vec![Arg::Str(0), Arg::Reg(r)], span);
            out.plain("clr", None, vec![Arg::Fixed(1024, 0)], span);
            out.plain("clr", None, vec![Arg::Fixed(64, 0)], span);
        }
        (Some(bits), Some(r)) => {
            let to = if bits <= 64 { 64 } else { 1024 };
            out.plain("cpy", None, vec![Arg::Fixed(to, 0), Arg::Reg(r)], span);
            if to == 64 {
                out.plain("clr", None, vec![Arg::Fixed(1024, 0)], span);
            }
        }
        _ => {
            out.plain("clr", None, vec![Arg::Fixed(1024, 0)], span);
            out.plain("clr", None, vec![Arg::Fixed(64, 0)], span);
            out.plain("clr", None, vec![Arg::Str(0)], span);
        }
    }
    out.control("stop", vec![], span);
    out.label(failed, span);
    out.fail(span);
}

fn map_label(k: usize) -> String {
    format!("~{k}")
}

fn label_name(n: u32) -> String {
    format!("l{n}")
}

/// The stream as an assembler module (registers placed by `bases`), and the
/// source-map spans (span `k` starts at the label `~k`).
fn to_module(items: &[Item], bases: &[FrameSize]) -> (Module, Vec<Span>) {
    let mut module = Module::default();
    let mut spans = Vec::new();
    let name = |s: String, span| Name::new(s, span);
    module.items.push(AsmItem {
        kind: ItemKind::Directive(Directive::Entry {
            name: name("main".into(), Span::default()),
            target: None,
        }),
        span: Span::default(),
    });
    module.items.push(AsmItem {
        kind: ItemKind::Label(name("main".into(), Span::default())),
        span: Span::default(),
    });
    for item in items {
        match item {
            Item::Label(n) => module.items.push(AsmItem {
                kind: ItemKind::Label(name(label_name(*n), Span::default())),
                span: Span::default(),
            }),
            Item::Ins(ins) => {
                // A map entry where the span changes: the instructions after it
                // up to the next entry implement the same expression.
                if spans.last() != Some(&ins.span) {
                    module.items.push(AsmItem {
                        kind: ItemKind::Label(name(map_label(spans.len()), ins.span)),
                        span: ins.span,
                    });
                    spans.push(ins.span);
                }
                let operands = ins
                    .args
                    .iter()
                    .map(|a| Operand {
                        kind: operand(a, bases),
                        span: ins.span,
                    })
                    .collect();
                module.items.push(AsmItem {
                    kind: ItemKind::Instruction(Instruction {
                        mnemonic: name(ins.mnemonic.into(), ins.span),
                        flags: ins
                            .flag
                            .iter()
                            .map(|f| name((*f).into(), ins.span))
                            .collect(),
                        operands,
                    }),
                    span: ins.span,
                });
            }
        }
    }
    (module, spans)
}

fn operand(arg: &Arg, bases: &[FrameSize]) -> OperandKind {
    match arg {
        Arg::Reg(VReg { func, bits, idx }) => {
            // Frame placement checked that every index is below 32.
            let at = bases[*func][bank(*bits)] + idx;
            let at = u8::try_from(at).unwrap_or(u8::MAX);
            match float_of_code(*bits) {
                Some(format) => OperandKind::Reg(Reg::F(format, at)),
                None if *bits == BYTES_BANK => OperandKind::Reg(Reg::S(at)),
                None => OperandKind::Reg(Reg::A(*bits, at)),
            }
        }
        Arg::Fixed(bits, idx) => OperandKind::Reg(Reg::A(*bits, *idx)),
        Arg::Str(idx) => OperandKind::Reg(Reg::S(*idx)),
        Arg::Wide(bits, idx) => OperandKind::Reg(Reg::R(*bits, *idx)),
        Arg::Bytes(b) => OperandKind::Bytes(b.clone()),
        // The reader checked the syntax.
        Arg::Float(text) => {
            FloatLit::new(text).map_or(OperandKind::Int(IntLit::default()), OperandKind::Float)
        }
        Arg::St0 => OperandKind::Reg(Reg::St0),
        Arg::Int(v) => {
            let (_, bytes) = v.to_bytes_le();
            let bytes = if v.sign() == num_bigint::Sign::NoSign {
                Vec::new()
            } else {
                bytes
            };
            OperandKind::Int(IntLit::new(false, bytes).unwrap_or_else(|| IntLit::from(0u128)))
        }
        Arg::Label(n) => OperandKind::Ident(label_name(*n)),
    }
}
