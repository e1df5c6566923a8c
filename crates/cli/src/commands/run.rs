//! `avm run`: assemble or load a program, run it, report how it ended.

use super::stdout_err;
use crate::cli::RunArgs;
use crate::error::{code, CliError};
use crate::load::{self, Input};
use crate::signatures;
use crate::trace::{Step, StepTracer, Symbols};
use crate::value;
use avm_alu::{Host, Limits, Outcome, Program, ProgramError, Registers, Site, Trust};
use serde_json::{json, Map, Value};
use std::io::Write;

pub fn run(args: &RunArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let dirs = load::search_dirs(&args.file, &args.lib_path);
    let input = load::load_input(&args.file, &dirs)?;
    let pos = entry(&input, args.entry.as_deref())?;
    let entry_lib = input.library.id();
    let program = Program::new(
        input.deps.iter().cloned().chain([input.library.clone()]),
        Site {
            lib: entry_lib,
            pos,
        },
        &host(args, &dirs)?,
    )
    .map_err(|e| program_error(e, &input, &dirs))?;

    let mut regs = Registers::new();
    for a in &args.set {
        // The parser sized the bytes for the register, so this cannot be refused.
        if !regs.set(a.reg, Some(&a.bytes)) {
            return Err(CliError::Usage(format!("cannot set {}", a.reg)));
        }
    }
    let limits = Limits {
        complexity: args.gas.unwrap_or(u64::MAX),
        jumps: args.jumps,
        call_depth: args.call_depth,
    };
    let symbols = Symbols::new(&input);
    let alma = super::lang::SourceLines::of(&args.file);

    if args.json && args.trace {
        // The trace array opens the document, so each step is written as it happens.
        write!(out, "{{\n  \"trace\": [").map_err(stdout_err)?;
    }
    // Stream the trace: a long run is never held in memory.
    let mut steps = 0u64;
    let mut write_err: Option<std::io::Error> = None;
    let outcome = if args.trace {
        let mut tracer = StepTracer::new(&symbols, |s: Step| {
            if write_err.is_some() {
                return;
            }
            let written = if args.json {
                let sep = if steps == 0 { "" } else { "," };
                write!(out, "{sep}\n    {}", step_json(&s))
            } else {
                let at = alma.as_ref().and_then(|a| a.site(s.site.pos));
                let at = at.map(|a| format!("    ; {a}")).unwrap_or_default();
                writeln!(out, "{}{at}", symbols.line(&s))
            };
            steps += 1;
            write_err = written.err();
        });
        let outcome = program.run_traced(&mut regs, &limits, &mut tracer);
        tracer.finish();
        outcome
    } else {
        program.run(&mut regs, &limits)
    };
    if let Some(e) = write_err {
        return Err(stdout_err(e));
    }

    if args.json {
        let doc = summary_json(&outcome, &regs, &symbols);
        if args.trace {
            write!(out, "\n  ],\n{}\n}}\n", fields_json(&doc)).map_err(stdout_err)?;
        } else {
            writeln!(out, "{doc:#}").map_err(stdout_err)?;
        }
    } else {
        if args.trace {
            writeln!(out).map_err(stdout_err)?;
        }
        summary_text(out, &outcome, &regs, &symbols).map_err(stdout_err)?;
        let failed_at = alma
            .filter(|_| !outcome.st0)
            .and_then(|a| a.site(outcome.site.pos));
        if let Some(at) = failed_at {
            writeln!(out, "source:     {at}").map_err(stdout_err)?;
        }
    }
    Ok(if outcome.st0 {
        code::OK
    } else {
        code::RUN_FALSE
    })
}

/// The host: with a trust policy when `--trusted-key` is given.
fn host(args: &RunArgs, dirs: &[std::path::PathBuf]) -> Result<Host, CliError> {
    if args.trusted_keys.is_empty() {
        return Ok(Host::new());
    }
    let mut trust = Trust::default();
    for k in &args.trusted_keys {
        trust.keys.insert(signatures::public_key(k)?);
    }
    trust.signatures = signatures::signatures_in(dirs)?;
    for path in &args.sigs {
        trust.signatures.push(signatures::read_signature(path)?);
    }
    Ok(Host::new().with_trust(trust))
}

