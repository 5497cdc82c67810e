//! Drafting tests with the test-tier model (SmolLM2-135M): formats and schemas, citations,
//! risk, checks, determinism, token budgets, custom formats and the CLI. Quality is measured
//! by `noted eval`, not asserted here.

mod common;
use common::{model_missing, models_dir};

use std::sync::{Arc, OnceLock};

use noted::draft::{
    self, checks, ChartContext, Draft, DraftInput, DraftOptions, FormatLibrary, Goal, RiskStatus,
};
use noted::llm::Llm;

const TEST_MODEL: &str = "smollm2-135m-instruct";

/// The test model, loaded once per test binary and shared (as jobs share it).
fn llm() -> Option<Arc<Llm>> {
    static LLM: OnceLock<Option<Arc<Llm>>> = OnceLock::new();
    let l = LLM
        .get_or_init(|| {
            let m = noted::models::registry::find(&models_dir(), TEST_MODEL).ok()?;
            Some(Arc::new(Llm::load(&m).expect("test model loads")))
        })
        .clone();
    if l.is_none() {
        model_missing("the test language model (smollm2-135m-instruct)");
    }
    l
}

/// Small budgets: the test model is slow and weak; the structure must hold anyway.
fn opts() -> DraftOptions {
    DraftOptions {
        max_tokens: 160,
        plan_max_tokens: 60,
        max_findings: 3,
        ..DraftOptions::default()
    }
}

const SESSION: &str = "Therapist: How has your sleep been this week?
Client: Bad. I slept about four hours a night and woke up at 3 am worrying about work.
Therapist: Let's practice the breathing exercise, in for four and out for six.
Client: That helped, I feel calmer.
Therapist: For this week, keep a sleep log and do the breathing every night. Let's meet again next Tuesday.
Client: Okay, I will.";

fn client() -> ChartContext {
    ChartContext {
        name: "Sam Rivera".into(),
        presenting_problems: vec!["Insomnia".into()],
        goals: vec![Goal {
            id: "g1".into(),
            text: "Sleep at least seven hours on five nights per week".into(),
        }],
        ..Default::default()
    }
}

fn session_input(text: &str) -> DraftInput {
    DraftInput::from_transcript_text(text, client()).unwrap()
}

fn run(llm: &Llm, input: &DraftInput, format: &str, o: &DraftOptions) -> Draft {
    let f = FormatLibrary::builtin().get(format).unwrap();
    draft::draft(llm, input, &f, o, &|_| true).unwrap()
}

