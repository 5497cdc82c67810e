//! Speaker attribution with the real CAM++ model (test tier): embeddings tell two synthetic
//! voices apart, sessions split into two speakers with the enrolled one as therapist, roles
//! inferred from the words without enrolment, a dictation stays one speaker, and bad input
//! (silence, a short clip, one voice, a corrupt or missing model) gives a result or a typed
//! error.
//!
//! The model comes from `NOTED_TEST_MODELS` (`noted models install --tier test`); when it is
//! missing the tests fail under `NOTED_REQUIRE_MODELS=1`, else print "skipped: ..." and
//! return. Speech is synthesized with espeak-ng and sox (CI installs both).

mod common;
use common::{model_missing, models_dir, present, run_tool, runs};

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use noted::audio::{self, Audio, DecodeLimits};
use noted::diarize::{
    self, cluster::cosine, score, DiarizeError, DiarizeOptions, SpeakerModel, SpeakerSource,
};
use noted::models::registry::{self, Role};
use noted::transcribe::{Segment, Speaker, Transcript};

/// The installed speaker model, loaded once per test binary.
fn model() -> Option<Arc<SpeakerModel>> {
    static MODEL: OnceLock<Option<Arc<SpeakerModel>>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let m = registry::active(&models_dir(), Role::Speaker).ok()?;
            Some(Arc::new(
                SpeakerModel::load(&m).expect("the installed model loads"),
            ))
        })
        .clone()
        .or_else(|| {
            model_missing("the speaker model (campplus-sv-zh-en)");
            None
        })
}

fn tools() -> bool {
    ["espeak-ng", "sox"].iter().all(|t| {
        present(
            runs(t, "--version"),
            common::env_is_1("NOTED_REQUIRE_MODELS"),
            &format!("`{t}` is not installed (apt-get install {t})"),
        )
    })
}

/// A reference turn: who spoke, from when to when (seconds), and the words.
#[derive(Debug, Clone)]
struct RefTurn {
    therapist: bool,
    start: f64,
    end: f64,
    text: String,
}

/// Renders `(therapist?, text)` turns with the two voices (espeak-ng voice, speed), 0.7 s of
/// silence after each, into 16 kHz audio; returns it with the reference turns.
fn render(dir: &Path, turns: &[(bool, &str)], voices: [(&str, &str); 2]) -> (Audio, Vec<RefTurn>) {
    let mut samples = Vec::new();
    let mut refs = Vec::new();
    for (i, (therapist, text)) in turns.iter().enumerate() {
        let (voice, speed) = voices[if *therapist { 0 } else { 1 }];
        let raw = dir.join(format!("t{i}.wav"));
        let wav = dir.join(format!("t{i}-16k.wav"));
        run_tool(
            Command::new("espeak-ng")
                .args(["-v", voice, "-s", speed, "-w"])
                .arg(&raw)
                .arg(text),
        );
        run_tool(
            Command::new("sox")
                .arg(&raw)
                .args(["-r", "16000", "-c", "1", "-b", "16"])
                .arg(&wav),
        );
        let a = audio::decode_file(&wav, &DecodeLimits::default()).expect("decodes");
        let start = samples.len() as f64 / 16000.0;
        samples.extend_from_slice(&a.samples);
        refs.push(RefTurn {
            therapist: *therapist,
            start,
            end: samples.len() as f64 / 16000.0,
            text: text.to_string(),
        });
        samples.extend(std::iter::repeat_n(0.0, 11200));
    }
    (Audio::from_samples(samples), refs)
}

const THERAPIST: (&str, &str) = ("en-us+f3", "160");
const CLIENT: (&str, &str) = ("en-us+m3", "170");

