//! The README's `console` blocks run as shown: every `$ COMMAND` line (with
//! its here-document, if any) runs in bash, one session per block, and what
//! it prints (stdout and stderr) must be the lines under it. In the expected
//! lines `…` stands for any text, and a line of just `…` for any number of
//! lines. Every command must exit 0 (a README that wants to show a failure
//! says `; echo "exit status $?"`).
//!
//! Each block runs in a fresh directory holding a copy of `examples/` and
//! links to `contracts/` and `crates/`, with the built `avm` first on the
//! PATH, so it sees what a reader in a clone sees and leaves the clone
//! alone. A block that compiles a contract with `riscv64-unknown-elf-gcc` is
//! skipped, saying so, where that compiler is missing (CI installs it).
#![cfg(unix)]

mod common;

use common::scratch;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One `$ COMMAND` of a block and the output shown under it.
struct Step {
    command: String,
    expected: Vec<String>,
}

/// A `console` block: where it starts in the README, and its steps.
struct Block {
    line: usize,
    steps: Vec<Step>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `console` blocks of a Markdown text.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if line.trim_end() != "```console" {
            continue;
        }
        let mut block = Block {
            line: n + 1,
            steps: Vec::new(),
        };
        let mut heredoc: Option<String> = None;
        for (_, line) in lines.by_ref() {
            if line.starts_with("```") {
                break;
            }
            let step = block.steps.last_mut();
            match (&heredoc, line.strip_prefix("$ "), step) {
                (Some(end), _, Some(step)) => {
                    step.command += &format!("\n{line}");
                    if line == end {
                        heredoc = None;
                    }
                }
                (None, Some(command), _) => {
                    heredoc = here_document_end(command);
                    block.steps.push(Step {
                        command: command.to_string(),
                        expected: Vec::new(),
                    });
                }
                (None, None, Some(step)) => step.expected.push(line.to_string()),
                (_, _, None) => panic!("README.md:{}: output before any command", n + 1),
            }
        }
        blocks.push(block);
    }
    blocks
}

/// The word that ends a here-document started on `command` (`<<'EOF'`, `<<EOF`).
fn here_document_end(command: &str) -> Option<String> {
    let (_, rest) = command.split_once("<<")?;
    let word = rest.split_whitespace().next()?;
    Some(word.trim_matches(|c| c == '\'' || c == '"').to_string())
}

/// Whether `line` matches `pattern`, where `…` in the pattern stands for any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let mut pieces = pattern.split('…');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Whether `lines` match `pattern`, where a pattern line of just `…` stands
/// for any number of lines.
fn lines_match(pattern: &[String], lines: &[&str]) -> bool {
    match pattern.split_first() {
        None => lines.is_empty(),
        Some((p, rest)) if p == "…" => {
            (0..=lines.len()).any(|skip| lines_match(rest, &lines[skip..]))
        }
        Some((p, rest)) => {
            !lines.is_empty() && line_matches(p, lines[0]) && lines_match(rest, &lines[1..])
        }
    }
}

/// A fresh directory that looks like the top of a clone, for one block.
fn workspace(line: usize) -> PathBuf {
    let dir = scratch(&format!("readme-{line}"));
    let examples = dir.join("examples");
    copy_dir(&repo().join("examples"), &examples);
    for linked in ["contracts", "crates"] {
        std::os::unix::fs::symlink(
            repo().join(linked).canonicalize().unwrap(),
            dir.join(linked),
        )
        .expect("link into the clone");
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.path().extension().is_some_and(|e| e == "alu") {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs one block; gives the mismatches, if any.
fn run(block: &Block) -> Result<(), String> {
    const MARK: &str = "@@readme-step";
    let mut script = String::new();
    for (i, step) in block.steps.iter().enumerate() {
        script += &format!("{{ {}\n}} 2>&1\necho \"{MARK} {i} $?\"\n", step.command);
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_avm")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", &script])
        .current_dir(workspace(block.line))
        .env("PATH", path)
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut rest = text.as_str();
    for (i, step) in block.steps.iter().enumerate() {
        let where_ = format!(
            "README.md:{}: `$ {}`",
            block.line,
            step.command.lines().next().unwrap()
        );
        let (printed, after) = rest
            .split_once(&format!("{MARK} {i} "))
            .ok_or_else(|| format!("{where_}: the block stopped here\n{text}"))?;
        let (status, after) = after.split_once('\n').unwrap_or((after, ""));
        rest = after;
        let lines: Vec<&str> = printed.lines().collect();
        if status != "0" {
            return Err(format!(
                "{where_}: exit status {status}, output:\n{printed}"
            ));
        }
        if !lines_match(&step.expected, &lines) {
            return Err(format!(
                "{where_}: the README shows\n{}\nbut it printed\n{printed}",
                step.expected.join("\n")
            ));
        }
    }
    Ok(())
}

#[test]
fn the_readme_blocks_run_as_shown() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let blocks = blocks(&readme);
    assert!(
        blocks.len() >= 3,
        "README.md has {} console blocks",
        blocks.len()
    );
    let mut failures = Vec::new();
    for block in &blocks {
        let compiles = block
            .steps
            .iter()
            .any(|s| s.command.contains("riscv64-unknown-elf-gcc"));
        if compiles && !on_path("riscv64-unknown-elf-gcc") {
            println!(
                "README.md:{}: skipped: riscv64-unknown-elf-gcc is not installed",
                block.line
            );
            continue;
        }
        match run(block) {
            Ok(()) => println!(
                "README.md:{}: {} commands ran as shown",
                block.line,
                block.steps.len()
            ),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn patterns_match_as_documented() {
    assert!(line_matches("gas used: …", "gas used: 1234"));
    assert!(line_matches("a…c…e", "abcde"));
    assert!(!line_matches("a…c…e", "abde"));
    assert!(!line_matches("abc", "abcd"));
    assert!(!line_matches("a…a", "a"));
    let p = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(lines_match(&p(&["x", "…", "z"]), &["x", "1", "2", "z"]));
    assert!(lines_match(&p(&["x", "…", "z"]), &["x", "z"]));
    assert!(!lines_match(&p(&["x", "…", "z"]), &["x", "1"]));
    assert!(!lines_match(&p(&["x"]), &["x", "y"]));
}

#[test]
fn blocks_split_into_commands_and_output() {
    let md = "text\n```console\n$ cat > a <<'EOF'\nline\nEOF\n$ echo hi\nhi\n```\n```sh\n$ not this\n```\n";
    let blocks = blocks(md);
    assert_eq!(blocks.len(), 1);
    let steps = &blocks[0].steps;
    assert_eq!(steps[0].command, "cat > a <<'EOF'\nline\nEOF");
    assert!(steps[0].expected.is_empty());
    assert_eq!(steps[1].command, "echo hi");
    assert_eq!(steps[1].expected, ["hi"]);
}