/// The entry offset: `--entry` as a name or an offset, else `main`, else 0.
fn entry(input: &Input, wanted: Option<&str>) -> Result<u16, CliError> {
    let Some(wanted) = wanted else {
        return Ok(input.labels.get("main").copied().unwrap_or(0));
    };
    let shown = avm_asm::shorten(wanted.to_owned(), avm_asm::MAX_MESSAGE);
    if wanted.starts_with(|c: char| c.is_ascii_digit()) {
        let parsed = match wanted.strip_prefix("0x").or(wanted.strip_prefix("0X")) {
            Some(hex) => u16::from_str_radix(hex, 16),
            None => wanted.parse(),
        };
        return parsed.map_err(|_| {
            CliError::Usage(format!(
                "--entry {shown}: not a code offset (0 to 65535, decimal or 0x hex)"
            ))
        });
    }
    input.labels.get(wanted).copied().ok_or_else(|| {
        let known: Vec<&str> = input.labels.keys().map(String::as_str).collect();
        let (kind, kinds) = if input.is_source {
            ("label", "labels")
        } else {
            ("entry", "entries")
        };
        let list = if known.is_empty() {
            format!("it has no {kinds}")
        } else {
            format!("{kinds}: {}", known.join(", "))
        };
        CliError::Usage(format!(
            "--entry {shown}: no such {kind} in {} ({list})",
            input.path.display()
        ))
    })
}

pub(super) fn program_error(
    e: ProgramError,
    input: &Input,
    dirs: &[std::path::PathBuf],
) -> CliError {
    match e {
        ProgramError::MissingLibrary { lib, needed_by } => {
            let by = needed_by
                .map(|n| format!(", imported by {}", input.name_of(n)))
                .unwrap_or_default();
            let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            CliError::MissingLibrary(format!(
                "library {lib} is missing{by} (searched: {})",
                searched.join(", ")
            ))
        }
        ProgramError::UnsupportedIsa { lib, isa } => CliError::UnsupportedIsa(format!(
            "library `{}` ({lib}) uses ISA extension {isa}, which this host does not \
             support (it has the core instruction set, {}, and the built-in extensions {})",
            input.name_of(lib),
            avm_alu::CORE_ISA,
            avm_alu::isa::BUILTIN_ISA
                .iter()
                .map(|b| b.id)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        ProgramError::Untrusted(e) => CliError::Signature(e.to_string()),
        other => CliError::UnsupportedIsa(other.to_string()),
    }
}

fn summary_text(
    out: &mut dyn Write,
    o: &Outcome,
    regs: &Registers,
    symbols: &Symbols,
) -> std::io::Result<()> {
    let at = symbols.site(o.site);
    writeln!(out, "stop:       {} at {at}", o.reason.name())?;
    writeln!(out, "st0:        {}", o.st0)?;
    writeln!(out, "gas:        {}", o.ca0)?;
    writeln!(out, "jumps:      {}", o.cy0)?;
    let defined = regs.defined();
    if defined.is_empty() {
        writeln!(out, "registers:  none defined")?;
    } else {
        writeln!(out, "registers:")?;
        for reg in defined {
            let v = value::render(regs, reg).unwrap_or_default();
            writeln!(out, "  {reg} = {v}")?;
        }
    }
    Ok(())
}

fn summary_json(o: &Outcome, regs: &Registers, symbols: &Symbols) -> Value {
    let registers: Map<String, Value> = regs
        .defined()
        .into_iter()
        .map(|reg| (reg.to_string(), json!(value::render(regs, reg))))
        .collect();
    json!({
        "stop": o.reason.name(),
        "st0": o.st0,
        "gas": o.ca0,
        "jumps": o.cy0,
        "site": {
            "lib": o.site.lib.to_string(),
            "name": symbols.name(o.site.lib),
            "pos": o.site.pos,
            "text": symbols.site(o.site),
        },
        "registers": registers,
    })
}

/// The fields of the object `doc`, pretty-printed one level in, without the braces: the
/// rest of a document whose first field was written before.
fn fields_json(doc: &Value) -> String {
    let fields: Vec<String> = doc
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            format!(
                "  {}: {}",
                json!(key),
                format!("{value:#}").replace('\n', "\n  ")
            )
        })
        .collect();
    fields.join(",\n")
}

fn step_json(s: &Step) -> Value {
    let changes: Map<String, Value> = s
        .changes
        .iter()
        .map(|(reg, v)| (reg.clone(), json!(v)))
        .collect();
    json!({
        "lib": s.site.lib.to_string(),
        "pos": s.site.pos,
        "instr": s.instr,
        "changes": changes,
    })
}
