//! `noted eval`: scores drafting on session files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;

use crate::config::GlobalOpts;
use crate::draft::eval::{self, CaseScore, EvalCase};
use crate::draft::{self, DraftInput, DraftOptions, FormatLibrary, InputKind};

/// Options of `noted eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Directory of session JSON files (see the eval README for the format) and/or plain
    /// transcripts (`*.txt`, one utterance per line with optional `Therapist:`/`Client:`
    /// prefixes; scored on form only).
    pub dir: PathBuf,
    /// Synthesize each session to speech (espeak-ng + sox), transcribe it with the active
    /// speech model, and draft from that transcript (also reports word error rate).
    #[arg(long)]
    pub audio: bool,
    /// Draft every case in this format instead of the case's own `note_format`.
    #[arg(long)]
    pub format: Option<String>,
    /// Language model (default: the active one).
    #[arg(long)]
    pub model: Option<String>,
    /// Only cases whose id contains this text.
    #[arg(long)]
    pub case: Option<String>,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Compute threads.
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Turn off the extractive fallback (measures the model alone).
    #[arg(long)]
    pub no_fallback: bool,
    /// Write each draft as <id>.draft.json into this directory.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, serde::Serialize)]
struct CaseReport {
    score: CaseScore,
    /// False for a plain transcript: no expectations, form only.
    scored: bool,
    style: crate::draft::style::StyleReport,
    format: String,
    seconds: f64,
    prompt_tokens: usize,
    generated_tokens: usize,
    wer: Option<f64>,
    transcribe_seconds: Option<f64>,
    /// Speaker attribution of the transcribed session (`--audio`, speaker model installed).
    speakers: Option<crate::diarize::score::AttributionScore>,
}

/// What transcribing a case gives: the draft's input, WER, seconds, and the speaker score.
struct Transcribed {
    input: DraftInput,
    wer: f64,
    seconds: f64,
    speakers: Option<crate::diarize::score::AttributionScore>,
}

/// Synthesizes the case to speech, transcribes it and, for a session with the speaker model
/// given, diarizes it as the transcription job does (roles inferred: no enrolment) and scores
/// the speakers against the synthesized turns.
fn transcribe_case(
    engine: &crate::transcribe::Engine,
    speaker_model: Option<&crate::diarize::SpeakerModel>,
    case: &EvalCase,
) -> anyhow::Result<Transcribed> {
    let tmp =
        std::env::temp_dir().join(format!("noted-eval-{}-{}.wav", std::process::id(), case.id));
    let turns: Vec<(&str, &str)> = case
        .turns
        .iter()
        .map(|t| {
            (
                if t.speaker == draft::Speaker::Therapist {
                    "therapist"
                } else {
                    "client"
                },
                t.text.as_str(),
            )
        })
        .collect();
    let reference = crate::transcribe::bench::synthesize_session(&turns, &tmp)?;
    let audio = crate::audio::decode_file(&tmp, &crate::audio::DecodeLimits::default());
    let _ = std::fs::remove_file(&tmp);
    let audio = audio?;
    let opts = if case.kind == "dictation" {
        crate::transcribe::TranscribeOptions::dictation()
    } else {
        crate::transcribe::TranscribeOptions::session()
    };
    let t0 = Instant::now();
    let mut tr = engine.transcribe(&audio, &opts, &|_| true)?;
    let secs = t0.elapsed().as_secs_f64();
    let wer = crate::transcribe::wer::wer(&case.reference_text(), &tr.text);
    let speakers = match speaker_model {
        Some(model) if case.kind != "dictation" => Some(crate::diarize::score::diarize_and_score(
            model,
            &audio.samples,
            &mut tr,
            &reference,
        )?),
        _ => None,
    };
    let input = DraftInput {
        kind: if case.kind == "dictation" {
            InputKind::Dictation
        } else {
            InputKind::Session
        },
        segments: tr.segments,
        client: case.client.clone(),
    };
    Ok(Transcribed {
        input,
        wer,
        seconds: secs,
        speakers,
    })
}

