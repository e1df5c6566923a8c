//! Reading programs: library files, assembly sources, and the libraries they import.

use crate::error::CliError;
use avm_alu::library::MAGIC;
use avm_alu::{LibId, Library};
use avm_asm::{Assembled, DirResolver, LibResolver};
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// A program's main library with everything needed to run it.
pub struct Input {
    /// The file it came from.
    pub path: PathBuf,
    /// Whether it was assembled from source (so `labels` holds every label).
    pub is_source: bool,
    /// The library.
    pub library: Library,
    /// Names usable as `--entry`: every label of a source, the entries of a library.
    pub labels: BTreeMap<String, u16>,
    /// The libraries it imports, directly or not, that could be found.
    pub deps: Vec<Library>,
    /// A readable name for each library: the file stem it was loaded from.
    pub names: BTreeMap<LibId, String>,
}

impl Input {
    /// The library's name, or its id shortened if it has none.
    pub fn name_of(&self, id: LibId) -> String {
        self.names.get(&id).cloned().unwrap_or_else(|| short_id(id))
    }
}

/// `alu1abcdefgh…`: enough of an id to tell libraries apart in a trace.
pub fn short_id(id: LibId) -> String {
    let full = id.to_string();
    format!("{}…", &full[..full.len().min(12)])
}

/// Where imports are looked for: the file's own directory, then `extra` in order.
pub fn search_dirs(file: &Path, extra: &[PathBuf]) -> Vec<PathBuf> {
    let own = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut dirs = vec![own];
    for d in extra {
        if !dirs.contains(d) {
            dirs.push(d.clone());
        }
    }
    dirs
}

/// The most bytes read from a key, public key or signature file (each is far smaller).
pub const MAX_KEY_FILE: usize = 64 << 10;

/// The most bytes [`read`] takes from a file: the most any input may have (a value in
/// text form, 16 MiB).
pub const MAX_INPUT_FILE: usize = 16 << 20;

/// Reads a regular file of at most [`MAX_INPUT_FILE`] bytes; see [`read_at_most`].
pub fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    read_at_most(path, MAX_INPUT_FILE)
}

/// Reads a regular file of at most `max` bytes, mapping failure (a FIFO or device, a
/// larger file) to an I/O error that names it.
pub fn read_at_most(path: &Path, max: usize) -> Result<Vec<u8>, CliError> {
    avm_asm::read_regular_file(path, max).map_err(|e| CliError::read(path, e))
}

