//! Helpers shared by the integration tests: run the built `avm`, read its report.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What one `avm` invocation did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `key: value` header fields of a `run` report (`stop`, `st0`, `gas`, `jumps`).
    pub fn field(&self, key: &str) -> Option<String> {
        self.stdout.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k == key).then(|| v.trim().to_string())
        })
    }

    /// The registers listed in a `run` report, by name.
    pub fn registers(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut in_regs = false;
        for line in self.stdout.lines() {
            if line == "registers:" {
                in_regs = true;
                continue;
            }
            if in_regs {
                if let Some((reg, value)) = line.trim().split_once(" = ") {
                    out.insert(reg.to_string(), value.to_string());
                }
            }
        }
        out
    }

    /// One register's printed value.
    pub fn reg(&self, name: &str) -> String {
        self.registers()
            .remove(name)
            .unwrap_or_else(|| panic!("{name} is not in the report:\n{}", self.stdout))
    }
}

/// Runs `avm` with `args`.
pub fn avm<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_avm")).args(args))
}

/// Runs `avm` with `args` in the directory `dir`.
pub fn avm_in<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_avm"))
        .args(args)
        .current_dir(dir))
}

/// Runs `command` (an `avm`) and checks that it did not panic.
fn run(command: &mut Command) -> Run {
    let out: Output = command.output().expect("the avm binary runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "avm panicked: {}",
        run.stderr
    );
    run
}

/// The repository's `examples/` directory.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The path of one example, as a string for the command line.
pub fn example(name: &str) -> String {
    examples().join(name).display().to_string()
}

/// A fresh empty directory for one test (under the target directory's temp area).
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "avm-cli-test-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Copies the `.alu` examples into a scratch directory, so tests never see (or leave)
/// `.lib` files in the repository's `examples/`.
pub fn examples_copy(name: &str) -> PathBuf {
    let dir = scratch(name);
    for entry in std::fs::read_dir(examples()).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "alu") {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

/// Writes `contents` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write");
    path.display().to_string()
}
