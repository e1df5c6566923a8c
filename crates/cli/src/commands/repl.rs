//! `avm repl`: an Alma session (avm_lang::session) on the terminal, with
//! line editing and history (rustyline), or on standard input when it is
//! not a terminal, without prompts.

use super::stdout_err;
use crate::cli::ReplArgs;
use crate::error::{code, CliError};
use avm_lang::session::{Entered, Session};
use rustyline::error::ReadlineError;
use std::io::{BufRead, IsTerminal, Write};

/// The prompt of a new entry, and of an entry's next line.
const PROMPTS: [&str; 2] = ["> ", ". "];

/// `avm repl`.
pub fn repl(args: &ReplArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut session = Session::new(args.gas);
    let mut pending = String::new();
    let mut lines = Lines::open();
    loop {
        let prompt = PROMPTS[usize::from(!pending.is_empty())];
        let Some(line) = lines.next(prompt)? else {
            break;
        };
        if pending.is_empty() && matches!(line.trim(), ":quit" | ":q") {
            break;
        }
        pending.push_str(&line);
        pending.push('\n');
        let entered = session.enter(&pending);
        if entered == Entered::Incomplete {
            continue;
        }
        lines.remember(pending.trim_end());
        pending.clear();
        report(entered, out)?;
    }
    if !pending.trim().is_empty() {
        eprintln!("error: the input ended inside a list; the last entry was not run");
    }
    Ok(code::OK)
}

fn report(entered: Entered, out: &mut dyn Write) -> Result<(), CliError> {
    match entered {
        Entered::Nothing | Entered::Incomplete => {}
        Entered::Defined(names) => {
            writeln!(out, "defined {}", names.join(", ")).map_err(stdout_err)?
        }
        Entered::Value { value, gas } => {
            let value = value.as_deref().unwrap_or("none: the run failed");
            writeln!(out, "{value}\ngas: {gas}").map_err(stdout_err)?;
        }
        Entered::Intent(text) => write!(out, "{text}").map_err(stdout_err)?,
        Entered::Errors(rendered) => eprint!("{rendered}"),
    }
    out.flush().map_err(stdout_err)
}

fn read_error(source: std::io::Error) -> CliError {
    CliError::Io {
        op: "read",
        path: "<stdin>".into(),
        source,
    }
}

/// Where the lines come from.
enum Lines {
    /// The terminal, through the line editor.
    Editor(Box<rustyline::DefaultEditor>),
    /// Standard input that is not a terminal.
    Plain(std::io::StdinLock<'static>),
}

impl Lines {
    fn open() -> Lines {
        if std::io::stdin().is_terminal() {
            if let Ok(editor) = rustyline::DefaultEditor::new() {
                return Lines::Editor(Box::new(editor));
            }
        }
        Lines::Plain(std::io::stdin().lock())
    }

    /// The next line, or none at the end of the input.
    fn next(&mut self, prompt: &str) -> Result<Option<String>, CliError> {
        match self {
            Lines::Editor(editor) => loop {
                match editor.readline(prompt) {
                    Ok(line) => return Ok(Some(line)),
                    // Ctrl-C drops the line; Ctrl-D ends the session.
                    Err(ReadlineError::Interrupted) => continue,
                    Err(ReadlineError::Eof) => return Ok(None),
                    Err(ReadlineError::Io(e)) => return Err(read_error(e)),
                    Err(e) => return Err(read_error(std::io::Error::other(e.to_string()))),
                }
            },
            Lines::Plain(stdin) => {
                let mut line = String::new();
                match stdin.read_line(&mut line) {
                    Ok(0) => Ok(None),
                    Ok(_) => Ok(Some(line.trim_end_matches(['\n', '\r']).to_owned())),
                    Err(e) => Err(read_error(e)),
                }
            }
        }
    }

    /// Adds a finished entry to the editor's history.
    fn remember(&mut self, entry: &str) {
        if let Lines::Editor(editor) = self {
            if !entry.is_empty() {
                let _ = editor.add_history_entry(entry);
            }
        }
    }
}
