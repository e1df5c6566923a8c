//! Finding imported libraries: by name on a search path, or by id.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use avm_alu::library::{LibId, Library};

/// Where `.import` finds libraries.
pub trait LibResolver {
    /// The library imported as `.import NAME`, or why there is none.
    fn by_name(&self, name: &str) -> Result<Library, String>;
    /// The library with this id, if known (for `.import NAME alu1...`).
    fn by_id(&self, id: &LibId) -> Option<Library>;
}

/// A resolver that knows no library: every import is an error.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoLibs;

impl LibResolver for NoLibs {
    fn by_name(&self, name: &str) -> Result<Library, String> {
        Err(format!(
            "library `{name}` not found: no library search path"
        ))
    }

    fn by_id(&self, _: &LibId) -> Option<Library> {
        None
    }
}

/// How deep `.alu` imports may nest under a [`DirResolver`].
pub const MAX_IMPORT_DEPTH: usize = 16;

/// A resolver over directories: `.import NAME` reads `NAME.lib` (a library container)
/// or assembles `NAME.alu` from the first directory that has one; an id is looked up in
/// the `*.lib` files of every directory and in the libraries assembled so far.
#[derive(Debug, Default)]
pub struct DirResolver {
    dirs: Vec<PathBuf>,
    /// Names being assembled, outermost first (for cycle detection).
    stack: RefCell<Vec<String>>,
    /// Libraries found by name so far.
    cache: RefCell<HashMap<String, Library>>,
}

impl DirResolver {
    /// A resolver searching `dirs` in order.
    pub fn new(dirs: Vec<PathBuf>) -> Self {
        DirResolver {
            dirs,
            ..DirResolver::default()
        }
    }
}

impl LibResolver for DirResolver {
    fn by_name(&self, name: &str) -> Result<Library, String> {
        if let Some(lib) = self.cache.borrow().get(name) {
            return Ok(lib.clone());
        }
        for dir in &self.dirs {
            let lib_path = dir.join(format!("{name}.lib"));
            if lib_path.is_file() {
                let bytes = crate::read_regular_file(&lib_path, crate::MAX_LIBRARY_FILE)
                    .map_err(|e| format!("cannot read `{}`: {e}", lib_path.display()))?;
                let lib = Library::from_bytes(&bytes)
                    .map_err(|e| format!("`{}` is not a library: {e}", lib_path.display()))?;
                self.cache.borrow_mut().insert(name.to_owned(), lib.clone());
                return Ok(lib);
            }
            let src_path = dir.join(format!("{name}.alu"));
            if src_path.is_file() {
                let lib = self.assemble_source(name, &src_path)?;
                self.cache.borrow_mut().insert(name.to_owned(), lib.clone());
                return Ok(lib);
            }
        }
        let searched: Vec<String> = self.dirs.iter().map(|d| d.display().to_string()).collect();
        Err(format!(
            "library `{name}` not found: no `{name}.lib` or `{name}.alu` in {}",
            if searched.is_empty() {
                "an empty search path".to_owned()
            } else {
                searched.join(", ")
            }
        ))
    }

    fn by_id(&self, id: &LibId) -> Option<Library> {
        if let Some(lib) = self.cache.borrow().values().find(|l| l.id() == *id) {
            return Some(lib.clone());
        }
        libraries_in(&self.dirs)
            .into_iter()
            .map(|(_, lib)| lib)
            .find(|lib| lib.id() == *id)
    }
}

impl DirResolver {
    fn assemble_source(&self, name: &str, path: &std::path::Path) -> Result<Library, String> {
        {
            let stack = self.stack.borrow();
            if stack.iter().any(|n| n == name) {
                let mut cycle = stack.clone();
                cycle.push(name.to_owned());
                return Err(format!("import cycle: {}", cycle.join(" -> ")));
            }
            if stack.len() >= MAX_IMPORT_DEPTH {
                return Err(format!(
                    "imports nest deeper than {MAX_IMPORT_DEPTH} libraries"
                ));
            }
        }
        let bytes = crate::read_regular_file(path, crate::MAX_SOURCE)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let source = String::from_utf8(bytes)
            .map_err(|_| format!("cannot read `{}`: not UTF-8 text", path.display()))?;
        self.stack.borrow_mut().push(name.to_owned());
        let file = path.display().to_string();
        let result = super::assemble(&file, &source, self);
        self.stack.borrow_mut().pop();
        match result {
            Ok(assembled) => Ok(assembled.library),
            Err(diags) => {
                let first = diags.first().map_or(String::new(), |d| {
                    let (line, col) = d.line_col(&source);
                    format!(": {file}:{line}:{col}: {}", d.message)
                });
                Err(format!(
                    "`{file}` does not assemble ({} error{}){first}",
                    diags.len(),
                    if diags.len() == 1 { "" } else { "s" }
                ))
            }
        }
    }
}

/// Every readable, well-formed `*.lib` file in `dirs`, directory by directory
/// in the order given and by file name within each; unreadable or malformed
/// files are skipped, and so are FIFOs, devices and files too large to be a
/// library (see [`crate::read_regular_file`]).
pub fn libraries_in(dirs: &[PathBuf]) -> Vec<(PathBuf, Library)> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "lib"))
            .collect();
        paths.sort();
        for path in paths {
            if let Some(lib) = crate::read_regular_file(&path, crate::MAX_LIBRARY_FILE)
                .ok()
                .and_then(|b| Library::from_bytes(&b).ok())
            {
                out.push((path, lib));
            }
        }
    }
    out
}
