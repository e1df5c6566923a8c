//! Alma sources (`.alma`, docs/language.md): `avm build`, `avm fmt`, and
//! the loading `avm run`, `avm eval` and `avm obj` use for them.

use super::stdout_err;
use crate::cli::{BuildArgs, FmtArgs};
use crate::error::{code, CliError};
use crate::load::{self, Input};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Whether `path` names an Alma source, by its extension.
pub fn is_alma(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some(avm_lang::EXTENSION)
}

/// Reads the Alma source in `path`: its name for diagnostics and its text
/// (text that is not UTF-8 is exit 3, naming the offset).
fn read_source(path: &Path) -> Result<(String, String), CliError> {
    let bytes = load::read(path)?;
    let file = path.display().to_string();
    let source = String::from_utf8(bytes).map_err(|e| CliError::Assembly {
        rendered: format!(
            "error: {file}: not UTF-8 text (invalid byte at offset {})\n",
            e.utf8_error().valid_up_to()
        ),
        count: 1,
        cause: None,
    })?;
    Ok((file, source))
}

/// Compiles the Alma source in `path`; errors are rendered with carets (exit 3).
pub fn compile(path: &Path) -> Result<(avm_lang::Compiled, String), CliError> {
    let (file, source) = read_source(path)?;
    let compiled = avm_lang::compile(&file, &source).map_err(|diags| {
        let n = diags.len();
        let mut rendered = avm_lang::render_all(&diags, &source);
        rendered.push_str(&format!(
            "\nerror: could not compile `{file}` due to {n} error{}\n",
            if n == 1 { "" } else { "s" }
        ));
        CliError::Assembly {
            rendered,
            count: n,
            cause: None,
        }
    })?;
    Ok((compiled, source))
}

/// An Alma source as a program `avm run` can run: its library, with the
/// entry `main`.
pub fn load(path: &Path) -> Result<Input, CliError> {
    let (compiled, _) = compile(path)?;
    let library = compiled.library;
    let labels: BTreeMap<String, u16> = library.entries.iter().cloned().collect();
    let mut names = BTreeMap::new();
    names.insert(library.id(), load::stem(path));
    Ok(Input {
        path: path.to_path_buf(),
        is_source: true,
        library,
        labels,
        deps: vec![],
        names,
    })
}

/// Where each instruction of a compiled Alma source came from, for the
/// trace and the report of a failed run.
pub struct SourceLines {
    path: String,
    source: String,
    map: avm_lang::SourceMap,
}

impl SourceLines {
    /// The source map of `path`, if it is an Alma source that compiles.
    pub fn of(path: &Path) -> Option<SourceLines> {
        if !is_alma(path) {
            return None;
        }
        let (compiled, source) = compile(path).ok()?;
        Some(SourceLines {
            path: path.display().to_string(),
            source,
            map: compiled.source_map,
        })
    }

    /// `file:line:col: text of the line` of the expression compiled to the
    /// instruction at code offset `pos`.
    pub fn site(&self, pos: u16) -> Option<String> {
        let span = self.map.span_at(pos)?;
        let start = span.start.min(self.source.len());
        let before = &self.source[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        let text = self.source[line_start..]
            .lines()
            .next()
            .unwrap_or("")
            .trim();
        Some(format!("{}:{line}:{col}: {text}", self.path))
    }
}

/// `avm build`: an Alma source to a library file.
pub fn build(args: &BuildArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let output = super::library_output(&args.file, args.output.as_deref())?;
    let (compiled, _) = compile(&args.file)?;
    let library = compiled.library;
    std::fs::write(&output, library.to_bytes()).map_err(|e| CliError::write(&output, e))?;
    writeln!(out, "{}", library.id()).map_err(stdout_err)?;
    Ok(code::OK)
}

/// `avm fmt`: rewrites Alma sources in their canonical layout, or with
/// `--check` lists those that are not (exit 1 if any).
pub fn fmt(args: &FmtArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut unformatted = 0;
    for path in &args.files {
        let (file, source) = read_source(path)?;
        let formatted = avm_lang::format::format(&source).map_err(|errors| {
            let diags: Vec<avm_lang::Diagnostic> = errors
                .into_iter()
                .map(|e| avm_lang::Diagnostic {
                    message: e.message,
                    span: e.span,
                    label: None,
                    file: file.clone(),
                })
                .collect();
            CliError::Assembly {
                rendered: avm_lang::render_all(&diags, &source),
                count: diags.len(),
                cause: None,
            }
        })?;
        if formatted == source {
            continue;
        }
        unformatted += 1;
        if args.check {
            writeln!(out, "{file}: not formatted").map_err(stdout_err)?;
        } else {
            std::fs::write(path, formatted).map_err(|e| CliError::write(path, e))?;
            writeln!(out, "{file}: formatted").map_err(stdout_err)?;
        }
    }
    Ok(if args.check && unformatted > 0 {
        code::RUN_FALSE
    } else {
        code::OK
    })
}
