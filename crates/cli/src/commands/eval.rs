//! `avm eval`: evaluate a function value on argument values through the VM registry.

use super::run::program_error;
use super::stdout_err;
use crate::cli::EvalArgs;
use crate::error::{code, CliError};
use crate::load;
use avm_alu::binding::{self, CodeError};
use avm_alu::AluVm;
use avm_vm::{text, DataValue, Evaluation, Registry, RegistryError, VmId};
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn eval(args: &EvalArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let function = function(&args.function, &args.lib_path)?;
    let values = args
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| value(a, &format!("argument {}", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
    let vm = AluVm::new();
    if let DataValue::Function {
        vm: VmId::ALU,
        code,
    } = &function
    {
        // Say why Alu code is no program, rather than evaluate it as data.
        vm.program(code).map_err(code_error)?;
    }
    let mut registry = Registry::new();
    registry.register(vm).expect("an empty registry");
    let evaluation = registry
        .multievaluate(&function, &values, args.gas)
        .map_err(registry_error)?;

    if args.json {
        let doc = json!({
            "result": evaluation.result.as_ref().map(text::print),
            "gas": evaluation.gas_used,
            "gas_limit": args.gas,
            "vm": function.function_vm().map(|v| v.to_string()),
        });
        writeln!(out, "{doc:#}").map_err(stdout_err)?;
    } else {
        report(out, &evaluation).map_err(stdout_err)?;
    }
    Ok(match evaluation.result {
        Some(_) => code::OK,
        None => code::RUN_FALSE,
    })
}

fn report(out: &mut dyn Write, e: &Evaluation<DataValue>) -> std::io::Result<()> {
    match &e.result {
        Some(v) => writeln!(out, "result: {}", text::print(v))?,
        None => writeln!(out, "result: none")?,
    }
    writeln!(out, "gas:    {}", e.gas_used)
}

/// FUNCTION: a `.alu` or `.lib` file made a function value, else a value.
pub(super) fn function(arg: &str, lib_path: &[std::path::PathBuf]) -> Result<DataValue, CliError> {
    if !(arg.ends_with(".alu") || arg.ends_with(".lib") || arg.ends_with(".alma")) {
        return value(arg, "FUNCTION");
    }
    let path = Path::new(arg);
    let dirs = load::search_dirs(path, lib_path);
    let input = load::load_input(path, &dirs)?;
    binding::function(&input.library, input.deps.iter().cloned())
        .map_err(|e| program_error(e, &input, &dirs))
}

/// A value in text form, or `@FILE` for the text of a file.
pub(super) fn value(arg: &str, what: &str) -> Result<DataValue, CliError> {
    if let Some(file) = arg.strip_prefix('@') {
        let bytes = load::read(Path::new(file))?;
        let source = String::from_utf8(bytes).map_err(|e| {
            CliError::Usage(format!(
                "{what}: {file}: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        return text::parse(&source).map_err(|e| {
            let (line, col) = e.line_col(&source);
            CliError::Usage(format!(
                "{what}: {file}:{line}:{col}: {e}\n{}",
                caret(&source, e.offset)
            ))
        });
    }
    text::parse(arg).map_err(|e| {
        CliError::Usage(format!(
            "{what}: cannot parse `{}`: {e}\n{}",
            avm_asm::shorten(arg.to_owned(), avm_asm::MAX_MESSAGE),
            caret(arg, e.offset)
        ))
    })
}

/// The line of `source` holding `offset` (a window of it, if long), and a caret under it.
fn caret(source: &str, offset: usize) -> String {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let (shown, marks) = avm_asm::excerpt(&source[start..end], offset - start, offset - start);
    format!("  {shown}\n  {marks}")
}

fn code_error(e: CodeError) -> CliError {
    match e {
        CodeError::Program(avm_alu::ProgramError::MissingLibrary { lib, needed_by }) => {
            let by = needed_by
                .map(|n| format!(", imported by {n}"))
                .unwrap_or_default();
            CliError::MissingLibrary(format!(
                "FUNCTION: library {lib} is missing{by}: an Alu function carries its imports \
                 in a bundle (see docs/alu-vm.md)"
            ))
        }
        CodeError::Program(other) => CliError::UnsupportedIsa(format!("FUNCTION: {other}")),
        other => CliError::Malformed {
            path: "FUNCTION".into(),
            reason: other.to_string(),
        },
    }
}

fn registry_error(e: RegistryError) -> CliError {
    match e {
        RegistryError::NotAFunction => CliError::Usage(
            "FUNCTION is not a function value: write fn(VM, x\"CODE\"), @FILE, or a .alu or \
             .lib file"
                .into(),
        ),
        other => CliError::Refused(other.to_string()),
    }
}