/// A short session: the therapist greets, asks and reflects; the client reports.
const SESSION: &[(bool, &str)] = &[
    (true, "Hi, welcome back. How was your week since we last met?"),
    (false, "Honestly it was rough. I've been exhausted after every night shift and I can't switch off when I get home."),
    (true, "It sounds like the nights are really draining you. Can you tell me more about what happens when you get home?"),
    (false, "I lie in bed replaying everything that went wrong on the ward. My mind just keeps going and I sleep maybe four hours."),
    (true, "That makes sense after such long shifts. What have you tried so far to wind down?"),
    (false, "I tried reading, but I end up checking my phone for messages from work. I feel guilty if I don't answer."),
    (true, "Let's try something this week. Before bed, write down the three things on your mind, then put the phone in another room. Would you be willing to try that?"),
    (false, "Yes, I think I can do that. I'm worried I'll miss something, but I know I need the sleep."),
];

#[test]
fn embeddings_tell_two_voices_apart() {
    let Some(model) = model() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (audio, refs) = render(dir.path(), SESSION, [THERAPIST, CLIENT]);
    let (_, chunks) = SpeakerModel::plan(&audio.samples, &DiarizeOptions::default());
    let t0 = std::time::Instant::now();
    let (spans, emb): (Vec<_>, Vec<_>) = model
        .embed_chunks(&audio.samples, &chunks, &|_| true)
        .unwrap()
        .into_iter()
        .unzip();
    eprintln!(
        "{} windows over {:.1} s in {:.2} s",
        spans.len(),
        audio.duration_seconds,
        t0.elapsed().as_secs_f64()
    );
    // Each window's true voice: the turn holding its centre.
    let voice = |i: usize| -> Option<bool> {
        let c = (spans[i].start + spans[i].end) as f64 / 2.0 / 16000.0;
        refs.iter()
            .find(|r| r.start <= c && c <= r.end)
            .map(|r| r.therapist)
    };
    let (mut same, mut diff) = (Vec::new(), Vec::new());
    for i in 0..emb.len() {
        for j in i + 1..emb.len() {
            if let (Some(a), Some(b)) = (voice(i), voice(j)) {
                let s = cosine(&emb[i], &emb[j]);
                if a == b {
                    same.push(s)
                } else {
                    diff.push(s)
                }
            }
        }
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len().max(1) as f32;
    eprintln!(
        "same voice: mean cosine {:.3}; different voices: {:.3}",
        mean(&same),
        mean(&diff)
    );
    assert!(
        mean(&same) > mean(&diff) + 0.3,
        "same {} diff {}",
        mean(&same),
        mean(&diff)
    );
}

/// The therapist alone, for enrolment (about 20 s).
const ENROLMENT: &str = "Before we begin today, I want to check in about how things have been going since our last appointment. I usually start by asking about sleep, energy and mood, and then we look at the goals we set together. If anything feels like too much, tell me and we can slow down.";

/// A transcript whose segments are the reference turns, except that turns `merge` and
/// `merge + 1` form one segment (as whisper sometimes joins two turns).
fn transcript_of(refs: &[RefTurn], merge: Option<usize>) -> Transcript {
    let mut segments: Vec<Segment> = Vec::new();
    let mut i = 0;
    while i < refs.len() {
        let (end, text) = if Some(i) == merge && i + 1 < refs.len() {
            let t = format!("{} {}", refs[i].text, refs[i + 1].text);
            i += 1;
            (refs[i].end, t)
        } else {
            (refs[i].end, refs[i].text.clone())
        };
        let start = if Some(i) == merge.map(|m| m + 1) {
            refs[i - 1].start
        } else {
            refs[i].start
        };
        segments.push(Segment {
            id: segments.len() as u32,
            start,
            end,
            speaker: Speaker::Unknown,
            text,
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
        });
        i += 1;
    }
    Transcript {
        model: "reference".into(),
        audio_seconds: refs.last().map(|r| r.end).unwrap_or(0.0),
        elapsed_seconds: 0.0,
        text: String::new(),
        segments,
        speakers: None,
    }
}

fn score_refs(refs: &[RefTurn]) -> Vec<score::RefTurn> {
    refs.iter()
        .map(|r| score::RefTurn {
            speaker: if r.therapist {
                Speaker::Therapist
            } else {
                Speaker::Client
            },
            start: r.start,
            end: r.end,
            text: r.text.clone(),
        })
        .collect()
}

#[test]
fn session_splits_into_two_speakers_with_the_enrolled_one_as_therapist() {
    let Some(model) = model() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The client speaks first here, so that the opening turn does not give the roles away.
    let turns: Vec<(bool, &str)> = SESSION[1..].to_vec();
    let (audio, refs) = render(dir.path(), &turns, [THERAPIST, CLIENT]);
    let (enrol, _) = render(dir.path(), &[(true, ENROLMENT)], [THERAPIST, CLIENT]);
    let voice = model.voice_embedding(&enrol.samples).unwrap();
    assert_eq!(voice.vector.len(), 192);
    let d = model
        .diarize(&audio.samples, &DiarizeOptions::default(), &|_| true)
        .unwrap();
    assert_eq!(d.speakers, 2, "two voices, two speakers");
    eprintln!(
        "two voices: centroid cosine {}",
        cosine(&d.centroids[0], &d.centroids[1])
    );
    let der = score::der(&score_refs(&refs), &d.turns(), 0.25);
    eprintln!("DER {:.1} % ({der:?})", der.der * 100.0);
    assert!(der.der < 0.10, "{der:?}");

    // Turns 2 and 3 (client, then therapist) arrive as one segment: it is split.
    let mut t = transcript_of(&refs, Some(2));
    let n = t.segments.len();
    let a = diarize::attribute(&mut t, &d, Some(&voice.vector), model.name());
    assert_eq!(a.source, SpeakerSource::Enrolled);
    assert_eq!(t.segments.len(), n + 1, "the joined turns are split again");
    // ... at the end of the first turn's sentence, not where the time spread over the words
    // would put the change.
    assert_eq!(t.segments[2].text, refs[2].text);
    assert_eq!(t.segments[3].text, refs[3].text);
    let (acc, words) = score::role_accuracy(&score_refs(&refs), &t);
    eprintln!("enrolled: {:.1} % of {words} words", acc * 100.0);
    assert!(acc >= 0.97, "{acc}");
    assert!(t.speakers.is_some());
    let json = t.to_json();
    assert!(json.contains("\"source\": \"enrolled\"") || json.contains("\"source\":\"enrolled\""));

    // Nobody speaks over anybody in this session: no segment is marked as overlapped speech.
    if model.finds_overlaps() {
        let marked: f64 = d.overlaps.iter().map(|(a, b)| b - a).sum();
        eprintln!("overlapped speech marked in a session without any: {marked:.2} s");
        assert!(marked < 0.5, "{:?}", d.overlaps);
        assert!(
            (0..t.segments.len()).all(|i| !a.overlapped(i)),
            "{:?}",
            a.segment_overlap
        );
    }

    // The client's voice enrolled by mistake: the therapist is then the other cluster, still
    // labelled from the enrolment, and every role flips.
    let (wrong, _) = render(dir.path(), &[(false, ENROLMENT)], [THERAPIST, CLIENT]);
    let wrong = model.voice_embedding(&wrong.samples).unwrap();
    let mut t2 = transcript_of(&refs, None);
    diarize::attribute(&mut t2, &d, Some(&wrong.vector), model.name());
    let (acc2, _) = score::role_accuracy(&score_refs(&refs), &t2);
    assert!(acc2 < 0.1, "roles follow the enrolled voice: {acc2}");
}

/// Real two-speaker speech with reference turns: four 30-second clips of the pyannote.audio
/// sources (`tests/run.sh` fetches its sdist): the tutorial's two-speaker conversation and
/// three AMI meeting excerpts in which two people speak (one of them almost alone). The
/// issue's target: DER at most 20 % on real two-speaker speech, pooled over the clips.
#[test]
fn real_two_speaker_speech_within_der_target() {
    let Some(model) = model() else { return };
    let root = "pyannote_audio-4.0.7";
    // (audio, its RTTM, the file id in it, speakers to find)
    let clips = [
        (
            "tutorials/assets/sample.wav",
            "tutorials/assets/sample.rttm",
            "sample",
            2,
        ),
        (
            "tests/data/dev00.wav",
            "tests/data/debug.development.rttm",
            "dev00",
            2,
        ),
        (
            "tests/data/dev01.wav",
            "tests/data/debug.development.rttm",
            "dev01",
            2,
        ),
        (
            "tests/data/trn03.wav",
            "tests/data/debug.train.rttm",
            "trn03",
            1,
        ),
    ];
    let (mut errors, mut speech) = (0.0, 0.0);
    let (mut ov_ref, mut ov_found, mut ov_hit) = (0.0, 0.0, 0.0);
    for (clip, rttm, id, speakers) in clips {
        let (Some(wav), Some(rttm)) = (
            common::fixture_file(&format!("{root}/{clip}")),
            common::fixture_file(&format!("{root}/{rttm}")),
        ) else {
            return;
        };
        let audio = audio::decode_file(&wav, &DecodeLimits::default()).unwrap();
        let lines: String = std::fs::read_to_string(&rttm)
            .unwrap()
            .lines()
            .filter(|l| l.split_whitespace().nth(1) == Some(id))
            .map(|l| format!("{l}\n"))
            .collect();
        let refs = score::turns_from_rttm(&lines).unwrap();
        assert!(!refs.is_empty(), "{id} has reference turns");
        let d = model
            .diarize(&audio.samples, &DiarizeOptions::default(), &|_| true)
            .unwrap();
        let der = score::der(&refs, &d.turns(), 0.25);
        eprintln!(
            "{clip}: {} speakers, DER {:.1} % ({der:?})",
            d.speakers,
            der.der * 100.0
        );
        // trn03's second speaker says 1.2 s of 30: one speaker is the right answer there.
        assert_eq!(d.speakers, speakers, "{clip}");
        errors += der.missed + der.false_alarm + der.confusion;
        speech += der.reference_speech;
        let ov = score::overlap_score(&refs, &d.overlaps);
        eprintln!(
            "{clip}: overlapped speech: reference {:.1} s, found {:.1} s, both {:.1} s",
            ov.reference, ov.found, ov.hit
        );
        ov_ref += ov.reference;
        ov_found += ov.found;
        ov_hit += ov.hit;
    }
    let pooled = errors / speech;
    eprintln!("pooled DER {:.1} % of {speech:.1} s", pooled * 100.0);
    assert!(pooled <= 0.20, "pooled DER {pooled:.3}");
    // overlapped speech (pyannote segmentation-3.0, installed with the speaker model): most
    // of what is marked is overlap (2.0 of 2.5 s), less than half of it is found (2.0 of
    // 4.8 s: none of dev00's 1.4 s, short interjections in a meeting)
    if model.finds_overlaps() {
        eprintln!(
            "pooled overlapped speech: reference {ov_ref:.1} s, found {ov_found:.1} s, both {ov_hit:.1} s"
        );
        assert!(
            ov_hit >= 0.35 * ov_ref,
            "recall {ov_hit:.1} of {ov_ref:.1} s"
        );
        assert!(
            ov_hit >= 0.6 * ov_found,
            "precision {ov_hit:.1} of {ov_found:.1} s"
        );
    } else {
        model_missing("the segmentation model (segmentation.bin of campplus-sv-zh-en)");
    }
}

/// The candle port of pyannote segmentation-3.0 gives what the model's ONNX export gives
/// (onnxruntime, `tests/fixtures/segmentation`) on ten seconds of real two-speaker speech
/// with overlap: the same class in every frame, log-probabilities within 2e-3.
#[test]
fn segmentation_matches_its_onnx_reference() {
    let Ok(m) = registry::active(&models_dir(), Role::Speaker) else {
        model_missing("the speaker model (campplus-sv-zh-en)");
        return;
    };
    let path = m.path.with_file_name(diarize::SEGMENTATION_FILE);
    if !path.is_file() {
        model_missing("the segmentation model (segmentation.bin of campplus-sv-zh-en)");
        return;
    }
    let Some(wav) = common::fixture_file("pyannote_audio-4.0.7/tutorials/assets/sample.wav") else {
        return;
    };
    let seg = diarize::segmentation::Segmentation::load(&path).unwrap();
    let audio = audio::decode_file(&wav, &DecodeLimits::default()).unwrap();
    let chunk = &audio.samples[160_000..320_000];
    let out = seg.forward(&[chunk]).unwrap();
    let rows = out.squeeze(0).unwrap().to_vec2::<f32>().unwrap();
    let reference = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/segmentation/sample-10-20s.txt"),
    )
    .unwrap();
    let mut lines = reference.lines().filter(|l| !l.starts_with('#'));
    let classes: Vec<usize> = lines
        .next()
        .unwrap()
        .chars()
        .map(|c| c.to_digit(10).unwrap() as usize)
        .collect();
    assert_eq!(rows.len(), classes.len());
    let argmax = |r: &[f32]| {
        r.iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0
    };
    let agree = rows
        .iter()
        .zip(&classes)
        .filter(|(r, c)| argmax(r) == **c)
        .count();
    assert_eq!(agree, classes.len(), "frames with the reference's class");
    // the reference has overlapped speech here (class 6: two speakers at once)
    assert!(classes.contains(&6));
    for (frame, line) in [0usize, 294, 588].into_iter().zip(lines) {
        let want: Vec<f32> = line
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        for (a, b) in rows[frame].iter().zip(&want) {
            assert!(
                (a - b).abs() < 2e-3,
                "frame {frame}: {:?} vs {want:?}",
                rows[frame]
            );
        }
    }
}

