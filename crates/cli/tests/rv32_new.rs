//! `avm rv32 new`: the projects it writes, what it refuses, and (where the
//! cross toolchains are installed) that each project's `make test` passes.

mod common;

use common::{avm_in, scratch};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The top of this clone, as `avm` built from it resolves it.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the clone")
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir");
                out.push(rel.display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn rust_project_is_the_template_with_its_name_and_this_clone() {
    let dir = scratch("new-rust");
    let run = avm_in(&dir, &["rv32", "new", "my-token"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with("next: make -C my-token test\n"),
        "{}",
        run.stdout
    );
    let project = dir.join("my-token");
    assert_eq!(files(&project), ["Cargo.toml", "Makefile", "src/main.rs"]);
    let clone = repo().display().to_string();
    let manifest = read(project.join("Cargo.toml"));
    assert!(manifest.contains("name = \"my-token\""), "{manifest}");
    assert!(
        manifest.contains(&format!(
            "avm-sdk = {{ path = \"{clone}/contracts-rs/sdk\" }}"
        )),
        "{manifest}"
    );
    let makefile = read(project.join("Makefile"));
    assert!(
        makefile.contains(&format!("AVM_DIR ?= {clone}\n")),
        "{makefile}"
    );
    assert!(makefile.contains("NAME = my-token\n"), "{makefile}");
    let main = read(project.join("src/main.rs"));
    assert!(main.starts_with("//! my-token: a total"), "{main}");
    for text in [manifest, makefile, main] {
        assert!(!text.contains("{{"), "a placeholder is left: {text}");
    }
}

#[test]
fn c_project_carries_its_runtime() {
    let dir = scratch("new-c");
    let run = avm_in(&dir, &["rv32", "new", "sub/counter", "--lang", "c"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let project = dir.join("sub/counter");
    assert_eq!(
        files(&project),
        ["Makefile", "counter.c", "include/avm.h", "link.ld"]
    );
    assert_eq!(
        read(project.join("include/avm.h")),
        read(repo().join("contracts/include/avm.h"))
    );
    assert_eq!(
        read(project.join("link.ld")),
        read(repo().join("contracts/link.ld"))
    );
    let source = read(project.join("counter.c"));
    assert!(source.starts_with("/* counter.c: a total"), "{source}");
    let makefile = read(project.join("Makefile"));
    assert!(makefile.contains("NAME = counter\n"), "{makefile}");
    assert!(!source.contains("{{") && !makefile.contains("{{"));
}

#[test]
fn an_existing_directory_or_file_is_refused_and_left_alone() {
    let dir = scratch("new-exists");
    std::fs::create_dir(dir.join("token")).unwrap();
    std::fs::write(dir.join("token/keep"), "mine").unwrap();
    std::fs::write(dir.join("file"), "mine").unwrap();
    for (name, lang) in [("token", "rust"), ("token", "c"), ("file", "c")] {
        let run = avm_in(&dir, &["rv32", "new", name, "--lang", lang]);
        assert_eq!(run.code, 2, "{name} {lang}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!("{name}: already exists")),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    assert_eq!(files(&dir), ["file", "token/keep"]);
    assert_eq!(read(dir.join("token/keep")), "mine");
}

#[test]
fn names_that_are_not_identifiers_are_refused_before_anything_is_made() {
    let dir = scratch("new-names");
    let cases: &[(&str, &str, &str)] = &[
        ("2fast", "rust", "not a cargo package name"),
        ("a.b", "rust", "not a cargo package name"),
        ("fn", "rust", "reserved"),
        ("core", "rust", "reserved"),
        ("my-token", "c", "not a C identifier"),
        ("int", "c", "reserved"),
        ("..", "c", "not a contract name"),
    ];
    for (name, lang, why) in cases {
        let run = avm_in(&dir, &["rv32", "new", name, "--lang", lang]);
        assert_eq!(run.code, 2, "{name} {lang}");
        assert!(run.stderr.contains(why), "{name} {lang}: {}", run.stderr);
    }
    let long = "a".repeat(65);
    let run = avm_in(&dir, &["rv32", "new", &long]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("longer than 64"), "{}", run.stderr);
    let run = avm_in(&dir, &["rv32", "new", "x", "--lang", "go"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));
}

#[test]
fn avm_must_name_a_clone_and_only_for_rust() {
    let dir = scratch("new-clone");
    let run = avm_in(&dir, &["rv32", "new", "t", "--avm", "/"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("/: no contracts-rs/sdk/Cargo.toml; --avm names"),
        "{}",
        run.stderr
    );
    let clone = repo().display().to_string();
    let run = avm_in(&dir, &["rv32", "new", "t", "--lang", "c", "--avm", &clone]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--avm is for --lang rust"),
        "{}",
        run.stderr
    );
    assert!(files(&dir).is_empty());
    let run = avm_in(&dir, &["rv32", "new", "t", "--avm", &clone]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Whether `program` runs from the PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Writes a project of `lang` and runs its `make test` with this `avm`, unless a
/// tool in `needs` is missing; `env` adds to make's environment.
fn make_test(lang: &str, needs: &[&str], env: &[(&str, PathBuf)]) {
    let missing: Vec<&str> = needs
        .iter()
        .copied()
        .filter(|t| {
            if t.starts_with('/') {
                !Path::new(t).exists()
            } else {
                !on_path(t)
            }
        })
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "skipped: the {lang} project's make test needs {}",
            missing.join(", ")
        );
        return;
    }
    let dir = scratch(&format!("new-make-{lang}"));
    let run = avm_in(&dir, &["rv32", "new", "token", "--lang", lang]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = Command::new("make")
        .args(["-C", "token", "test"])
        .env("AVM", env!("CARGO_BIN_EXE_avm"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(&dir)
        .output()
        .expect("make runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("token: deployed; add 5, add 7, total 12"),
        "{stdout}"
    );
    assert!(dir.join("token/token.elf").is_file());
}

#[test]
fn the_c_project_builds_and_passes_its_test() {
    make_test("c", &["make", "riscv64-unknown-elf-gcc"], &[]);
}

#[test]
fn the_rust_project_builds_and_passes_its_test() {
    // One build directory for every run, so `core` is built for the target once.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rv32-new-rust");
    make_test(
        "rust",
        &[
            "make",
            "riscv64-unknown-elf-ld",
            "/usr/bin/cargo",
            "/usr/bin/rustc",
            "/usr/src/rustc-1.63.0/library",
        ],
        &[("CARGO_TARGET_DIR", target)],
    );
}

#[test]
fn the_readme_counter_is_what_new_writes_in_c() {
    let readme = read(repo().join("README.md"));
    let start = "$ cat > counter.c <<'END'\n";
    let at = readme.find(start).expect("the README's counter.c") + start.len();
    let end = at + readme[at..].find("\nEND\n").expect("its end") + 1;
    let dir = scratch("new-readme");
    let run = avm_in(&dir, &["rv32", "new", "counter", "--lang", "c"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        read(dir.join("counter/counter.c")),
        &readme[at..end],
        "README.md's counter.c and contracts/template/contract.c differ"
    );
}