/// A minimal JSON-schema check (type, required, properties, items, enum) for the derived
/// schemas.
fn validate(schema: &serde_json::Value, v: &serde_json::Value, path: &str) {
    if let Some(t) = schema.get("type").and_then(|t| t.as_str()) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            _ => true,
        };
        assert!(ok, "{path}: expected {t}, got {v}");
    }
    if let Some(e) = schema.get("enum").and_then(|e| e.as_array()) {
        assert!(e.contains(v), "{path}: {v} not in {e:?}");
    }
    if let Some(req) = schema.get("required").and_then(|r| r.as_array()) {
        for k in req {
            let k = k.as_str().unwrap();
            assert!(v.get(k).is_some(), "{path}: missing required {k}");
        }
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(|p| p.as_object()),
        v.as_object(),
    ) {
        if schema.get("additionalProperties") == Some(&serde_json::Value::Bool(false)) {
            for k in obj.keys() {
                assert!(props.contains_key(k), "{path}: unexpected key {k}");
            }
        }
        for (k, s) in props {
            if let Some(x) = obj.get(k) {
                validate(s, x, &format!("{path}.{k}"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(items, x, &format!("{path}[{i}]"));
        }
    }
}

fn assert_citations_resolve(d: &Draft, input: &DraftInput) {
    let ids: Vec<u32> = input.segments.iter().map(|s| s.id).collect();
    for (k, s) in &d.sections {
        for st in &s.statements {
            for c in &st.citations {
                assert!(
                    ids.contains(c),
                    "section {k}: citation {c} does not resolve"
                );
            }
            if st.included {
                assert!(
                    !st.citations.is_empty(),
                    "included statement without citation: {st:?}"
                );
            }
        }
    }
    for u in &d.plan_updates {
        for c in &u.citations {
            assert!(ids.contains(c), "plan update citation {c} does not resolve");
        }
    }
    for p in &d.proposals {
        for c in &p.citations {
            assert!(ids.contains(c));
        }
    }
}

#[test]
fn shipped_formats_parse_match_schemas_and_cite() {
    let Some(llm) = llm() else { return };
    let input = session_input(SESSION);
    for key in ["soap", "dap", "birp"] {
        let f = FormatLibrary::builtin().get(key).unwrap();
        let d = run(&llm, &input, key, &opts());
        let v = serde_json::to_value(&d).unwrap();
        validate(&f.sections_schema(), &v["sections"], key);
        for k in [
            "format",
            "sections",
            "plan_updates",
            "proposals",
            "risk",
            "flags",
            "provenance",
            "complete",
        ] {
            assert!(v.get(k).is_some(), "{key}: draft JSON lacks {k}");
        }
        assert_eq!(d.format, key);
        assert_citations_resolve(&d, &input);
        assert_eq!(d.plan_updates.len(), 1);
        assert!(!d.provenance.model_sha256.is_empty());
        assert!(d
            .provenance
            .prompt_version
            .starts_with(draft::prompt::PROMPT_SERIES));
        // whatever the model writes, the note is written, not pasted: no quotations, no
        // first person, no transcript copies, no client report resting on the therapist
        let form = draft::style::measure(&d, &input.segments);
        assert_eq!(form.quoted, 0, "{key}: {form:?}");
        assert_eq!(form.first_person, 0, "{key}: {form:?}");
        assert_eq!(form.therapist_as_client, 0, "{key}: {form:?}");
        for st in d.sections.values().flat_map(|s| &s.statements) {
            assert!(
                st.origin != draft::Origin::Extractive,
                "{key}: extractive statement {st:?}"
            );
        }
    }
}

#[test]
fn no_risk_talk_means_not_assessed_and_no_denial_written() {
    let Some(llm) = llm() else { return };
    let input = session_input(SESSION);
    let d = run(&llm, &input, "soap", &opts());
    for item in [
        &d.risk.suicidal_ideation,
        &d.risk.plan,
        &d.risk.intent,
        &d.risk.homicidal_ideation,
    ] {
        assert_eq!(item.status, RiskStatus::NotAssessed);
    }
    let note = d.note_text().to_lowercase();
    assert!(
        !note.contains("denies si") && !note.contains("denies suicid"),
        "{note}"
    );
}

#[test]
fn explicit_denial_is_denied_with_citation() {
    let Some(llm) = llm() else { return };
    let input = session_input(
        "Therapist: How was the week?\nClient: Stressful, work was busy.\nTherapist: Have you had thoughts of killing yourself?\nClient: No, never.\n",
    );
    let d = run(&llm, &input, "dap", &opts());
    assert_eq!(d.risk.suicidal_ideation.status, RiskStatus::Denied);
    assert!(d.risk.suicidal_ideation.citations.contains(&3));
    assert!(d.risk.suicidal_ideation.citations.contains(&2));
    assert_eq!(d.risk.homicidal_ideation.status, RiskStatus::NotAssessed);
    // the therapist's screening question is not a cue, and a denial is not one either
    assert!(
        d.risk.cues.iter().all(|c| c.segment_id != 2),
        "{:?}",
        d.risk.cues
    );
}

#[test]
fn number_check_flags_number_absent_from_cited_segments() {
    let input = session_input(SESSION);
    let risk = noted::draft::risk::assess(&input);
    let cx = checks::CheckContext::new(&input, &risk);
    let mut st = checks::Statement {
        text: "Client slept about 6 hours a night.".into(),
        citations: vec![1],
        flags: vec![],
        support: 0.0,
        origin: checks::Origin::Model,
        included: true,
    };
    cx.check(&mut st);
    assert!(
        st.flags.iter().any(|f| f == "number_not_found:6"),
        "{:?}",
        st.flags
    );
    assert!(!st.included);
    st.text = "Client slept about four hours a night.".into();
    cx.check(&mut st);
    assert!(st.included, "{:?}", st.flags);
}

#[test]
fn same_seed_same_draft() {
    let Some(llm) = llm() else { return };
    let input = session_input(SESSION);
    let a = run(&llm, &input, "birp", &opts());
    // the second time, another draft shares the model (as jobs and tests do): its prompts
    // must not change this one's output
    let other = std::thread::spawn({
        let llm = llm.clone();
        move || {
            let input = session_input(&SESSION.replace("sleep", "appetite"));
            run(&llm, &input, "soap", &opts())
        }
    });
    let b = run(&llm, &input, "birp", &opts());
    other.join().expect("the other draft finishes");
    assert_eq!(a.content_json(), b.content_json());
}

#[test]
fn too_small_budget_is_incomplete_without_crash() {
    let Some(llm) = llm() else { return };
    let input = session_input(SESSION);
    let o = DraftOptions {
        max_tokens: 4,
        plan_max_tokens: 4,
        ..opts()
    };
    let d = run(&llm, &input, "soap", &o);
    assert!(!d.complete);
    assert!(d.flags.iter().any(|f| f.starts_with("incomplete:")));
    // the fallback is a short note in templated sentences, never transcript quotes
    let statements: Vec<_> = d.sections.values().flat_map(|s| &s.statements).collect();
    assert!(!statements.is_empty());
    for st in &statements {
        assert_eq!(st.origin, draft::Origin::Template, "{st:?}");
        assert!(!st.text.contains('"'), "{st:?}");
        assert!(!draft::style::first_person(&st.text), "{st:?}");
        assert!(st.text.ends_with('.'));
    }
    let form = draft::style::measure(&d, &input.segments);
    assert_eq!(form.verbatim, 0, "{form:?}");
}

#[test]
fn custom_format_in_data_dir_is_used() {
    let Some(llm) = llm() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("formats")).unwrap();
    std::fs::write(
        dir.path().join("formats/girp.toml"),
        r#"key = "girp"
name = "GIRP"
version = "7"
[[sections]]
key = "goal"
title = "Goal"
description = "The treatment goal addressed."
collects = ["client_report", "measure", "risk", "observation"]
[[sections]]
key = "intervention"
title = "Intervention"
description = "What the clinician did."
collects = ["intervention"]
[[sections]]
key = "response"
title = "Response"
description = "How the client responded."
collects = ["response", "assessment"]
[[sections]]
key = "plan"
title = "Plan"
description = "Next steps."
collects = ["plan"]
"#,
    )
    .unwrap();
    let f = FormatLibrary::load(dir.path()).get("girp").unwrap();
    let input = session_input(SESSION);
    let d = draft::draft(&llm, &input, &f, &opts(), &|_| true).unwrap();
    assert_eq!(
        d.section_order,
        vec!["goal", "intervention", "response", "plan"]
    );
    assert_eq!(d.provenance.format_version, "7");
    validate(
        &f.sections_schema(),
        &serde_json::to_value(&d.sections).unwrap(),
        "girp",
    );
}

#[test]
fn redraft_one_section_with_instruction() {
    let Some(llm) = llm() else { return };
    let input = session_input(SESSION);
    let f = FormatLibrary::builtin().get("soap").unwrap();
    let r = draft::redraft_section(&llm, &input, &f, "plan", Some("shorter"), &opts(), &|_| {
        true
    })
    .unwrap();
    assert_eq!(r.key, "plan");
    assert_eq!(r.instruction.as_deref(), Some("shorter"));
    for st in &r.section.statements {
        for c in &st.citations {
            assert!(input.segment(*c).is_some());
        }
    }
    assert!(draft::redraft_section(&llm, &input, &f, "nope", None, &opts(), &|_| true).is_err());
}

#[test]
fn cancel_returns_cancelled() {
    let Some(llm) = llm() else { return };
    let input = session_input(SESSION);
    let f = FormatLibrary::builtin().get("soap").unwrap();
    let e = draft::draft(&llm, &input, &f, &opts(), &|_| false).unwrap_err();
    assert!(matches!(e, draft::DraftError::Cancelled));
}

#[test]
fn cli_draft_prints_the_json_shape() {
    if noted::models::registry::find(&models_dir(), TEST_MODEL).is_err() {
        model_missing("the test language model (smollm2-135m-instruct)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.txt");
    std::fs::write(&t, SESSION).unwrap();
    let c = dir.path().join("client.json");
    std::fs::write(&c, serde_json::to_string(&client()).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_noted"))
        .args(["draft", "--transcript"])
        .arg(&t)
        .args(["--format", "dap", "--client"])
        .arg(&c)
        .args(["--model", TEST_MODEL, "--max-tokens", "160", "--json"])
        .env("NOTED_MODELS", models_dir())
        .env("NOTED_DATA", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "dap");
    for k in ["data", "assessment", "plan"] {
        assert!(v["sections"][k]["text"].is_string());
        assert!(v["sections"][k]["statements"].is_array());
    }
    assert_eq!(v["plan_updates"][0]["goal_id"], "g1");
    assert!(v["risk"]["suicidal_ideation"]["status"].is_string());
    assert!(v["provenance"]["model"].is_string());
    assert!(v["complete"].is_boolean());

    // no model: the error names the install command
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_noted"))
        .args(["draft", "--transcript"])
        .arg(&t)
        .env("NOTED_MODELS", empty.path())
        .env("NOTED_DATA", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("noted models install"));
}

/// The installed sentence encoder, or None (with the skip message) where it is not installed.
fn encoder() -> Option<noted::embed::SentenceEncoder> {
    let Some(dir) = noted::embed::find_installed(&models_dir()) else {
        model_missing("the embedding model all-MiniLM-L6-v2");
        return None;
    };
    Some(noted::embed::SentenceEncoder::load(&dir).expect("load the embedding model"))
}

#[test]
fn statements_making_the_same_point_are_merged_with_their_citations() {
    let Some(enc) = encoder() else {
        return;
    };
    let st = |t: &str, c: u32| checks::Statement {
        text: t.into(),
        citations: vec![c],
        flags: vec![],
        support: 1.0,
        origin: checks::Origin::Model,
        included: true,
    };
    let list = vec![
        st(
            "Client has found it hard to find a job since the felony conviction.",
            1,
        ),
        st("Client reported sleeping about four hours a night.", 2),
        st(
            "Client said the felony conviction makes it hard to find a job when applying.",
            3,
        ),
        st("Client reported sleeping about six hours a night.", 4),
    ];
    let out = noted::draft::compose::merge_same_point(list, Some(&enc));
    let texts: Vec<&str> = out.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(out.len(), 3, "{texts:?}");
    // the longer wording is kept, with both citations
    let job = out.iter().find(|s| s.text.contains("felony")).unwrap();
    assert!(job.text.contains("applying"), "{texts:?}");
    assert_eq!(job.citations, vec![1, 3]);
    // different numbers are different facts, however alike the words
    assert!(texts.iter().any(|t| t.contains("four")) && texts.iter().any(|t| t.contains("six")));
}

/// A transcript's exchanges as scored by their words alone, and weighed by topic.
fn weighed(
    text: &str,
    enc: &noted::embed::SentenceEncoder,
) -> (
    Vec<noted::draft::facts::Group>,
    Vec<noted::draft::facts::Group>,
) {
    let input = DraftInput::from_transcript_text(text, ChartContext::default()).unwrap();
    let f = FormatLibrary::builtin().get("soap").unwrap();
    let before = noted::draft::facts::groups(&input, &f);
    let mut after = before.clone();
    noted::draft::facts::weigh_by_topic(&mut after, &input, enc);
    (before, after)
}

/// The score of the exchange that holds segment `id`.
fn score(groups: &[noted::draft::facts::Group], id: u32) -> f64 {
    groups.iter().find(|g| g.ids.contains(&id)).unwrap().score
}

#[test]
fn what_a_clinician_writes_up_outranks_rapport_talk_that_fills_the_session() {
    let Some(enc) = encoder() else {
        return;
    };
    // most of the session is rapport about music, so music is its centre; a note must keep
    // how often the client drinks, whose answer (segment 9) never says "drink"
    let text = "Therapist: Tell me about yourself.
Client: I'm in the marching band and the jazz band, I play tenor sax and some clarinet.
Therapist: How long have you played?
Client: Saxophone about four years, and music in general about ten years, I started on violin.
Therapist: What do you like about band?
Client: The group setting, working with my classmates and putting on the whole show in the fall.
Therapist: What music do you play in the jazz band?
Client: Mostly swing standards and some funk, we rehearse twice a week after school.
Therapist: And when you hang out with friends on weekends, how often is there alcohol?
Client: Every other weekend, sometimes three weekends out of the month.
Therapist: How much do you have on those nights?
Client: Usually four or five drinks, once I blacked out and couldn't remember getting home.";
    let (before, after) = weighed(text, &enc);
    // by their words alone, music outranks both drinking answers; weighed, each drinking
    // answer outranks every exchange about music
    let music = [1u32, 3, 5, 7];
    for drinking in [9u32, 11] {
        assert!(music
            .iter()
            .any(|&m| score(&before, m) > score(&before, drinking)));
        for m in music {
            assert!(
                score(&after, drinking) > score(&after, m),
                "segment {drinking} against {m}: {} vs {}",
                score(&after, drinking),
                score(&after, m)
            );
        }
    }
}

#[test]
fn exchanges_about_the_sessions_topic_outrank_small_talk() {
    let Some(enc) = encoder() else {
        return;
    };
    // rapport talk about music first, then the session's topic: drinking and driving
    let text = "Therapist: So tell me a bit about yourself, what do you do for fun?
Client: I play saxophone in the marching band, I've been playing for about four years and I love the jazz pieces we do.
Therapist: What brings you in today?
Client: My parents found out I drove home after drinking at a party last weekend, and they made me come.
Therapist: How much were you drinking that night?
Client: Maybe four or five beers, and a couple of shots, over a few hours.
Therapist: How often do you drink like that?
Client: Most weekends, at parties, and usually I'm the one who drives everyone home after.
Therapist: What do you make of that?
Client: I guess drinking and then driving is stupid, I could hurt someone, but everyone at the parties drinks.
Therapist: What would you like to do about the drinking?
Client: Maybe not drink at all on nights when I have the car, or let someone else drive.";
    let (before, after) = weighed(text, &enc);
    // the saxophone group (segment 1) loses ground against each drinking group
    for id in [3u32, 5, 7, 9] {
        let gap_before = score(&before, id) - score(&before, 1);
        let gap_after = score(&after, id) - score(&after, 1);
        assert!(
            gap_after > gap_before,
            "segment {id}: {gap_before} -> {gap_after}"
        );
    }
    assert!(score(&after, 1) < score(&before, 1));
    // an encoder-less draft keeps the scores: the weighting is an adjustment, not a filter
    assert_eq!(before.len(), after.len());
}
