//! Risk-cue and risk-field evaluation on the project's own set (`tests/fixtures/risk`):
//! recall on risk utterances, false flags on non-risk ones, attribution, and the three-state
//! fields on screening exchanges (accuracy and wrong "denied"), for the tuning half and the
//! held-out half, with the phrase rules alone and with the embedding net when the
//! all-MiniLM-L6-v2 model is installed. Also times the scan of a 400-segment session.
//!
//! `NOTED_RISK_SHOW=1` prints the tuning-set items that fail (never the held-out ones).

mod common;

use std::path::PathBuf;
use std::time::Instant;

use noted::draft::risk::{self, About, EmbeddingNet, Risk, RiskStatus};
use noted::draft::{ChartContext, DraftInput, InputKind, Segment, Speaker};

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/risk")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[derive(Debug, Clone)]
struct Utterance {
    risk: bool,
    category: String,
    about: Option<About>,
    speaker: char,
    text: String,
}

fn utterances(name: &str) -> Vec<Utterance> {
    fixture(name)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.splitn(4, '|').map(str::trim).collect();
            assert_eq!(parts.len(), 4, "bad line: {l}");
            let risk = parts[0] != "none";
            if risk {
                assert!(
                    risk::RiskCategory::from_key(parts[0]).is_some(),
                    "unknown category in: {l}"
                );
            }
            Utterance {
                risk,
                category: parts[0].to_string(),
                about: match parts[1] {
                    "self" => Some(About::Client),
                    "other" => Some(About::SomeoneElse),
                    _ => None,
                },
                speaker: parts[2].chars().next().unwrap(),
                text: parts[3].to_string(),
            }
        })
        .collect()
}

fn segment(id: u32, speaker: char, text: &str) -> Segment {
    Segment {
        id,
        start: id as f64 * 5.0,
        end: id as f64 * 5.0 + 4.0,
        speaker: match speaker {
            'T' => Speaker::Therapist,
            'C' => Speaker::Client,
            _ => Speaker::Unknown,
        },
        text: text.to_string(),
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
    }
}

fn input(lines: &[(char, String)]) -> DraftInput {
    let dictation = lines.iter().all(|(s, _)| *s == 'D');
    DraftInput {
        kind: if dictation {
            InputKind::Dictation
        } else {
            InputKind::Session
        },
        segments: lines
            .iter()
            .enumerate()
            .map(|(i, (s, t))| segment(i as u32, *s, t))
            .collect(),
        client: ChartContext::default(),
    }
}

#[derive(Debug, Clone)]
struct Exchange {
    name: String,
    expect: [RiskStatus; 4],
    lines: Vec<(char, String)>,
}

const FIELDS: [&str; 4] = ["si", "plan", "intent", "hi"];

fn exchanges(name: &str) -> Vec<Exchange> {
    let mut out: Vec<Exchange> = Vec::new();
    for l in fixture(name).lines().map(str::trim) {
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(n) = l.strip_prefix("== ") {
            out.push(Exchange {
                name: n.to_string(),
                expect: [RiskStatus::NotAssessed; 4],
                lines: Vec::new(),
            });
            continue;
        }
        let ex = out.last_mut().expect("a block starts with ==");
        if let Some(e) = l.strip_prefix("expect:") {
            for kv in e.split_whitespace() {
                let (k, v) = kv
                    .split_once('=')
                    .unwrap_or_else(|| panic!("bad expect {kv}"));
                let i = FIELDS.iter().position(|f| *f == k).expect("field");
                ex.expect[i] = match v {
                    "endorsed" => RiskStatus::Endorsed,
                    "denied" => RiskStatus::Denied,
                    "not_assessed" => RiskStatus::NotAssessed,
                    _ => panic!("bad status {v}"),
                };
            }
            continue;
        }
        let (sp, text) = l.split_once(':').expect("SPEAKER: text");
        ex.lines
            .push((sp.chars().next().unwrap(), text.trim().to_string()));
    }
    out
}

fn fields(r: &Risk) -> [RiskStatus; 4] {
    [
        r.suicidal_ideation.status,
        r.plan.status,
        r.intent.status,
        r.homicidal_ideation.status,
    ]
}

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    risk: usize,
    found: usize,
    about_right: usize,
    none: usize,
    false_flags: usize,
    fields: usize,
    fields_right: usize,
    wrong_denied: usize,
    uncited: usize,
    exchanges: usize,
}

impl Score {
    fn recall(&self) -> f64 {
        self.found as f64 / self.risk.max(1) as f64
    }
    fn false_flag_rate(&self) -> f64 {
        self.false_flags as f64 / self.none.max(1) as f64
    }
    fn field_accuracy(&self) -> f64 {
        self.fields_right as f64 / self.fields.max(1) as f64
    }
    fn line(&self, name: &str) -> String {
        format!(
            "{name:<28} recall {:>3}/{:<3} {:>5.1} %  false flags {:>2}/{:<3} {:>4.1} %  about right {:>3}/{:<3}  fields {:>3}/{:<3} {:>5.1} %  wrong denied {}  uncited {}",
            self.found,
            self.risk,
            100.0 * self.recall(),
            self.false_flags,
            self.none,
            100.0 * self.false_flag_rate(),
            self.about_right,
            self.found,
            self.fields_right,
            self.fields,
            100.0 * self.field_accuracy(),
            self.wrong_denied,
            self.uncited,
        )
    }
}