/// A recording embedded part by part while it is recorded (cut anywhere, even inside a
/// turn), each part stored and read back, then clustered at the end, tells the speakers apart
/// as well as diarizing it whole.
#[test]
fn embedding_in_parts_then_clustering_matches_the_whole() {
    let Some(model) = model() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (audio, refs) = render(dir.path(), SESSION, [THERAPIST, CLIENT]);
    let opts = DiarizeOptions::default();
    let whole = model.diarize(&audio.samples, &opts, &|_| true).unwrap();
    // parts of about 7 s, cut without regard to the turns
    let n = audio.samples.len();
    let cut = 7 * 16_000;
    let mut all = diarize::WindowEmbeddings::default();
    let mut from = 0;
    while from < n {
        let to = (from + cut).min(n);
        let part = model
            .embed(&audio.samples[from..to], from, &opts, &|_| true)
            .unwrap();
        let stored = part.to_bytes();
        let back = diarize::WindowEmbeddings::from_bytes(&stored).expect("reads back");
        assert_eq!(back, part);
        all.extend(back);
        from = to;
    }
    assert!(all.windows.windows(2).all(|w| w[0].0.start <= w[1].0.start));
    let parts = diarize::cluster_windows(&all, &opts).unwrap();
    assert_eq!(parts.speakers, 2);
    let der_whole = score::der(&score_refs(&refs), &whole.turns(), 0.25).der;
    let der_parts = score::der(&score_refs(&refs), &parts.turns(), 0.25).der;
    eprintln!(
        "DER whole {:.1} %, in parts {:.1} %",
        der_whole * 100.0,
        der_parts * 100.0
    );
    assert!(
        der_parts < 0.10 && der_parts <= der_whole + 0.03,
        "{der_parts} vs {der_whole}"
    );
    // what is not the stored form is refused, not misread
    let bytes = all.to_bytes();
    assert!(diarize::WindowEmbeddings::from_bytes(&bytes[..bytes.len() - 1]).is_none());
    assert!(diarize::WindowEmbeddings::from_bytes(b"NOTEDWE1").is_none());
    assert!(diarize::WindowEmbeddings::from_bytes(&[0u8; 64]).is_none());
}