/// Reads and strictly parses a library file.
pub fn read_library(path: &Path) -> Result<Library, CliError> {
    let bytes = read_at_most(path, avm_asm::MAX_LIBRARY_FILE)?;
    Library::from_bytes(&bytes).map_err(|e| CliError::Malformed {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// The file name without its extension, for messages and traces.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Loads the program in `path`: a library (`.lib`, or any file starting with the library
/// magic), an Alma source (`.alma`) or an assembly source, with its imports found in `dirs`.
pub fn load_input(path: &Path, dirs: &[PathBuf]) -> Result<Input, CliError> {
    if crate::commands::lang::is_alma(path) {
        return crate::commands::lang::load(path);
    }
    let bytes = read_at_most(path, avm_asm::MAX_SOURCE.max(avm_asm::MAX_LIBRARY_FILE))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let is_lib = ext == "lib" || ext != "alu" && bytes.starts_with(MAGIC);
    if is_lib {
        let library = Library::from_bytes(&bytes).map_err(|e| CliError::Malformed {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let labels = library.entries.iter().cloned().collect();
        let mut input = Input {
            path: path.to_path_buf(),
            is_source: false,
            library,
            labels,
            deps: vec![],
            names: BTreeMap::new(),
        };
        input.names.insert(input.library.id(), stem(path));
        collect_deps(&mut input, &RecordingResolver::new(dirs.to_vec()));
        return Ok(input);
    }
    load_source(path, &bytes, dirs)
}

/// Assembles the source in `bytes`, resolving imports from `dirs`.
fn load_source(path: &Path, bytes: &[u8], dirs: &[PathBuf]) -> Result<Input, CliError> {
    let (assembled, resolver) = assemble(path, bytes, dirs)?;
    let mut input = Input {
        path: path.to_path_buf(),
        is_source: true,
        labels: assembled.labels,
        library: assembled.library,
        deps: vec![],
        names: BTreeMap::new(),
    };
    input.names.insert(input.library.id(), stem(path));
    collect_deps(&mut input, &resolver);
    Ok(input)
}

/// Assembles a source file; the resolver it used knows every library it imported.
pub fn assemble(
    path: &Path,
    bytes: &[u8],
    dirs: &[PathBuf],
) -> Result<(Assembled, RecordingResolver), CliError> {
    let file = path.display().to_string();
    let source = std::str::from_utf8(bytes).map_err(|e| CliError::Assembly {
        rendered: format!(
            "error: {file}: not UTF-8 text (invalid byte at offset {})\n",
            e.valid_up_to()
        ),
        count: 1,
        cause: None,
    })?;
    let resolver = RecordingResolver::new(dirs.to_vec());
    // The host extensions this build provides (OBJ), whose instructions a
    // source that lists them may name.
    let exts: [&dyn avm_alu::isa::IsaExtension; 1] = [&avm_obj::alu::ObjIsa];
    let assembled = avm_asm::assemble_with(&file, source, &resolver, &exts).map_err(|diags| {
        let mut rendered = avm_asm::render_all(&diags, source);
        let n = diags.len();
        rendered.push_str(&format!(
            "\nerror: could not assemble `{file}` due to {n} error{}\n",
            if n == 1 { "" } else { "s" }
        ));
        // An import that is missing or broken decides the exit code.
        let cause = resolver
            .failures
            .borrow_mut()
            .drain(..)
            .next()
            .map(|f| match f {
                ImportFailure::Malformed(path, reason) => CliError::Malformed { path, reason },
                ImportFailure::Missing(name) => {
                    CliError::MissingLibrary(format!("library `{name}` is missing"))
                }
            });
        CliError::Assembly {
            rendered,
            count: n,
            cause: cause.map(Box::new),
        }
    })?;
    Ok((assembled, resolver))
}

/// Adds every library `input` imports, directly or not, that `resolver` can find.
/// Missing ones are left out: [`avm_alu::Program::new`] names them.
fn collect_deps(input: &mut Input, resolver: &RecordingResolver) {
    let mut seen: BTreeSet<LibId> = BTreeSet::from([input.library.id()]);
    let mut queue: VecDeque<LibId> = input.library.libs.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        let Some((name, lib)) = resolver.find(&id) else {
            continue;
        };
        if let Some(name) = name {
            input.names.insert(id, name);
        }
        queue.extend(lib.libs.iter().copied());
        input.deps.push(lib);
    }
}

/// Why an `.import` could not be resolved, as far as the CLI tells them apart.
#[derive(Debug)]
enum ImportFailure {
    /// Neither `NAME.lib` nor `NAME.alu` is in any directory, or no `*.lib` has the id;
    /// the message says which.
    Missing(String),
    /// `NAME.lib` exists but is not a valid library.
    Malformed(PathBuf, String),
}

/// A [`DirResolver`] that remembers what it found (for running) and why it failed (for
/// the exit code), and names libraries found by id after their files.
pub struct RecordingResolver {
    inner: DirResolver,
    dirs: Vec<PathBuf>,
    /// Libraries imported by name, with that name.
    found: RefCell<BTreeMap<LibId, (String, Library)>>,
    /// Every valid `*.lib` in the directories, by id, with its file stem; read on first use.
    files: OnceCell<BTreeMap<LibId, (String, Library)>>,
    failures: RefCell<Vec<ImportFailure>>,
}

impl RecordingResolver {
    /// A resolver searching `dirs` in order.
    pub fn new(dirs: Vec<PathBuf>) -> Self {
        RecordingResolver {
            inner: DirResolver::new(dirs.clone()),
            dirs,
            found: RefCell::new(BTreeMap::new()),
            files: OnceCell::new(),
            failures: RefCell::new(vec![]),
        }
    }

    /// The library with this id, and a name for it if one is known: the name it was
    /// imported by, or the stem of the file it is in.
    pub fn find(&self, id: &LibId) -> Option<(Option<String>, Library)> {
        if let Some((name, lib)) = self.found.borrow().get(id) {
            return Some((Some(name.clone()), lib.clone()));
        }
        if let Some((name, lib)) = self.files().get(id) {
            return Some((Some(name.clone()), lib.clone()));
        }
        // Libraries the inner resolver assembled from nested `.alu` imports.
        self.inner.by_id(id).map(|lib| (None, lib))
    }

    fn files(&self) -> &BTreeMap<LibId, (String, Library)> {
        self.files.get_or_init(|| {
            let mut out = BTreeMap::new();
            for (path, lib) in avm_asm::libraries_in(&self.dirs) {
                out.entry(lib.id()).or_insert_with(|| (stem(&path), lib));
            }
            out
        })
    }

    /// Classifies a failed lookup of `name` by looking at the files themselves.
    fn classify(&self, name: &str) -> Option<ImportFailure> {
        for dir in &self.dirs {
            let lib = dir.join(format!("{name}.lib"));
            if lib.is_file() {
                let bytes = avm_asm::read_regular_file(&lib, avm_asm::MAX_LIBRARY_FILE).ok()?;
                return Library::from_bytes(&bytes)
                    .err()
                    .map(|e| ImportFailure::Malformed(lib, e.to_string()));
            }
            if dir.join(format!("{name}.alu")).is_file() {
                return None;
            }
        }
        Some(ImportFailure::Missing(format!(
            "library `{name}` is missing"
        )))
    }
}

impl LibResolver for RecordingResolver {
    fn by_name(&self, name: &str) -> Result<Library, String> {
        match self.inner.by_name(name) {
            Ok(lib) => {
                self.found
                    .borrow_mut()
                    .insert(lib.id(), (name.to_string(), lib.clone()));
                Ok(lib)
            }
            Err(e) => {
                if let Some(f) = self.classify(name) {
                    self.failures.borrow_mut().push(f);
                }
                Err(e)
            }
        }
    }

    fn by_id(&self, id: &LibId) -> Option<Library> {
        let found = self.find(id).map(|(_, lib)| lib);
        if found.is_none() {
            self.failures
                .borrow_mut()
                .push(ImportFailure::Missing(format!("library {id} is missing")));
        }
        found
    }
}