fn evaluate(
    utt: &[Utterance],
    exs: &[Exchange],
    net: Option<&EmbeddingNet<'_>>,
    show: bool,
) -> Score {
    let mut sc = Score::default();
    for u in utt {
        let r = risk::assess_with_net(&input(&[(u.speaker, u.text.clone())]), net);
        if u.risk {
            sc.risk += 1;
            if !r.cues.is_empty() {
                sc.found += 1;
                if r.cues.iter().any(|c| Some(c.about) == u.about) {
                    sc.about_right += 1;
                } else if show {
                    println!("  ABOUT {} | {:?}: {:?}", u.category, u.about, u.text);
                }
            } else if show {
                println!("  MISS  {}: {}", u.category, u.text);
            }
        } else {
            sc.none += 1;
            if !r.cues.is_empty() {
                sc.false_flags += 1;
                if show {
                    println!("  FALSE {}: {}", u.text, r.cues[0].why);
                }
            }
        }
    }
    for ex in exs {
        sc.exchanges += 1;
        let inp = input(&ex.lines);
        let r = risk::assess_with_net(&inp, net);
        let got = fields(&r);
        for i in 0..4 {
            sc.fields += 1;
            if got[i] == ex.expect[i] {
                sc.fields_right += 1;
            } else if show {
                println!(
                    "  FIELD {} {}: expected {:?}, got {:?}",
                    ex.name, FIELDS[i], ex.expect[i], got[i]
                );
            }
            if got[i] == RiskStatus::Denied && ex.expect[i] != RiskStatus::Denied {
                sc.wrong_denied += 1;
                if show {
                    println!("  WRONG DENIED {} {}", ex.name, FIELDS[i]);
                }
            }
        }
        // every set field cites the client's (or the dictation's) words
        for item in [
            &r.suicidal_ideation,
            &r.plan,
            &r.intent,
            &r.homicidal_ideation,
        ] {
            if item.status != RiskStatus::NotAssessed
                && !item.citations.iter().any(|id| {
                    inp.segment(*id).is_some_and(|s| {
                        inp.kind == InputKind::Dictation || s.speaker != Speaker::Therapist
                    })
                })
            {
                sc.uncited += 1;
            }
        }
    }
    sc
}

fn show() -> bool {
    common::env_is_1("NOTED_RISK_SHOW")
}

/// The targets of issue 17.
fn assert_targets(name: &str, s: &Score) {
    assert!(s.risk >= 60 && s.none >= 60, "{name}: set too small");
    assert!(
        s.recall() >= 0.98,
        "{name}: recall {:.3} < 0.98",
        s.recall()
    );
    assert!(
        s.false_flag_rate() <= 0.10,
        "{name}: false flags {:.3} > 0.10",
        s.false_flag_rate()
    );
    assert_eq!(s.wrong_denied, 0, "{name}: a wrong \"denied\"");
    assert_eq!(s.uncited, 0, "{name}: a field without the client's words");
    assert!(
        s.field_accuracy() >= 0.95,
        "{name}: fields right {:.3} < 0.95",
        s.field_accuracy()
    );
}

#[test]
fn the_set_is_big_enough() {
    let u: Vec<Utterance> = [
        utterances("utterances.txt"),
        utterances("utterances-heldout.txt"),
    ]
    .concat();
    let risk = u.iter().filter(|x| x.risk).count();
    let none = u.len() - risk;
    assert!(risk >= 150 && none >= risk, "{risk} risk, {none} non-risk");
    let ex = exchanges("exchanges.txt").len() + exchanges("exchanges-heldout.txt").len();
    assert!(ex >= 60, "{ex} exchanges");
    // every category is represented
    for c in risk::RiskCategory::ALL {
        assert!(
            u.iter().any(|x| x.category == c.key()),
            "no {} utterance",
            c.key()
        );
    }
}

#[test]
fn rules_meet_the_targets() {
    let tune = evaluate(
        &utterances("utterances.txt"),
        &exchanges("exchanges.txt"),
        None,
        show(),
    );
    let held = evaluate(
        &utterances("utterances-heldout.txt"),
        &exchanges("exchanges-heldout.txt"),
        None,
        false,
    );
    println!("{}", tune.line("rules, tuning set"));
    println!("{}", held.line("rules, held-out set"));
    assert_targets("rules, tuning set", &tune);
}

/// A 50-minute session's worth of segments (400): the tuning exchanges and utterances in
/// turn, as one session.
fn long_session() -> DraftInput {
    let ex = exchanges("exchanges.txt");
    let ut = utterances("utterances.txt");
    let mut lines: Vec<(char, String)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while lines.len() < 400 {
        for (s, t) in &ex[i % ex.len()].lines {
            lines.push((if *s == 'D' { 'C' } else { *s }, t.clone()));
        }
        let u = &ut[j % ut.len()];
        lines.push((if u.speaker == 'T' { 'T' } else { 'C' }, u.text.clone()));
        i += 1;
        j += 1;
    }
    lines.truncate(400);
    input(&lines)
}

/// Drafting a 50-minute session takes about 60 s: the scan may add 5 % (3 s).
const SCAN_BUDGET_MS: f64 = 3000.0;

#[test]
fn rules_scan_of_a_50_minute_session_is_fast() {
    let inp = long_session();
    let _ = risk::assess(&inp); // compile the rules once
    let t = Instant::now();
    let r = risk::assess(&inp);
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "rules scan of {} segments: {ms:.0} ms, {} cues",
        inp.segments.len(),
        r.cues.len()
    );
    assert!(!r.cues.is_empty());
    assert!(ms < SCAN_BUDGET_MS, "{ms:.0} ms");
}