#[test]
fn without_enrolment_roles_are_inferred_from_the_words() {
    let Some(model) = model() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Other voices than the enrolment test, at other speeds.
    let (audio, refs) = render(
        dir.path(),
        SESSION,
        [("en-gb+m1", "150"), ("en-us+f4", "175")],
    );
    let d = model
        .diarize(&audio.samples, &DiarizeOptions::default(), &|_| true)
        .unwrap();
    assert_eq!(d.speakers, 2);
    let mut t = transcript_of(&refs, None);
    let a = diarize::attribute(&mut t, &d, None, model.name());
    assert_eq!(a.source, SpeakerSource::Inferred);
    let (acc, words) = score::role_accuracy(&score_refs(&refs), &t);
    eprintln!(
        "inferred: {:.1} % of {words} words; {:?}",
        acc * 100.0,
        a.clusters
    );
    assert!(acc >= 0.9, "{acc}");
    assert_eq!(
        t.segments[0].speaker,
        Speaker::Therapist,
        "the greeting is the therapist's"
    );
}

/// Two voices speaking at once for about two seconds (the client starts before the therapist
/// has finished): the stretch is found as overlapped speech, the segment holding it is
/// marked, and the voices alone are not.
#[test]
fn speech_over_speech_is_marked_as_overlap() {
    let Some(model) = model() else { return };
    if !tools() || !model.finds_overlaps() {
        if !model.finds_overlaps() {
            model_missing("the segmentation model (segmentation.bin of campplus-sv-zh-en)");
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = render(dir.path(), &[(true, SESSION[2].1)], [THERAPIST, CLIENT]);
    let (b, _) = render(dir.path(), &[(false, SESSION[1].1)], [THERAPIST, CLIENT]);
    let rate = 16_000.0;
    let overlap_s = 2.0;
    let b_from = a.samples.len() - (overlap_s * rate) as usize;
    let mut mixed = a.samples.clone();
    mixed.resize(b_from + b.samples.len(), 0.0);
    for (m, x) in mixed[b_from..].iter_mut().zip(&b.samples) {
        *m += x;
    }
    let peak = mixed.iter().fold(0f32, |p, x| p.max(x.abs()));
    if peak > 1.0 {
        mixed.iter_mut().for_each(|x| *x /= peak);
    }
    let (start, end) = (b_from as f64 / rate, a.samples.len() as f64 / rate);
    let d = model
        .diarize(&mixed, &DiarizeOptions::default(), &|_| true)
        .unwrap();
    let inside = diarize::overlap_within(&d.overlaps, start, end);
    let all: f64 = d.overlaps.iter().map(|(x, y)| y - x).sum();
    eprintln!(
        "two voices at once {start:.1}-{end:.1} s: {inside:.2} s found inside, {:.2} s outside ({:?})",
        all - inside,
        d.overlaps
    );
    // about half of it is found (1.0 s of 2.0 s): synthetic voices overlap less plainly
    // than people do
    assert!(inside >= 0.25 * overlap_s, "{:?}", d.overlaps);
    assert!(all - inside <= 0.5, "{:?}", d.overlaps);
    // a transcript of the two turns: the segment that holds the overlap is marked
    let dur = mixed.len() as f64 / rate;
    let mut t = Transcript {
        model: "test".into(),
        audio_seconds: dur,
        elapsed_seconds: 0.0,
        segments: vec![
            Segment {
                id: 0,
                start: 0.0,
                end: start,
                speaker: Speaker::Unknown,
                text: SESSION[2].1.into(),
                avg_logprob: 0.0,
                no_speech_prob: 0.0,
            },
            Segment {
                id: 1,
                start,
                end: dur,
                speaker: Speaker::Unknown,
                text: SESSION[1].1.into(),
                avg_logprob: 0.0,
                no_speech_prob: 0.0,
            },
        ],
        text: String::new(),
        speakers: None,
    };
    let attribution = diarize::attribute(&mut t, &d, None, model.name());
    let marked: Vec<bool> = (0..t.segments.len())
        .map(|i| attribution.overlapped(i))
        .collect();
    eprintln!(
        "segments marked: {marked:?} ({:?})",
        attribution.segment_overlap
    );
    assert!(marked.iter().any(|m| *m));
    assert!(!marked[0], "the therapist alone is not overlap");
    // an operator who turns the pass off (`NOTED_OVERLAPS=false`) gets the same speakers and
    // no overlap
    let installed = registry::active(&models_dir(), Role::Speaker).unwrap();
    let off = SpeakerModel::load(&installed).unwrap().with_overlaps(false);
    assert!(!off.finds_overlaps());
    let d_off = off
        .diarize(&mixed, &DiarizeOptions::default(), &|_| true)
        .unwrap();
    assert!(d_off.overlaps.is_empty(), "{:?}", d_off.overlaps);
    assert_eq!(d_off.windows, d.windows);
}

#[test]
fn one_voice_is_one_speaker() {
    let Some(model) = model() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A dictation: every turn in the therapist's voice.
    let (audio, refs) = render(dir.path(), SESSION, [THERAPIST, THERAPIST]);
    let d = model
        .diarize(&audio.samples, &DiarizeOptions::default(), &|_| true)
        .unwrap();
    eprintln!("one voice: {} speaker(s)", d.speakers);
    assert_eq!(d.speakers, 1);
    let mut t = transcript_of(&refs, Some(1));
    let n = t.segments.len();
    diarize::attribute(&mut t, &d, None, model.name());
    assert_eq!(t.segments.len(), n, "nothing to split");
    let first = t.segments[0].speaker;
    assert!(t.segments.iter().all(|s| s.speaker == first));
}

#[test]
fn silence_and_short_clips_give_results_not_panics() {
    let Some(model) = model() else { return };
    if !tools() {
        return;
    }
    let opts = DiarizeOptions::default();
    // Silence: no speaker at all.
    let d = model
        .diarize(&vec![0.0; 16000 * 10], &opts, &|_| true)
        .unwrap();
    assert_eq!(d.speakers, 0);
    assert!(d.turns().is_empty());
    let mut t = transcript_of(
        &[RefTurn {
            therapist: true,
            start: 1.0,
            end: 2.0,
            text: "hello".into(),
        }],
        None,
    );
    diarize::attribute(&mut t, &d, None, model.name());
    assert_eq!(t.segments[0].speaker, Speaker::Unknown);
    // Empty audio, a blip shorter than a frame.
    assert_eq!(model.diarize(&[], &opts, &|_| true).unwrap().speakers, 0);
    assert_eq!(
        model
            .diarize(&[0.1; 100], &opts, &|_| true)
            .unwrap()
            .speakers,
        0
    );

    // A 5-second clip of one voice: one speaker.
    let dir = tempfile::tempdir().unwrap();
    let (clip, _) = render(
        dir.path(),
        &[(true, "Hi, welcome back. How was your week?")],
        [THERAPIST, CLIENT],
    );
    assert!(clip.duration_seconds < 6.0);
    let d = model.diarize(&clip.samples, &opts, &|_| true).unwrap();
    assert!(d.speakers <= 1, "{}", d.speakers);
    // Too little speech to enrol; a bad speaker count; cancellation.
    assert!(matches!(
        model.voice_embedding(&clip.samples),
        Err(DiarizeError::TooShort { .. })
    ));
    assert!(matches!(
        DiarizeOptions::with_speakers(0),
        Err(DiarizeError::SpeakerCount(0))
    ));
    assert!(matches!(
        DiarizeOptions::with_speakers(5),
        Err(DiarizeError::SpeakerCount(5))
    ));
    assert!(matches!(
        model.diarize(&clip.samples, &opts, &|_| false),
        Err(DiarizeError::Cancelled)
    ));
}

#[test]
fn a_missing_or_corrupt_model_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.pt");
    let e = SpeakerModel::load_path(&missing, "x").unwrap_err();
    assert!(matches!(e, DiarizeError::Load { .. }), "{e}");
    assert!(e.to_string().contains("not found"), "{e}");
    let junk = dir.path().join("junk.pt");
    std::fs::write(&junk, b"this is not a zip file").unwrap();
    assert!(matches!(
        SpeakerModel::load_path(&junk, "x"),
        Err(DiarizeError::Load { .. })
    ));
    // The real checkpoint cut in half.
    let Ok(m) = registry::active(&models_dir(), Role::Speaker) else {
        model_missing("the speaker model (campplus-sv-zh-en)");
        return;
    };
    let bytes = std::fs::read(&m.path).unwrap();
    let cut = dir.path().join("cut.pt");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = SpeakerModel::load_path(&cut, "x").unwrap_err();
    assert!(matches!(e, DiarizeError::Load { .. }), "{e}");
    // Flipped bytes inside the tensor data: loads (no checksum in the format) or fails, but
    // never panics; the installed copy is protected by its sha256 (`noted models verify`).
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    for b in &mut flipped[mid..mid + 4096] {
        *b ^= 0xff;
    }
    let f = dir.path().join("flipped.pt");
    std::fs::write(&f, &flipped).unwrap();
    let _ = SpeakerModel::load_path(&f, "x");
    // A broken segmentation model beside a good speaker model: an error naming it, not a
    // silent skip
    let good = dir.path().join("good");
    std::fs::create_dir_all(&good).unwrap();
    std::fs::write(good.join("model.pt"), &bytes).unwrap();
    std::fs::write(good.join(diarize::SEGMENTATION_FILE), b"not a checkpoint").unwrap();
    let e = SpeakerModel::load_path(&good.join("model.pt"), "x").unwrap_err();
    assert!(e.to_string().contains(diarize::SEGMENTATION_FILE), "{e}");
    // A model of another role is refused by `load`.
    if let Ok(asr) = registry::active(&models_dir(), Role::Asr) {
        assert!(matches!(
            SpeakerModel::load(&asr),
            Err(DiarizeError::WrongFormat { .. })
        ));
    }
}

/// `noted eval --audio` as a person runs it: a plain transcript is spoken by two voices,
/// transcribed, diarized as the transcription job does (no enrolment: roles from the words)
/// and drafted; the report gives the speakers' DER and the share of words with the right role.
#[test]
fn eval_from_audio_reports_speaker_attribution() {
    if model().is_none() || !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    let text: String = SESSION
        .iter()
        .map(|(t, s)| format!("{}: {s}\n", if *t { "Therapist" } else { "Client" }))
        .collect();
    std::fs::write(cases.join("night-shifts.txt"), text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_noted"))
        .arg("eval")
        .arg(&cases)
        .args(["--audio", "--json", "--model", "smollm2-135m-instruct"])
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
    let s = &v["cases"][0]["speakers"];
    assert_eq!(s["source"], "inferred", "{s}");
    let (der, roles) = (
        v["total"]["der"].as_f64().unwrap(),
        v["total"]["role_accuracy"].as_f64().unwrap(),
    );
    eprintln!("eval --audio: DER {der:.3}, roles {roles:.3}");
    assert!(der < 0.10, "{v}");
    assert!(roles >= 0.90, "{v}");
}