pub async fn run(g: &GlobalOpts, a: EvalArgs) -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&a.dir)
        .with_context(|| format!("cannot read eval directory {}", a.dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "txt"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in &files {
        let t = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
        let c: EvalCase = if f.extension().is_some_and(|x| x == "txt") {
            let id = f
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            EvalCase::from_plain_transcript(&id, &t, a.format.as_deref().unwrap_or("soap"))
        } else {
            serde_json::from_str(&t)
                .with_context(|| format!("{} is not an eval session file", f.display()))?
        };
        if a.case.as_deref().is_none_or(|s| c.id.contains(s)) {
            cases.push(c);
        }
    }
    if cases.is_empty() {
        anyhow::bail!(
            "no session files (*.json) or transcripts (*.txt) in {}",
            a.dir.display()
        );
    }
    if let Some(d) = &a.save {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let g2 = g.clone();
    let model = a.model.clone();
    let threads = a.threads;
    let llm = Arc::new(
        tokio::task::spawn_blocking(move || super::draft::load_llm(&g2, model.as_deref(), threads))
            .await??,
    );
    let engine = if a.audio {
        let m =
            crate::models::registry::active(&g.models_dir(), crate::models::registry::Role::Asr)?;
        let opts = crate::transcribe::EngineOptions {
            threads: a.threads,
            ..Default::default()
        };
        Some(Arc::new(crate::transcribe::Engine::load(&m, opts)?))
    } else {
        None
    };
    // Sessions transcribed from audio are diarized when the speaker model is installed, as
    // the transcription job does.
    let speaker_model = match &engine {
        Some(_) => {
            match crate::models::registry::active(
                &g.models_dir(),
                crate::models::registry::Role::Speaker,
            ) {
                Ok(m) => Some(crate::diarize::SpeakerModel::load(&m)?.with_overlaps(g.overlaps)),
                Err(e) => {
                    eprintln!("no speaker attribution ({e}): sessions keep unknown speakers");
                    None
                }
            }
        }
        None => None,
    };
    let lib = FormatLibrary::load(&g.data_dir());
    let mut reports = Vec::new();
    for case in cases {
        let format = lib.get(a.format.as_deref().unwrap_or(&case.note_format))?;
        let (input, wer, tsecs, speakers) = match &engine {
            Some(e) => {
                let t = transcribe_case(e, speaker_model.as_ref(), &case)?;
                (t.input, Some(t.wer), Some(t.seconds), t.speakers)
            }
            None => (case.input(), None, None, None),
        };
        let segments = input.segments.clone();
        let opts = DraftOptions {
            seed: a.seed,
            threads: a.threads,
            extractive_fallback: !a.no_fallback,
            embedding_model: crate::embed::find_installed(&g.models_dir()),
            ..DraftOptions::default()
        };
        let llm2 = llm.clone();
        let f2 = format.clone();
        let pb = super::draft::progress_bar();
        let pb2 = pb.clone();
        let t0 = Instant::now();
        let d = tokio::task::spawn_blocking(move || {
            draft::draft(&llm2, &input, &f2, &opts, &|p| {
                pb2.set_position((p.fraction * 1000.0) as u64);
                pb2.set_message(format!("{} {}/{}", p.stage, p.step, p.steps));
                true
            })
        })
        .await??;
        pb.finish_and_clear();
        let seconds = t0.elapsed().as_secs_f64();
        if let Some(dir) = &a.save {
            std::fs::write(
                dir.join(format!("{}.draft.json", case.id)),
                serde_json::to_string_pretty(&d)?,
            )?;
        }
        let score = eval::score(&case, &d, &format);
        let style = crate::draft::style::measure(&d, &segments);
        let r = CaseReport {
            score,
            scored: case.has_expectations(),
            style,
            format: format.key.clone(),
            seconds,
            prompt_tokens: d.provenance.prompt_tokens,
            generated_tokens: d.provenance.generated_tokens,
            wer,
            transcribe_seconds: tsecs,
            speakers,
        };
        if !a.json {
            print_case(&r);
        }
        reports.push(r);
    }
    // totals
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut fab, mut pc, mut pt, mut rc, mut rt, mut st, mut unc, mut ext) =
        (0, 0, 0, 0, 0, 0, 0, 0);
    let mut secs = 0.0;
    let mut wers = Vec::new();
    let mut form = FormTotals::default();
    // Speaker attribution pooled: DER errors over reference speech, words right over words.
    let (mut der_err, mut der_speech, mut role_right, mut role_words) = (0.0, 0.0, 0.0, 0usize);
    for r in &reports {
        form.add(&r.style);
        if let Some(s) = &r.speakers {
            der_err += s.der.missed + s.der.false_alarm + s.der.confusion;
            der_speech += s.der.reference_speech;
            role_right += s.role_accuracy * s.words as f64;
            role_words += s.words;
        }
        if !r.scored {
            secs += r.seconds;
            continue;
        }
        for (k, (h, n)) in &r.score.recall {
            let e = per.entry(k.clone()).or_default();
            e.0 += h;
            e.1 += n;
        }
        fab += r.score.fabrications.len();
        pc += r.score.plan_correct;
        pt += r.score.plan_total;
        rc += r.score.risk_correct;
        rt += r.score.risk_total;
        st += r.score.statements;
        unc += r.score.statements_uncited;
        ext += r.score.statements_extractive;
        secs += r.seconds;
        if let Some(w) = r.wer {
            wers.push(w);
        }
    }
    let hits: usize = per.values().map(|x| x.0).sum();
    let total: usize = per.values().map(|x| x.1).sum();
    if a.json {
        let v = serde_json::json!({
            "model": llm.name(),
            "cases": reports,
            "total": {
                "recall": hits as f64 / total.max(1) as f64,
                "recall_per_section": per,
                "fabrications": fab,
                "plan_accuracy": pc as f64 / pt.max(1) as f64,
                "risk_accuracy": if rt > 0 { Some(rc as f64 / rt as f64) } else { None },
                "statements": st, "uncited": unc, "extractive": ext,
                "seconds": secs,
                "wer": if wers.is_empty() { None } else { Some(wers.iter().sum::<f64>() / wers.len() as f64) },
                "der": (der_speech > 0.0).then(|| der_err / der_speech),
                "role_accuracy": (role_words > 0).then(|| role_right / role_words as f64),
                "form": form,
            }
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("== total ({} cases, model {})", reports.len(), llm.name());
        let parts: Vec<String> = per
            .iter()
            .map(|(k, (h, n))| format!("{k} {h}/{n}"))
            .collect();
        println!(
            "fact recall {hits}/{total} ({:.0}%): {}",
            100.0 * hits as f64 / total.max(1) as f64,
            parts.join(", ")
        );
        println!("fabrications {fab}");
        println!("plan-update accuracy {pc}/{pt}");
        if rt > 0 {
            println!("risk accuracy {rc}/{rt}");
        }
        println!("statements {st} (uncited {unc}, extractive {ext})");
        if !wers.is_empty() {
            println!("WER {:.3}", wers.iter().sum::<f64>() / wers.len() as f64);
        }
        if role_words > 0 {
            println!(
                "speakers: DER {:.1} %, words with the right role {:.1} % of {role_words}",
                100.0 * der_err / der_speech.max(1e-9),
                100.0 * role_right / role_words as f64
            );
        }
        form.print();
        println!("drafting time {secs:.1} s");
    }
    Ok(())
}

/// Form figures summed over the cases (worst compression and note length kept).
#[derive(Debug, Default, serde::Serialize)]
struct FormTotals {
    words: usize,
    statements: usize,
    verbatim: usize,
    quoted: usize,
    first_person: usize,
    therapist_as_client: usize,
    duplicates: usize,
    empty_sections: usize,
    max_words: usize,
    max_compression: f64,
}

impl FormTotals {
    fn add(&mut self, s: &crate::draft::style::StyleReport) {
        self.words += s.words;
        self.statements += s.statements;
        self.verbatim += s.verbatim;
        self.quoted += s.quoted;
        self.first_person += s.first_person;
        self.therapist_as_client += s.therapist_as_client;
        self.duplicates += s.duplicates;
        self.empty_sections += s.empty_sections.len();
        self.max_words = self.max_words.max(s.words);
        self.max_compression = self.max_compression.max(s.compression);
    }

    fn print(&self) {
        println!(
            "form: {} words, {} statements, verbatim {} ({:.0}%), quoted {}, first person {}, therapist-as-client {}, duplicates {}, empty sections {}, longest note {} words, worst compression {:.3}",
            self.words,
            self.statements,
            self.verbatim,
            100.0 * self.verbatim as f64 / self.statements.max(1) as f64,
            self.quoted,
            self.first_person,
            self.therapist_as_client,
            self.duplicates,
            self.empty_sections,
            self.max_words,
            self.max_compression
        );
    }
}

fn print_case(r: &CaseReport) {
    let s = &r.score;
    let hits: usize = s.recall.values().map(|x| x.0).sum();
    let total: usize = s.recall.values().map(|x| x.1).sum();
    let parts: Vec<String> = s
        .recall
        .iter()
        .map(|(k, (h, n))| format!("{k} {h}/{n}"))
        .collect();
    println!("== {} ({})", s.id, r.format);
    let f = &r.style;
    println!(
        "  form: {} words ({} transcript, compression {:.3}), {} statements, verbatim {}, quoted {}, first person {}, therapist-as-client {}, duplicates {}, empty sections {:?}",
        f.words, f.transcript_words, f.compression, f.statements, f.verbatim, f.quoted,
        f.first_person, f.therapist_as_client, f.duplicates, f.empty_sections
    );
    for e in f.examples.iter().take(4) {
        println!("    {e}");
    }
    if !r.scored {
        println!("  (plain transcript: form only)");
        println!("  drafted in {:.1} s", r.seconds);
        return;
    }
    println!("  fact recall {hits}/{total}: {}", parts.join(", "));
    for m in &s.facts_missing {
        println!("    missing {m}");
    }
    println!("  fabrications {}", s.fabrications.len());
    for f in &s.fabrications {
        println!("    fabricated: {f}");
    }
    println!("  plan updates {}/{}", s.plan_correct, s.plan_total);
    for w in &s.plan_wrong {
        println!("    {w}");
    }
    if s.risk_total > 0 {
        println!("  risk {}/{}", s.risk_correct, s.risk_total);
    }
    println!(
        "  statements {} (uncited {}, extractive {}, held back {}), complete {}",
        s.statements,
        s.statements_uncited,
        s.statements_extractive,
        s.statements_held_back,
        s.complete
    );
    if let Some(w) = r.wer {
        println!(
            "  WER {w:.3} (transcribed in {:.1} s)",
            r.transcribe_seconds.unwrap_or(0.0)
        );
    }
    if let Some(s) = &r.speakers {
        println!(
            "  speakers: DER {:.1} %, words with the right role {:.1} % of {} ({:?})",
            s.der.der * 100.0,
            s.role_accuracy * 100.0,
            s.words,
            s.source
        );
    }
    println!(
        "  drafted in {:.1} s ({} prompt tokens, {} generated)",
        r.seconds, r.prompt_tokens, r.generated_tokens
    );
}
