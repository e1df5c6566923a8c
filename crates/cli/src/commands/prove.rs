//! `avm prove` and `avm verify-proof`: STARK proofs that an Alu program
//! accepts a public and a private argument (docs/provable.md).
//!
//! `verify-proof` is its own command because `avm verify` checks library
//! signatures and takes a library file as its one positional argument;
//! checking a proof takes a program, a public argument and a proof file.

use super::eval::{function, value};
use super::stdout_err;
use crate::error::{code, CliError};
use crate::load;
use avm_alu::AluVm;
use avm_prove::engine::{self, Hash};
use avm_prove::{AluProof, Statement};
use avm_vm::{text, DataValue, ProveError};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `avm prove`.
#[derive(Args, Debug)]
pub struct ProveArgs {
    /// The program: a .alu or .lib file of one library, in the provable subset.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The public argument (`a64[0]`): a natural below p = 2^64 - 2^32 + 1.
    #[arg(long, value_name = "VALUE")]
    pub public: String,
    /// The private argument (`a64[1]`): a natural below p; not in the proof.
    #[arg(long, value_name = "VALUE")]
    pub private: String,
    /// Most gas the run may use.
    #[arg(long, value_name = "N", default_value_t = 1_000_000_000)]
    pub gas: u64,
    /// Where to write the proof [default: FILE with extension .proof].
    #[arg(short, long, value_name = "P")]
    pub out: Option<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `avm verify-proof`.
#[derive(Args, Debug)]
pub struct VerifyProofArgs {
    /// The program the proof is about: a .alu or .lib file.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The public argument the proof is about.
    #[arg(long, value_name = "VALUE")]
    pub public: String,
    /// The proof file.
    #[arg(value_name = "P")]
    pub proof: PathBuf,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The program in FILE, compiled to the provable subset.
fn statement(file: &str) -> Result<Statement, CliError> {
    if !(file.ends_with(".alu") || file.ends_with(".lib")) {
        return Err(CliError::Usage(format!(
            "FILE: `{file}` is not a .alu or .lib file"
        )));
    }
    let DataValue::Function { code, .. } = function(file, &[])? else {
        return Err(CliError::Usage(format!("FILE: `{file}` is not a program")));
    };
    let program = AluVm::new()
        .program(&code)
        .map_err(|e| CliError::Refused(format!("{file}: {e}")))?;
    Statement::new(&program).map_err(|e| CliError::Refused(format!("{file}: {e}")))
}

fn ms(d: Duration) -> f64 {
    (d.as_micros() as f64) / 1000.0
}

fn spinner(json: bool) -> ProgressBar {
    if json {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a template"));
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

pub fn prove(args: &ProveArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let statement = statement(&args.file)?;
    let public = value(&args.public, "--public")?;
    let private = value(&args.private, "--private")?;
    let element = |v: &DataValue, what: &str| {
        avm_prove::statement::element(v).ok_or_else(|| {
            CliError::Usage(format!(
                "{what}: {} is not a natural below p = 2^64 - 2^32 + 1",
                text::print(v)
            ))
        })
    };
    let (p, q) = (
        element(&public, "--public")?,
        element(&private, "--private")?,
    );
    let bar = spinner(args.json);
    bar.set_message("running");
    let started = Instant::now();
    let run = match statement.run(p, q, args.gas) {
        Ok(run) => run,
        Err(e) => {
            bar.finish_and_clear();
            writeln!(out, "no proof: {e}").map_err(stdout_err)?;
            return Ok(code::RUN_FALSE);
        }
    };
    let run_time = started.elapsed();
    let (steps, rows, gas_used) = (run.steps, run.trace_rows(), run.gas_used);
    bar.set_message(format!(
        "proving {steps} steps ({rows} rows x {} columns)",
        statement.width()
    ));
    let started = Instant::now();
    let proof = statement.prove_run(p, run).map_err(|e| match e {
        ProveError::Backend(e) => CliError::Refused(format!("the prover failed: {e}")),
        other => CliError::Refused(other.to_string()),
    })?;
    let prove_time = started.elapsed();
    bar.finish_and_clear();
    let bytes = proof.to_bytes();
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new(&args.file).with_extension("proof"));
    std::fs::write(&path, &bytes).map_err(|e| CliError::write(&path, e))?;
    let security = proof.stark.conjectured_security::<Hash>().bits();
    if args.json {
        let doc = json!({
            "program": statement.circuit().id.to_string(),
            "proof": path.display().to_string(),
            "proof_bytes": bytes.len(),
            "steps": steps,
            "trace_rows": rows,
            "trace_columns": statement.width(),
            "gas_used": gas_used,
            "gas_limit": args.gas,
            "run_ms": ms(run_time),
            "prove_ms": ms(prove_time),
            "conjectured_security_bits": security,
            "zero_knowledge": false,
        });
        writeln!(out, "{doc:#}").map_err(stdout_err)?;
    } else {
        let w = &mut *out;
        (|| -> std::io::Result<()> {
            writeln!(w, "program:  {}", statement.circuit().id)?;
            writeln!(w, "run:      {steps} steps, gas {gas_used} of {}", args.gas)?;
            writeln!(w, "trace:    {rows} rows x {} columns", statement.width())?;
            writeln!(w, "proof:    {} ({} bytes)", path.display(), bytes.len())?;
            writeln!(
                w,
                "time:     run {:.1} ms, prove {:.1} ms",
                ms(run_time),
                ms(prove_time)
            )?;
            writeln!(
                w,
                "security: {security} bits conjectured ({} queries, blowup {}, {} grinding bits, \
                 Blake3-256); transparent, not zero-knowledge",
                engine::QUERIES,
                engine::BLOWUP,
                engine::GRINDING_BITS
            )
        })()
        .map_err(stdout_err)?;
    }
    Ok(code::OK)
}

pub fn verify_proof(args: &VerifyProofArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let statement = statement(&args.file)?;
    let public = value(&args.public, "--public")?;
    let bytes = load::read(&args.proof)?;
    let started = Instant::now();
    let verdict = AluProof::from_bytes(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|proof| {
            statement
                .verify(&public, &proof)
                .map(|()| proof.gas_used)
                .map_err(|e| e.to_string())
        });
    let time = started.elapsed();
    if args.json {
        let doc = json!({
            "verified": verdict.is_ok(),
            "gas_used": verdict.as_ref().ok(),
            "reason": verdict.as_ref().err(),
            "proof_bytes": bytes.len(),
            "verify_ms": ms(time),
        });
        writeln!(out, "{doc:#}").map_err(stdout_err)?;
    } else {
        match &verdict {
            Ok(gas) => writeln!(
                out,
                "verified: {} accepts public {} with some private argument, using {gas} gas ({:.1} ms)",
                args.file,
                text::print(&public),
                ms(time)
            ),
            Err(e) => writeln!(out, "not verified: {e}"),
        }
        .map_err(stdout_err)?;
    }
    Ok(if verdict.is_ok() {
        code::OK
    } else {
        code::RUN_FALSE
    })
}
