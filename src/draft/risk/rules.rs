//! The phrase rules: the first net of the cue scan.
//!
//! A rule is a regular expression over a normalized sentence ([`super::lex::Sentence::text`]),
//! written with shared fragments (`{DESIRE}`, `{SELF_END}`, `{G3}` = up to three words, ...)
//! so that a rule states a construction ("a wish" + "to be dead or not wake up"), not one
//! phrasing. A rule may also require (`needs`) or forbid (`unless`) something elsewhere in the
//! sentence, or forbid what follows the match (`unless_after`, e.g. "end it" + "with him").
//! Whether a hit is negated, about someone else, in the past or an idiom is decided afterwards
//! ([`super::context`]); the rules only find candidate risk talk.

use std::sync::LazyLock;

use regex::Regex;

use super::lex::Sentence;
use super::RiskCategory as C;
use super::RiskCategory;

/// A rule as written in the table.
struct Def {
    name: &'static str,
    cat: RiskCategory,
    /// Base strength in 0..1.
    w: f32,
    pat: &'static str,
    needs: &'static str,
    unless: &'static str,
    after: &'static str,
    /// Skipped when the text before the match ends with this (e.g. "passive " before
    /// "suicidal ideation": a named passive wish is not active ideation).
    before: &'static str,
    /// Becomes a `plan` cue when the sentence also speaks of deciding, a date or a time.
    escalate: bool,
    why: &'static str,
}

const D: Def = Def {
    name: "",
    cat: C::PassiveSi,
    w: 0.0,
    pat: "",
    needs: "",
    unless: "",
    after: "",
    before: "",
    escalate: false,
    why: "",
};

/// Shared fragments, expanded into the patterns (`{NAME}`).
const FRAGMENTS: &[(&str, &str)] = &[
    ("G1", r"((?:\S+ ){0,1})"),
    ("G2", r"((?:\S+ ){0,2})"),
    ("G3", r"((?:\S+ ){0,3})"),
    ("G4", r"((?:\S+ ){0,4})"),
    ("G5", r"((?:\S+ ){0,5})"),
    ("G6", r"((?:\S+ ){0,6})"),
    // a wish, a hope, or finding something easier/acceptable
    (
        "DESIRE",
        r"(?:(?:a |such a |be a )?(?:mercy|blessing)(?: if| when)?|waiting (?:for|on)|want|wants|wanted|wanting|wish|wishes|wished|wishing|hope|hopes|hoped|hoping|pray|prays|prayed|praying|long|longing|would like|would love|rather|ready|tempted|feel like|felt like|feeling like|prefer|(?:would|will|could|might) be (?:so )?(?:easier|better|nice|nicer|a relief|peaceful|okay|fine|good|best|simpler|great|for the best)|(?:would|could|might) (?:solve|fix) (?:everything|it all|all (?:my|the|our) problems)(?: if)?|(?:easier|better|nicer|simpler|relief|peaceful|comforting|appealing|tempting|relieved) (?:if|to|when|that)|a relief|comforting|appealing|(?:would not|will not) be the worst thing(?: in the world)?(?: if)?|(?:manage|cope|be) (?:just )?fine (?:if|without)|at peace with|okay with|fine with|would not mind|do not mind|would not care|do not care|would be glad|would (?:quite |really |actually |honestly |almost )?welcome|would not be (?:that |too |all that |very |especially |at all )?(?:sad|upset|sorry|bothered))",
    ),
    // the state wished for: dead, gone, not waking up (about oneself)
    (
        "SELF_END",
        r"(?:not being (?:here|around|alive)|(?:to |i |i would |i could |i will |i might |i can |just |me |myself )(?:just |simply )?(?:die|be dead|be gone|go away forever|stop existing|cease to exist|not exist|not be alive|not be here|not be around|not wake up|never wake up|not live|not be living)|i (?:just |only |simply |really )?(?:was|were|am|had been|would be|could be) (?:just )?(?:dead|gone|not here|not around|not alive|never born|in the ground|no longer here|no longer alive)|i (?:just |simply )?(?:died|had died|would die|could die|did not exist|had never been born|never existed|did not wake up|would not wake up|never woke up|do not wake up|will not wake up|would not make it|do not make it)|(?:not|never) (?:to )?(?:wake|waking|woke|woken) up|(?:not|never) (?:to )?(?:come|coming) back|(?:do|did|would|will|could|might) not (?:wake up|make it|survive|come back|come round|come around|pull through)|(?:stop|stopped) (?:existing|living|breathing)|(?:sleep|go to sleep|fall asleep|drift off|went to sleep|fell asleep) (?:forever|for good|permanently|and (?:not|never|did not|do not|would not|never) (?:wake|woke)(?: up)?|and (?:not|never|did not|do not|would not) (?:come|came) back|and that is it|and that was it|and that would be it|and be done|and never have to (?:deal with|face|do) (?:anything|it|this|life)(?: again)?)|(?:something|anything) (?:bad )?(?:happened|happens|were to happen|would happen) to me|(?:a |the )?(?:bus|car|truck|train|lorry) (?:hit|hits|would hit|ran over|runs over|would run over|would kill) me|(?:a |the )?(?:bus|car|truck|train|lorry|van|tractor) (?:would |will |could |might |to )?(?:swerve|swerved|swerves|crash|crashed|crashes|plough|ploughed|plow|plowed|slam|slammed|smash|smashed) into me|(?:get|got|getting) (?:hit by a|run over|killed|sick and die|a terminal)|(?:get|got|getting) sick (?:and|so) (?:\S+ ){0,3}(?:over|die|dead|gone)|(?:it|something|that|this|cancer|the illness|the disease) (?:to |would |will |could )?(?:actually |just )?kill me|(?:it|everything|it all|this|things|the pain|my life|life|the suffering|all of it) (?:to |would |will |could |can )?(?:all )?(?:just )?(?:stop|end|be over) (?:for good|forever|permanently|once and for all)|(?:my heart|my breathing) (?:to |would |will |could )?(?:just )?stops?|(?:my heart|my body|my lungs|my liver|my kidneys) (?:to |would |will |could )?(?:just )?(?:gave out|gives out|give out|gave up|gives up|packed in|packs in|packed up|failed|fails|quit|quits)|(?:to )?(?:never|not) (?:have )?(?:been|be) born|(?:be |being )?(?:dead|gone) (?:for good|for real|forever)|i (?:did not|do not|would not|will not|never) have to (?:live|be alive|wake up|exist|go on|keep going|keep living|be here)|(?:the |my |a )?(?:plane|car|bus|train) (?:would |will |to |might )?crash|i (?:would|could|might) crash|(?:the )?(?:cancer|illness|disease|tumou?r|infection) (?:to )?(?:comes back|come back|returns|return|wins|win|gets me|get me|takes me|take me)|close my eyes and (?:not|never) open them(?: again)?|(?:ran|run|runs|knocked|knocks|mowed|took|takes|take|wiped|wipes|finished|finishes|finish) me (?:over|out|off|down)|(?:and |it |to )(?:finish|finished|finishes) the job|(?:finish|finished|finishes) me off|i (?:just )?(?:faded|fade|slipped|slip|drifted|drift) (?:out|away|off)|(?:rolled|rolls|fell|falls|landed|lands|came down|comes down) on me|(?:crushed|crushes) me|(?:the |a )?plane (?:went|goes|would go|to go) down|to be dead|to die|be dead)",
    ),
    // thinking, wanting or intending (the frame of an active thought)
    (
        "ACT",
        r"(?:think|thinks|thinking|thought|thoughts|imagine|imagines|imagining|imagined|picture|picturing|pictured|fantasi[sz]\w*|fantasy|fantasies|urge|urges|tempted|want|wants|wanted|wanting|wish|wished|plan|plans|planning|planned|consider|considering|considered|going to|ready to|decided|about to|feel like|felt like|feeling like|dream|dreaming|idea|close to|might|keep seeing|how easy)",
    ),
    (
        "PILLS",
        r"(?:pills|tablets|meds|medication|medications|medicine|painkillers|insulin|sleeping pills|antidepressants|paracetamol|tylenol|opioids|oxycodone|prescriptions?|morphine|codeine|co-codamol|cocodamol|tramadol|diazepam|temazepam|zopiclone|amitriptyline|oxycontin|fentanyl|lithium|sleepers|sleeping tablets|quetiapine|seroquel|sertraline|citalopram|fluoxetine|mirtazapine|venlafaxine|olanzapine|propranolol|pregabalin|gabapentin|zolpidem|lorazepam|clonazepam|xanax|valium|weedkiller|paraquat|organophosphates?|pesticides?|rat poison|antifreeze|oxy|oxys|benzos|analgesics|opioid analgesics|opiates|pentobarb|pentobarbital|barbiturates|euthanasia solution|euthasol|potassium chloride|rat bait|slug pellets|sheep dip)",
    ),
    (
        "PERSON_OBJ",
        r"(?:him|her|them|someone|somebody|anyone|anybody|people|others|other people|another person|everyone|everybody|(?:my|the|that|this|his|her|their|our) (?:\S+ )?(?:boss|husband|wife|partner|ex|ex-partner|ex-husband|ex-wife|boyfriend|girlfriend|mother|mom|mum|father|dad|stepdad|stepfather|stepmom|stepmother|brother|sister|son|daughter|kids?|children|child|baby|neighbou?r|neighbou?rs|coworker|co-worker|coworkers|colleague|colleagues|manager|landlord|teacher|roommate|mother-in-law|father-in-law|family|parents|guy|man|woman|people|person|bastard|driver|people|customer|supervisor|uncle|aunt|cousin|friend))",
    ),
    (
        "HARM_VERB",
        r"(?:kill|killing|murder|murdering|hurt|hurting|harm|harming|strangle|strangling|stab|stabbing|shoot|shooting|beat|beating|punch|punching|poison|poisoning|choke|choking|smother|smothering|attack|attacking|torture|torturing|maim|maiming|bash|bashing|drown|drowning|slap|slapping|burn|burning)",
    ),
    (
        // a game or a contest: "beat me at chess", "beat me for the first time"
        "PLAY",
        r"\b(?:at (?:chess|cards|tennis|games?|football|soccer|basketball|pool|darts|golf|bowling)|bowling|for the first time|(?:clay )?pigeon shooting|a race|the race|the match|the game|on points|with a (?:\S+ )?(?:goal|shot|header|penalty|try|serve|three-pointer|putt)|on penalties|in the final)\b",
    ),
    (
        "HI_FRAME",
        r"(?:(?:could |can )?see myself|imagine myself|(?:thoughts?|ideas?|urges?) (?:or|and|nor) (?:intent|intentions?|plans?) to|(?:intent|intention|intentions) to|(?:images?|pictures?|visions?|impulses?|flashes) (?:of|about)|thoughts? (?:of|about)|thinking (?:of|about)|thought (?:of|about)|think about|urges? to|want to|wanted to|wanting to|wish i could|i would|i will|i am going to|i was going to|i swear i will|i swear i would|fantasi[sz]e about|fantasi[sz]ed about|fantasi[sz]ing about|fantasies about|fantasy about|imagine|imagining|imagined|picture|picturing|pictured|dream about|dreaming about|tempted to|feel like|plan to|planning to|he is going to|she is going to|they are going to|he will|she will|he would|she would|he wants to|she wants to|going to)",
    ),
    (
        "PERSON_SUBJ",
        r"(?:he|she|they|who|someone|somebody|(?:my|a|the|our|their|his|her|an) (?:\S+ )?(?:husband|wife|partner|ex|ex-partner|ex-husband|ex-wife|boyfriend|girlfriend|father|dad|stepfather|stepdad|mother|mom|mum|stepmother|stepmom|uncle|aunt|brother|sister|cousin|grandfather|grandpa|grandmother|grandma|coach|teacher|boss|neighbou?r|carer|caregiver|babysitter|priest|son|daughter|roommate|landlord|man|guy|woman|stranger|friend|father-in-law|mother-in-law|brother-in-law|sister-in-law|stepbrother|boyfriend|chef|supervisor|foreman|manager|sergeant|officer|guard|aide|care worker|support worker|nurse|orderly|warden|tutor|instructor))",
    ),
    (
        "ABUSE_VERB",
        r"(?:hits|hit|hitting|beats|beat|beaten|beating|punches|punched|punching|slaps|slapped|slapping|kicks|kicked|kicking|chokes|choked|choking|strangles|strangled|strangling|molests|molested|molesting|rapes|raped|raping|assaults|assaulted|assaulting|abuses|abused|abusing|hurts|hurt|hurting|burns|burned|burnt|whips|whipped|smacks|smacked|bruised|bruises|forced|forces|threw (?:\S+ )?at|throws (?:\S+ )?at|pinned|pins|pushed|pushes|shoved|shoves|dragged|drags)",
    ),
    (
        "CHILD",
        r"(?:kids?|children|child|baby|babies|son|sons|daughter|daughters|toddler|boy|girl|stepson|stepdaughter|grandson|granddaughter|little brother|little sister|\S+-year-old)",
    ),
    // a wish that something would fall on or crush someone (a tree, a load)
    (
        "STRUCK_WISH",
        r"(?:wish|wishes|wished|wishing|hope|hopes|hoped|hoping|pray|prays|prayed|praying) (?:that )?(?:a|an|the|some|one of the|that) (?:\S+ ){0,3}?(?:would|will|might|could) (?:just )?(?:come down on|came down on|fall on|fell on|fall onto|land on|drop on|crush|flatten|squash)",
    ),
    // someone who would "come down on" one (a telling-off, not a falling load)
    (
        "SCOLDED",
        r"\b(?:boss|manager|mum|mom|dad|parents?|teacher|coach|someone|somebody|they|he|she|police|court|law) (?:\S+ ){0,2}(?:would|will|might|could) (?:just )?(?:come down on|came down on)",
    ),
];

/// Deciding words that turn a method into a plan.
const PLAN_WORDS: &str = r"\b(?:decided|decide|planned|planning|picked|chosen|worked out|figured out|at once|the date|the day|tonight|this weekend|tomorrow night|ready)\b";

fn defs() -> Vec<Def> {
    vec![
        // ---------------------------------------------------------------- attempts (first:
        // "killed herself" is an attempt/death, not a thought)
        Def {
            name: "attempt_tried",
            cat: C::Attempt,
            w: 0.95,
            pat: r"(?:tried|try|trying|tries|attempted|attempt|attempting) (?:once |twice |again |before |three times |a few times )?(?:to )?(?:kill|end|hang|drown|overdose|od|shoot|suffocate|gas|poison|take (?:my|his|her|their) (?:own )?life|slit|cut (?:my|his|her|their) (?:wrists|throat)|commit suicide|suicide|jump off|jump from)",
            why: "an attempt to end a life",
            ..D
        },
        Def {
            name: "attempt_named",
            cat: C::Attempt,
            w: 0.9,
            pat: r"suicide attempts?|attempted suicide|suicidal attempts?|(?:previous|past|prior|last|first|second|failed) attempts?|(?:history|hx) of (?:\S+ ){0,2}attempts?|attempted (?:by|via|with|through) (?:\S+ ){0,2}(?:cutting|hanging|overdos\w*|jumping|drowning|pills|tablets|ligature)",
            why: "a suicide attempt",
            ..D
        },
        Def {
            name: "attempt_overdose",
            cat: C::Attempt,
            w: 0.88,
            pat: r"(?:took|swallowed|downed|overdosed on|had) (?:all|a bunch|a handful|handfuls|the whole bottle|the whole box|the rest|loads|too many|lots|a load|every one|a lot)(?: of)?(?: my| the| his| her| those| these| them)?(?: \S+)? {PILLS}|(?:took|had|taken|take) an overdose|overdosed",
            why: "an overdose",
            ..D
        },
        Def {
            name: "attempt_on_purpose",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:took|take|taken|swallowed) (?:too many|a lot|loads|all of them|the lot|them all)(?: \S+){0,2} on purpose|overdos\w* on purpose|on purpose (?:\S+ ){0,3}(?:overdose|too many)",
            why: "an overdose on purpose",
            ..D
        },
        Def {
            name: "attempt_death",
            cat: C::Attempt,
            w: 0.88,
            pat: r"killed (?:him|her|them|my|your)sel(?:f|ves)|(?:took|taken|ended) (?:his|her|their|my) (?:own )?life|died by suicide|committed suicide|completed suicide|lost (?:\S+ ){0,3}to suicide",
            why: "a death or attempt by suicide",
            ..D
        },
        Def {
            name: "attempt_car_exhaust",
            cat: C::Attempt,
            w: 0.85,
            pat: r"engine running|exhaust (?:fumes|pipe)|carbon monoxide|hose (?:to|from|in) the (?:car|exhaust)",
            needs: r"garage|closed|sat|sitting|window|car",
            why: "a carbon-monoxide attempt",
            ..D
        },
        Def {
            name: "attempt_hospital",
            cat: C::Attempt,
            w: 0.7,
            pat: r"ended up in (?:the )?(?:hospital|er|emergency room|icu|a&e|psych ward|intensive care)",
            needs: r"pills|tablets|overdos|cut|hang|tried|jump|took",
            why: "hospitalised after an act that may have been an attempt",
            ..D
        },
        // ---------------------------------------------------------------- passive death wish
        Def {
            name: "passive_named",
            cat: C::PassiveSi,
            w: 0.9,
            pat: r"passive (?:suicidal (?:ideation|thoughts?)|death wish\w*|thoughts of death|wish(?:es)? to die|wish(?:es)? to be dead)|death wish\w*",
            why: "a passive death wish, named",
            ..D
        },
        Def {
            name: "passive_phrase",
            cat: C::PassiveSi,
            w: 0.85,
            pat: r"better off dead|better off gone|better off not (?:being )?(?:here|around|alive|existing)|(?:feel|felt|feeling) like dying|(?:tired|sick|weary) of (?:fighting|trying|struggling) (?:\S+ )?(?:to stay alive|to live|to keep going|to survive|to go on|to keep living)|(?:disappointed|sad|upset|annoyed|angry|sorry|bummed) (?:that |when )?i (?:\S+ )?(?:woke up|wake up|am still (?:alive|here)|survived|did not die|am alive)|(?:not|never) (?:see|picture|imagine) (?:myself|me) (?:being |still )?(?:around|here|alive|living)|(?:death|dying|being dead|not existing) (?:sounds|seems|looks|feels|would be|is|would feel) (?:\S+ ){0,1}(?:peaceful|nice|good|appealing|like a relief|better|comforting|tempting|welcome|easy|restful)|(?:i would |would |i )welcome (?:death|dying|it|that)(?: now)?$|not (?:afraid|scared) of (?:dying|death) (?:anymore|any more)|so (?:that )?i (?:do not|would not|will not|never) have to (?:keep (?:doing this|living|going)|live|go on|be here|wake up|deal with (?:it|anything|life|this))|(?:sleep|go to sleep|rest) and (?:never|not) (?:\S+ ){0,3}(?:ever again|again)|(?:would |i )?rather die|wish i (?:was|were|had been) dead|wish i (?:had )?never (?:been born|existed)|would never been born|(?:tired|sick|weary) of (?:living|being alive|life|existing|being here|being me)|done with (?:living|life|being alive)|(?:nothing|no reason|nothing left|no reason left|not much) (?:left )?to live for|no reason (?:for me )?to (?:live|go on|keep going|be alive|keep living|stay alive|stick around|be here|stay)$|no reason (?:for me )?to (?:live|go on|keep going|be alive|keep living|stay alive)|(?:should not|do not deserve to|not deserve to|do not deserve|not meant to) (?:be alive|live|be here|exist|be living)|(?:hate|hates|hated|hating) (?:being alive|living|existing|that i am alive|that i woke up|waking up)|waiting (?:here |around |about )?to die|ready to die|(?:i|he|she) should (?:have|of) died(?: (?:over there|with|too|instead|back then|in|at))?|(?:not|never|no longer) (?:\S+ ){0,3}(?:want|wish|care|feel like) to (?:live|be alive|exist|wake up|go on|keep living|keep going|carry on|stay alive|be here anymore|be here any more|be around anymore|be anymore|be any more|exist anymore|exist any more|be here$|be here tomorrow|see tomorrow)|(?:not|no longer) (?:sure|know if|know whether|certain) (?:\S+ ){0,2}(?:want to|can) (?:live|go on|keep living|keep going|be here|stay alive)|(?:do not|not) care (?:if|whether) i (?:live|die|wake up|make it)|if i live or die|whether i live or die",
            unless: r"rather die than (?:give|do|go to|sit|eat|wear|watch|speak|talk|sing|dance|admit|ask|call|work|be seen|lose|miss|fly|drive|cook|clean|apologi[sz]e|tell)",
            why: "a wish to be dead or not to live",
            ..D
        },
        Def {
            name: "passive_worth_living",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"(?:not|no longer|hardly|never|is it|is life|is this) (?:\S+ ){0,2}worth living|(?:life|living|existence) (?:\S+ ){0,2}(?:pointless|meaningless|not worth it)",
            why: "life not worth living",
            ..D
        },
        Def {
            name: "passive_wish",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"{DESIRE} {G5}{SELF_END}",
            after: r"^(?:late|early|on time|in time|before|until|till|at \S+|too late|too early|to |for |with |of |into )",
            why: "a wish to be dead, gone, or not to wake up",
            ..D
        },
        Def {
            name: "passive_wish_after",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:i (?:just |simply |only )?(?:died|was dead|were dead|was gone|were gone|did not wake up|never woke up|do not wake up|do not make it|did not make it|got hit|got sick and died)|(?:something|anything) (?:bad )?(?:happened|happens|were to happen|would happen) to me|(?:a |the )?(?:bus|car|truck|train) (?:hit|hits|ran over) me|(?:\S+ ){1,2}(?:ran|run|runs|knocked|mowed|took|takes|wiped|finished) me (?:over|out|off|down)|(?:the |a )?plane (?:went|goes|would go) down) {G6}(?:(?:i would be|be) like finally|(?:would|will|could) be (?:okay|fine|alright|all right|a relief|easier|better|for the best|good)|(?:be |am )?okay with (?:it|that)|fine with (?:it|that)|would not mind|do not mind|would not care|do not care|would not be (?:sad|upset|sorry)|would be relieved|be relieved|so be it)",
            why: "dying would be acceptable or a relief",
            ..D
        },
        Def {
            name: "passive_disappear_forever",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"{DESIRE} {G4}(?:disappear|vanish|go away|not be here|not exist|fade away)(?:ed)? (?:\S+ ){0,2}(?:for good|forever|permanently|completely|and (?:never|not) (?:come back|be found)|off the face of the earth)",
            why: "a wish to disappear for good",
            ..D
        },
        Def {
            name: "passive_disappear",
            cat: C::PassiveSi,
            w: 0.45,
            pat: r"{DESIRE} {G4}(?:disappear|vanish|fade away|not exist)",
            after: r"^(?:for (?:a|an|the|some|one|two|few|\d|this|that|tonight|today|now)|on (?:a|holiday|vacation)|somewhere|to (?:a|the|my|some)|from (?:work|the party|the|this)|into (?:a |the |my |some )?(?:\S+ )?(?:book|books|room|crowd|background|woods|work|music|game|show|bed|blankets?|couch|novel|series|garden|hobby))",
            why: "a wish to disappear (no time limit said)",
            ..D
        },
        Def {
            name: "passive_thoughts_of_death",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:think|thinks|thinking|thought|thoughts|dream|dreams|dreaming|fantasi[sz]e|fantasi[sz]ing|fantasies|idea|obsess\w*|preoccupied|ruminat\w*|wonder\w*) (?:\S+ ){0,2}(?:about|of|with) (?:my own )?(?:just |simply )?(?:death|dying|being dead|not being here|not being alive|not existing|not being around|not waking up|never waking up|my funeral|what it would be like to (?:just )?(?:die|be dead|be gone|not exist|not be here))",
            why: "thoughts of death or dying",
            ..D
        },
        // set 13's one wrong "denied" (read for it alone): a daydream of not being or of
        // disappearing, said on its own ("I fantasise about just... not being")
        Def {
            name: "passive_daydream_not_being",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:dream|dreams|dreaming|daydream\w*|fantasi[sz]\w*|fantasy|fantasies|think|thinking|thought|thoughts|wonder\w*) (?:\S+ ){0,2}(?:about|of) (?:just |simply |me |myself )?(?:not being(?:$| anymore| any more| at all| anything| you know| like| not| or| and| just)|disappearing|vanishing|ceasing to exist|being gone(?:$| for good| forever)|no longer (?:being )?(?:here|around|existing))",
            after: r"^(?:for (?:a|an|the|some|one|two|few|\d|this|that|tonight|today|now)|on (?:a|holiday|vacation)|somewhere|to (?:a|the|my|some)|from (?:work|the party|the|this)|into )",
            why: "a daydream of not being, or of disappearing",
            ..D
        },
        Def {
            name: "passive_still_here",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:oh great|unfortunately|sadly|damn|ugh|disappointed|dread) (?:\S+ ){0,3}still (?:here|alive|breathing)|still (?:here|alive|breathing) (?:\S+ ){0,2}(?:unfortunately|sadly|for some reason)",
            why: "sorry to be still alive",
            ..D
        },
        Def {
            name: "passive_euphemism",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:be|being) with (?:my )?(?:mum|mom|mother|dad|father|husband|wife|son|daughter|brother|sister|baby|grandma|grandmother|grandpa|grandfather|partner|boyfriend|girlfriend|friend) again|(?:join|joining) (?:my )?(?:mum|mom|mother|dad|father|husband|wife|son|daughter|brother|sister|grandma|grandmother|grandpa|grandfather|partner)(?: \S+){0,2} (?:than|in heaven|up there|wherever|soon)|close my eyes and (?:not|never) open them(?: again)?|(?:not|never) (?:have to )?(?:do|face|see|deal with|get through) (?:tomorrow|another day|another morning)|let myself (?:die|waste away|fade|slip away)|stop eating (?:and|so|until) (?:\S+ ){0,3}(?:go|die|fade|waste|end)|look(?:ing)? forward to (?:death|dying|the end|being dead)|(?:peaceful|nice|easier|a relief|tempting) (?:\S+ ){0,4}to (?:just )?(?:stop|let go|slip away|fade away|not be)$",
            why: "a euphemism for dying",
            ..D
        },
        Def {
            name: "passive_let_go",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"let myself go",
            after: r"^(?:a bit|a little|over|during|this|last|at|when|after|with|and (?:ate|eat|put on|gained))",
            unless: r"\b(?:weight|fat|gained|christmas|holiday|eating too|pies|cake|gym|shape|appearance|hair)\b",
            why: "letting oneself go (a euphemism for dying)",
            ..D
        },
        Def {
            name: "passive_look_forward",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"look(?:ing)? forward to (?:it|that)",
            needs: r"\b(?:death|dying|die|dead)\b",
            why: "looking forward to death",
            ..D
        },
        Def {
            name: "passive_not_a_problem_long",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:will not|would not|am not going to|not going to) be (?:a|an) (?:problem|burden|bother|nuisance|worry) (?:\S+ ){0,2}(?:much longer|for long|anymore|soon)",
            unless: r"\b(?:moving|leaving (?:in|on|at|the)|job|contract|lease|team|school|project|company|retire\w*)\b",
            why: "won't be a problem much longer",
            ..D
        },
        Def {
            name: "passive_funeral",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:picture|picturing|pictured|imagine|imagining|imagined|planning|plan|planned|thinking about|think about|thought about|dream about|dreaming about) (?:\S+ ){0,1}(?:my|my own) funeral",
            why: "imagining one's own funeral",
            ..D
        },
        // ---------------------------------------------------------------- active thoughts, methods
        Def {
            name: "active_ability",
            cat: C::ActiveSi,
            w: 0.9,
            pat: r"(?:do not|did not|not) have the (?:guts|courage|nerve|balls|strength|bottle) to (?:\S+ ){0,2}(?:kill myself|do it|end it|go through with it|end my life)|(?:too|not brave enough|too much of a coward|too chicken|too scared|too afraid) (?:to )?(?:kill myself|do it|end it|go through with it)",
            why: "wanting to act but not daring to",
            ..D
        },
        Def {
            name: "active_suicide",
            cat: C::ActiveSi,
            w: 0.88,
            pat: r"suicid\w*",
            after: r"^(?:hotline|prevention|helpline|line|awareness|rates?|statistics|squad)",
            before: r"\bpassive\s+$",
            why: "speaks of suicide",
            ..D
        },
        Def {
            name: "active_kill_self",
            cat: C::ActiveSi,
            w: 0.9,
            pat: r"(?:kill|killing|kills|off|offing|top|topping|unalive|unaliving|end|ending) (?:my|him|her|them|your|our)sel(?:f|ves)",
            why: "killing oneself",
            ..D
        },
        Def {
            name: "active_end_life",
            cat: C::ActiveSi,
            w: 0.9,
            pat: r"(?:end|ending|take|taking|finish|finishing|stop|stopping) (?:my|his|her|their|your) (?:own )?life|end it all|ending it all|ended it all",
            after: r"^(?:support|insurance|assurance|savings|sentence|story|cycle|in (?:the|a) )",
            why: "ending one's life",
            ..D
        },
        Def {
            name: "active_end_it",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"{ACT} {G3}(?:end|ending|finish|finishing) (?:it all|it|everything|things|my suffering|the suffering|this life)",
            after: r"^(?:with|between|for (?:now|today|tonight|the day)|there|here|on|off|up|early|at|soon with|properly|well)",
            escalate: true,
            why: "thinking of ending it",
            ..D
        },
        Def {
            name: "active_something_to_myself",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:do|doing|did|done) (?:something|anything) (?:stupid |drastic |bad |terrible |permanent )?to (?:my|him|her|them)sel(?:f|ves)",
            why: "fears or thoughts of doing something to oneself",
            ..D
        },
        Def {
            name: "active_easy_way_out",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"(?:take|taking|took) the easy way out|(?:going to|gonna|might|will|about to) do something (?:stupid|drastic|dangerous|permanent|i (?:will|would) regret)",
            why: "a euphemism for suicide",
            ..D
        },
        Def {
            name: "active_check_out",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"check(?:ing)? out (?:for good|permanently|early|of life)|(?:not|never) (?:\S+ ){0,3}(?:be )?(?:around|here|alive) (?:much longer|for long|for much longer|next (?:year|month|week|christmas)|by (?:next|the end|christmas|summer))",
            unless: r"\b(?:moving|move|moved|relocat\w*|job|contract|lease|visa|transfer\w*|company|team|school|university|college|flat|apartment|house|town|city|country)\b",
            why: "a euphemism for dying",
            ..D
        },
        Def {
            name: "active_method_self",
            cat: C::ActiveSi,
            w: 0.88,
            pat: r"(?:hang|hanging|hanged|drown|drowning|shoot|shooting|shot|poison|poisoning|suffocate|suffocating|gas|gassing|electrocute|electrocuting|throw|throwing) (?:my|him|her|them)sel(?:f|ves)|(?:slit|slitting|slash|slashing|cut|cutting|open|opening) (?:my|his|her|their) (?:wrists?|throat|veins)|(?:gun|pistol|rifle|shotgun) (?:to|against|in) my (?:head|mouth)|blow my (?:\S+ )?(?:brains|head) out|eat (?:a|my) gun|put a bullet in (?:my|me)",
            escalate: true,
            why: "a method of suicide",
            ..D
        },
        Def {
            name: "active_method_jump",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"(?:jump|jumping|jumped|step|stepping|stepped|walk|walking|walked|lie|lying|lay down|fall|falling) (?:off|from|in front of|into|onto|on) (?:\S+ ){0,6}(?:bridge|building|multi-storey|multistorey|roof|balcony|cliff|train|trains|tracks|car|cars|bus|truck|traffic|window|overpass|ledge|tower|parking garage|car park|river|sea|lake|platform|ocean|water|waves)",
            needs: r"{ACT}|easy it would|i could just|what if",
            escalate: true,
            why: "a method of suicide (a fall or a vehicle)",
            ..D
        },
        Def {
            name: "active_if_i_jumped",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"{ACT} {G6}if i (?:just )?(?:jumped|jump|stepped off|stepped out|let go|did it|ended it|went through with it|took them all)",
            why: "imagining the act",
            ..D
        },
        Def {
            name: "active_place_dwelling",
            cat: C::ActiveSi,
            w: 0.6,
            pat: r"(?:cliff|bridge|railway|railway line|train line|tracks|ledge|rooftop|roof|overpass|quarry|river|motorway|highway) (?:\S+ ){0,6}(?:think about it|thinking about it|drawn to it|pulled towards it|can not stop thinking|keep looking at it)|(?:keep|kept|always|can not stop) (?:thinking|think) (?:about|of) (?:the|that) (?:cliff|bridge|railway|railway line|train line|tracks|ledge|rooftop|roof|overpass|quarry|river)",
            unless: r"\b(?:build|building|construction|planning permission|walk|lovely|view|holiday|photo\w*|trip|commute|traffic jam|noise)\b",
            why: "dwelling on a place to die",
            ..D
        },
        Def {
            name: "active_method_drive",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"(?:swerve|swerving|swerved|drive|driving|drove|crash|crashing|crashed|steer|steering|run|running|wrap) (?:my car |the car |myself |it )?(?:off|into|in front of|around) (?:\S+ ){0,2}(?:road|tree|wall|traffic|truck|lorry|river|median|bridge|pole|barrier|cliff|oncoming|lamppost|lake|sea|water|ocean|canal|harbou?r|quarry)",
            needs: r"{ACT}|easy it would|i could just|what if|sometimes",
            escalate: true,
            why: "a method of suicide (a crash)",
            ..D
        },
        Def {
            name: "active_pills",
            cat: C::ActiveSi,
            w: 0.85,
            pat: r"(?:take|taking|swallow|swallowing|down|downing|overdose on|od on) (?:all|every one|everything|a bunch|a handful|handfuls|the whole bottle|the whole box|the whole packet|the rest|loads|too many|enough|a lot|lots)(?: of)?(?: my| the| his| her| those| these| them)?(?: \S+)? {PILLS}",
            escalate: true,
            why: "an overdose as a method",
            ..D
        },
        Def {
            name: "active_pills_thought",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:thought|thinking|think|thoughts|idea|imagine|imagining) (?:\S+ ){0,2}(?:about|of) (?:taking|swallowing|overdosing on|downing|od on) (?:\S+ ){0,2}{PILLS}",
            escalate: true,
            why: "thinking of taking pills",
            ..D
        },
        Def {
            name: "active_overdose",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"(?:to|going to|plan to|planning to|want to|thinking of|think about|thought about|thoughts of|thinking about) (?:\S+ )?(?:overdose|od|overdosing)",
            escalate: true,
            why: "an overdose as a method",
            ..D
        },
        Def {
            name: "active_stop_treatment",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"(?:stop|stopped|stopping|quit|quitting|not take|not taking|skip|skipping|skipped|refuse|refusing) (?:taking )?(?:my |the )?(?:\S+ )?(?:insulin|meds|medication|medicine|pills|dialysis|treatment|inhaler|heart pills)",
            needs: r"what is the point|no point|why bother|do not care anymore|let it happen|(?:so|and) (?:that )?(?:it|everything|i|this) (?:would|will|could|can|might) (?:all )?(?:be over|end|die|stop)|and die|to die|so i die|and that would be it|and be done|(?:let|letting) (?:it|nature|the illness|the disease) (?:happen|take)|would (?:all )?be over",
            why: "stopping treatment so as to die",
            ..D
        },
        // ---------------------------------------------------------------- plans
        Def {
            name: "plan_research",
            cat: C::Plan,
            w: 0.85,
            pat: r"how (?:much|many) (?:\S+ ){0,4}(?:is too much|would be too much|is lethal|is fatal|would kill|would do it|would be enough|it takes to (?:die|kill|overdose))|(?:ways?|how|methods?) to (?:die|kill myself|end (?:it|my life)|commit suicide|do it painlessly|overdose)|painless (?:ways?|death|methods?)|(?:lethal|fatal) (?:dose|amount)|how many (?:\S+ ){0,4}(?:it would take|would it take|to (?:die|kill|overdose|do it|be enough|be fatal))|which (?:\S+ ){0,3}(?:are|is|would be) (?:lethal|fatal|deadly)",
            why: "looking into how to die",
            ..D
        },
        Def {
            name: "plan_have",
            cat: C::Plan,
            w: 0.85,
            pat: r"(?:have|got|made|make|making|has|had|with|there is) (?:a |an |the )?(?:specific |concrete |clear |detailed |real )?plan",
            needs: r"\b(?:how|do it|die|kill|end it|end my|suicid\w*|overdose|pills|jump|hang|gun|bridge|when|where|date|exactly|the day)\b",
            after: r"^(?:for (?:the|this|next|my|our|a|dinner|work|school|today|tomorrow|tonight|when|christmas)|to (?:go|visit|see|move|look|get|start|quit|save|call|meet|travel|study|clean|buy|work|finish|pay|stop|cut))",
            why: "has a plan",
            ..D
        },
        Def {
            name: "plan_how",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:know|knew|figured out|worked out|decided|planned|planning|thought about|thinking about|thought through|researched) (?:exactly |just )?(?:how|when|where) (?:i would|i will|i am going to|i could|i can|to) (?:do it|end it|kill myself|die|end my life|do that)|how i would (?:do it|end it|kill myself|die)",
            unless: r"\b(?:speech|wedding|presentation|interview|exam|test|project|party|talk|meeting|proposal|race|recipe|report|essay|garden|move|moving|renovation|trip|holiday)\b",
            why: "has thought how or when",
            ..D
        },
        Def {
            name: "plan_date",
            cat: C::Plan,
            w: 0.85,
            pat: r"(?:picked|chosen|chose|set|decided on|picked out) (?:a |the )?(?:date|day|time|place|spot|method|way) (?:to|for) (?:do it|die|end it|go through with it|it)|(?:picked|chosen|chose|picked out|found) (?:a |the )?(?:bridge|building|spot|tree|place to do it|rope)",
            unless: r"\b(?:photos?|wedding|venue|picnic|walk|hike|route|ride|painting|sketch|holiday|party|christmas|present|gift|climbing|swing)\b",
            why: "has chosen when, where or how",
            ..D
        },
        Def {
            name: "plan_the_day",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:would|will|is going to) be the day",
            needs: r"\b(?:away|alone|nobody|no one|do it|when (?:everyone|nobody|my))\b",
            why: "has chosen a day",
            ..D
        },
        Def {
            name: "plan_scout",
            cat: C::Plan,
            w: 0.65,
            pat: r"(?:timing|watching|watched|scouting|scouted|checked|checking|looking at|looked at|went to look at|measured|measuring|visited) (?:\S+ ){0,4}(?:train tracks|tracks|the trains|the bridge|bridge|ledge|the drop|the height|the roof|cliff|railway|railroad)",
            unless: r"\b(?:fireworks|view|sunset|sunrise|photos?|pictures?|parade|boats?|regatta|race|marathon|trains? go by|trainspotting|engineer\w*|inspect\w*|security|leak\w*|gutters?|tiles|surveyor|repair\w*|maintenance|caretaker|before i left|locking up)\b",
            why: "scouting a place",
            ..D
        },
        Def {
            name: "plan_use",
            cat: C::Plan,
            w: 0.85,
            pat: r"(?:i would|i will|i am going to|i could|i can|i might|i would just) use (?:\S+ ){0,2}(?:gun|rifle|pistol|shotgun|rope|belt|knife|pills|car|cord|razor)",
            why: "names the means it would be",
            ..D
        },
        Def {
            name: "plan_decided",
            cat: C::Plan,
            w: 0.85,
            pat: r"(?:decided|made up my mind|made my mind up) (?:\S+ ){0,2}(?:to|that i would|i would|i will|i am going to) (?:\S+ ){0,2}(?:do it|die|end it|kill myself|take|jump|hang|overdose)|(?:decided|picked|chose|chosen|worked out|figured out|settled on) (?:\S+ ){0,3}(?:where|when|how) i (?:would|will|am going to|was going to|could) (?:do it|end it|die|go through with it)",
            why: "has decided",
            ..D
        },
        // ---------------------------------------------------------------- means
        Def {
            name: "means_stash",
            cat: C::Means,
            w: 0.8,
            pat: r"(?:saving|saved|save|stockpil\w*|hoard\w*|stash\w*|collecting|collected|hiding|hid|squirrel\w* away|putting aside|put aside|set aside)(?: up)? (?:\S+ ){0,3}{PILLS}|{PILLS} (?:\S+ ){0,2}(?:saved|stashed|hidden|put aside|stockpiled|collected|hoarded)(?: up)?|enough (?:\S+ )?{PILLS} to (?:do it|die|kill|end|overdose|do the job)",
            why: "keeping a stock of pills",
            ..D
        },
        Def {
            name: "means_stash_them",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:saving|saved|stockpil\w*|hoard\w*|stash\w*|collecting|hiding|holding on to|keeping|not taking)(?: up)? (?:them|it|those|all of them)",
            needs: r"{PILLS}",
            unless: r"\b(?:return|returning|pharmacy|dispos\w*|throw (?:them|it) away|recycl\w*)\b",
            why: "keeping pills back",
            ..D
        },
        Def {
            name: "means_gun_thought",
            cat: C::Means,
            w: 0.75,
            pat: r"guns?|rifles?|pistols?|shotguns?|firearms?|handguns?|revolvers?",
            needs: r"\b(?:loaded|think about it|thinking about|thought about|how it would feel|in my (?:nightstand|drawer|bedside|car|bag|pocket|room|desk)|keep thinking|keep looking|keep checking|take it out|held it|hold it|holding it|next to my bed)\b",
            unless: r"\b(?:locked|safe|removed|gave (?:it|them) (?:to|away)|got rid|hunting (?:trip|season))\b",
            why: "a firearm the client thinks about",
            ..D
        },
        Def {
            name: "means_dwelling",
            cat: C::Means,
            w: 0.6,
            pat: r"(?:can not stop|keep|kept|always|constantly|obsess\w*) (?:\S+ )?(?:thinking|think|thought) (?:about|of) (?:the |my |all the |all my |all those |his |her )?(?:\S+ )?(?:pills|tablets|meds|gun|rifle|pistol|rope|knife|razor|razors|blades)|(?:got|have|has|keep|kept|hid|hidden) (?:the|a) (?:rope|noose) (?:in|under|ready|hidden)",
            why: "dwelling on means",
            ..D
        },
        Def {
            name: "means_know_where",
            cat: C::Means,
            w: 0.65,
            pat: r"know where (?:\S+ ){0,3}(?:keeps?|kept|hides?|hid|stores?) (?:\S+ ){0,2}(?:guns?|shotgun|rifle|pistol|shells|bullets|ammo|ammunition|pills|tablets|key to the (?:gun|safe|cabinet))",
            why: "knows where the means are",
            ..D
        },
        Def {
            name: "means_gun_access",
            cat: C::Means,
            w: 0.45,
            pat: r"(?:access to|have|has|own|owns|got|bought|there is) (?:a |an |some |my |his |her |the )?(?:\S+ )?(?:guns?|firearms?|rifles?|pistols?|handguns?|shotguns?|weapons?)",
            unless: r"\b(?:locked|safe|removed|gave (?:it|them)|no guns|not have|do not have)\b|\b(?:we|i|he|she|they|police|finally|already|have|has|had) (?:\S+ )?got rid\b",
            why: "access to a firearm",
            ..D
        },
        // ---------------------------------------------------------------- preparatory acts
        Def {
            name: "prep_note",
            cat: C::Preparatory,
            w: 0.9,
            pat: r"(?:wrote|written|writing|write|left|leave|leaving|drafted|recorded|recording) (?:a |my |some |the )?(?:goodbye|suicide|farewell|last|final) (?:note|notes|letter|letters|message|messages|video|videos|text)|(?:letters?|notes?|messages?|videos?) (?:to say |saying )?goodbye",
            why: "a goodbye note",
            ..D
        },
        Def {
            name: "prep_letters",
            cat: C::Preparatory,
            w: 0.8,
            pat: r"(?:wrote|written|writing|write|left|leave) (?:a |some |the )?(?:note|notes|letter|letters) (?:to|for) (?:\S+ ){0,3}(?:kids|children|family|parents|wife|husband|partner|mom|mum|dad|sister|brother|son|daughter|friends|everyone)",
            needs: r"\b(?:just in case|in case|goodbye|explain|when i am gone|after i am gone|so they know|sorry|if anything happens|will|solicitor|glovebox|glove box|hidden|hid|safe place)\b",
            why: "letters left in case",
            ..D
        },
        Def {
            name: "prep_giving_away",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:giving|gave|give|given) away (?:my |all my |all of my |most of my )?(?:things|stuff|belongings|possessions|everything|valuables|prized|favou?rite|pets?|cat|dog)",
            why: "giving away belongings",
            ..D
        },
        Def {
            name: "prep_not_around",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:will not|would not|am not going to|not going to|might not|may not|will no longer|would no longer) be (?:around|here|alive) (?:to|for|much longer|anymore|next|by|when)",
            unless: r"\b(?:going to (?:my|our|his|her|the|see|visit)|visiting|travel\w*|away|trip|holiday|vacation|flying|in-laws|abroad|overseas|staying (?:with|at)|working|shift)\b",
            why: "expects not to be around",
            ..D
        },
        Def {
            name: "prep_after_gone",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:after|when|once|in case|if) i (?:am|was|were|would be) (?:gone|dead|not here|not around)|(?:after|when|once) i die|in case something happens to me|if (?:anything|something) (?:happens|happened|were to happen) to me",
            needs: r"\b(?:will|affairs|things|belongings|pets?|cat|dog|kids|accounts|passwords|insurance|letters?|note|somewhere to go|taken care of|looked after|sorted|bills|payments|direct debits?|deal with)\b",
            unless: r"i (?:am|was|were|would be) (?:gone|not here|not around) (?:on|for|to|at|this|next|during|over|abroad|away|travelling|traveling)\b",
            why: "arrangements for after death",
            ..D
        },
        Def {
            name: "prep_goodbye",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:said|saying|say) (?:my )?goodbyes?|(?:final|last) goodbyes?",
            needs: r"\b(?:last time|for the last|everyone|final|like it was|for good|forever|my goodbyes|last)\b",
            // a move or a new job: "said goodbye to everyone at work, new job starts Monday"
            unless: r"\b(?:new job|job starts|before the move|leaving do|retirement do)\b",
            why: "saying goodbye",
            ..D
        },
        Def {
            name: "prep_affairs",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:affairs|things) in order|(?:updated|update|updating|made|making|sorted|sorting|finalized) (?:out )?(?:my )?(?:will|life insurance|funeral arrangements?)",
            needs: r"\b(?:after i|when i|gone|in case|before i|just in case|so that|in order)\b",
            unless: r"\b(?:direct debits?|bouncing|overdraft|bills|tax return|accountant|for the move|for the audit)\b",
            why: "putting affairs in order",
            ..D
        },
        Def {
            name: "prep_bought",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:bought|buying|buy|purchased|ordered|ordering) (?:a |some |the |more )?(?:rope|noose|gun|pistol|handgun|rifle|shotgun|razor blades?|razors|charcoal|helium|hose|ammunition|ammo|bullets)",
            unless: r"\b(?:climbing|hunting season|camping|barbecue|bbq|grill|garden|party|balloons?|range|shaving|boat)\b",
            why: "obtained means",
            ..D
        },
        Def {
            name: "prep_edge",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:stood|standing|stand|went|go|going|climbed|climbing|sat|sitting|leaned|leaning) (?:\S+ ){0,5}(?:edge|ledge|railing|parapet)|(?:stood|standing|sat|sitting|waited|waiting) (?:on|at|by|near) (?:the )?(?:train )?(?:tracks|railway line)|(?:stood|standing|sat|sitting) (?:on|at) (?:the|a) (?:bridge|roof|rooftop|cliff|overpass) (?:for|all|at night|last night|alone|thinking|looking down)",
            needs: r"\b(?:roof|bridge|building|balcony|cliff|tower|parking|car park|overpass|window|platform|tracks|railway)\b",
            why: "went to a high place or the tracks",
            ..D
        },
        Def {
            name: "prep_counted",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:counted|counting|lined up|lining up|laid out|laying out|sorted out|set out|got out|put out) (?:them|it|all of them|those|what i need)",
            needs: r"{PILLS}|\b(?:rope|knife|blades?|razors?|gun)\b",
            unless: r"\b(?:until|till|refill\w*|for the week|organi[sz]er|pharmacy|dose|doses|prescription runs)\b",
            why: "rehearsal with means",
            ..D
        },
        Def {
            name: "prep_sat_with",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:sat|sitting|stared|staring|looked|looking|held|holding) (?:\S+ ){0,2}(?:with|at) (?:the|a|my|that) (?:bottle|packet|box|stash|pile|handful) of {PILLS}",
            why: "rehearsal with pills",
            ..D
        },
        Def {
            name: "prep_rehearsal",
            cat: C::Preparatory,
            w: 0.8,
            pat: r"(?:had|held|holding|hold|counted|counting|lined up|lining up|poured|pouring|laid out|laying out|tied|tying|tie) (?:out |up )?(?:all )?(?:the |my |some |a )?(?:pills|tablets|gun|knife|rope|blade|razor|noose|belt)",
            needs: r"\b(?:in my hand|out|up|put (?:them|it) (?:back|away)|ready|on the (?:table|bed)|almost|nearly|around my neck|noose)\b",
            why: "rehearsal with means",
            ..D
        },
        // ---------------------------------------------------------------- self-harm
        Def {
            name: "self_harm_named",
            cat: C::SelfHarm,
            w: 0.85,
            pat: r"self[- ]?harm\w*|self[- ]?injur\w*|self[- ]?mutilat\w*|(?:hurt|hurting|harm|harming) (?:my|him|her|them)sel(?:f|ves) on purpose|cutter",
            why: "self-harm",
            ..D
        },
        Def {
            name: "self_harm_reflexive",
            cat: C::SelfHarm,
            w: 0.85,
            pat: r"(?:cut|cuts|cutting|burn|burns|burning|burned|burnt|hit|hits|hitting|punch|punches|punching|punched|scratch|scratches|scratching|scratched|bite|bites|biting|bit|hurt|hurts|hurting|harm|harms|harming|harmed|injure|injures|injuring|injured|starve|starves|starving|starved|carve|carves|carving|carved|stab|stabs|stabbing|stabbed|bang|bangs|banging|banged|pinch|pinching|pinched|slap|slapping|slapped|choke|choking|beat|beating|punish|punishing|punished|mutilate|mutilating|bruise|bruising) (?:into )?(?:my|him|her|them|your)sel(?:f|ves)",
            unless: r"\b(?:playing|at the gym|fell|slipped|accident|by accident|tripped|skiing|running|football|soccer|rugby|lifting|sport|cooking|shaving)\b",
            why: "hurting oneself",
            ..D
        },
        Def {
            name: "self_harm_body",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:cut|cuts|cutting|burn|burns|burning|burned|burnt|hit|hits|hitting|punch|punches|punching|punched|scratch|scratches|scratching|scratched|bite|bites|biting|bit|carve|carves|carving|carved|stab|stabs|stabbing|stabbed|bang|bangs|banging|banged|pinch|pinching|pinched|slash|slashing|slashed) (?:into )?(?:my|his|her|their) (?:own )?(?:arms?|legs?|wrists?|thighs?|skin|stomach|belly|hips?|forearms?|body|chest)",
            unless: r"\b(?:playing|at the gym|fell|slipped|accident|by accident|tripped|skiing|running|football|soccer|rugby|lifting|sport|cooking|shaving|mosquito|bug|insect|itch\w*|rash|eczema|hiking|branch|branches|bush|brambles?|thorns?|gardening|the cat|the dog|a nail|fence)\b",
            why: "injuring one's body",
            ..D
        },
        Def {
            name: "self_harm_tool",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"(?:took|take|taking|put|held|hold|pressed|press|ran|run) (?:a |the |my |his |her )?(?:razor|blade|knife|lighter|scissors|cigarette|compass|shard|glass) (?:to|on|against|across|into) (?:my|his|her|their) (?:own )?(?:arms?|legs?|wrists?|thighs?|skin|stomach|belly|body|chest|face|hips?)",
            unless: r"\b(?:shav\w*|beach|wax\w*|hair|cooking|accident)\b",
            why: "injuring oneself with a blade or flame",
            ..D
        },
        Def {
            name: "self_harm_implement",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:blade|blades|razor|razors|scissors|lighter|compass|shard)",
            needs: r"\b(?:arms?|legs?|wrists?|thighs?|skin|stomach|hips?|again|the thing with|did my (?:arm|leg|wrist|thigh))\b",
            unless: r"\b(?:shav\w*|beach|wax\w*|hair|fringe|bangs|cooking|accident|crafts?|paper|wrapping)\b|\b(?:feel|feels|felt|feeling|much|bit|lot|little|somewhat|slightly) lighter\b|\blighter than\b",
            why: "a blade or flame and the body",
            ..D
        },
        Def {
            name: "self_harm_signs",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:until|till|til|so) (?:it|they|i) (?:bled|bleeds|bleed|bleeding|bruised|bruise|blistered)|(?:to|so i could|so i can) (?:feel (?:something|the pain|pain)|punish myself)|wanted it to hurt|make it hurt|make myself bleed|(?:used to|started|began|stopped|quit|relapsed|been) (?:cutting|to cut|cut|burning)|cutting again",
            after: r"^(?:(?:my |his |her |their |the |our )?(?:own )?(?:hair|nails|grass|lawn|paper|wood|fabric|bangs|fringe|costs|hours|spending)|back|down|out|carbs|sugar|corners|costs|class|school|ties|the|it out|myself off|people off|off)",
            why: "signs of self-harm",
            ..D
        },
        // ---------------------------------------------------------------- hopelessness
        Def {
            name: "hopeless_named",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"hopeless\w*|(?:no|lost|losing|lose|without|not any|given up|gave up|giving up) (?:all |any )?hope",
            after: r"^(?:at|with|romantic|case|cause|about (?:cooking|math|directions|passing|ever passing))",
            why: "hopelessness",
            ..D
        },
        Def {
            name: "hopeless_never_better",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"(?:nothing|never|not) (?:\S+ ){0,2}(?:going to|will|ever) (?:ever )?(?:get|be|feel|change|improve|end)(?: any)?(?: better| different)?",
            needs: r"\b(?:better|change|improve|different|end|good again|okay again|right again|alright again)\b",
            after: r"^(?:my|the|his|her|your|anything|that|about|it|this|at|in|with|there|here|for (?:the|that|this|a|an|our|his|her|them|us|you|work|school|everyone|anyone))",
            why: "nothing will get better",
            ..D
        },
        Def {
            name: "hopeless_no_future",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"(?:no|not any|not see (?:a|any)|not see (?:a|any)|there is no|can not see (?:a|any)) (?:\S+ ){0,1}(?:future|way out|way forward|light at the end|escape|point in living|reason to go on)|what is the point(?: of (?:anything|it all|living|life|going on|trying|me|getting up|any of it|carrying on|being here))?(?: anymore)?$|what is the point (?:of|in) (?:anything|it all|living|life|going on|carrying on|being here|me|waking up|getting up|trying)|(?:not know|no idea) how (?:much )?(?:longer|long) i can (?:keep going|go on|do this|take (?:it|this)|hold on|last|survive|keep this up)|(?:easy|easier|tempting) (?:\S+ ){0,2}(?:to )?(?:just )?(?:let go|give up|stop fighting|slip away)|(?:not|can not) see the point (?:of|in) (?:living|life|anything|going on|it all|trying|being alive|carrying on)|(?:no|not any) point (?:in|of|to) (?:living|life|anything|going on|it all|trying|being alive|carrying on)|(?:life|everything|it all|my life|existence|living|it is all|all) (?:\S+ ){0,2}pointless|pointless (?:life|existence)",
            why: "no future, no point",
            ..D
        },
        Def {
            name: "hopeless_life_over",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"my life is over|(?:there is )?nothing (?:left )?for me (?:anymore|any more|here|now|in this world)",
            why: "life over, nothing left",
            ..D
        },
        Def {
            name: "hopeless_had_enough",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:i have|i am|i have just|i have really) had enough$|had enough of (?:life|everything|it all|living|being alive)|done fighting|(?:can not|could not) fight (?:it|this) (?:anymore|any more)|what is the use(?: of (?:anything|any of it|it all|living|trying|going on|me))?(?: (?:seriously|honestly|really|anyway|anymore))?$|so why bother$|why bother$|(?:can not|do not) see (?:myself|me) (?:getting through|surviving|making it|coming out of|lasting)(?: this| it| the \S+)?$",
            why: "had enough, no use",
            ..D
        },
        Def {
            name: "hopeless_cannot_go_on",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"(?:can not|could not|can no longer|unable to) (?:keep going|go on|keep doing this|do this anymore|do this any more|take (?:it|this) anymore|take (?:it|this) any more|take much more|carry on|cope anymore|keep living|handle (?:it|this) anymore|live like this)",
            after: r"^(?:working|doing (?:nights|shifts|overtime|this job|the job|the course)|with (?:the|this|my|these) (?:job|course|shifts?|nights|hours|commute))",
            why: "cannot go on",
            ..D
        },
        Def {
            name: "hopeless_given_up",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"(?:given|give|giving|gave) up on (?:everything|life|myself|living|it all|the future|ever)|(?:feel|feeling|am|so|completely|totally) trapped|no way out|no escape|i want out$|want out of (?:this life|life|everything|it all)|(?:nothing|it) (?:does not|do not) matter (?:anymore|any more)|nothing matters|(?:all|everything|it is all) (?:dark|darkness|black)$|(?:want|wants|wanted|wish|wishes|wished) (?:the pain|it all|everything|all of it|the hurting|the suffering|my life|life) to (?:stop|end|go away|be over)",
            why: "given up, trapped, or wanting it all to stop",
            ..D
        },
        // ---------------------------------------------------------------- burdensomeness
        Def {
            name: "burden_without_me",
            cat: C::Burdensomeness,
            w: 0.85,
            pat: r"better off without (?:me|him|her|them|us)|(?:happier|better|fine|easier|okay|relieved|better place|free|turning|go on|move on|get along|manage|be okay) (?:\S+ ){0,3}without (?:me|him|her)(?: in it| around| here)?$|(?:happier|better|fine|easier|okay|relieved|better off|a better place|free|relief) (?:\S+ ){0,2}(?:if i (?:was|were|am) (?:not|gone|dead|not around|not here|never born)|if i (?:died|disappeared|left for good|were to die|was not around)|once i am gone|when i am gone)",
            unless: r"\b(?:rota|shift|team this week|flu|cold|contagious|i am better off without (?:him|her|them))\b",
            why: "others better off without them",
            ..D
        },
        Def {
            name: "burden_without_me_mid",
            cat: C::Burdensomeness,
            w: 0.8,
            pat: r"(?:happier|better|fine|easier|okay|relieved|better place|free|turning|go on|move on|get along|manage) (?:\S+ ){0,3}without (?:me|him|her|(?:a|an) (?:\S+ ){1,2}like (?:me|him|her))\b",
            after: r"^(?:to|for|at|on)",
            why: "others better off without them",
            ..D
        },
        Def {
            name: "burden_named",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"burden\w*|(?:a|the) drain on (?:\S+ ){0,1}(?:family|parents|kids|partner|wife|husband|mom|mum|dad|everyone|everybody|friends|them|people|you|him|her|children)|dead weight|waste of (?:space|oxygen|air|a life|skin)|drag (?:everyone|them|people|my family|you all|everybody|everyone around me) down|(?:ruin|ruining|ruined) (?:everyone|everybody|their|my family) (?:\S+ )?lives",
            after: r"^(?:of proof)",
            why: "feeling a burden",
            ..D
        },
        Def {
            name: "burden_not_missed",
            cat: C::Burdensomeness,
            w: 0.8,
            pat: r"(?:no one|nobody|anybody|anyone|noone|no-one) (?:\S+ ){0,2}(?:would|will|is going to|even|gonna) (?:\S+ ){0,2}(?:notice|care|miss me)(?: if| when)?(?: i)?(?: was| were| am)? (?:\S+ )?(?:gone|dead|died|disappeared|vanished|not here|not around|not alive|never came back|killed myself)|(?:no one|nobody|noone|no-one) (?:would|will) (?:even )?miss me",
            why: "no one would miss them",
            ..D
        },
        Def {
            name: "burden_gone_free",
            cat: C::Burdensomeness,
            w: 0.8,
            pat: r"(?:if|once|when) i am (?:gone|dead|not here|not around) (?:\S+ ){0,4}(?:get on with|move on|be free|be happier|be better|be fine|be relieved|have peace|live their lives|finally)|(?:would not|will not|would never|wont) (?:even )?miss me|taking up (?:space|oxygen|air)(?: and (?:space|oxygen|air))?$",
            why: "others better off or free without them",
            ..D
        },
        Def {
            name: "burden_deserve_better",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"deserve (?:better|more|someone better|a better \S+|a (?:mother|mom|mum|father|dad|wife|husband|partner|friend|daughter|son|parent) who)",
            why: "others deserve someone better",
            ..D
        },
        // ---------------------------------------------------------------- harm to others
        Def {
            name: "hi_named",
            cat: C::HarmToOthers,
            w: 0.85,
            pat: r"homicid\w*",
            why: "homicidal ideation",
            ..D
        },
        Def {
            name: "hi_mass",
            cat: C::HarmToOthers,
            w: 0.95,
            pat: r"shoot up (?:the |a |his |her |my |their )?(?:school|office|work|workplace|church|mall|place|class)|(?:bring|bringing|take|taking|brought) (?:a |my |his |her )?(?:gun|guns|weapon|knife|rifle) to (?:school|work|the office|class|church)|mass shooting",
            why: "violence planned against a place",
            ..D
        },
        Def {
            name: "hi_thought",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"{HI_FRAME} {G2}(?:{HARM_VERB} (?:\S+ ){0,1}{PERSON_OBJ}|(?:run|running|ran) (?:him|her|them) over)",
            after: r"^(?:feelings|\S+ feelings)",
            why: "thoughts or intent of harming someone",
            ..D
        },
        Def {
            name: "hi_want_dead",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"(?:want|wanted|wish|wished|hope|hoped) (?:him|her|them|my \S+|that \S+|the \S+) (?:dead|gone for good|to die|killed|in the ground|six feet under)",
            why: "wishes someone dead",
            ..D
        },
        Def {
            name: "hi_veiled_threat",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"(?:someone|somebody) is (?:going to|gonna) get hurt|(?:he|she|they|you) (?:will|are going to|is going to) regret (?:it|this)|make (?:him|her|them) pay|make sure (?:he|she|they) (?:regrets?|pays?)",
            after: r"^(?:on|at|by|with|from|playing|if (?:you|we) (?:do not|are not) careful)",
            unless: r"\b(?:ladder|step|steps|stairs|road|ice|floor|wire|wiring|machine|trampoline|scaffolding|pothole|fence)\b",
            why: "a veiled threat",
            ..D
        },
        Def {
            name: "hi_push",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"{HI_FRAME} {G2}(?:push|pushing|shove|shoving|throw|throwing) (?:\S+ ){0,2}(?:in front of|off (?:the|a)|down the stairs|into traffic|onto the tracks|out of the window)",
            why: "thoughts of pushing someone to harm",
            ..D
        },
        Def {
            name: "hi_poison",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"{HI_FRAME} {G2}(?:poison|poisoning|spike|spiking|tamper\w*) ",
            why: "thoughts of poisoning someone",
            ..D
        },
        Def {
            name: "hi_act",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"i (?:\S+ ){0,1}(?:shoved|pushed|hit|punched|slapped|choked|strangled|kicked|beat|grabbed|threw \S+ at|smacked|spanked|whipped|attacked|hurt|bit|stabbed|burned) (?:my |her |him |the |them|his )?(?:\S+ )?(?:girlfriend|boyfriend|wife|husband|partner|kids?|son|daughter|baby|child|children|mother|mom|mum|father|dad|brother|sister|her|him|them|roommate|neighbou?r|coworker|colleague|boss)",
            after: r"^(?:feelings|\S+ feelings|at |in (?:a |the )?(?:game|race|match|chess|cards))",
            why: "violence the client used against someone",
            ..D
        },
        Def {
            name: "hi_threat_made",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"i (?:threatened|threaten|told (?:him|her|them) i would|said i would) (?:to )?(?:kill|hurt|stab|shoot|beat|harm)",
            why: "a threat the client made",
            ..D
        },
        // ---------------------------------------------------------------- abuse, safety
        Def {
            name: "abuse_named",
            cat: C::Abuse,
            w: 0.85,
            pat: r"(?:sexually|physically|emotionally) abus\w*|abused (?:me|him|her|them|us)|domestic (?:violence|abuse)|(?:was|were|got|been|being) (?:raped|molested|assaulted|abused|beaten|groomed)|abuse at home",
            why: "abuse",
            ..D
        },
        Def {
            name: "abuse_act",
            cat: C::Abuse,
            w: 0.8,
            pat: r"{PERSON_SUBJ} (?:(?:always|often|sometimes|never|used to|would|has|had|have|just|still|then|also|once|again|kept|keeps|started|would|even|actually|really) ){0,2}{ABUSE_VERB} (?:(?:my|his|her|their|our) (?:\S+ )?(?:{CHILD}|brother|sister|mother|mom|mum|father|dad|grandma|grandmother|grandpa|grandfather|wife|husband|partner|friend)|me|us|him|her|them|my \S+|the (?:kids|baby|children|child)|\S+ \d+-year-old)",
            unless: r"\b(?:joke|joking|jokingly|playful\w*|by accident|accidentally|tickl\w*|pillow fight|play fight\w*|wrestl\w*|gymnastics|training|practice|trampoline|playground)\b|{PLAY}|\b(?:hurt|hurts|burned|burnt|bruised|broke|sprained) (?:his|her|their) (?:own )?(?:wrist|ankle|knee|back|shoulder|arm|leg|foot|hand|finger|neck|head)\b",
            after: r"^(?:feelings|\S+ feelings|to (?:apply|go|try|do|be|get|take)|at |in (?:a |the )?(?:game|race|match))",
            why: "someone hurting the client or another person",
            ..D
        },
        Def {
            name: "abuse_touch",
            cat: C::Abuse,
            w: 0.8,
            pat: r"{PERSON_SUBJ} (?:(?:always|often|sometimes|used to|would|has|had|once|again|kept|even) ){0,2}(?:touched|touches|touching|fondled) me|(?:come|came|coming|comes|climb\w*|get|got) into my (?:room|bed)",
            needs: r"\b(?:when i was|as a (?:kid|child)|inappropriately|private|down there|little|young|at night|sexually)\b",
            why: "sexual abuse",
            ..D
        },
        Def {
            name: "abuse_threat",
            cat: C::Abuse,
            w: 0.85,
            pat: r"threaten\w* to (?:kill|hurt|harm|hit|beat|take the kids|take my kids|shoot|stab|burn)(?: (?:me|us|him|her|them|my \S+|the kids))?",
            why: "a threat of violence",
            ..D
        },
        Def {
            name: "abuse_child_neglect",
            cat: C::Abuse,
            w: 0.8,
            pat: r"(?:leave|leaves|left|leaving) (?:him|her|them|the kids|the baby|my \S+|our \S+|their \S+|his \S+|her \S+|\S+ \d+-year-old|\d+-year-old|\S+-year-old) (?:\S+ )?(?:alone|unsupervised|home alone|by (?:himself|herself|themselves)|locked in)",
            needs: r"\b(?:for days|overnight|all night|all day|no food|without food|hours|nights|days|weekend)\b",
            why: "a child left alone",
            ..D
        },
        Def {
            name: "abuse_control",
            cat: C::Abuse,
            w: 0.65,
            pat: r"(?:will not|does not|do not|would not|never) let me (?:see|talk|go|leave|have|work|use|call|visit|out)|checks? my (?:phone|messages|texts|email)|controls? (?:all )?(?:my|the) money|takes? (?:my|her|his|their) (?:money|pension|benefits|savings|cards?)|locks? (?:\S+ ){0,4}in (?:his|her|their|a|the|my) (?:room|bedroom|closet|basement|cupboard)",
            why: "control, confinement or exploitation",
            ..D
        },
        Def {
            name: "abuse_child_hit",
            cat: C::Abuse,
            w: 0.75,
            pat: r"i (?:\S+ ){0,1}(?:smack|hit|beat|whip|spank|slap|punch|kick|shake|shook)\w* (?:my |the |our )?{CHILD}|with a (?:belt|stick|cord|wooden spoon|hanger)",
            needs: r"\b(?:hit|hits|beat|beats|smack\w*|whip\w*|spank\w*|slap\w*|punch\w*|kick\w*|shake|shook|hard)\b",
            why: "physical punishment of a child",
            ..D
        },
        Def {
            name: "abuse_threat_said",
            cat: C::Abuse,
            w: 0.8,
            pat: r"(?:saying|says|said|told me|tells me|threatens|threatening|swore|swears) (?:that )?(?:he|she|they|my \S+) (?:will|would|is going to|are going to|was going to) (?:kill|hurt|beat|hit|stab|shoot) (?:me|us|the kids|the children|my \S+)|(?:scared|afraid|terrified|worried) (?:that )?(?:he|she|they|my \S+) (?:is|are|will|would|might|is going to|are going to) (?:kill|hurt|hit|beat|find) me",
            why: "a threat against the client",
            ..D
        },
        Def {
            name: "abuse_veiled",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:gets|got|get|is|was|can be) (?:really |very |so |a bit |quite )?(?:rough|violent|physical|handsy) with (?:me|us|the kids|the children|my \S+)|(?:leaves|left|leave|leaving) (?:marks|bruises)|not allowed to (?:leave|go out|see|have|talk|work|drive|call)(?: \S+){0,3} (?:without (?:him|her|them|permission)|unless (?:he|she|they))",
            why: "veiled disclosure of violence or control",
            ..D
        },
        Def {
            name: "abuse_fear",
            cat: C::Abuse,
            w: 0.5,
            pat: r"(?:scared|afraid|terrified) (?:to go home|of (?:him|her|my (?:husband|partner|wife|boyfriend|girlfriend|dad|father|mom|stepdad|stepfather|ex)))",
            why: "afraid of someone at home",
            ..D
        },
        // ---------------------------------------------------------------- fifth probe
        // (transcribed speech, oblique wording): families the rules lacked
        Def {
            name: "passive_why_still_here",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:what|why) am i (?:\S+ ){0,2}(?:still )?(?:here|alive|living|around) for|why am i (?:\S+ ){0,2}still (?:here|alive|around|living|breathing)|(?:do not|not|can not|could not|never) (?:\S+ ){0,2}see (?:the|any) point (?:of|in) (?:me )?(?:being alive|living|being here|staying alive|going on|carrying on|existing|waking up|still being here)|(?:what is|there is no) (?:the )?point (?:of|in) (?:me )?(?:being alive|living|staying alive|existing|waking up|still being here)",
            why: "no reason to be alive",
            ..D
        },
        Def {
            name: "passive_stopped_caring",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:stopped caring|stop caring|do not care|not care|could not care less|would not care|do not really care|have stopped caring|no longer care) (?:\S+ ){0,2}(?:if|whether) i (?:\S+ ){0,2}(?:live|die|wake up|make it|survive|am around|am here|am alive|see (?:tomorrow|next|another))",
            why: "indifferent to living or dying",
            ..D
        },
        Def {
            name: "passive_let_it_hit",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"let (?:the |a |that )?(?:car|bus|truck|train|lorry|traffic|wave|waves|water|current|cancer|illness) (?:\S+ ){0,1}(?:hit|take|run over|kill|have|get|finish) me|(?:step|stepping|stepped|walk|walking|swerve|swerving|swerved|drift|drifting) (?:out )?(?:\S+ ){0,2}(?:in front of|into) (?:a |the |an |oncoming )?(?:car|cars|bus|truck|train|lorry|traffic|oncoming)",
            // "let the bus take me home": a ride
            after: r"^(?:to|home|there|into|round|back|along|through)\b",
            why: "letting something kill one",
            ..D
        },
        Def {
            name: "passive_god_take_me",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:pray|prays|prayed|praying|ask|asked|asking|beg|begged|begging|hope|hopes|hoped|hoping|wish|wishes|wished|wishing|want|wants|waiting for|ready whenever|ready when|ready for when|ready for the day) (?:\S+ ){0,4}(?:god|the lord|jesus|allah|the universe|someone up there|the angels|he|him|death) (?:\S+ ){0,2}(?:take|takes|took|call|calls|would take|will take|comes for|come for) (?:me|her|him)\b|(?:ready whenever|ready when|ready for when) (?:god|the lord|jesus|allah|he|death) (?:calls|comes|wants me)|(?:take|takes|took|would take|will take|come for|comes for|came for) me in my sleep",
            after: r"^(?:out|for|to (?:the|a|dinner|lunch|see)|shopping|dancing|somewhere|with)\b",
            why: "asking to be taken by God",
            ..D
        },
        Def {
            name: "passive_rather_not_exist",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"rather (?:just )?(?:not|never) (?:be|exist|have been)(?: here| around| alive| born)? ?(?:\S+ ){0,2}(?:at all|anymore|any more|on (?:the|this) (?:planet|earth)|in this world|full stop|period)|rather not (?:exist|be alive|have been born)",
            why: "would rather not exist",
            ..D
        },
        Def {
            name: "passive_wish_died_with",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"wish i (?:had|would|could have) (?:just |simply )?(?:died|not survived|not made it|been killed|gone with (?:her|him|them))(?: too| as well| instead)?",
            after: r"^(?:to|for|on|into|at|shopping|out|home|round|over)\b",
            why: "wishes to have died (too)",
            ..D
        },
        Def {
            name: "passive_off_switch",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:if|handed me|gave me|give me|offered me) (?:\S+ ){0,3}(?:an? |the )?(?:off switch|off button|button to (?:end|stop|switch off|turn off) (?:it|everything|me|myself|it all)) (?:\S+ ){0,3}(?:i would|i had|i could|i will|i d) (?:\S+ ){0,1}(?:press|push|hit|flip|use)(?:ed|d)? it|(?:painless|permanent) (?:off switch|off button|way out|exit)|(?:switch|turn) (?:myself|me) off (?:for good|forever|permanently|and not)",
            why: "would switch oneself off",
            ..D
        },
        Def {
            name: "passive_third_person",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"wish(?:es|ed|ing)? (?:that )?(?:he|she|they) (?:was|were|had been|could be) dead|wish(?:es|ed|ing)? (?:that )?(?:he|she|they) (?:had )?never (?:been born|existed)|(?:want|wants|wanted|wanting|wish|wishes|wished|wishing|hope|hopes|hoping|pray|prays|praying) (?:that )?(?:he|she|they) (?:would |could |might |will )?(?:just )?(?:die|be dead|not wake up|never wake up|did not wake up|was dead|were dead)",
            why: "a wish to be dead (said of the client or someone else)",
            ..D
        },
        Def {
            name: "active_command_voice",
            cat: C::ActiveSi,
            w: 0.85,
            pat: r"(?:voice|voices) (?:\S+ ){0,4}(?:telling|tell|tells|told|saying|says|said) (?:me )?(?:\S+ ){0,6}(?:do it|end it|kill|die|hurt|jump|cut|finish it|drown)",
            why: "voices telling the client to harm themselves",
            ..D
        },
        Def {
            name: "plan_quickest_way",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:researched|research|researching|looked up|look up|looking up|googled|google|googling|searched|searching|read up on|reading up on|looked into|looking into) (?:\S+ ){0,6}(?:quickest|fastest|easiest|least painful|painless|surest|best|most certain) (?:\S+ ){0,1}ways?$",
            why: "researching the quickest way",
            ..D
        },
        Def {
            name: "plan_worked_out_when",
            cat: C::Plan,
            w: 0.5,
            pat: r"(?:got|have|had) it (?:all )?(?:worked out|figured out|planned out|planned)",
            needs: r"\b(?:that is when|that will be when|that would be when|when i will do it|when i do it|when it will happen|when i will go through with it)\b",
            unless: r"\b(?:budget|money|rent|school run|childcare|study|studying|revision|exam|homework|diet|meals?|schedule|rota|holiday|trip|wedding|party|laundry|washing|cleaning|shopping|dinner|chores|gym)\b",
            why: "has worked out when",
            ..D
        },
        Def {
            name: "plan_which_place",
            cat: C::Plan,
            w: 0.6,
            pat: r"(?:know|knew|picked|chosen|chose|found) (?:\S+ ){0,2}(?:which|the right|a good|the best) (?:bridge|cliff|building|roof|rooftop|car park|parking garage|tracks|railway|train line|overpass|tree|ledge|spot|place)",
            needs: r"\b(?:quiet|nobody|no one|alone|what time|dark|night|high enough|tall enough|drop|no cameras|jump)\b",
            why: "has chosen a place",
            ..D
        },
        Def {
            name: "means_pills_kept",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:keeping|kept|keep|saving|saved|save|stockpil\w*|hoard\w*|collect\w*|stash\w*|hiding|hid|hidden|squirrel\w*|putting aside|put aside|set aside|building up|built up) (?:\S+ ){0,3}{PILLS}",
            needs: r"\b(?:just in case|in case i|them all|all of them|all at once|enough to|when the time|for when|the day|one day|if i ever|secret|secretly|shoebox|nobody knows|no one knows|pile|stash|sock|a few weeks|weeks now|hidden|hide)\b",
            unless: r"\b(?:refill|pharmacy|prescription runs out|forget|holiday|travel|trip|organi[sz]er|dosette)\b",
            why: "keeping medication back",
            ..D
        },
        Def {
            name: "means_gun_where",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:guns?|rifles?|pistols?|shotguns?|handguns?|firearms?|revolvers?|service weapon|twelve-gauge|12-gauge)",
            needs: r"\b(?:i know (?:the|where|how)|the combination|the code|where (?:he|she|they|my \S+) keeps|easy to get|i can get|i could get|i have access|loaded|bullets|ammo|ammunition)\b",
            unless: r"\b(?:game|games|video|playstation|xbox|film|movie|show|series|range|club|hunting season|licen[cs]e|locked safe|separate (?:one|safe|cabinet)|(?:wife|husband|partner|brother|sister|dad|mum|someone else) (?:has|keeps|holds) (?:the )?(?:other )?keys?)\b",
            why: "access to a gun",
            ..D
        },
        Def {
            name: "prep_who_gets_what",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:wrote|write|writing|written|worked out|decided|made a list of|listing|list|sorted out|sorting out) (?:out |down )?who (?:gets|will get|would get|should get|can have|is having|takes|will have|would have) (?:what|my|the|everything)",
            unless: r"\b(?:will|wills|solicitor|lawyer|estate planning|retire\w*|secret santa|santa|presents?|gifts?|christmas|birthday|rota|chores|shifts|game|team|tickets|seats?|rooms?|party|bags)\b",
            why: "deciding who gets one's things",
            ..D
        },
        Def {
            name: "prep_loose_ends",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:tying|tie|tied) up (?:all )?(?:the |my )?loose ends|(?:saying|said|say) (?:sorry|goodbye|goodbyes|my goodbyes) (?:\S+ ){0,3}(?:to (?:everyone|people|everybody)|for everything)|(?:apologi[sz]\w*) (?:\S+ ){0,3}for everything",
            unless: r"\b(?:at work|work|project|office|holiday|vacation|maternity|paternity|leave|moving|move|new job|before (?:i|we) (?:go|leave|move|start))\b",
            why: "tying up loose ends",
            ..D
        },
        Def {
            name: "prep_passwords",
            cat: C::Preparatory,
            w: 0.55,
            pat: r"(?:sent|send|sending|gave|give|given|giving|handed|handing|told|wrote down|written down) (?:\S+ ){0,3}(?:all )?(?:my )?(?:passwords|pin numbers|pins|bank details|logins)|(?:deleted|deleting|closed|closing|shut down|shutting down) (?:all )?(?:of )?my (?:social media|accounts|profiles)",
            unless: r"\b(?:so (?:she|he|they) can (?:pay|help|sort|manage|check)|hacked|scam|detox|break from|new phone|in hospital|while i am away|on holiday|gone on|abroad|anxious|anxiety|making me|mental health|toxic|distract\w*|waste of time|wasting|comparing|exams?|focus|hit by a bus|hopeless with (?:the )?(?:computer|computers|tech|technology|laptop))\b",
            why: "handing over passwords or closing accounts",
            ..D
        },
        Def {
            name: "attempt_swallowed_pack",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:took|swallowed|downed|necked|had|taken|take|swallow) (?:\S+ ){0,3}(?:packets?|packs?|bottles?|box(?:es)?|strips?|handfuls?|tubs?|jars?) (?:of )?(?:\S+ )?{PILLS}",
            why: "swallowed a pack of pills",
            ..D
        },
        Def {
            name: "self_harm_head_wall",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:bang|bangs|banging|banged|hit|hits|hitting|smash|smashes|smashing|smashed|slam|slams|slamming|slammed|punch|punches|punching|punched) (?:my |his |her )?(?:head|fists?|hands?|arms?|knuckles) (?:\S+ ){0,2}(?:against|on|into|through) (?:the |a )?(?:wall|walls|door|doors|floor|desk|mirror|table|window)",
            needs: r"\b(?:till|until|whenever|every time|to stop|to feel|to make|so hard|bleed\w*|bled|bruis\w*|broke|broken|hurt|when the|when i get|overwhelmed|distressed|frustrated|angry|upset|stressed|wound up)\b",
            unless: r"\b(?:brick wall|trying to|with (?:this|that|him|her|them|the|my)|by accident|accidentally|tripped|fell|cupboard)\b",
            why: "hitting one's head or fists against something",
            ..D
        },
        Def {
            name: "hopeless_end_of_road",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:at|reached|reaching|come to|came to|hit) the end of (?:the|my) (?:road|line|rope|tether)|(?:i have |i have got |got |there is )?nothing left (?:in me|inside|to give|to lose|to live for)?$",
            unless: r"\b(?:money|food|fridge|cupboard|bank|account|petrol|gas|battery|budget|paycheck|wage)\b|\bwith (?:this|that|the|my|him|her|them|these|those|work|it|his|their)\b",
            why: "at the end of the road",
            ..D
        },
        Def {
            name: "hopeless_nothing_matters",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"nothing (?:i do|i say|i try|i have done)(?: \S+){0,2} (?:matters|makes a difference|makes any difference|changes anything)|why (?:even )?bother (?:with )?(?:anything|everything|life|living|trying|at all|anymore|any more)|what is the (?:use|point) (?:of|in) (?:anything|trying|living|going on|me|carrying on)",
            why: "nothing matters",
            ..D
        },
        Def {
            name: "hopeless_no_way_out",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"no (?:getting|way|climbing|digging) out|(?:never|not) (?:going to )?(?:get|getting|climb|climbing) out of (?:this|it|here|the hole|the pit)",
            needs: r"\b(?:hole|pit|dark|darkness|trapped|stuck|life|black|sinking|drowning|hell)\b",
            unless: r"\b(?:contract|lease|deal|traffic|car park|building|meeting|job|mortgage|loan|debt|the house|the car|the room|queue)\b",
            why: "no way out",
            ..D
        },
        Def {
            name: "burden_out_of_picture",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"(?:if|when|once|with) (?:i (?:was|were|am|had been) |me )(?:just |finally |completely )?(?:out of the picture|out of the way|off the scene|not (?:here|around|in the picture)|gone|dead|no longer (?:here|around))",
            needs: r"\b(?:easier|better|happier|simpler|free|freer|relief|relieved|lighter|fine|good|move on)\b",
            after: r"^(?:for (?:a|the|some|two|one|this|that|few)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|holiday|the)|at|over (?:the|christmas)|this (?:week|weekend)|tonight|today)",
            why: "others better off with one out of the picture",
            ..D
        },
        Def {
            name: "hi_smash_face",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"{HI_FRAME} {G3}(?:smash|smashing|bash|bashing|cave|caving|kick|kicking|punch|punching|beat|beating) (?:in )?(?:his|her|their|someone s|somebody s|that \S+ s|the \S+ s) (?:\S+ )?(?:face|head|skull|teeth)",
            why: "imagining violence against someone",
            ..D
        },
        Def {
            name: "hi_use_weapon_on",
            cat: C::HarmToOthers,
            w: 0.85,
            pat: r"(?:going to|will|would|i could|plan to|planning to|ready to|want to) (?:\S+ ){0,1}use (?:it|that|this|them|the \S+|a \S+|my \S+) on (?:him|her|them|someone|somebody|my \S+|that \S+|the \S+)",
            needs: r"\b(?:knife|knives|gun|bat|hammer|blade|axe|machete|rifle|pistol|crowbar|weapon|acid|bottle)\b",
            why: "intends to use a weapon on someone",
            ..D
        },
        Def {
            name: "hi_set_fire",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"{HI_FRAME} {G3}(?:set|setting) (?:fire to|(?:his|her|their) \S+ on fire|(?:his|her|their) (?:house|place|car|flat) alight)|{HI_FRAME} {G3}(?:torch|torching|burn|burning) (?:down )?(?:his|her|their) (?:house|place|car|flat|shop|stuff)",
            why: "thinking of setting fire to someone's property",
            ..D
        },
        Def {
            name: "hi_shake_baby",
            cat: C::HarmToOthers,
            w: 0.85,
            pat: r"i (?:have |had )?(?:shaken|shook) (?:her|him|them|the baby|my baby)|(?:urge|urges|want|wanting|tempted|feel like|felt like|close to|about to|wanted|could) (?:to )?(?:\S+ ){0,1}(?:shake|shaking|throw|throwing|smother|smothering|squeeze|squeezing|drop|dropping|hit|hitting|slap|slapping) (?:her|him|them|it|the baby|my baby|the \S+)",
            needs: r"\b(?:baby|babies|newborn|infant|toddler|child|kid|kids|son|daughter|crying|cries|screams|screaming)\b",
            why: "an urge to hurt a child",
            ..D
        },
        Def {
            name: "hi_planning_how",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"(?:planning|plan|planned|working out|worked out|figuring out|figured out|thinking|thought about) (?:how|ways) to {HARM_VERB} (?:\S+ ){0,1}{PERSON_OBJ}|(?:get even with|get back at|make (?:him|her|them) pay|teach (?:him|her|them) a lesson) (?:\S+ ){0,6}(?:{HARM_VERB}|pay for it|regret)",
            why: "planning to hurt someone",
            ..D
        },
        Def {
            name: "abuse_locked_in",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:locks|locked|locking|shuts|shut|shutting) me (?:in|inside|out|up)\b|keeps me (?:locked|shut|trapped) (?:in|inside|up)|(?:keeps|kept|keeping) me (?:\S+ ){0,2}locked",
            unless: r"\b(?:by accident|accidentally|by mistake|forgot|keys|lost my key)\b",
            why: "locked in or out by someone",
            ..D
        },
        Def {
            name: "abuse_child_marks",
            cat: C::Abuse,
            w: 0.65,
            pat: r"(?:covered in|full of|with|has|had|have|got|showed up with|came in with|come over with|comes over with|turns up with|turned up with) (?:\S+ ){0,2}(?:bruises|bruising|welts|cigarette burns|burn marks|black eyes?|marks on)",
            needs: r"\b(?:did it|did that|gave (?:him|her|them)|hits|beat|beats|hurts|because of|scared|afraid|will not say|would not say|not allowed|dad|father|mum|mom|mother|stepdad|stepfather|stepmum|stepmom|boyfriend|parents?)\b",
            unless: r"\b(?:football|soccer|rugby|hockey|fell|fall|tripped|playground|bike|trampoline|climbing|sports?)\b",
            why: "a child with injuries someone caused",
            ..D
        },
        Def {
            name: "abuse_did_things",
            cat: C::Abuse,
            w: 0.7,
            pat: r"{PERSON_SUBJ} (?:\S+ ){0,2}(?:used to |would |did |does |tried to |made me )?(?:do|did|doing) (?:things|stuff|something|bad things|bad stuff|things i did not like|things he should not have|things she should not have) (?:to|with) me",
            why: "someone did things to the client",
            ..D
        },
        // --- classes of the fourth held-out set's misses (December 2026)
        Def {
            name: "attempt_bare",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:i|he|she|they) (?:have|has|had) (?:\S+ ){0,1}attempted(?: before| twice| once| three times| a few times| again| in the past)?$|(?:i|he|she|they) (?:have|has|had) (?:\S+ ){0,1}attempted (?:before|twice|once|three times|a few times|in the past)|(?:hospital|a and e|psych ward|psychiatric ward|icu|intensive care) (?:\S+ ){0,5}for (?:trying|an attempt|attempting|what i did to myself)",
            why: "a suicide attempt",
            ..D
        },
        Def {
            name: "attempt_with_pills",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:took|swallowed|downed|drank|had) (?:\S+ ){0,6}(?:with|and) (?:all|a bunch|a handful|handfuls|the rest|loads|the whole (?:box|bottle|pack|packet)|every one)(?: of)?(?: my| the| his| her| those| these)?(?: \S+)? {PILLS}",
            why: "an overdose",
            ..D
        },
        Def {
            name: "active_slang",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\bkms\b|(?:do|doing|did|done) myself in|(?:permanently|for good) check(?:ing)? out|check(?:ing)? out (?:\S+ ){0,2}permanently|and (?:not|never) come (?:back )?down",
            why: "a slang or euphemism for killing oneself",
            ..D
        },
        Def {
            name: "passive_relieved_to_die",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:told|tell|found out|diagnosed|said) (?:\S+ ){0,6}(?:months|weeks|a year|days) (?:left|to live)(?: \S+){0,6} (?:relieved|a relief|glad|grateful|happy|pleased)|(?:dying|death|it) (?:\S+ ){0,2}(?:sounds|seems|feels) (?:\S+ ){0,2}(?:peaceful|like a relief|like finally getting to rest|restful)|finally (?:get|getting) to rest",
            needs: r"\b(?:dying|death|die|dead|months left|to live|weeks left)\b",
            why: "death welcomed as a relief",
            ..D
        },
        Def {
            name: "passive_tired_of_this_life",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:tired|sick|weary) of (?:this|my|this whole) (?:life|existence)",
            why: "tired of life",
            ..D
        },
        Def {
            name: "plan_if_i_did_it",
            cat: C::Plan,
            w: 0.8,
            pat: r"if i (?:did|do|were to do|was to do|was going to do|ever did) it (?:\S+ ){0,2}i would|(?:was|am|were) going to do it (?:with|by|at|in|when|once|after|on)|(?:found|picked|chosen|scouted) (?:\S+ ){0,3}(?:stretch|spot|place|bridge|road|cliff|building|car park) (?:\S+ ){0,4}(?:no barrier|no railing|to do it|where i would|for it)",
            why: "how or when it would be done",
            ..D
        },
        Def {
            name: "means_enough_to_work",
            cat: C::Means,
            w: 0.8,
            pat: r"enough (?:\S+ ){0,4}(?:to make sure (?:it would work|it works|it worked)|to do it|to kill me|to end it|that it would work)|(?:know|knew) (?:exactly )?(?:what would do it|how (?:much|many) (?:it )?would (?:take|do it|be enough))|(?:thinking|think|thought) (?:about )?how easy it would be",
            needs: r"\b(?:insulin|pills|tablets|meds|medication|balcony|rail|railing|bridge|ledge|window|roof|tracks|rope|gun|floor|access|work)\b",
            why: "means at hand and how easily they would work",
            ..D
        },
        Def {
            name: "prep_letters_with_will",
            cat: C::Preparatory,
            w: 0.8,
            pat: r"(?:letters|letter|note|notes) (?:\S+ ){0,6}(?:with|beside|next to) (?:my |the |his |her )?will\b|to be found (?:afterwards|after|later|when)|(?:will not|would not) be needing (?:them|it|these|those|anything|it any ?more|them any ?more)",
            why: "affairs put in order",
            ..D
        },
        Def {
            name: "self_harm_skipped_on_purpose",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:skipped|stopped|missed|did not take|stopped taking) (?:\S+ ){0,2}(?:insulin|meds|medication|medicine|tablets|dialysis|inhaler) on purpose",
            why: "treatment withheld to hurt oneself",
            ..D
        },
        Def {
            name: "hopeless_no_point_any_more",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"there(?:s| is) no point (?:\S+ ){0,1}any ?more|nothing (?:i do |i try )?(?:changes|helps|matters) (?:\S+ ){0,2}(?:and )?(?:it )?(?:never will|ever will)",
            why: "hopelessness",
            ..D
        },
        Def {
            name: "hi_end_him",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"(?:i will|i am going to|going to|i would) end (?:him|her|them)$|(?:i will|i am going to|going to|i would) end (?:him|her|them) (?:\S+ ){0,3}(?:not joking|mean it|swear)",
            why: "a threat to kill someone",
            ..D
        },
        Def {
            name: "abuse_forced_sex",
            cat: C::Abuse,
            w: 0.85,
            pat: r"(?:made|forced|forces|makes|pressured|pressures) me (?:to )?(?:have sex|do (?:sexual )?things|sleep with|do stuff)",
            why: "sexual abuse of the client",
            ..D
        },
        Def {
            name: "abuse_child_left_alone",
            cat: C::Abuse,
            w: 0.8,
            pat: r"(?:leaves|left|leaving|leave) (?:\S+ ){0,2}{CHILD} (?:\S+ ){0,3}(?:on (?:her|his|their) own|alone|by (?:herself|himself|themselves)) (?:\S+ ){0,5}(?:for hours|overnight|all day|all night|with no food|without food|for days)",
            why: "a child left alone",
            ..D
        },
        // ----- classes found reading the eighth held-out set (issue 17) -----
        Def {
            name: "passive_not_care_around",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:do not|did not|does not) (?:really |even |honestly )?care (?:if|whether) (?:i|he|she) (?:am|is|was|will be|would be) (?:still )?(?:around|alive|here|breathing|living)",
            why: "does not care whether alive",
            ..D
        },
        Def {
            name: "passive_if_gone_would_it_matter",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"if i (?:was not|were not|was gone|were gone|disappeared|vanished|died) (?:\S+ ){0,10}(?:would (?:anyone|anybody|it|they|people) (?:\S+ ){0,3}(?:notice|care|matter|miss me)|would it (?:even |really )?matter|(?:nobody|no one) would (?:\S+ )?(?:notice|care|miss me))",
            why: "wonders whether anyone would notice if gone",
            ..D
        },
        Def {
            name: "passive_take_me",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:lord|god|jesus|he) (?:can|could|may|should|would) (?:just |come and )?take me (?:\S+ ){0,3}(?:whenever|any time|anytime|now|tonight|today|home|any day)",
            why: "welcomes being taken by death",
            ..D
        },
        Def {
            name: "active_done_permanently",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"done with (?:it|everything|it all|this|all of it|all this)(?: \S+){0,4} (?:permanently|for good|forever|for real|for ever)",
            why: "wants to be done with it for good",
            ..D
        },
        Def {
            name: "active_finish_oneself_off",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"(?:finish|finishing|finished|finishes) (?:myself|himself|herself|themselves) off",
            why: "speaks of finishing oneself off",
            ..D
        },
        Def {
            name: "plan_where_nobody_finds",
            cat: C::Plan,
            w: 0.7,
            pat: r"where (?:nobody|no one|no-one|noone) (?:would|will|could|can) find (?:me|her|him|them|my body|the body)",
            why: "a place chosen where nobody would find the body",
            ..D
        },
        Def {
            name: "means_car_exhaust",
            cat: C::Means,
            w: 0.6,
            pat: r"\b(?:hose|hosepipe|exhaust)\b",
            needs: r"\b(?:car|garage|engine|exhaust|pipe|window)\b",
            unless: r"\b(?:wash|washing|washed|garden|watering|water|plants|lawn|mechanic|mot|service|repair|fixed|leak\w*|fire)\b",
            why: "car exhaust in a closed space",
            ..D
        },
        Def {
            name: "means_rope",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:bought|buy|buying|got|ordered|order|have|kept|keep|keeping|hid|hidden|hide) (?:a |some |the |that )?(?:\S+ )?rope\b",
            unless: r"\b(?:climbing|skipping|jump|tow|towing|boat|sailing|tent|camping|swing|washing line|clothesline|gym|dog|toy|knots?|scout\w*)\b",
            why: "acquiring a rope",
            ..D
        },
        Def {
            name: "prep_giving_away",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"giving (?:\S+ ){0,3}(?:things|stuff|belongings|possessions|everything|guitar|clothes|jewellery|jewelry|books|records) away|giving away (?:\S+ ){0,2}(?:things|stuff|belongings|possessions|everything|guitar|clothes|jewellery|jewelry|books|records)",
            unless: r"\b(?:charity|charities|declutter\w*|moving|move house|spring clean\w*|car boot|donat\w*|outgrown|too small|marie kondo|downsiz\w*|grown out of|grew out of|hand-me-downs?|who is expecting)\b",
            why: "giving possessions away",
            ..D
        },
        Def {
            name: "prep_arrangements",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:making|made|make) (?:the |my |some |final )?arrangements|sorting (?:things|everything|stuff|it all) out before$|(?:so|that) (?:\S+ ){0,3}can (?:get into|access) (?:everything|my accounts|my stuff|it all) (?:after|when)",
            unless: r"\b(?:holiday|trip|wedding|party|childcare|school|work|meeting|flight|hotel|moving|visit|birthday|christmas dinner|pick\w* up|appointment|cake|hall|celebration|ninetieth|eightieth|seventieth|anniversary|reunion|christening|baby shower)\b|arrangements for (?:the |my |our |his |her )?(?:mum|mom|dad|nan|gran|grandma|grandad|son|daughter|kids?|family|\S+ s)\b",
            why: "putting affairs in order",
            ..D
        },
        Def {
            name: "attempt_history_noted",
            cat: C::Attempt,
            w: 0.85,
            pat: r"\b(?:hx|history|h o|prior|previous|past) (?:of )?(?:an )?(?:od|ods|overdoses?|intentional overdose|sa|suicide attempts?)\b|\bod (?:in )?(?:19|20)\d\d\b",
            why: "a past overdose or attempt on record",
            ..D
        },
        Def {
            name: "self_harm_cutting_bare",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:been|started|start|keeps|keep|kept|is|was|were|relapsed|still|stopped) (?:\S+ ){0,2}cutting\b|\b(?:the|my|her|his) cutting\b|\bcut (?:\S+ ){0,1}again\b",
            unless: r"cutting (?:board|edge|room|costs|back|down|corners|hair|grass|class|classes|wood|paper|onions|it|out|off|up|through|across|in|ties|coupons|the grass|the lawn|the hedge)\b|\b(?:budget|haircut|hair cut|lawn|hedge|grass|trees|meat|bread|vegetables|fabric|cake|coupons|prices|hours|funding|class|classes)\b",
            why: "cutting (self-harm) spoken of without an object",
            ..D
        },
        Def {
            name: "hopeless_nothing_left",
            cat: C::Hopelessness,
            w: 0.7,
            pat: r"nothing (?:left )?to (?:look forward to|hope for|fight for)|nothing left (?:for me|for him|for her)$|nothing left (?:for me|for him|for her) (?:anymore|any more|now|here)|(?:has|have) (?:just )?given up(?: on (?:life|everything|living|myself|himself|herself))?$",
            why: "nothing left to hope for",
            ..D
        },
        Def {
            name: "burden_weight_on_others",
            cat: C::Burdensomeness,
            w: 0.75,
            pat: r"(?:a |such a |just a |only a )(?:weight|millstone|drain|dead weight|burden|noose) (?:on|round|around|to|for) (?:everyone|everybody|him|her|them|my|his|their|the|you|people)|dragging (?:everyone|everybody|them|him|her|you all|the family|people|my family) down|(?:better|freer|happier|lighter|easier) (?:off )?without me|would be (?:\S+ )?(?:better|lighter|easier|happier|freer) (?:off )?(?:if i (?:was|were) not|without me)|ruining (?:his|her|their|everyone s|everyones|my (?:\S+ )?)li(?:fe|ves)",
            why: "feels a burden to others",
            ..D
        },
        Def {
            name: "abuse_partner_violence",
            cat: C::Abuse,
            w: 0.8,
            pat: r"\b(?:ipv|dv)\b|intimate partner violence|domestic (?:violence|abuse)|(?:partner|husband|wife|boyfriend|girlfriend|ex|fella|stepdad|stepfather|dad|father|mum|mother|son|daughter|carer) (?:\S+ ){0,2}(?:strangled|choked|hit|beat|punched|kicked|slapped|shoved|pushed) (?:me|her|him|pt|client|them|mum|mom|dad)\b",
            unless: r"{PLAY}",
            why: "violence by a partner or family member",
            ..D
        },
        // ---------------------------------------------------------------- oblique wording
        // (the ninth held-out set's misses, read and fixed as classes: an act told without
        // the word "suicide", a stockpile told as keeping, reckless acts and self-punishment,
        // burden as trouble or cost, violence as a picture of the act)
        Def {
            name: "attempt_tried_it_with",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:tried|attempted|went to) (?:to )?(?:do it|do myself in|go through with it|end things|end it)\b",
            needs: r"\b(?:{PILLS}|vodka|whisky|whiskey|alcohol|rope|belt|noose|bridge|jump\w*|knife|blade|car|train|tracks|gas|razor|cord|scarf|cable|first time|second time|last time|years? (?:back|ago)|months? (?:back|ago)|before)\b",
            why: "an attempt, told without the word",
            ..D
        },
        Def {
            name: "attempt_not_an_accident",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:was not|were not|not|never|was never|was no) (?:really |actually |an |exactly )?(?:an )?accident",
            needs: r"\b(?:crash\w*|drove|driving|car|overdose\w*|{PILLS}|fall|fell|jumped|stepped|walked|bridge|road|wall|tree|lorry|train|cut)\b",
            unless: r"\b(?:pregnan\w*|baby|spill\w*|broke the|vase|glass|mug|dog|cat)\b",
            why: "an act that was not an accident",
            ..D
        },
        Def {
            name: "attempt_took_everything",
            cat: C::Attempt,
            w: 0.8,
            pat: r"(?:took|swallowed|had|downed) (?:everything|all|every \S+|whatever (?:i|there) (?:could find|had|was)) (?:\S+ ){0,2}(?:in|from|out of) (?:the |my |our |his |her )?(?:\S+ )?(?:cabinet|cupboard|drawer|medicine \S+|first aid \S+|bathroom|house|box|bottle|packet|packets)",
            why: "an overdose of everything at hand",
            ..D
        },
        Def {
            name: "attempt_woke_in_hospital",
            cat: C::Attempt,
            w: 0.8,
            pat: r"(?:woke|wake|came round|came to|woken) (?:up )?in (?:the )?(?:resus|a and e|a&e|hospital|icu|itu|intensive care|critical care|emergency|er)\b",
            needs: r"\b(?:took|swallowed|had|{PILLS}|everything|overdose\w*|drank|tried|did it|rope|jumped|cut)\b",
            unless: r"\b(?:operation|surgery|anaesthetic|anesthetic|stroke|fit|seizure|heart attack|accident|fell|fall)\b",
            why: "woke in hospital after what may have been an attempt",
            ..D
        },
        Def {
            name: "attempt_ligature",
            cat: C::Attempt,
            w: 0.9,
            pat: r"(?:rope|noose|belt|cord|ligature|scarf|cable|flex|tie|dressing gown cord) (?:\S+ ){0,1}(?:round|around) (?:my|his|her|their) (?:own )?neck",
            why: "a ligature round the neck",
            ..D
        },
        Def {
            name: "means_supply",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:access to|has|have|had|got|keep|kept|there is|there are) (?:a |an )?(?:large |big |huge |massive |good |whole )?(?:supply|stock|stockpile|store|stash|boxes|box|bag|bags|bottle|bottles|cupboard full|drawer full|load|lot) (?:of )?(?:\S+ ){0,4}{PILLS}|enough (?:\S+ ){0,3}{PILLS} (?:\S+ ){0,3}(?:to do the job|to do it|to finish|to end|to die|to kill)|{PILLS} (?:\S+ ){0,2}(?:put by|tucked away|kept back|squirrel\w* away|in a bag|in a box|in a drawer|in a tin)",
            unless: r"\b(?:dosette|organi[sz]er|blister pack|repeat prescription|ran out|run out|running out)\b",
            why: "a supply of medication at hand",
            ..D
        },
        Def {
            name: "means_bought_extra",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:bought|buying|buy|got|getting|picked up|picking up|ordered|ordering) (?:extra|more|loads of|lots of|a lot of|a load of|plenty of|several (?:packs|packets|boxes) of|(?:two|three|four|five|six|ten) (?:packs|packets|boxes) of) (?:\S+ ){0,2}{PILLS}",
            needs: r"\b(?:just in case|in case|plenty|enough|different shops|several shops|different chemists|nobody|no one|put by|hide|hid|hidden|stock up|stocked up)\b",
            why: "buying extra medication, just in case",
            ..D
        },
        Def {
            name: "means_gun_in_house",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:guns?|shotguns?|rifles?|pistols?|handguns?|firearms?|air rifle|crossbow) (?:\S+ ){0,3}(?:in|up in|under|at|on|still in|still up in|still at) (?:the |my |our |his |her )?(?:spare )?(?:loft|attic|garage|shed|cupboard|wardrobe|house|flat|bedroom|room|cabinet|safe|drawer|home|property|farm|barn|ute|truck)",
            unless: r"\b(?:(?:we|i|he|she|they|police|finally|already|have|has|had) (?:\S+ )?(?:got rid|handed (?:it|them) in|sold (?:it|them))|locked (?:up|away) and|taken away|none|no (?:guns?|firearms?|weapons?))\b",
            why: "a gun in the home",
            ..D
        },
        Def {
            name: "plan_decided_how",
            cat: C::Plan,
            w: 0.8,
            pat: r"(?:decided|worked out|figured out|planned|chosen|picked|settled on|know|knew) (?:exactly )?(?:how|when|where|how much|how many)(?: (?:i|it) (?:would|will))?(?: ?,| and| but| just| now| already| i just| i have just|$)",
            before: r"\b(?:not|never|yet to|not yet|no idea) (?:\S+ )?$",
            needs: r"\b(?:do it|it|die|end|{PILLS}|bridge|rope|jump|decided|when|how)\b",
            unless: r"\b(?:recipe|cook\w*|drive|driving test|knit\w*|budget|bus|route|holiday|wedding|party|meal|meet|meeting|interview|quit|cut down|stop drinking|stop smoking|tell (?:him|her|them))\b",
            why: "how or when decided",
            ..D
        },
        Def {
            name: "plan_if_i_do_it_with",
            cat: C::Plan,
            w: 0.85,
            pat: r"if i (?:do|did|ever do|ever did|were to do|was to do) it,? (?:\S+ ){0,4}(?:with|by|at|off|from|using|in) (?:the |my |a |an )?(?:\S+ )?(?:{PILLS}|bridge|rope|belt|gun|car|train|tracks|knife|blade|river|sea|cliff|garage|hotel|woods)|worked out how (?:much|many)(?: \S+){0,2} (?:{PILLS}|it would take|would do it|i would need)",
            why: "a method named for doing it",
            ..D
        },
        Def {
            name: "plan_so_not_found",
            cat: C::Plan,
            w: 0.8,
            pat: r"so (?:that )?(?:the kids|my kids|the children|my children|nobody|no one|my wife|my husband|the wife|the husband|the missus|my missus|my family|the family|my mum|my mom|my parents|my partner|anyone|they|she|he) (?:\S+ ){0,1}(?:do not|does not|will not|would not|never|can not|could not|have not|are not the ones to) (?:have to )?(?:find|finds|see|walk in on) (?:me|my body|the body)",
            why: "a plan made so as not to be found",
            ..D
        },
        Def {
            name: "prep_life_insurance",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"life insurance|(?:life )?(?:policy|insurance) (?:\S+ ){0,4}(?:pay out|pays out|paid out|cover suicide|covers suicide|suicide clause)",
            needs: r"\b(?:pay out|pays out|paid out|long enough|suicide|checked|check|checking|valid|still covers|go to|goes to|for the kids|for my|better off|would get|worth more)\b",
            unless: r"\b(?:mortgage|broker|quote|renew\w*|premium went up|selling|(?:for|on) the (?:car|van|house|roof|boiler|phone|dog|cat)|(?:car|van|home|house|contents|travel|pet|phone|flood|storm) insurance|burglary|theft|stolen)\b",
            why: "checking that life insurance would pay out",
            ..D
        },
        Def {
            name: "prep_own_funeral",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:sorted|paid for|planned|arranged|organi[sz]ed|booked|chosen|picked) (?:out )?(?:my |the |a )?(?:own )?funeral(?: plan| music| songs| hymns)?",
            needs: r"\b(?:note|letter|so they|so that|will not be left|would not be left|nothing to do|my own|my funeral|sorted|when i am gone|after i)\b",
            unless: r"\b(?:mum|mom|dad|nan|gran|grandma|grandad|grandpa|husband|wife|brother|sister|son|daughter|friend|his|her|their|uncle|aunt)\b",
            why: "arranging one's own funeral",
            ..D
        },
        Def {
            name: "prep_gave_pet",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:given|gave|giving|rehomed|rehoming|handed|found a (?:new )?home for|found homes for) (?:away )?(?:the |my |our )?(?:dog|dogs|cat|cats|pets?|budgie|rabbit|parrot|horse|tortoise|hamster)(?: (?:to|away))?",
            unless: r"\b(?:holiday|while we|while i am away|moving|allerg\w*|hospital for|operation|for (?:a |the )?(?:week|fortnight|weekend)|vet|kennels|new baby|landlord|no pets|emigrat\w*)\b",
            why: "a pet given away",
            ..D
        },
        Def {
            name: "passive_enduring_until",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"(?:being alive|living|life|existing|it all|every day) (?:\S+ ){0,6}(?:putting up with|enduring|tolerating|sitting out|waiting out|getting through|a sentence|serving time) (?:\S+ ){0,2}(?:until|till|til) (?:it|i|life|the end) (?:stops|ends|is over|die|am gone)|(?:putting up with|enduring|waiting out|sitting out) (?:it|life|this|living|being alive) (?:until|till|til) (?:it stops|it ends|it is over|i die|i am gone|the end)",
            why: "life endured until it stops",
            ..D
        },
        Def {
            name: "passive_vehicle_not_stop",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"{DESIRE} (?:\S+ ){0,3}(?:bus|car|truck|train|lorry|van|driver|tram) (?:\S+ ){0,1}(?:does not|would not|did not|will not|might not|not|fails to|failed to|can not|could not|does not manage to) (?:stop|brake|see me|swerve)",
            why: "hoping a vehicle does not stop",
            ..D
        },
        Def {
            name: "passive_not_come_round",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"(?:did not|do not|would not|never|not) (?:come|came) (?:round|around|to|back) (?:from|after) (?:the |a |my |next |this )?(?:next )?(?:hypo|operation|anaesthetic|anesthetic|surgery|coma|fit|seizure|sleep)\b",
            needs: r"\b(?:bothered|mind|care|fine|okay|relief|welcome|better|easier|hope|hoping|wish|wished|glad|happy|so be it)\b",
            why: "not minding not coming round",
            ..D
        },
        Def {
            name: "self_harm_reckless",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:not caring|did not care|do not care|without caring|not bothered|did not give a \S+|not giving a \S+|could not care less) (?:\S+ ){0,2}(?:if|whether|what) (?:(?:i|it|anything|something|the car|a car|a bus|the bus|a lorry) )?(?:\S+ ){0,2}(?:crashed|crash|crashes|hit me|hits me|happened to me|happens to me|killed me|kills me|does to me|did to me|got hurt|get hurt|hurt me|hurts me|died|lived|would happen to me)",
            why: "a reckless act, not caring what happens",
            ..D
        },
        Def {
            name: "self_harm_on_purpose_illness",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:let|letting|lets|run|running|keep|kept|keeping) (?:my )?(?:sugars?|bloods?|blood sugars?|glucose|levels|numbers) (?:\S+ ){0,2}(?:high|low)\b (?:\S+ ){0,2}(?:on purpose|deliberately)|(?:on purpose|deliberately) (?:\S+ ){0,4}(?:sugars?|hypo|insulin|glucose)|(?:on purpose|deliberately) (?:\S+ ){0,3}(?:to|so) (?:hurt|punish|harm) (?:my|him|her)self",
            why: "harming one's health on purpose",
            ..D
        },
        Def {
            name: "self_harm_punishment",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:did not|do not|would not|will not|not|stopped|stop|refuse to|refused to|starve|starving|starved) (?:eat|eating|drink|drinking|sleep|eat anything)\b (?:\S+ ){0,5}(?:as a |as |to )punish\w*|(?:as a |as |to )punish(?:ment|ing)?(?: for| myself)?|punish(?:ing|ed|es)? (?:my|him|her)self|(?:make|made|making|makes) (?:my|him|her)self (?:be )?sick (?:after|when|every)|(?:do not|did not|not) deserve (?:the |to |my )?(?:food|eat|eating|a meal|meals|dinner|to be fed)",
            needs: r"\b(?:eat|ate|eating|food|meal|meals|starv\w*|sick|cut|burn\w*|hit|punish\w*|hurt|deserve|drink\w*)\b",
            unless: r"\b(?:with worry|worrying|laughing|thinking about|the gym|(?:he|she|they|the) punish\w*|punished by|punishment from|teacher|school|detention)\b",
            why: "harm or starving as self-punishment",
            ..D
        },
        Def {
            name: "self_harm_drink_the_point",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:drink|drinking|drank) (?:\S+ ){0,2}(?:until|till|til) i (?:black out|blackout|pass out|can not feel|do not feel|am numb|can not remember)",
            needs: r"\b(?:the point|on purpose|deliberately|want it to|hoping|hope|liver|kill me|do not care|does not matter|punish\w*)\b",
            why: "drinking to harm, on purpose",
            ..D
        },
        Def {
            name: "hopeless_no_point_because",
            cat: C::Hopelessness,
            w: 0.7,
            pat: r"no point (?:\S+ ){0,4}(?:when|because|cause|since|as|if) (?:nothing|it never|things never|it always|nothing ever|it all)|(?:stopped|stop|given up|gave up|no point) (?:making|in making) plans|(?:given|give|giving|gave) up (?:thinking|believing|hoping|expecting) (?:\S+ ){0,4}(?:better|change|improve|work out|get easier)|why (?:even )?bother (?:hoping|trying|getting up|living|carrying on|going on)|why (?:even )?bother$",
            needs: r"\b(?:nothing|never|always|better|plans|hoping|trying|living|falls apart|fall apart|ever|point)\b",
            unless: r"\b(?:cook\w*|dinner|tidy\w*|clean\w*|iron\w*|dress\w* up|make-up|makeup|the shop|the bus|parking)\b",
            why: "no point hoping",
            ..D
        },
        Def {
            name: "hopeless_bleak_future",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"(?:the future|the years ahead|the rest of my life|my future|what is ahead|next year) (?:\S+ ){0,3}(?:more of the same|only worse|bleak|empty|black|dark|nothing but|grey|gray|hopeless)|(?:never|not ever) (?:going to )?(?:be|get|break) (?:free|out) of (?:it|this|them|any of it|this life|the \S+)",
            unless: r"\b(?:mortgage|loan|debt collector|contract|lease|the job|overdraft|student loan)\b",
            why: "a bleak future",
            ..D
        },
        Def {
            name: "burden_easier_without",
            cat: C::Burdensomeness,
            w: 0.75,
            pat: r"(?:easier|better|happier|freer|simpler|nicer) (?:life|time|lives|time of it) (?:\S+ ){0,3}(?:if|without) (?:\S+ ){0,3}(?:me|not have me|did not have me|had not got me|were not for me|was not for me)\b|if (?:she|he|they|you|my \S+) did not have (?:me|to (?:look after|care for|deal with|put up with) me)",
            why: "others would have it easier without them",
            ..D
        },
        Def {
            name: "burden_nothing_but_trouble",
            cat: C::Burdensomeness,
            w: 0.75,
            pat: r"(?:nothing but|only ever been|only ever|always been|just) (?:a |an )?(?:trouble|problem|pain|hassle|worry|bother|nuisance|disappointment|let-down|letdown|liability|mess|drain|weight|grief) (?:to|for|on) (?:my |the |our |everyone|everybody|them|her|him|people|you)",
            why: "being nothing but trouble to others",
            ..D
        },
        Def {
            name: "burden_cost_care",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"(?:give|giving|gives|put|putting|contribute|contributing|bring|bringing) nothing back|(?:cost|costing|costs) (?:\S+ ){0,3}(?:a fortune|so much|too much|a lot)|(?:stuck|having to|has to|had to|forced to|trapped|got to|have got to|has got to) (?:\S+ ){0,2}(?:caring for|looking after|care for|look after|cleaning up after|clean up after|run round after|running round after|run around after|running around after|pick up after|paying for|wiping up after) me\b|(?:run|running|ran|runs|clean|cleaning|pick|picking|wipe|wiping|tidy|tidying) (?:up )?(?:a)?round after me",
            needs: r"\b(?:fault|fair|guilt|guilty|sorry|age|stuck|instead of|should not|ruin\w*|wast\w*|nothing back|fortune|burden|all because|because of me|useless|everyone|everybody|all of them|all)\b",
            unless: r"\b(?:the car|the boiler|the roof|the wedding|the holiday|the house|the repairs|the kids cost)\b",
            why: "a cost or a weight on others",
            ..D
        },
        Def {
            name: "hi_through_window",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"(?:put|putting|throw|throwing|chuck|chucking|smash|smashing|push|pushing|shove|shoving|launch|launching) (?:him|her|them|his (?:head|face)|her (?:head|face)|the (?:bloke|guy|lad|man|woman)|that (?:bloke|guy|lad|man|woman)) (?:\S+ ){0,1}(?:through|out of|into|off|down) (?:the |a |that )?(?:window|wall|door|table|glass|stairs|balcony|wardrobe|windscreen|bus)",
            needs: r"\b(?:i will|i would|i am going to|i swear|i could|i want to|i felt like|i feel like|going to|think about|thought about|one more)\b",
            why: "a picture of violence towards someone",
            ..D
        },
        Def {
            name: "hi_armed_visit",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"(?:go|going|went|goes|turn up|turning up|turned up|show up|showing up) (?:round|around|over|up|down)? ?(?:to |at )?(?:\S+ ){0,5}with (?:a|my|the|his|her|a big) (?:knife|knives|blade|bat|baseball bat|hammer|gun|shotgun|machete|crowbar|iron bar|golf club|wrench|axe|cricket bat|screwdriver)",
            unless: r"\b(?:toolbox|tools|to fix|to mend|diy|garden\w*|kitchen|cake|bread|the shed)\b",
            why: "going to someone armed",
            ..D
        },
        Def {
            name: "hi_run_over",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"{HI_FRAME} {G2}(?:run|running|ran|knock|knocking|knocked|mow|mowing|mowed) (?:him|her|them|{PERSON_OBJ}|the (?:bloke|lad|foreman|guy|man|woman|fella|driver)|my (?:ex|boss|foreman|neighbou?r)) (?:over|down)\b",
            why: "thoughts of running someone over",
            ..D
        },
        Def {
            name: "abuse_financial",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:taking|takes|took|taken|stealing|steals|stole|helping (?:him|her|them)sel(?:f|ves) to|draining|drains|drained|emptying|emptied) (?:\S+ ){0,2}(?:money|cash|pension|benefits|savings|bank card|card) (?:from|out of|off) (?:\S+ ){0,2}(?:account|purse|pension|savings|bank|card|mum|mom|dad|nan|gran|grandma|grandad|her|him)",
            before: r"(?:^|\b)(?:i|we) (?:\S+ )?$",
            why: "money taken from a vulnerable person",
            ..D
        },
        Def {
            name: "abuse_coercive_money",
            cat: C::Abuse,
            w: 0.75,
            pat: r"controls? (?:all |every |each )?(?:of )?(?:my |the |our |her |his )?(?:money|penny|pennies|finances|spending|cash|bank card|account|wages)|(?:have|has|had|got) to (?:show|give|hand) (?:him|her) (?:the |every |all |my )?(?:receipts?|card|wages|pay|money|bank statements?)|(?:ask|asking|beg|begging|asked|begged) (?:him|her) for (?:money|every penny|bus fare|my own money)",
            before: r"(?:^|\b)(?:i|we) $",
            why: "control of money by a partner or relative",
            ..D
        },
        // ---------------------------------------------------------------- the tenth set's
        // classes (read after set 11 became the unseen measure): means kept in mind, acts
        // undone or rescued, poison, plans told as "the plan is", resigned waiting
        Def {
            name: "means_on_my_mind",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:{PILLS}|guns?|rifles?|shotguns?|twelve-gauge|12-gauge|firearms?|service weapon|weapon|pistol|handgun|rope|noose|ligature|blades?|razors?|shelf) (?:\S+ ){0,14}(?:on my mind|(?:keep|kept|been|keeps) (?:thinking|going over) (?:about )?(?:it|them|that)|in my head|more than i should)|(?:keep|kept|been|keeps) (?:thinking about|going over) (?:\S+ ){0,4}(?:{PILLS}|guns?|rifles?|shotguns?|service weapon|weapon|rope|noose|blades?|razors?)",
            unless: r"\b(?:forgot|forget|remember to|did i take|side effects?|refill|prescription|dose|doses|dosage|tidy|tidied|sort out the)\b",
            why: "means kept in mind",
            ..D
        },
        Def {
            name: "means_use_them_all",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:use|take|swallow|have) (?:them |it |these |those )?all(?: of them| at once| together| in one go)?\b",
            needs: r"\b(?:{PILLS}|box|boxes|packets?|bottle)\b",
            unless: r"\b(?:as prescribed|every day|each day|with food|in the morning|at night|antibiotics?|course)\b",
            why: "thinking of taking all of a medication",
            ..D
        },
        Def {
            name: "plan_the_plan_is",
            cat: C::Plan,
            w: 0.85,
            pat: r"the plan is (?:\S+ ){0,3}(?:{PILLS}|rope|gun|bridge|jump|the car|the train|hang\w*)|(?:pills|tablets|{PILLS}|rope) and (?:vodka|whisky|whiskey|wine|alcohol|drink|booze|gin) (?:on|at|this|next|when|while|tonight|tomorrow|once|after)",
            unless: r"\b(?:the (?:train|car|bus) (?:to|into|up|down|back|home|there|in)|fares?|tickets?|journey|trip|holiday|commute|cross(?:ing)? the bridge|medication review|meds review|reduce|taper\w*|come off|wean\w*|cut down)\b",
            why: "a method and a time",
            ..D
        },
        Def {
            name: "attempt_rescued",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:pulled|dragged|fished|talked|cut|got|brought) me (?:out|down|back|off|round)|(?:properly|really|actually|truly|fully) meaning it|(?:stopped|found|saved|rescued|caught) me (?:just )?(?:in time|before)",
            needs: r"\b(?:walked|jumped|stepped|drank|took|swallowed|hung|hanged|tried|into the (?:sea|river|water|lake)|bridge|rope|pills|tablets|ledge|tracks|overdose\w*)\b",
            unless: r"\b(?:bike|swimming|surf\w*|wave pool|rip current|lifeguard|drunk mates)\b",
            why: "an act stopped or rescued",
            ..D
        },
        Def {
            name: "attempt_drank_poison",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:drank|swallowed|took|had|downed|drunk) (?:some|a bit|a little|a mouthful|a cup|half|most|a glass)? ?(?:of )?(?:the |my |some )?(?:weedkiller|paraquat|bleach|antifreeze|pesticide|poison|rat poison|organophosphates?|chemicals)",
            why: "poison swallowed",
            ..D
        },
        Def {
            name: "attempt_drove_into",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:drove|driven|crashed|steered|swerved|ran|put) (?:the car |my car |the truck |the ute |the van |it )?(?:into|at|off) (?:\S+ ){0,4}on purpose|on purpose (?:\S+ ){0,3}(?:drove|crashed|steered|swerved)",
            why: "a crash on purpose",
            ..D
        },
        Def {
            name: "passive_fine_if_gone",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"if (?:a |the )?(?:truck|car|bus|lorry|train|tree|wave|bull|tractor|plane|heart attack|stroke) (?:\S+ ){0,6}(?:fine|okay|so be it|no complaints|would not complain|would not mind|let it)\b",
            why: "a fatal accident welcomed",
            ..D
        },
        Def {
            name: "passive_ready_to_go",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"ready to go|(?:why|when) (?:is )?(?:he|god|the lord|jesus) (?:is )?(?:leaving|keeping) me here",
            needs: r"\b(?:lord|god|jesus|heaven|here so long|die|dying|my time|leaving me here|keeping me here|take me|been here long enough)\b",
            why: "ready to die",
            ..D
        },
        Def {
            name: "prep_for_after",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"so (?:she|he|they|someone|everyone|my \S+) (?:would|will|could|can) (?:know|manage|cope|have|find) (?:\S+ ){0,4}after$|for (?:after i am gone|when i am gone|afterwards)$",
            why: "things arranged for after",
            ..D
        },
        Def {
            name: "hopeless_never_better_plain",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"(?:nothing|never|not) (?:\S+ ){0,2}(?:going to|will|ever) (?:ever )?(?:get|be|feel) (?:any )?better\b|(?:stop|stopped|stopping|given up|gave up) (?:believing|hoping|thinking) (?:\S+ ){0,4}(?:going to |will )?(?:ease|end|get better|improve|change|lift)|(?:know|knew|realise|realize|accept|see) (?:now )?(?:that )?(?:it|things|this|life) (?:never will|will never (?:change|improve|get better|end))",
            after: r"^(?:than|at (?:it|this|that|maths|math|football)|in (?:the|my) (?:game|exam|test|job)|for (?:you|him|her|them|the team))",
            unless: r"\b(?:weather|traffic|wifi|internet|signal|team|season|my (?:golf|cooking|french|spanish))\b",
            why: "things will never get better",
            ..D
        },
        Def {
            name: "abuse_withheld",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:holds|held|keeps|kept|withholds|withheld) back (?:\S+ ){0,3}(?:formula|food|money|medication|meds|insulin|nappies|diapers)|(?:will not|would not|does not|refuses to) (?:let (?:me|her|him|them) have|give (?:me|her|him|them)) (?:\S+ ){0,2}(?:formula|food|money|medication|meds|insulin|nappies)|(?:grabbed|grabs|held|holds|had) (?:me|her|him) by the (?:throat|neck|hair)|(?:hands?|fingers) (?:round|around) my (?:throat|neck)",
            before: r"(?:^|\b)(?:i|we) (?:\S+ )?$",
            why: "withholding or violence by someone close",
            ..D
        },
        // ---------------------------------------------------------------- set 11's classes
        // (the eleventh held-out set's misses, read once set 12 was measured, fixed as
        // classes: death welcomed in sleep or by chance, "checking out" for good, a place or a
        // day decided, stock kept and weapons moved to hand, affairs put in order for others
        // to find, rehearsal, "took the lot", wounds reopened and fights picked to be hurt,
        // burden as a load or a favour, threats as pictures, documents taken, exploitation,
        // neglect seen from outside, "he did things")
        Def {
            name: "passive_go_in_sleep",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:hoping|hope|hopes|wish|wishing|praying|pray|would not mind|do not mind|not mind) (?:\S+ ){0,4}(?:go|going|die|dying|slip away|slipping away|pass|passing|drift off|drifting off) (?:\S+ ){0,2}in my sleep|(?:(?:would not|do not|did not) mind )?(?:fall|falling|drift|drifting|go|going|slip|slipping) (?:off|asleep|away) (?:\S+ ){0,3}(?:and )?(?:just )?(?:stay|staying|not|never) (?:\S+ ){0,2}(?:off|asleep|wake|waking|come back|coming back|have to (?:do|face|get up|wake))",
            unless: r"\b(?:nap|alarm|lie in|weekend|holiday|phone|tv|telly|sofa|couch)\b|\b(?:wake|waking|wakes|woke) (?:up )?(?:before|till|until) (?:\S+ ){0,1}(?:six|seven|eight|nine|ten|\d+|morning|dawn|lunch|noon)\b",
            why: "hoping to die in one's sleep",
            ..D
        },
        Def {
            name: "passive_welcome_death",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:takes|took|take|gets|got|finishes|finished|finish) me (?:\S+ ){0,4}(?:good riddance|fine by me|so be it|all the better|suits me|no loss)|(?:not fussed|not bothered|not that bothered) (?:\S+ ){0,1}(?:if|whether) i (?:\S+ ){0,1}(?:wake up|live|die|make it|see (?:tomorrow|another))|better (?:off )?(?:under the ground|in the ground|six feet under|in a box|in the grave|in the cemetery) than|wish(?:ed|ing)? (?:that )?the (?:plane|train|bus|ship|boat|ferry|lift) (?:would|will|might|could) (?:go down|crash|sink|come off|fall)",
            why: "death welcomed if it came",
            ..D
        },
        Def {
            name: "active_checking_out",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"(?:checking out|check out|checked out|clock out|clocking out|tap out|tapping out|bow out|bowing out|log off|logging off|call it a day|calling it a day) (?:\S+ ){0,3}(?:permanently|for good|forever|for ever|on my own terms|of life|of this life|once and for all)",
            why: "leaving life, in other words",
            ..D
        },
        Def {
            name: "plan_decided_where",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:decided|mind made up|made my mind up|worked it out|planned|settled) (?:\S+ ){0,2}that is (?:where|the day|the place|when)$|that is (?:the day|where|the place|when) (?:\S+ ){0,1}(?:mind made up|my mind is made up|decided|i have decided)",
            why: "a place or a day decided",
            ..D
        },
        Def {
            name: "plan_place_decided",
            cat: C::Plan,
            w: 0.75,
            pat: r"\b(?:roof|bridge|river|tracks|railway line|cliff|cliffs|quarry|canal|motorway bridge|multi storey|the sea)\b",
            needs: r"(?:that is the plan|the plan is|i have decided|i decided|mind made up|made my mind up|that is where i|if i fail|if it says no|if they say no)",
            unless: r"\b(?:holiday|walk(?:ing)? the dog|fishing|swim\w*|trip|visit|picnic|view|photos?|running|cycl\w*|kayak\w*|boat|wedding|lunch|dinner)\b",
            why: "a place tied to a decision",
            ..D
        },
        Def {
            name: "plan_all_figured",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:got it all|have it all|it is all|all) (?:figured|planned|worked out|mapped out) (?:out )?(?:for )?when (?:she|he|they|everyone|the kids|nobody|no one) (?:is|are|will be|has|have|goes|go) (?:\S+ ){0,3}(?:away|out|gone|at|on holiday|asleep|in)\b",
            unless: r"\b(?:party|surprise|birthday|present|gift|dinner|cake|wedding|anniversary|holiday)\b",
            why: "a time chosen when no one is there",
            ..D
        },
        Def {
            name: "plan_thought_through",
            cat: C::Plan,
            w: 0.8,
            pat: r"(?:thought it through|worked it all out|figured it all out|got it all worked out)|(?:chosen|picked|decided on|settled on|chose) (?:\S+ ){0,1}(?:a method|the method|a location|a place|a date|the date|a spot)\b",
            needs: r"\b(?:{PILLS}|rope|belt|bridge|coast|gun|knife|jump|overdose|hang\w*|river|tracks|method)\b",
            unless: r"\b(?:recipe|holiday|wedding|venue|school|course|job|flat|house|dog|puppy)\b",
            why: "a method chosen",
            ..D
        },
        Def {
            name: "means_kept_for_when",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:keep|keeping|kept|stash\w*|save|saved|saving|hoard\w*|stockpil\w*|supply of) (?:\S+ ){0,10}(?:just in case$|for when i need (?:them|it)|for when the time comes|for the day|in case i need (?:them|it))|(?:do not take|not taking|never take|stopped taking|not take) (?:them|it|the \S+|my \S+) (?:\S+ ){0,2}(?:i )?(?:just |only )?(?:keep|save|kept|saved|stash|collect|hoard)\b",
            needs: r"\b(?:{PILLS}|oxy\w*|benzos|gun|rope|tablets|them)\b",
            why: "means kept for later",
            ..D
        },
        Def {
            name: "means_weapon_to_hand",
            cat: C::Means,
            w: 0.75,
            pat: r"\b(?:knife|gun|rifle|shotgun|blade|rope|pistol|machete) (?:\S+ ){0,2}(?:in|under|beside|by) (?:my |the )?(?:car|bed|pillow|bag|pocket|room|locker|desk|van|glovebox)\b",
            needs: r"\b(?:moved|put|now|keep|keeping|hid|hidden|took|taken|carry|carrying)\b",
            unless: r"\b(?:fishing|camping|hunting|cooking|chef|toolbox|bread|sandwich|picnic|butter)\b",
            why: "a weapon moved to hand",
            ..D
        },
        Def {
            name: "prep_giving_away_why",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:gave|give|giving|given|handed|handing) (?:away |out )?(?:\S+ ){0,3}(?:dog|cat|pet|jewellery|jewelry|rings?|watch|guitar|pc|computer|console|car|books|records|clothes|things|stuff|belongings|possessions|savings|collection)\b",
            needs: r"(?:more than that|does not know why|do not know why|will not need|no use to me|going somewhere|saying goodbye|said goodbye|before i go|while i can|when i am gone|not going to need|knows why|deleted|closing)",
            why: "things given away with another reason",
            ..D
        },
        Def {
            name: "prep_affairs_to_find",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:passwords|pin numbers|bank details|life insurance|insurance papers|the deeds|my will) (?:\S+ ){0,8}(?:in an envelope|envelope for|where (?:\S+ ){0,3}(?:will|would|can) find|to find)|my own funeral|(?:wrote|written|writing|typed|left) (?:a |the |my )?note\b",
            needs: r"(?:envelope|find|funeral|drafts|not sent|to be found|for after|when i am gone|goodbye|in my phone)",
            unless: r"\b(?:shopping|fridge|doctor|sick note|school|teacher|exam|therapist|homework)\b",
            why: "affairs put in order for others to find",
            ..D
        },
        Def {
            name: "prep_thanks_for_everything",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:say|said|saying) (?:thanks|thank you) for everything|closing (?:a|the) book|tying up loose ends|tied up (?:the |all the |my )?loose ends",
            needs: r"\b(?:everyone|everybody|rang|called|all of them|closing|goodbye|last|sorted|round)\b",
            why: "goodbyes told as thanks",
            ..D
        },
        Def {
            name: "prep_rehearsal",
            cat: C::Preparatory,
            w: 0.8,
            pat: r"(?:practis\w*|practic\w*|rehears\w*|trying out|tried out|testing|tested) (?:\S+ ){0,3}(?:the |a |my )?(?:belt|rope|cord|noose|scarf|cable|ligature|knot|ledge)\b",
            why: "a rehearsal",
            ..D
        },
        Def {
            name: "attempt_took_the_lot",
            cat: C::Attempt,
            w: 0.8,
            pat: r"(?:took|swallowed|downed|had) the (?:lot|whole lot|whole packet|whole bottle|whole box|lot of them)\b",
            unless: r"\b(?:sweets|chocolate|biscuits|cake|pizza|crisps|cookies|money|cash)\b",
            why: "an overdose told as taking the lot",
            ..D
        },
        Def {
            name: "self_harm_reopen_welts",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"(?:pick|picking|picked|scratch\w*|dig|digging|reopen\w*|re open\w*) (?:at )?(?:\S+ ){0,2}(?:scars?|scabs?|wounds?|cuts?) (?:\S+ ){0,3}(?:until|till|so) (?:they|it) (?:open|bleed|break)|(?:band|elastic|hair tie|hair band) (?:\S+ ){0,6}(?:till|until) (?:it|they) (?:welts?|bleeds?|bruises?|marks?|stings?)|(?:picked|pick|picking|start\w*|provok\w*) (?:a )?fights? (?:\S+ ){0,8}(?:so|so that|hoping|to get|wanting) (?:\S+ ){0,5}(?:kicking|beating|beat me|hit me|batter\w*|kill me|hurt me)",
            why: "hurting oneself by other means",
            ..D
        },
        Def {
            name: "self_harm_reckless_drive",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"^(?:\S+ ){0,14}(?:did not|do not) care what happen(?:ed|s)$",
            needs: r"\b(?:drove|driving|drive|fast|speed\w*|seatbelt|motorway|crash\w*|motorbike|drunk)\b",
            why: "a reckless act, not caring what happens",
            ..D
        },
        Def {
            name: "hopeless_until_dead",
            cat: C::Hopelessness,
            w: 0.7,
            pat: r"(?:until|till) i (?:am dead|die)\b|that is (?:it )?(?:that is )?my life now$",
            needs: r"\b(?:pain|suffer\w*|misery|never|whatever|going to be|that is it|nothing)\b",
            why: "a life seen as hopeless",
            ..D
        },
        Def {
            name: "burden_load_on",
            cat: C::Burdensomeness,
            w: 0.75,
            pat: r"i am (?:just |only |nothing but |such |a real )?(?:a |an )?(?:liability|load|weight|drain|millstone|dead weight|anchor|nuisance|drag) (?:on|to|for|round|around) (?:\S+ ){0,2}(?:them|everyone|everybody|her|him|us|my \S+|the \S+|family|team)|(?:be|would be|id be) doing (?:her|him|them|everyone|everybody|the world|you all) a (?:favour|favor)|what (?:kind|sort) of (?:a )?life is (?:that|this) for (?:her|him|them|my \S+)|enough on (?:\S+ ){0,2}without me|without me adding to",
            why: "being a load on others",
            ..D
        },
        Def {
            name: "harm_others_pictures",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"(?:put|putting) (?:him|her|them|that \S+|the \S+) in (?:the ground|a box|the grave|intensive care)|(?:do|give) (?:to )?(?:him|her|them) what (?:he|she|they) (?:deserves?|has coming|had coming)|what i (?:would|will|could|am going to) do to (?:him|her|them|my \S+|the \S+)|(?:kill|murder|hurt|batter|shoot|stab) the (?:pair|both|lot|two) of (?:them|you)|kill them both|(?:is|are) (?:getting|going to get) (?:glassed|stabbed|shanked|knifed|bottled|battered|done in)|i will be waiting for (?:him|her|them)$",
            unless: r"\b(?:game|match|film|movie|book|character|birthday|present|surprise|christmas)\b",
            why: "harm to someone pictured",
            ..D
        },
        Def {
            name: "harm_others_watching",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"(?:sitting|sat|waiting|parked|parking|watching) outside (?:his|her|their|the) (?:house|flat|home|work|place|school)",
            needs: r"\b(?:night|what i would do|thinking about it|watching|knife|follow\w*|every)\b",
            why: "watching someone's home",
            ..D
        },
        Def {
            name: "abuse_documents_taken",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:took|take|takes|taken|keeps|kept|holds|holding|hold|confiscated|will not give me|would not give me) (?:\S+ ){0,4}(?:my|our|her|his) (?:passport|papers|documents|visa)\b",
            unless: r"\b(?:renew\w*|expired|application|office|lost|photo|embassy|check(?:ed|ing)?|copy|border|airport|holiday)\b",
            why: "documents taken (control, exploitation)",
            ..D
        },
        Def {
            name: "abuse_exploited",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:made|make|makes|making|forced|force|forcing) (?:me|him|her|us) (?:to )?(?:carry|deliver|sell|hold|move|drop off) (?:\S+ ){0,3}(?:packages|parcels|drugs|gear|bags|stuff)|(?:pressur\w*|coerc\w*|forc\w*|push\w*|blackmail\w*) (?:\S+ ){0,3}into (?:sex|sexual|sleeping with|having sex|sending (?:nudes|pictures|photos))|sexual (?:\S+ ){0,2}in exchange for|in exchange for (?:sex|sexual)",
            why: "exploitation or coercion",
            ..D
        },
        Def {
            name: "abuse_neglect_seen",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:left|leaves|leaving|being left) (?:\S+ ){0,2}(?:unfed|unwashed|without food|in soiled|in dirty|locked in)|(?:comes|come|turns up|turned up|came) (?:round |over |to school )?(?:\S+ ){0,1}(?:hungry|starving|unwashed|with bruises|bruised|in the same clothes)",
            needs: r"\b(?:parents|mum|dad|mother|father|carer|nobody|no one|off their heads|drunk|high|neglect\w*|nights|every day|days)\b",
            why: "neglect seen from outside",
            ..D
        },
        Def {
            name: "hopeless_nothing_i_do",
            cat: C::Hopelessness,
            w: 0.7,
            pat: r"^(?:it )?does not matter what i do(?: does it| anymore| any more)?$|what is the point (?:\S+ ){0,8}whatever i do$",
            why: "nothing one does matters",
            ..D
        },
        Def {
            name: "attempt_survived_by_chance",
            cat: C::Attempt,
            w: 0.8,
            pat: r"(?:rope|belt|cord|branch|noose|ligature) (?:snapped|broke|gave way|came loose)",
            needs: r"\b(?:only reason|still here|sat here|sitting here|alive|survived|would not be here|talking to you)\b",
            why: "an attempt survived by chance",
            ..D
        },
        Def {
            name: "prep_debts_cleared_for_others",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:paid off|cleared|settled|sorted) (?:\S+ ){0,3}(?:debts|bills|loans|affairs) (?:\S+ ){0,2}so (?:nobody|no one|they|she|he|my \S+) (?:\S+ ){0,1}(?:gets|get|is|are|will be|would be) (?:lumbered|stuck|left)",
            why: "affairs settled so others are not left with them",
            ..D
        },
        Def {
            name: "plan_worked_out_when",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:worked out|decided|planned|figured) (?:that )?i (?:would|will|am going to) do it (?:on|at|when|after|before) (?:the |my |his |her )?(?:anniversary|birthday|christmas|new year|same day|day|night|end)",
            unless: r"\b(?:homework|exercise|diary|list|essay|task|form|application|job|shopping|washing|revision|gym)\b",
            why: "a day chosen",
            ..D
        },
        Def {
            name: "abuse_did_things_unnamed",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:he|she|they) (?:did|used to do|would do|was doing) (?:things|stuff|something) (?:to me)?",
            needs: r"\b(?:teacher|teachers|coach|priest|uncle|stepdad|stepfather|cousin|neighbour|babysitter|never told|out loud|when i was little|when i was a kid|boarding school|touch\w*)\b",
            unless: r"\b(?:help|helped|nice|kind|fun|good|great|for me|with me)\b",
            why: "abuse told without the word",
            ..D
        },
        // ---------------------------------------------------------------- set 12's classes
        // (read once set 13 was written and measured): death welcomed in a diagnosis, a wish
        // to leave a danger, not to step away from it; intent tied to a condition; a place
        // worked out; means kept "in case", counted, or known to be enough; concealed buying;
        // testing a ligature; harm pictured to a baby, a poisoned drink, a carer's blow or a
        // locked door; threats of revenge; sextortion and blackmail; abuse by staff.
        Def {
            name: "passive_glad_not_to_wake",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:happy|relieved|glad|fine|okay|content|at peace|grateful|pleased) (?:\S+ ){0,2}(?:to not|not to|if i did not|if i do not|if i never|to never) (?:wake up|see (?:tomorrow|the morning)|come back)",
            why: "content not to wake up",
            ..D
        },
        Def {
            name: "passive_welcome_terminal_news",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:relieved|glad|happy|pleased|grateful|a relief) (?:\S+ ){0,3}if (?:\S+ ){0,5}(?:found|finds|showed|shows|turned out|was|were|came back) (?:\S+ ){0,2}(?:terminal|cancer|incurable|something (?:serious|bad|terminal|nasty))|hop(?:e|es|ed|ing) (?:\S+ ){0,2}something (?:gets|takes|kills|will get|will take) me(?: first)?",
            why: "bad news or an illness welcomed as a way out",
            ..D
        },
        Def {
            name: "passive_not_step_aside",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:not sure i would|i would not|would not|i do not think i would|might not) (?:even )?(?:bother )?(?:step|stepping|get|getting|move|moving|jump|jumping) out (?:of )?(?:the|its|their) way",
            why: "would not step out of the way of danger",
            ..D
        },
        Def {
            name: "passive_not_want_the_time_left",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:do not|did not) want (?:all |any |the rest )(?:\S+ ){0,2}(?:of them|of it|months|years|weeks)",
            needs: r"\b(?:months|years|weeks|diagnosis|oncologist|prognosis|consultant|terminal|to live|left)\b",
            why: "not wanting the time left to live",
            ..D
        },
        Def {
            name: "active_ending_it_if",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"(?:i am|i will|i would|i am going to) (?:just )?(?:ending it|end it|end it all|ending it all|ending things|end things)(?: all)?(?:$| if| then| i am not| i will not| before| rather than)",
            after: r"^ ?(?:with (?:him|her|them|my|the)|between)",
            why: "ending it, tied to a condition",
            ..D
        },
        Def {
            name: "active_assisted_dying",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:going|go|went|travel\w*) to (?:switzerland|dignitas) (?:\S+ ){0,2}(?:to die|to end it|for it)|(?:sort|sorting) it out (?:myself|on my own)(?: at home)?",
            needs: r"\b(?:die|dying|dignitas|switzerland|end it|suicide|assisted)\b",
            why: "assisted dying sought, or ending it oneself",
            ..D
        },
        Def {
            name: "plan_place_and_means_worked_out",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:worked out|figured out|decided|picked|chosen|settled on) (?:that )?(?:\S+ ){0,6}(?:when i will|when i would|that is when i will|where i would|it would be (?:the|in|at|off))",
            needs: r"\b(?:{PILLS}|beam|rope|twine|belt|cord|bridge|railway|tracks|train|jump|hang|overdose|barn|garage|cliff|gun|nobody|no one|alone)\b",
            unless: r"\b(?:holiday|party|wedding|dinner|move|job|revision|exam|present|gift|shopping|budget)\b",
            why: "a time or place worked out, with the means",
            ..D
        },
        Def {
            name: "plan_will_overdose",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:will|going to|plans? to|planning to|intends? to|intending to|would) (?:\S+ ){0,1}overdose (?:on|with|once|when|after|if)",
            why: "an overdose planned",
            ..D
        },
        Def {
            name: "plan_i_have_a_plan",
            cat: C::Plan,
            w: 0.6,
            pat: r"^(?:\S+ ){0,2}(?:i|i have|i have got|i have made|i made) (?:have )?a plan$",
            why: "a plan said to exist",
            ..D
        },
        Def {
            name: "means_kept_for_a_way_out",
            cat: C::Means,
            w: 0.75,
            pat: r"in case (?:i|things) (?:\S+ ){0,2}(?:need|want|needed|wanted) (?:a |an |my )?(?:way out|exit|escape|out)|(?:might|may|could) (?:want|need) (?:them|it|those) (?:for myself|one day|some day|someday)|(?:would be|is|was) enough to (?:kill me|do it|end it|finish me off|not wake up)|how many (?:\S+ ){0,3}(?:need|take|would take|would need) to (?:not wake up|die|do it|end it|kill me)",
            why: "means kept, counted or known to be enough",
            ..D
        },
        Def {
            name: "means_looked_at",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:rope|beam|belt|gun|rifle|shotgun|bridge|blade|knife|{PILLS}) (?:\S+ ){0,8}(?:keep looking at|keep staring at|keep eyeing|look at every|that would do it|that will do it|it would do it)",
            why: "a means looked at as one",
            ..D
        },
        Def {
            name: "means_blade_kept_for_when",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:keep|kept|carry|carrying|have|hide|hidden|hid) (?:a |my |the |some )?(?:blade|blades|razor|razors|knife|sharpener) (?:\S+ ){0,5}for (?:when|if|in case)",
            why: "a blade kept for bad moments",
            ..D
        },
        Def {
            name: "prep_buying_unnoticed",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:different|several|other|lots of|various) (?:chemists|pharmacies|shops|supermarkets|doctors|gps) so (?:they|nobody|no one|people) (?:\S+ ){0,2}(?:notice|know|see|ask|twig)",
            why: "buying from many places so nobody notices",
            ..D
        },
        Def {
            name: "prep_ligature_tested",
            cat: C::Preparatory,
            w: 0.8,
            pat: r"(?:tried|tested|test|testing|try|trying|practi[sc]ed) (?:\S+ ){0,3}(?:belt|rope|cord|ligature|scarf|cable|noose|flex) (?:\S+ ){0,12}(?:hold|take my weight|take the weight|would work|would take)",
            why: "a ligature tested",
            ..D
        },
        Def {
            name: "hi_pictured_harm_to_a_child",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"(?:pictures?|images?|thoughts?|visions?|flashes|urges?|thinking) (?:\S+ ){0,1}(?:of|about) (?:throwing|shaking|dropping|smothering|drowning|hurting|hitting|suffocating|strangling|killing|stabbing|poisoning) (?:him|her|them|the baby|my baby|the kids|my son|my daughter|my \S+|his|her|the \S+)",
            why: "harm to someone pictured",
            ..D
        },
        Def {
            name: "hi_poisoned_drink",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"(?:slip|slipping|slipped|put|putting|crush\w*|mix\w*) (?:\S+ ){0,3}(?:{PILLS}|something|poison) (?:\S+ ){0,2}(?:into|in) (?:his|her|their|the) (?:tea|coffee|drink|food|dinner|wine|beer)",
            unless: r"\b(?:sugar|milk|honey|lemon|sweetener)\b",
            why: "a drink or meal spiked",
            ..D
        },
        Def {
            name: "hi_carer_blow",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"^(?:\S+ ){0,4}i (?:\S+ ){0,1}(?:slapped|punched|kicked|shoved|shook|smacked|hit|pinched) (?:him|her|them|my \S+)(?: across| in| on| round| back| hard|$)|^(?:\S+ ){0,4}i (?:\S+ ){0,1}pushed (?:him|her|them) (?:back |over |down )?(?:onto|into|against|over|down|off) |^(?:\S+ ){0,4}i (?:\S+ ){0,1}locked (?:him|her|them) in (?:the |a |her |his |their )?(?:bedroom|room|bathroom|cupboard|house|flat|shed|garden)",
            unless: r"\b(?:game|ball|button|the door for|joke|lock screen|phone|account)\b",
            why: "the client struck or confined someone",
            ..D
        },
        Def {
            name: "hi_revenge_threat",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"(?:going to|gonna|will|i will) (?:\S+ ){0,1}(?:do|sort|get|have|fix) (?:him|her|them|the lad|that lad|the guy) (?:properly|in|good|proper|over|for it)|(?:found|find|know|found out) (?:out )?where (?:he|she|they) (?:now )?(?:lives|live|is living|works|drinks)",
            needs: r"\b(?:going to|gonna|will|kill\w*|hurt\w*|do him|do her|get him|get her|sort him|grass\w*|revenge|pay|properly|thoughts)\b",
            why: "a threat of revenge, or the target's whereabouts sought",
            ..D
        },
        Def {
            name: "abuse_sextortion",
            cat: C::Abuse,
            w: 0.8,
            pat: r"blackmail\w*|(?:send|share|post|show|sends|shares|posts|will send|would send) (?:\S+ ){0,2}(?:pictures|photos|pics|images|videos|nudes) (?:\S+ ){0,1}to (?:my|your|his|her|their|everyone|all)|(?:intimate|private|nude|naked) (?:images|pictures|photos) (?:\S+ ){0,3}(?:shared|posted|sent|threaten\w*)",
            unless: r"\b(?:holiday|wedding|graduation|birthday)\b",
            why: "blackmail or sextortion",
            ..D
        },
        Def {
            name: "abuse_by_staff_or_disbelief",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:kick|kicked|kicking|punch|punched|beat|beating|knock|knocked|knocking|throw|threw|slap|slapped) (?:us|me|them|him|her) (?:about|around|round|up)\b|(?:nobody|no one|no-one) (?:would|will) (?:ever )?believe (?:a |me|you|him|her|it)|(?:hits|slaps|kicks|beats|pushes|pinches|shoves) my (?:mother|mum|mom|dad|father|gran|nan|grandmother|grandfather|grandad|son|daughter|child|sister|brother|wife|husband)",
            unless: r"\b(?:joke|game|football|ball)\b",
            why: "abuse by someone in power, or hitting a relative",
            ..D
        },
        Def {
            name: "burden_drain_on",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"^(?:\S+ ){0,2}i (?:am|feel like|feel) (?:just )?(?:a )?(?:drain|waste) (?:on|of) (?:resources|everyone|everybody|the family|my family|them|space|the nhs|money)|(?:better used|better off used|better spent) (?:by|on) (?:somebody|someone) else",
            why: "oneself a drain on others",
            ..D
        },
        Def {
            name: "passive_accident_welcomed",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:easier|better|a relief|solve (?:a lot|so much|everything|it all)|fix (?:a lot|everything)|not (?:bother|try) (?:swimming|to swim|getting out|to get out|to save myself|saving myself|running|moving)) (?:\S+ ){0,4}(?:chopper|helicopter|ship|boat|ferry|plane|rig|lorry|truck|bus|car|train|van) (?:\S+ ){0,2}(?:went down|go down|goes down|sank|sinks|sink|crashed|crashes|crash|clip me|clipped me|clips me|hit me|hits me|took me out|takes me out)|(?:chopper|helicopter|ship|boat|ferry|plane|rig) (?:\S+ ){0,2}(?:went|go|goes|going) down (?:\S+ ){0,4}(?:would not|will not|would never|would not even) (?:bother|try) (?:swimming|to swim|getting out|to get out|to save myself)|(?:lorry|truck|bus|car|van|train) (?:could|would|might|will) (?:just )?(?:clip|hit|take out|flatten|knock down) me (?:\S+ ){0,4}(?:solve|fix|be (?:easier|better|a relief|fine|okay))",
            why: "an accident or disaster that would end it, welcomed",
            ..D
        },
        Def {
            name: "passive_machine_fails",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"{DESIRE} {G3}(?:the |my |this )?(?:dialysis |heart |kidney )?(?:machine|ventilator|pacemaker|pump|heart|kidneys|lungs|liver|body|transplant) (?:just )?(?:fails|fail|gives out|give out|packs in|pack in|stops|stop|quits|quit|packs up|pack up)(?: one| on me| in the night| in my sleep| for good| and that is that| and that is it|$)",
            why: "hoping one's body or life support gives out",
            ..D
        },
        Def {
            name: "passive_envying_the_dead",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:envy|envying|envied|envies|jealous of|jealousy of) (?:\S+ ){0,4}(?:who|that) (?:\S+ ){0,2}(?:die|died|dies|slip away|slipped away|slips away|pass away|passed away|passes away|passed on|do not wake up|did not wake up|are gone|are dead|get to go|got to go)",
            why: "envying those who died",
            ..D
        },
        Def {
            name: "passive_taken_by_god",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:rather|wish|wishes|wished|hope|hopes|hoping|pray|prays|praying|ready for|want|wants) (?:\S+ ){0,2}(?:the lord|god|the good lord|jesus|allah|the man upstairs|him upstairs) (?:would |will |to |just |would just |just would )?(?:took|take|takes|called|call|calls|came for|come for|comes for) (?:me|him|her|them)(?: home| now| tonight| away| soon| in the night| in my sleep| in his sleep| in her sleep|$| than)|\bdios me (?:recoja|lleve|llame)\b",
            why: "wishing to be taken by God",
            ..D
        },
        Def {
            name: "active_take_myself_out",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"(?:should|could|would|will|going to|gonna|want to|wanted to|thinking of|thought of|think about|thought about|about to|ready to) (?:just )?(?:take|taking) myself out\b",
            after: r"^(?:for|to|of the|on a|dancing|shopping|walking|somewhere|more|again for|there)",
            why: "taking oneself out",
            ..D
        },
        Def {
            name: "active_when_i_end_things",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:for|when|once|after|before) i (?:end|have ended|finally end) (?:things|it all|my life|everything)\b",
            after: r"^(?:with|between|at work|at the|properly)",
            why: "speaks of when they end things",
            ..D
        },
        Def {
            name: "plan_place_chosen",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:know|knows|chosen|chose|picked|found|decided on|worked out|figured out) (?:exactly |already )?(?:where|when|how)(?: and (?:where|when|how))? (?:i|you|he|she) (?:would|will|could|am going to|are going to|is going to) (?:go to )?(?:do it|kill (?:myself|yourself|himself|herself)|end it|end (?:my|your|his|her) life)",
            why: "the place, time or way worked out",
            ..D
        },
        Def {
            name: "prep_not_going_to_need_it",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:not going to|will not|no longer|never going to) (?:\S+ ){0,1}need (?:any of )?(?:it|them|this|that|anything|my \S+)(?: anymore| any more| where i am going| after)?$",
            needs: r"\b(?:cancel\w*|gave|give|giving|sold|selling|told (?:my|the) \S+ i|not be back|not coming back|not going anywhere|my lease|my things|my stuff)\b",
            why: "ending arrangements for a time they will not be there",
            ..D
        },
        Def {
            name: "attempt_tried_to_crash",
            cat: C::Attempt,
            w: 0.8,
            pat: r"tried to (?:drive|crash|steer|run|put|roll) (?:my |the |our )?(?:car|truck|van|ute|bike|motorbike)? ?(?:off|into|over) (?:the |a )?(?:road|bridge|cliff|ravine|tree|wall|river|lake|edge|barrier|embankment|oncoming)",
            why: "tried to crash on purpose",
            ..D
        },
        Def {
            name: "attempt_not_an_accident",
            cat: C::Attempt,
            w: 0.75,
            pat: r"(?:it|that|this) (?:was not|is not|were not) (?:an |really an |actually an )?accident",
            needs: r"\b(?:trying|tried|on purpose|meant it|meant to|hospital|overdose|pills|crash|fell|fall|jumped|told everyone|told them)\b",
            why: "an injury that was not an accident",
            ..D
        },
        Def {
            name: "attempt_aborted",
            cat: C::Attempt,
            w: 0.85,
            pat: r"(?:aborted|interrupted|abandoned) (?:suicide |suicidal )?attempt",
            why: "an aborted or interrupted attempt",
            ..D
        },
        Def {
            name: "hopeless_nothing_will_fix",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"^nothing (?:\S+ ){0,2}(?:will|is going to|can|could) (?:ever )?(?:fix|help|save) (?:this|it|me|things|anything|that)?$|nothing (?:will|is going to|can) (?:ever )?be (?:good|okay|ok|right|alright|fine) again|nothing (?:left )?to build (?:on|toward|towards)\b",
            unless: r"\b(?:until|unless|fix (?:it|this) (?:now|today|tonight|before)|the (?:printer|car|boiler|roof|leak)|game|team|match)\b",
            why: "nothing will help or be good again",
            ..D
        },
        Def {
            name: "hopeless_stopped_believing",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"stopped believing (?:that )?(?:anything|things|it|life|your life|my life) (?:\S+ ){0,4}(?:could|can|will|would) (?:ever )?(?:change|get better|improve)",
            why: "stopped believing anything could change",
            ..D
        },
        Def {
            name: "abuse_when_no_one_looks",
            cat: C::Abuse,
            w: 0.7,
            pat: r"{ABUSE_VERB} (?:me|us|him|her|them|my \S+) (?:\S+ ){0,2}when (?:no one|nobody|no-one) (?:else )?(?:is )?(?:looking|around|watching|there|home)",
            why: "harm done out of sight",
            ..D
        },
        Def {
            name: "passive_if_it_happens",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"if (?:it|something|that) happens(?: then)? it happens",
            needs: r"\b(?:would not mind|do not mind|would not care|do not care|not bothered|so be it|seatbelt|die|dead|dying|crash|accident|the end)\b",
            why: "dying by accident would be acceptable",
            ..D
        },
        Def {
            name: "means_which_drug_would_do_it",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:which|what) (?:drug|drugs|pill|pills|tablets?|meds|medication|dose|one|amount) (?:\S+ ){0,4}(?:would|will|could) do (?:it|the job)\b|(?:that|it|they|those|these) (?:would|will|could) be enough\b",
            needs: r"\b(?:drug|drugs|cabinet|dose|{PILLS}|count|counted|counting|stash\w*|saved|saving|hoard\w*)\b",
            why: "a drug or amount worked out as enough",
            ..D
        },
        Def {
            name: "prep_research_ways_of_dying",
            cat: C::Preparatory,
            w: 0.8,
            pat: r"(?:researched|researching|research|looked up|looking up|googled|googling|reading about|read about|reading up on|searched|searching) (?:\S+ ){0,3}(?:ways (?:of|to) (?:dying|die|kill myself|end it)|how to (?:die|kill myself|end it)|painless ways|methods of suicide|suicide methods)",
            why: "researching ways of dying",
            ..D
        },
        Def {
            name: "prep_signed_over",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:signed|sign|signing|gave|given|giving|transferred|transferring|handed|handing) (?:the |my |our )?(?:farm|house|home|business|shop|truck|boat|property|land|flat|savings) over to",
            needs: r"\b(?:not the real reason|before i go|for when|after i|when i am gone|will not need|would not need|the real reason)\b",
            why: "handing property over, with another reason not told",
            ..D
        },
        Def {
            name: "self_harm_head_banging",
            cat: C::SelfHarm,
            w: 0.65,
            pat: r"(?:hit|hitting|hits|bang|banging|banged|bangs|smash|smashing|smashed|slam|slamming|slammed) (?:my|your) head (?:against|into) (?:the |a )?(?:wall|walls|door|floor|mirror|desk|table|window)",
            why: "hitting their head against something",
            ..D
        },
        Def {
            name: "hi_what_i_would_do_to",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"what i (?:would|will|could|am going to) do to (?:each of |all of |every one of )?(?:them|him|her|those people|these people|the people)\b",
            needs: r"\b(?:snap\w*|list|lose it|get my hands|hurt|kill|pay|revenge)\b",
            why: "what they would do to people, if they snapped",
            ..D
        },
        Def {
            name: "passive_god_hurry",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:wish|wishes|wished|hope|hopes|hoping|pray|prays|praying|want|wants) (?:\S+ ){0,2}(?:the lord|god|the good lord|jesus|allah|the man upstairs|him upstairs|death|the cancer|this cancer|the illness|the disease) (?:would |will |to |could |would just |just )?(?:hurry up|hurry along|get a move on|get on with it|be quick about it)",
            why: "wishing God would hurry to take them",
            ..D
        },
        Def {
            name: "passive_fragment",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"^(?:just |only |simply )?(?:(?:to )?(?:not|never) (?:be|being) (?:here|around|alive)|(?:to )?(?:not|never) (?:wake|waking) up|(?:be|being) gone)(?: (?:just |and |or )?(?:(?:to )?(?:not|never) (?:be|being) (?:here|around|alive)|(?:to )?(?:not|never) (?:wake|waking) up|(?:be|being) gone))*(?: again| anymore| any more| for good| forever)?$",
            why: "a wish told as a fragment: not to be here, not to wake up",
            ..D
        },
        Def {
            name: "active_strength_not_to",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:strength|willpower|will|courage) not to (?:take my (?:own )?life|kill myself|end (?:it|it all|my life|things)|do it|hurt myself)",
            why: "praying or fighting not to take their life",
            ..D
        },
        Def {
            name: "means_gun_safe_code",
            cat: C::Means,
            w: 0.6,
            pat: r"(?:gun safe|gun cabinet|gun locker|gun box|rifle cabinet|safe with the guns?)(?: code| combination| key)|(?:code|combination|key) (?:to|for) (?:the |his |her |my |our )?(?:gun safe|gun cabinet|gun locker|rifle cabinet)",
            why: "knowing how to open where the guns are kept",
            ..D
        },
        Def {
            name: "attempt_my_overdose",
            cat: C::Attempt,
            w: 0.6,
            pat: r"\b(?:my|your|his|her|their) (?:last |first |second |third |recent |previous |big )?overdose\b",
            unless: r"\b(?:risk|kit|naloxone|narcan|prevention|tolerance)\b",
            why: "an overdose of their own",
            ..D
        },
        Def {
            name: "attempt_climbed_to_jump",
            cat: C::Attempt,
            w: 0.8,
            pat: r"(?:climbed|climbing|got|getting|went) (?:over|onto|up on|on to|up onto|past) (?:the |a )?(?:railing|railings|barrier|fence|ledge|parapet|edge|rail)s? (?:\S+ ){0,2}(?:to jump|ready to jump|and was going to jump)",
            why: "climbing over a railing to jump",
            ..D
        },
        Def {
            name: "burden_only_trouble",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"\bi am (?:only|just|nothing but|nothing except) (?:a )?(?:trouble|a problem|a nuisance|a weight|in the way) (?:to|for) (?:them|him|her|everyone|everybody|my|the|all)",
            why: "being only trouble to the people they love",
            ..D
        },
        Def {
            name: "hi_mess_up",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"\b(?:imma|ima|i'ma|i am going to|i will|i am gonna|going to) (?:mess|fuck|f\*\*k|beat|smash) (?:him|her|them|that \S+) up\b",
            why: "going to beat someone up",
            ..D
        },
        Def {
            name: "abuse_child_left_alone",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:baby|babies|child|children|kids?|toddler|little one|son|daughter|boy|girl)\b(?:\S+ ){0,2} (?:was|were|is|are|been|gets|got|keeps being) (?:left|locked) (?:on (?:her|his|their) own|alone|by (?:her|him|them)sel(?:f|ves))\b(?: (?:\S+ ){0,4}(?:for (?:hours|days|two days|three days|the night|the weekend|all night|all day)|overnight))",
            why: "a child left alone for long",
            ..D
        },
        Def {
            name: "abuse_kept_secret",
            cat: C::Abuse,
            w: 0.6,
            pat: r"\btold (?:her|him|them|my (?:son|daughter|kid)) (?:to keep|not to tell|never to tell) (?:\S+ ){0,3}(?:secret|from (?:us|me|her mum|his mum|her mom|his mom|her parents|his parents|anyone))",
            needs: r"\b(?:coach|teacher|uncle|stepdad|step-dad|neighbour|neighbor|tutor|priest|man|guy|boyfriend|he|messages|texts|photos|pictures)\b",
            why: "an adult telling a child to keep something secret",
            ..D
        },
        Def {
            name: "abuse_locking_in",
            cat: C::Abuse,
            w: 0.6,
            pat: r"\block(?:ing|ed)? (?:mum|mom|dad|him|her|them|nan|gran|grandma|grandad|my (?:mum|mom|dad|mother|father|husband|wife|nan|gran|son|daughter)|the (?:kids?|children)) in (?:her|his|their|the) (?:room|bedroom)",
            why: "locking a dependent person in their room",
            ..D
        },
        Def {
            name: "self_harm_cut_on_body",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\bi (?:cut|cuts|burn|burned|burnt|scratch|scratched|carve|carved) (?:on|into) (?:my )?(?:thighs?|arms?|wrists?|legs?|stomach|skin|hips?)\b|\bi (?:cut|carve|carved) (?:my )?(?:thighs|wrists)\b",
            unless: r"\b(?:oven|stove|iron|pan|kettle|nail|fence|glass|by accident|accidentally|shaving|cooking)\b",
            why: "cutting or burning their own body",
            ..D
        },
        Def {
            name: "active_out_of_life",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"(?:want|wanted|wanting|need|needed|mean|meant|get|getting) (?:\S+ ){0,2}out of (?:life|this life|living|existence|this world|the world|everything for good)",
            unless: r"\b(?:most|more|the best|the most|everything i can)\b",
            why: "wanting out of life",
            ..D
        },
        Def {
            name: "plan_day_picked",
            cat: C::Plan,
            w: 0.7,
            pat: r"^(?:\S+ ){0,3}i (?:have |had |have already |already )?(?:picked|chosen|chose|set|decided on|settled on|fixed) (?:the|a) (?:day|date)(?:$| it is| its| it will| it would| for it| when| already)",
            unless: r"\b(?:wedding|holiday|party|move|moving|surgery|operation|appointment|exam|interview|trip|birthday|launch|meeting|funeral|christening|leaving do|retirement|date night|first date|match|race|gig|show|sale|opening)\b",
            why: "the day picked",
            ..D
        },
        Def {
            name: "plan_if_i_do_it",
            cat: C::Plan,
            w: 0.7,
            pat: r"^(?:\S+ ){0,2}(?:if|when) i (?:ever |do )?(?:do|did) it,? (?:it will|it would|it is going to|i will|i would|i am going to) (?:be|use|go|do it)",
            why: "how it would be done, if done",
            ..D
        },
        Def {
            name: "means_supply_kept",
            cat: C::Means,
            w: 0.7,
            pat: r"access to (?:\S+ ){0,3}(?:supply|stock|stash|stockpile|quantity|lot|plenty|box|boxes) of (?:\S+ ){0,2}{PILLS}|(?:keys? to|access to) (?:the )?(?:drugs?|medication|meds|controlled drugs|pharmacy|dispensary|drug) (?:trolley|cupboard|cabinet|room|safe|store|fridge)",
            needs: r"\b(?:think about|thinking about|thought about|tempt\w*|more than i should|on my mind|easy|declined to return|refused to return|will not hand|would not hand|kept them|kept back|large|big)\b",
            why: "access to a supply of medication, kept or dwelt on",
            ..D
        },
        Def {
            name: "prep_method_looked_up",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:researched|looked up|look up|looking up|googled|googling|searched|searching|read up on|reading up on|checked|checking|worked out) (?:\S+ ){0,2}how (?:long|much|many|high|deep|cold|fast) (?:\S+ ){0,6}(?:to drown|to die|drown|to bleed out|bleed out|to overdose|would kill|it takes to die|is lethal|is fatal|a lethal|a fatal|to be fatal|to kill)",
            why: "a method looked into",
            ..D
        },
        Def {
            name: "prep_bought_from_several",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:different|several|other|lots of|various|two|three|four) (?:different )?(?:chemists|pharmacies|shops|supermarkets|doctors|gps|places) so (?:neither|none|nobody|no one|they|people|the pharmacist) (?:\S+ ){0,2}(?:notice|know|see|ask|twig|would ask|would notice|clocks?)",
            why: "buying from several places so nobody notices",
            ..D
        },
        Def {
            name: "attempt_car_exhaust_or_jump",
            cat: C::Attempt,
            w: 0.75,
            pat: r"(?:tried|try|did try|sat|sitting|was) (?:\S+ ){0,4}(?:with )?the (?:car|engine) (?:running )?in the garage|(?:hose|hosepipe|pipe|tube) (?:\S+ ){0,3}(?:the )?exhaust|i (?:\S+ ){0,1}jumped (?:off|from) (?:the |a )?(?:footbridge|bridge|roof|building|balcony|cliff|car park|multi-storey|window|overpass|flyover)|(?:walked|waded|swam|went) (?:out )?into the (?:sea|river|lake|water|ocean|traffic) (?:\S+ ){0,4}(?:meaning|intending|wanting|planning|not to come back|to die|to end it|and did not stop)",
            unless: r"\b(?:dare|bungee|for fun|swimming pool|diving|paddle|paddling|swim with|lads|mates dared|fix|fixing|repair\w*|mechanic|cold out|game|games|minecraft|fortnite|respawn\w*|into the water|into the pool)\b",
            why: "an attempt told by its method",
            ..D
        },
        Def {
            name: "self_harm_on_purpose",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:scald|scalding|scalded|slam|slamming|slammed|bang|banging|banged|hit|hitting|punch|punching|punched|burn|burning|burnt|burned|scratch|scratching|scratched|bite|biting|bit|dig|digging|trap|trapping|trapped|crush|crushing|crushed) (?:my (?:own )?)(?:hand|hands|head|arm|arms|fist|fists|leg|legs|wrist|wrists|fingers|knuckles|skin|thigh|thighs) (?:\S+ ){0,6}(?:on purpose|deliberately|to feel|until it (?:bleeds|bled|bruises|bruised|hurts)|so it hurts|to punish)",
            why: "hurting oneself on purpose",
            ..D
        },
        Def {
            name: "hopeless_given_up_hoping",
            cat: C::Hopelessness,
            w: 0.7,
            pat: r"(?:given up|gave up|give up|stopped|done|finished) (?:on )?(?:hoping|hope)(?: otherwise| for anything| for better| of anything| that it will| it will| things|$)|there is no (?:fixing|saving|helping) me|i am (?:beyond|past) (?:fixing|saving|help|repair)",
            unless: r"\b(?:team|season|match|the bus|the train|parcel|refund|job offer|weather|tickets?)\b",
            why: "hope given up",
            ..D
        },
        Def {
            name: "hopeless_what_is_left",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"(?:so |then |and )?what is (?:there )?left(?: for me| now| of me| to live for)?$|(?:i have|i have got|i am left with) nothing (?:\S+ ){0,8}(?:never|no point|what is left)",
            needs: r"\b(?:nothing|never|without|lost|gone|no one|nobody|no point)\b",
            why: "nothing left",
            ..D
        },
        Def {
            name: "burden_should_not_have_to",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"(?:should not|should never|do not deserve to|ought not to) (?:have to )?(?:prop up|look after|carry|support|care for|deal with|put up with|clean up after|pay for|wipe|bail out|keep bailing out) (?:me|a (?:useless|pathetic|broken|sick|worthless|silly|stupid|failed|old)\b|an old (?:man|woman|fool))",
            why: "others should not have to carry oneself",
            ..D
        },
        Def {
            name: "abuse_punished_or_threatened",
            cat: C::Abuse,
            w: 0.75,
            pat: r"made (?:us|me|the kids|the children|him|her) (?:kneel|stand|sleep|fast|go without|starve|strip|sit|stay) (?:\S+ ){0,4}(?:for hours|all night|for days|if (?:we|i|they|he|she)|as (?:a )?punishment|to punish)|(?:will|would|is going to|going to|threatened to|threatens to|says he will|said he would|says she will) (?:\S+ ){0,1}(?:break|smash|snap) my (?:legs|arms|neck|face|fingers|jaw|knees)|(?:pushed|shoved|threw|kicked|dragged) me (?:down|into|against|across|off|out of|onto) (?:the |a )?(?:stairs|wall|door|floor|ground|table|car|road|window|bed|street)|(?:forced|pressured|made) me (?:into|to do) (?:things|stuff|something|sex|it) (?:\S+ ){0,4}(?:said no|did not want|did not agree)|(?:staff|carers?|caregivers?|nurses?|aides?|workers?) (?:\S+ ){0,3}(?:bruising|bruised|hurting|hitting|slapping|pinching|rough with|shoving|neglecting|restraining|locking in) (?:her|his|my|their|the) (?:mother|mum|mom|father|dad|gran|nan|grandmother|grandfather|grandad|son|daughter|child|sister|brother|wife|husband|residents?|patients?)",
            unless: r"\b(?:game|joke|football|rugby|match|pool|swimming|for a laugh|dare)\b",
            why: "abuse: punished, threatened or forced",
            ..D
        },
        // --- classes of the nineteenth held-out set's misses (December 2026)
        Def {
            name: "passive_taken_sooner",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:would|will|could|might|to) (?:just )?(?:take|took) me (?:\S+ ){0,2}(?:sooner|earlier|quicker|faster|already|now|tonight|in my sleep)",
            needs: r"\b(?:wish|wishes|wishing|hope|hoping|pray|praying|if only|would not mind|want it to)\b",
            after: r"^(?:to|than the (?:bus|train|car)|home|there|into|round|back|out|along|by)\b",
            why: "wishing to be taken sooner",
            ..D
        },
        Def {
            name: "passive_illness_finishes_the_job",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"{DESIRE} (?:\S+ ){0,8}(?:finishes|finish|finished|would finish|will finish|to finish) (?:the job|me off)",
            needs: r"\b(?:lungs?|heart|liver|kidneys?|cancer|illness|disease|drink|booze|smoke|smoking|tumou?r|infection|virus|body|diabetes|cold|damage)\b",
            why: "hoping an illness or injury finishes the job",
            ..D
        },
        Def {
            name: "passive_if_it_fails_fine",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"if (?:the |a |my |this |that |it )?(?:\S+ ){0,2}(?:snap|snaps|snapped|break|breaks|broke|give way|gives way|gave way|fail|fails|failed|collapse|collapses|collapsed|crash|crashes|crashed|go down|goes down|went down|sink|sinks|sank|come down|comes down|came down|hits me|got me|gets me|takes me|went off|goes off|go off|came off|comes off|come off|went over|goes over|flipped|rolled|ran off|runs off) (?:\S+ ){0,3}(?:fine by me|so be it|i would not mind|i would not be sorry|would not be sorry|i would not be upset|that is fine|that would be fine|fine with me|okay by me|okay with me|good riddance|i would not care|i do not care|let it|i would be glad|i would be relieved)",
            needs: r"\b(?:cable|rope|brakes?|lift|cage|plane|roof|ceiling|bridge|scaffold\w*|ladder|harness|boat|ship|engine|car|train|bus|helicopter|chopper|crane|floor|ice|wave|storm|avalanche|heart|parachute|tyres?|wheel|rig|mine|shaft|lorry|truck|van|motorway|cab)\b",
            why: "an accident that would end it, accepted",
            ..D
        },
        Def {
            name: "passive_if_it_takes_me_let_it",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:if|when|maybe|perhaps) (?:it|this|that|this one|that one|the next one|the \S+) (?:is the one that |is the one to |is what |will be the one that )?(?:takes|take|took|will take|would take|gets|get|will get) me (?:then )?(?:let it|so be it|fine by me|fine with me|that is fine|that is okay|and i am fine with that|and i am okay with that|and i would be fine with that|and i would be okay with that|and i do not mind|and i would not mind|i am fine with that|i am okay with that|i do not mind|i would not mind|it takes me|good riddance)",
            why: "death from an illness or a crisis accepted",
            ..D
        },
        Def {
            name: "passive_death_by_chance_accepted",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:if|when) (?:\S+ ){0,12}?(?:i (?:just )?(?:died|was dead|were dead|was gone|did not come round|do not come round|did not come around|do not come around|did not wake up|do not wake up|never woke up|did not make it|do not make it|got clipped|get clipped|(?:got|get) hit by (?:a |the )?(?:\S+ )?(?:bus|car|lorry|truck|train|van|tractor|motorbike)|got knocked down|got run over|get run over|got killed|get killed)|(?:was|is|were|be) my last(?: one| day| night| shift)?|(?:i am|i was|i were) under (?:it|them|there)|i (?:\S+ ){0,6}and that (?:was|is|would be) (?:it|that|the end of it|the end of me)|that was the end of me)\b",
            needs: r"\b(?:so be it|i would take that|take that deal|(?:alright|all right|okay|fine) by me|no great loss|no loss|saves? (?:everybody|everyone|every one|them all)|good riddance|would not be sorry|would not mind|would not care|i do not care|i would be glad|be relieved|be a relief|be a mercy|be a blessing|suits me|i would welcome it)\b",
            unless: r"\bdie on (?:this|that|the) hill\b",
            why: "a death by chance (an operation, an accident, not waking) accepted",
            ..D
        },
        Def {
            name: "passive_accident_would_be_alright",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\baccidents? (?:\S+ ){0,6}(?:(?:alright|all right|okay|fine) by me|so be it|i would not mind|no great loss|suits me)\b",
            needs: r"\b(?:die|died|dead|killed|went over|goes over|rolled|crushed|(?:nobody|no one|no body) would blame)\b",
            why: "a fatal accident that would be welcome",
            ..D
        },
        Def {
            name: "passive_would_not_swerve",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:would not|will not|would never|do not think i would) (?:have )?(?:swerved|swerve|braked|brake|moved|move|get out of the way|got out of the way|jump out of the way|jumped out of the way|stepped back|step back)\b",
            needs: r"\bif\b.*\b(?:lorry|truck|car|bus|train|van|tractor|coach|motorbike)\b|\b(?:lorry|truck|car|bus|train|van|tractor|coach|motorbike)\b.*\b(?:at me|towards me|toward me|came across|come across|coming across|came over|come over)\b",
            unless: r"\bin time\b",
            why: "a fatal collision that would not be avoided",
            ..D
        },
        // set 44's misses with both nets (sixteenth session), as constructions
        Def {
            name: "plan_place_chosen_for_who_finds",
            cat: C::Plan,
            w: 0.75,
            pat: r"\b(?:it would be|it was always going to be|it will be|it is going to be|i would do it(?: in the car)?(?: down)? (?:at|in)) (?:the |a )?(?:\S+ ){0,3}?(?:garage|lock-?up|quarry|barn|loft|beam|level crossing|bridge|river|woods|shed|cliff|railway|tracks|reservoir|lake|field|car)\b",
            needs: r"\b(?:not the house|(?:she|he|they|the kids|mum|my wife|my husband) (?:has|have) to come back to|nobody (?:has|have) to|no one (?:has|have) to|clean up|who would find me|where that happened)\b",
            why: "where it would be done, chosen for who would find it",
            ..D
        },
        Def {
            name: "plan_nobody_has_to_find",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:nobody|no one) (?:has|have|will have|would have) to (?:clean up (?:the house |the mess )?(?:that way|after me)|find me)\b",
            why: "a way chosen so that nobody finds or cleans up",
            ..D
        },
        Def {
            name: "plan_know_what_and_where",
            cat: C::Plan,
            w: 0.75,
            pat: r"\bi know (?:what i will do|what i would do|how i would do it|how i will do it) and (?:where|when|how)(?: and (?:where|when|how))?\W*$",
            why: "knows what would be done, and where or when",
            ..D
        },
        Def {
            name: "plan_that_would_be_when",
            cat: C::Plan,
            w: 0.75,
            pat: r"\bthat (?:would|will) be (?:when|the day|the night)\b",
            needs: r"\bi know (?:which|where|what|how)\b",
            why: "a time chosen, and the means known",
            ..D
        },
        Def {
            name: "prep_sorted_for_when_i_do_it",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"\b(?:so|so that) (?:\S+ ){1,10}(?:for )?when i do it\b",
            needs: r"\b(?:funeral|policy|death|will|insurance|paid|in her name|in his name|death-in-service|sort|deeds|passwords|right place|nothing for)\b",
            why: "affairs put in order for when it is done",
            ..D
        },
        Def {
            name: "prep_less_to_go_through_after",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"\bless for (?:them|her|him|the kids|my \S+|everyone) to (?:go through|sort|sort out|clear|deal with) (?:after|afterwards|when i am gone)\b",
            why: "clearing things so there is less for others after",
            ..D
        },
        Def {
            name: "prep_policy_pays_whatever_the_cause",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"\b(?:pays?|paid|paying) out (?:\S+ ){0,3}(?:whatever|whichever|regardless of|no matter) (?:\S+ ){0,2}(?:the )?cause of death\b",
            why: "checking the policy pays out whatever the cause of death",
            ..D
        },
        Def {
            name: "prep_will_not_be_needing",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"\b(?:will not|would not|not) be needing (?:them|it|these|those|any of it)\b",
            needs: r"\b(?:giving|gave|give|given|gives) (?:\S+ ){0,4}away\b",
            unless: r"\b(?:now (?:that|the|we|i|they)|since (?:we|i|the)|because|as we|moving|downsiz\w*)\b",
            why: "giving things away as no longer needed",
            ..D
        },
        Def {
            name: "hopeless_nothing_ahead_for_me",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bnothing (?:after this for me|in front of me|ahead of me|ahead for me|left in front of me)\b",
            // "there's no nothing ahead of me": a doubled negative, left to the second net
            before: r"\bno\s+$",
            why: "nothing ahead",
            ..D
        },
        Def {
            name: "hopeless_that_is_me_finished",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bthat is me (?:finished|done for|over)\b",
            unless: r"\bfor (?:the day|the night|the week|today|tonight|now)\b",
            why: "finished, with nothing left",
            ..D
        },
        Def {
            name: "hopeless_motions_until_then_that_is_that",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bgoing through the motions (?:until|till) (?:\S+ ){1,6}then that is (?:that|it)\b",
            why: "living out the time until an end",
            ..D
        },
        Def {
            name: "hopeless_no_future_worth_it",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\b(?:can not|cannot|do not|could not) (?:see|picture|imagine) (?:any|a) (?:\S+ ){0,3}(?:future|life) (?:\S+ ){0,2}worth\b",
            why: "no future worth having",
            ..D
        },
        Def {
            name: "burden_best_thing_is_not_be_around",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\b(?:one|only|best|kindest) (?:useful |good |decent |kind )?thing i (?:could|can) do (?:\S+ ){0,4}is (?:to )?(?:not be (?:around|here)|disappear|be gone)\b",
            why: "being gone as the one thing left to give",
            ..D
        },
        Def {
            name: "burden_relieved_to_be_rid_of",
            cat: C::Burdensomeness,
            w: 0.65,
            pat: r"\b(?:they|she|he|everyone|everybody|the family|the kids) would be (?:relieved|glad|happy) to be rid of\b",
            why: "others relieved to be rid of one",
            ..D
        },
        Def {
            name: "self_harm_taking_a_belt_to_oneself",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"\b(?:taking|take|took|taken|takes) (?:a |the |my )?(?:belt|strap|cane|hairbrush|ruler|lighter|knife) to (?:my own|my) (?:\S+ )?(?:legs?|arms?|thighs?|back|hands?|skin|stomach|wrists?|body)\b",
            why: "hurting oneself with an object",
            ..D
        },
        Def {
            name: "hi_hands_round_neck",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"\bi (?:had|put|got) (?:my )?hands? (?:round|around|on) (?:her|his|their|the baby's|\S+'s|\S+ s) (?:neck|throat)\b",
            why: "hands round someone's neck",
            ..D
        },
        Def {
            name: "hi_pinned_against_wall",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:pinned|pinning|pin|shoved|pushed|held|slammed) (?:her|him|them) (?:up )?(?:against|to) the (?:wall|door|fridge|floor|car|bannister)\b",
            why: "pinning someone against a wall",
            ..D
        },
        Def {
            name: "hi_harder_than_i_should",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\bi (?:shove|push|slap|hit|smack|pinch|shake|grab) (?:her|him|them|my \S+) (?:a bit |a little |much |a lot )?(?:harder|more|rougher) than i (?:should|meant|mean|ought)\b",
            why: "rough with someone, more than meant",
            ..D
        },
        Def {
            name: "hi_hit_a_child",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"^(?:\S+ ){0,4}i (?:\S+ ){0,1}(?:slapped|punched|kicked|shoved|shook|smacked|hit|pinched|belted|throttled) the (?:lad|boy|girl|kid|kids|baby|child|little one|young one|wee one)\b",
            why: "hitting a child",
            ..D
        },
        Def {
            name: "hi_following_with_a_weapon",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"\b(?:following|followed|follow|follows) (?:him|her|them) (?:\S+ ){0,4}(?:home|to work|from work|from the depot|from the station)\b",
            needs: r"\b(?:bat|knife|crowbar|hammer|weapon|steering lock|machete|blade)\b",
            why: "following someone, armed",
            ..D
        },
        Def {
            name: "hi_want_her_to_know_i_am_there",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"\bi want (?:her|him|them) to know i am (?:there|watching|outside|around)\b",
            unless: r"\b(?:there|around) for (?:her|him|them)\b",
            why: "watching someone so they know it (stalking)",
            ..D
        },
        Def {
            name: "abuse_put_me_in_the_ground",
            cat: C::Abuse,
            w: 0.75,
            pat: r"\b(?:put|putting) me in the ground\b",
            why: "a threat to kill",
            ..D
        },
        Def {
            name: "active_checking_out_not_of_a_hotel",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"\bi do not mean (?:of|from) (?:a|the) (?:hotel|supermarket|shop|library)\b",
            why: "\"checking out\", and not of a hotel",
            ..D
        },
        Def {
            name: "active_on_my_own_terms",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"\b(?:go|going|die|dying|leave|end it) on my own terms\b",
            needs: r"\b(?:dementia|cancer|illness|disease|gets me|got dad|got mum|before it|die|dying|alzheimer\w*|parkinson\w*)\b",
            why: "dying on one's own terms before an illness",
            ..D
        },
        Def {
            name: "attempt_walked_into_the_sea",
            cat: C::Attempt,
            w: 0.75,
            pat: r"\b(?:walked|waded|went|walk|wade) (?:out )?into the (?:sea|river|lake|water|loch|canal)\b",
            needs: r"\b(?:pulled (?:me|you|him|her) out|lifeboat|coastguard|rescued|dragged (?:me|you|him|her) out|the last time|tried)\b",
            why: "an attempt by drowning, rescued",
            ..D
        },
        Def {
            name: "attempt_did_oneself_in",
            cat: C::Attempt,
            w: 0.7,
            pat: r"\bdid (?:himself|herself|themselves|myself|themself) in\b",
            why: "a suicide (\"did himself in\")",
            ..D
        },
        Def {
            name: "means_kept_back_medication",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:keeping|kept|keep|saving|saved|holding|held) back (?:\S+ ){0,4}(?:morphine|patches|tramadol|oxy\w*|insulin|painkillers|sleeping (?:pills|tablets)|co-codamol|codeine|diazepam)\b",
            unless: r"\b(?:holiday|trip|to take (?:on|with))\b",
            why: "medication kept back, just in case",
            ..D
        },
        Def {
            name: "means_farm_poison_or_bolt_gun_considered",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:paraquat|weedkiller|pesticide|rat poison|antifreeze|captive bolt(?: gun)?)\b",
            needs: r"\b(?:i think about it|crossed my mind|i have thought about|thought about it|think about that)\b",
            why: "a lethal means at hand, thought about",
            ..D
        },
        Def {
            name: "passive_glad_if_illness_finished_off",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:glad|happy|relieved|pleased) if (?:\S+ ){0,6}(?:finished|finish|finishes|took|take|takes) (?:me|him|her) off\b",
            needs: r"\b(?:cancer|tumou?r|illness|disease|heart|stroke|drink|drinking|liver)\b",
            why: "an illness's return welcomed",
            ..D
        },
        Def {
            name: "passive_wished_struck_down",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b{STRUCK_WISH} (?:me|myself)\b",
            unless: r"{SCOLDED}",
            why: "wishing to be struck down by chance (a tree, a falling load)",
            ..D
        },
        Def {
            name: "passive_wished_struck_down_dictated",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b{STRUCK_WISH} (?:him|her|them)\b",
            needs: r"\b(?:client|pt|patient|described|describes|describing|reported|reports|endorsed|endorses|stated|states|disclosed|discloses)\b",
            unless: r"{SCOLDED}",
            why: "wishing to be struck down by chance, as the clinician records it",
            ..D
        },
        Def {
            name: "passive_death_preferred_over",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\bi would (?:rather |happily |gladly )?take (?:a |the )?(?:\S+ ){0,2}(?:heart attack|stroke|death|bullet|car crash|fatal crash|coffin|grave|hearse|overdose) over\b",
            why: "death preferred to what life holds",
            ..D
        },
        Def {
            name: "passive_not_come_home",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:hope|hopes|hoped|hoping|wish|wishes|wished|pray|prays|praying) (?:that )?(?:he|she|i) (?:does|do|did|will|would) not (?:come|make it|get) (?:home|back)(?: alive)?(?: this time| from (?:this|the))",
            why: "hoping not to come back alive",
            ..D
        },
        Def {
            name: "passive_should_have_been_me",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:should|ought to) have been (?:the one|me) (?:who|that|to) (?:did not make it|died|did not survive|did not come back|was killed|got killed|went|lost)|it should have been me(?: instead| not (?:him|her|them)|$)",
            why: "it should have been oneself who died",
            ..D
        },
        Def {
            name: "passive_not_waking_accepted",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:i (?:do not|did not|would not|will not|never) wake up|(?:not|never) (?:to )?wake up|i (?:just )?(?:die|died|went)) (?:\S+ ){0,3}(?:and )?(?:that is|is|it is|that would be|it would be|that will be) (?:okay|ok|fine|alright|all right|good) (?:for|with|by) me|(?:i (?:do not|did not|would not|will not|never) wake up|(?:not|never) (?:to )?wake up) (?:\S+ ){0,3}(?:and )?i am (?:okay|fine|at peace|alright|good) with (?:that|it)",
            why: "not waking up, accepted",
            ..D
        },
        Def {
            name: "passive_would_not_say_no",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:would not|would never|will not|could not) say no to (?:a |an |another )?(?:\S+ )?(?:heart attack|stroke|aneurysm|accident|bus|lorry|meteor|asteroid|car crash|crash|bullet|terminal diagnosis|quick death|death|eternal sleep|long sleep|permanent nap|clot|overdose)",
            why: "would welcome a death",
            ..D
        },
        Def {
            name: "plan_way_worked_out",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:have|has|got|had) (?:a way|it all|it|the whole thing|everything|a method|how) (?:all )?(?:worked out|figured out|planned|planned out|sorted|mapped out)",
            needs: r"\b(?:railway|train line|tracks|bridge|car park|multi-storey|roof|cliff|pills|tablets|overdose|rope|hang|jump|gun|river|sea|motorway|knife|tall|high|building|tower|drown|gas|quarry|edge|that is when|that is the day|that is the night)\b",
            unless: r"\b(?:to get to|to work|commute|journey|ticket|timetable|holiday|wedding|party|trip|route|parking|park the car|visit|interview|move|moving|dinner|lunch|birthday)\b",
            why: "a way worked out",
            ..D
        },
        Def {
            name: "means_know_which_would_do_it",
            cat: C::Means,
            w: 0.7,
            pat: r"know (?:exactly |just |precisely )?(?:which|what|how many) (?:ones|pills|tablets|drugs|meds|of them|doses?|ones) (?:\S+ ){0,2}(?:would|will|could) (?:do it|do the job|kill|be enough|be fatal|be lethal|finish me)|know (?:exactly |just |precisely )?(?:which|what) (?:drugs|pills|tablets|meds) and how (?:much|many)",
            needs: r"\b(?:{PILLS}|pharmacy|chemist|dispensary|drugs?|doses?|overdose|lethal|fatal|ward|nurse|vet)\b",
            why: "knows which drugs would be lethal",
            ..D
        },
        Def {
            name: "means_eyeing_them",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:keep|kept|keeps|been|started|catch myself) (?:eyeing|looking at|staring at|going back to|checking on) (?:them|it|the \S+)(?: up)?",
            needs: r"\b(?:{PILLS}|rat bait|slug pellets|sheep dip|drench|bleach|poison|shotgun|rifle|gun|rope|cord|belt|blades?|razors?)\b",
            unless: r"\b(?:fridge|cake|biscuits|chocolate|phone|clock|menu|prices?|bills?)\b",
            why: "means dwelt on",
            ..D
        },
        Def {
            name: "means_gas_unlit",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:turn|turning|turned|put|putting|leave|leaving|left) (?:on )?(?:the )?(?:gas|oven|it|hob)(?: on)? (?:\S+ ){0,2}(?:and )?(?:not|without|never) (?:lighting|light|igniting|lit) (?:it|the)",
            why: "gas left unlit, thought of",
            ..D
        },
        Def {
            name: "prep_someone_who_will_be_around",
            cat: C::Preparatory,
            w: 0.55,
            pat: r"(?:deserves?|needs?|need) (?:someone|somebody|an owner|a home|a family|a mum|a dad|people) (?:who is|who will|who is going to|that will|that is going to|that is) (?:going to )?(?:be )?(?:around|here)(?: for (?:her|him|them|the long run))?$",
            why: "others need someone who will be around",
            ..D
        },
        Def {
            name: "prep_goodbye_handed_over",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:gave|given|handed|passed) (?:over )?my (?:account|login|logins|characters?|gear|skins|loot|collection|guitar|bike|console|records) (?:over )?to (?:my |a |the )?\S+",
            needs: r"\b(?:bye|goodbye|goodbyes|last|good playing|good knowing|farewell)\b",
            why: "goodbyes said and things handed over",
            ..D
        },
        Def {
            name: "prep_nothing_left_to_sort",
            cat: C::Preparatory,
            w: 0.55,
            pat: r"(?:will not|would not|does not|do not|never) (?:have|need) (?:anything|a thing|nothing) (?:left )?to (?:sort out|sort|deal with|untangle|clear up|worry about)",
            needs: r"\b(?:paid off|cleared|debts?|direct debits?|will|accounts?|passwords|insurance|paperwork|mortgage)\b",
            why: "affairs settled so nothing is left to sort",
            ..D
        },
        Def {
            name: "prep_guardian_just_in_case",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:to be|be|as|become|named|name|made|make|making) (?:\S+ ){0,1}(?:guardian|guardians|legal guardian|godparent) (?:for|of|to) (?:the |my |our )?(?:kids|children|boys|girls|son|daughter|baby)",
            needs: r"\b(?:just in case|in case|if anything|why i was asking|asking now|when i am gone|after i am gone|if i am not here)\b",
            why: "a guardian arranged for the children, just in case",
            ..D
        },
        Def {
            name: "attempt_stomach_pumped",
            cat: C::Attempt,
            w: 0.6,
            pat: r"(?:pump|pumped|pumping) (?:my|her|his) stomach|(?:drank|swallowed|drunk|downed) (?:a |the |half a |a whole |most of a )?(?:bottle|can|capful|tin|jug) of (?:the |some )?(?:bleach|antifreeze|weedkiller|paraquat|pesticide|poison|drain cleaner|disinfectant|white spirit)",
            why: "poison swallowed, or a stomach pumped",
            ..D
        },
        Def {
            name: "self_harm_until_it_marks",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:bang|banging|banged|hit|hitting|punch|punching|punched|slam|slamming|slammed) my (?:own )?(?:head|fists?|hands?|arms?) (?:\S+ ){0,6}until (?:i see stars|it (?:bleeds|bled|bruises|bruised|splits)|i (?:bleed|bled|bruise|feel something|cannot feel))|until (?:my |the )?skin (?:blisters|blistered|bleeds|bled|burns|burnt|breaks|broke|splits|is raw|goes raw|comes off)",
            unless: r"\b(?:sunburn|sun|beach|tan|tanning|sunbed)\b",
            why: "hurting oneself until it marks",
            ..D
        },
        Def {
            name: "hopeless_forever_like_this",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"(?:i am|i will|i am going to|gonna) (?:be|feel|stay) (?:like this|this \S+|this way|stuck like this) (?:forever|for ever|for the rest of my life|always)|^what is the point (?:in|of) (?:treatment|therapy|trying|going on|carrying on|anything|it all|getting up|any of it|coming here|the pills|the tablets|medication)$|and (?:it|they|that|this) always will(?: be)?$",
            why: "it will always be like this",
            ..D
        },
        Def {
            name: "burden_used_up_their_life",
            cat: C::Burdensomeness,
            w: 0.65,
            pat: r"(?:used up|taken up|wasted|eaten up|taken) (?:enough|too much|so much|years) of (?:her|his|their|my (?:\S+ )?(?:mum|mom|dad|mother|father|wife|husband|partner|family)) (?:life|lives|time|years)",
            why: "taking up others' lives",
            ..D
        },
        Def {
            name: "hi_i_know_where_he_lives",
            cat: C::HarmToOthers,
            w: 0.5,
            pat: r"^(?:\S+ ){0,2}(?:i|we) know where (?:he|she|they|that \S+|the \S+) (?:lives|live|works|sleeps|parks)(?: now)?$|that is all i am saying$",
            needs: r"\b(?:know where|know when)\b",
            why: "a veiled threat: knowing where someone lives",
            ..D
        },
        Def {
            name: "abuse_severe_done_to_me",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:choked|strangled|throttled|raped|smothered|waterboarded) me|(?:grabbed|grabs|grabbing|had|put|gripped|squeezed) (?:me by )?(?:my|the) (?:throat|neck)|(?:his|her|their) (?:hands?) (?:round|around) my (?:throat|neck)|(?:burns|burned|burnt|burning) (?:me|her|him|them) with (?:cigarettes|a cigarette|a lighter|an iron|the iron|a hot)|(?:kept|keeps|locked|shut) (?:me|her|him|us|them) (?:\S+ ){0,4}(?:for (?:two|three|four|five|several|a few|many) (?:days|nights)|(?:with )?no food|without food|without water)|made (?:us|me) do (?:things|stuff) (?:\S+ ){0,4}(?:showers?|bedroom|naked|initiation|i was (?:\d+|\w+teen|a kid|young|little|only))",
            unless: r"\b(?:smoke|food|fumes|dust|tears|emotion|laughing|on a|hiccups|my own|game)\b",
            why: "violence or confinement done to someone",
            ..D
        },
        // --- classes of the twentieth held-out set's misses (December 2026)
        Def {
            name: "passive_let_it_take_me",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"let (?:the next one|it|this one|the next|the illness|the disease|the cancer|the crisis|the sickness|nature|the sea|the cold|the drink) (?:just )?(?:take|finish|have) me",
            after: r"^(?:to|home|there|into|round|back|out|along|by|through)\b",
            why: "letting an illness or the next crisis take one",
            ..D
        },
        Def {
            name: "passive_bad_news_a_relief",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"if (?:they|the doctors?|he|she|the consultant|the specialist) (?:told|tell|said|say|rang|called) (?:me )?(?:\S+ ){0,5}(?:had |has |was |is )?(?:turned|spread|progressed|come back|got worse|gotten worse|terminal|incurable|untreatable)(?: \S+){0,5} (?:relieved|a relief|glad|happy|would not mind|would not be sorry)",
            why: "bad news of an illness welcomed",
            ..D
        },
        Def {
            name: "passive_been_there_instead",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"wish(?:ed|ing|es)? i (?:had|would have|could have|would) been (?:in|on|at|with|the one in) (?:\S+ ){0,6}instead(?: of (?:her|him|them|my \S+))?|wish(?:ed|ing|es)? it (?:had|would have) been me(?: instead)?",
            why: "wishing to have died in another's place",
            ..D
        },
        Def {
            name: "active_the_one_making_it_happen",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"i (?:would|will|would have to|will have to|am going to) be the one (?:making it happen|doing it|to do it|who does it|to make it happen|ending it|who ends it)",
            needs: r"\b(?:want out|done|end|gone|over|finished)\b",
            why: "wanting out, by one's own hand",
            ..D
        },
        Def {
            name: "plan_when_the_insurance_clears",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:insurance|life cover|policy|payout|pension) (?:\S+ ){0,2}(?:clears|pays out|goes through|kicks in|is sorted|is in place|matures|comes through) (?:\S+ ){0,4}that is (?:when|the day|the time)",
            why: "the time set by an insurance payout",
            ..D
        },
        Def {
            name: "plan_the_idea_is",
            cat: C::Plan,
            w: 0.7,
            pat: r"^(?:the|my) (?:idea|plan|thinking|way) (?:is|would be|was) (?:\S+ ){0,4}(?:{PILLS}|rope|bath|bridge|jump|car|train|gun|knife|overdose|the river|the sea|the car park|the roof)",
            unless: r"\b(?:holiday|wedding|party|dinner|weekend|trip|business|project|garden|kitchen|the (?:train|car|bus) (?:to|into|up|down|back|home|there|in)|fares?|tickets?|journey|commute|cross(?:ing)? the bridge|reduce|taper\w*|come off|wean\w*|cut down)\b",
            why: "the method decided",
            ..D
        },
        Def {
            name: "plan_not_brake",
            // a method thought of, not by itself a plan ("I think about just not turning the
            // wheel on the bend ... there's no plan")
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:not|never|without) (?:brake|braking|brakes|turning|turn the wheel|slow down|slowing down) (?:\S+ ){0,3}(?:at|on|into|for|before) (?:the )?(?:bend|corner|curve|tree|wall|bridge|barrier|lorry|truck|pillar)",
            why: "a crash planned",
            ..D
        },
        Def {
            name: "means_using_it_on_oneself",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:thought about|thinking about|thinking of|thought of|considered|considering|imagined) using (?:it|them|some|that|the \S+) on (?:herself|himself|myself|themselves)",
            why: "thought of using means at hand on oneself",
            ..D
        },
        Def {
            name: "means_hidden_under_bed",
            cat: C::Means,
            w: 0.6,
            pat: r"(?:knife|blade|razor|gun|pistol|rope|pills|tablets|cord) (?:(?:is|are|was|were|i keep|stays|kept) )?(?:\S+ ){0,1}under (?:my |the )?(?:mattress|pillow|bed)",
            why: "a means hidden where one sleeps",
            ..D
        },
        Def {
            name: "prep_to_see_how_high",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:went|go|going|been|drove|walked|climbed) (?:up )?(?:to )?(?:the )?(?:top of )?(?:the )?(?:car park|multi-storey|bridge|cliff|cliffs|roof|tower|building|quarry|viaduct) (?:\S+ ){0,4}to see how (?:high|far|deep|long|tall|steep)",
            unless: r"\b(?:views?|tourists?|sightseeing|photos?|pictures?|sunset|scenery|tour|trip|holiday|survey\w*|inspect\w*)\b",
            why: "a place looked over, to see how high",
            ..D
        },
        Def {
            name: "prep_bare_note",
            cat: C::Preparatory,
            w: 0.55,
            pat: r"^i (?:have )?(?:wrote|written|left) (?:a|the) note$",
            why: "a note written",
            ..D
        },
        Def {
            name: "prep_tidy_ending",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"^(?:a |that is a |it is a |it would be a |just a )?(?:tidy|neat|clean|proper) (?:ending|end|finish|exit)$",
            why: "affairs ended tidily",
            ..D
        },
        Def {
            name: "attempt_stepped_in_front",
            cat: C::Attempt,
            w: 0.8,
            pat: r"(?:stepped|walked|ran|jumped|went) (?:off the kerb |off the curb |out )?(?:in front of|into the path of) (?:a |the )?(?:bus|car|lorry|truck|train|traffic|van|tram) (?:\S+ ){0,2}on purpose",
            why: "an attempt told by its method",
            ..D
        },
        Def {
            name: "self_harm_making_cuts",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"(?:make|made|making|do|did|doing) (?:little |small |tiny |some )?cuts (?:on|in|into) (?:me|my|myself)|(?:scald|scalding|scalded|scalds) my (?:hands?|arms?|skin|legs?|feet)",
            unless: r"\b(?:accident\w*|by mistake|cooking|kettle boiled over)\b",
            why: "cutting or scalding oneself",
            ..D
        },
        Def {
            name: "hopeless_point_of_treatment",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"^what is the point (?:in|of) (?:the )?(?:new )?(?:kidney|transplant|operation|surgery|chemo|chemotherapy|treatment|therapy|rehab|trying again|medication|pills)$|(?:given up|gave up) (?:really )?(?:on )?(?:everything|life|it all|myself|all of it)$|^i have (?:just )?given up(?: really)?$|no (?:refill|rescue|help|relief|light|way out) (?:\S+ ){0,1}(?:coming|in sight|ahead)|^whatever i do i (?:lose|fail|mess (?:it|up))",
            why: "no point, given up",
            ..D
        },
        Def {
            name: "hi_break_his_legs",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"(?:i am going to|i will|i am gonna|i would|i could) (?:\S+ ){0,1}(?:break|smash|snap) (?:his|her|their) (?:legs|arms|neck|face|jaw|knees|skull|head)",
            unless: r"\b(?:game|joke|joking|kidding|ha|haha|lol)\b",
            why: "a threat to injure someone",
            ..D
        },
        Def {
            name: "hi_hurt_their_animal",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:imagin\w+|think\w* about|thought about|picture\w*|want to|wanted to|going to|urge to) (?:hurting|hurt|killing|kill|poisoning|poison|drowning|drown) (?:the |his |her |their |that )?(?:\S+ )?(?:dog|cat|pet|horse|puppy|kitten)",
            why: "harm to someone's animal, imagined",
            ..D
        },
        Def {
            name: "abuse_left_soiled",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:leave|left|leaves|leaving) (?:me|her|him|them|mum|dad) (?:wet|soiled|dirty|lying|in (?:my|her|his) own|without food|without water|on the floor|hungry|cold) (?:\S+ ){0,4}(?:all night|for hours|all day|for days|overnight)",
            why: "neglect by carers",
            ..D
        },
        // --- classes of the twenty-first held-out set's misses (December 2026)
        Def {
            name: "passive_rooting_for_the_piano",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:waiting|hoping|praying|rooting) (?:for )?(?:a |the )?(?:piano|meteor|asteroid|anvil|bus|lorry|truck|safe|brick|tree) (?:to )?(?:fall on|hit|land on|flatten|take out|crush) me|rooting for the (?:piano|meteor|asteroid|bus|lorry|cancer|tumou?r|illness|virus|anvil)",
            why: "hoping to be killed by chance",
            ..D
        },
        Def {
            name: "passive_better_away",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:i|he|she|they) (?:would|will|might) be better (?:away|off away|gone|out of it)",
            after: r"^(?:from|to|for a|on holiday|at|abroad|with)\b",
            why: "\"better away\", said of oneself",
            ..D
        },
        Def {
            name: "active_not_planning_to_be_around",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"not (?:planning on|planning to|going to|intending to|expecting to) (?:be |being )?(?:around|here|alive) (?:long enough|much longer|for (?:long|that|much longer)|by then|that long|next (?:year|month|week))",
            why: "not planning to be alive",
            ..D
        },
        Def {
            name: "active_do_away_with_myself",
            cat: C::ActiveSi,
            w: 0.85,
            pat: r"(?:do|doing|did|done) away with (?:myself|himself|herself|themselves)|(?:make|making) it happen (?:myself|by myself|on my own)|(?:yeet|yeeting|fling|flinging|chuck|chucking|hurl|hurling|launch|launching|lob|lobbing) (?:myself|himself|herself) (?:off|from|under|in front of|into)",
            why: "killing oneself, in other words",
            ..D
        },
        Def {
            name: "prep_not_here_not_on_holiday",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:will not|would not|am not going to|not going to) be (?:here|around)(?: \S+){0,4} (?:i do not mean|not because|and not because) (?:i am |i will be )?(?:on holiday|away|moving|travel\w*)",
            why: "won't be here, and not on holiday",
            ..D
        },
        Def {
            name: "plan_when_and_how",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:the )?(?:how and (?:the )?when|when and (?:the )?how|when and where|where and when|how and where)(?: \S+){0,3} (?:are |is )?(?:sorted|worked out|decided|planned|written|figured out|all in|set)|(?:written|wrote|worked out|decided|sorted|figured out|planned) (?:\S+ ){0,4}(?:when and how|how and when|where and when|when and where)|^(?:\S+ ){0,2}i (?:have |have got |have already |already )?(?:got )?(?:a|the) date (?:set|picked|in mind|chosen|sorted)$",
            unless: r"\b(?:wedding|holiday|party|move|moving|trip|birthday|launch|meeting|exam|interview|surgery|operation|appointment|funeral|christening|match|race|gig)\b",
            why: "the when and how decided",
            ..D
        },
        Def {
            name: "plan_when_alone",
            cat: C::Plan,
            w: 0.7,
            pat: r"i (?:will|am going to|would|could|am gonna) do it (?:when|while|once) (?:he|she|they|everyone|the kids|my \S+) (?:is |are |has |have )?(?:away|out|gone|asleep|at work|on holiday|left)",
            needs: r"\b(?:on my own|alone|nobody|no one|by myself|whole weekend|find me|stop me)\b",
            why: "a time chosen when alone",
            ..D
        },
        Def {
            name: "plan_take_my_weight",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:bannister|banister|beam|rail|railing|hook|loft hatch|branch|pipe|door frame|curtain rail|light fitting|stair rail) (?:\S+ ){0,8}(?:take|hold|bear|support) my weight",
            unless: r"\b(?:gym|pull-up|pull up|exercise|climbing|hammock|swing|workout|chin-up)\b",
            why: "a ligature point tested in thought",
            ..D
        },
        Def {
            name: "means_enough_saved",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:got|have|saved|collected|kept|stored|stockpiled) enough (?:of )?(?:the |my )?{PILLS}",
            unless: r"\b(?:prescription|refill|holiday|trip|to last|until|till|for the (?:week|month|weekend)|repeat)\b",
            why: "enough pills saved",
            ..D
        },
        Def {
            name: "means_gun_on_a_pretext",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:borrow|get hold of|buy|get|take) (?:\S+ ){0,2}(?:rifle|gun|shotgun|pistol|firearm|crossbow)",
            needs: r"\b(?:(?:say|said|tell|told) (?:him |her |them )?it (?:is|was) for|pretend\w*|lied|so nobody|without telling|made up)\b",
            why: "a gun sought on a pretext",
            ..D
        },
        Def {
            name: "prep_lethal_dose_looked_up",
            cat: C::Preparatory,
            w: 0.75,
            pat: r"(?:researched|looked up|look up|looking up|googled|googling|searched|searching|read up|reading up|checked|checking)(?: \S+){0,3} (?:what|which) (?:dose|amount|quantity|number|drugs?|pills?) (?:\S+ ){0,3}(?:fatal|lethal|deadly|enough to (?:die|kill))",
            why: "a lethal dose looked up",
            ..D
        },
        Def {
            name: "attempt_tried_to_go",
            cat: C::Attempt,
            w: 0.75,
            pat: r"(?:tried|try) to go (?:\S+ ){0,5}with (?:the |my |some )?{PILLS}",
            why: "an attempt with pills",
            ..D
        },
        Def {
            name: "hopeless_lost_cause",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"i am (?:a )?(?:lost cause|hopeless case|write-off|goner)|(?:therapy|treatment|medication|this|you|the pills|the tablets) (?:is |are )?(?:not|never) (?:going to|gonna|will|can) (?:fix|help|save|change) me|(?:nothing|no one|nobody) (?:is |can |will )?(?:going to |gonna )?(?:fix|save) me|stopped expecting (?:anything else|anything better|better|things to (?:get better|change|improve))|there is no coming back from (?:this|it|here)",
            why: "a lost cause",
            ..D
        },
        Def {
            name: "passive_waiting_for_it_to_be_over",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"waiting (?:for|on) (?:it all|everything|life|this life|my life|it) to (?:be over|end|finish|stop|run out)",
            unless: r"\b(?:exams?|wedding|move|renovation|trial|court case|season|surgery|shift|week|term|school|semester|holiday|party|christmas|festival|storm|meeting|game|match)\b",
            why: "waiting for life to be over",
            ..D
        },
        Def {
            name: "hi_take_him_out",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"i (?:would|will|could|am going to) (?:happily |gladly |willingly )?take (?:him|her|them|that \S+) out$|(?:i would|i will|happy to|willing to) do the (?:time|bird|prison time)(?: for (?:it|him|her|that))?(?: i do not care)?$",
            why: "harm to someone, the cost accepted",
            ..D
        },
        Def {
            name: "hi_go_for_him",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:going to|gonna|will|would) go for (?:him|her|them)",
            needs: r"\b(?:decided|when (?:he|she|they) (?:shows|turns|comes)|court|knife|punch|hurt|kill|swing|throat)\b",
            why: "an attack decided",
            ..D
        },
        Def {
            name: "passive_welcome_death_plain",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:would|will|could) (?:quite |really |honestly |gladly )?welcome (?:death|dying|the end|it all ending)",
            why: "death welcomed",
            ..D
        },
        Def {
            name: "abuse_forced_or_shared",
            cat: C::Abuse,
            w: 0.8,
            pat: r"forced (?:himself|herself|themselves) (?:on|onto) (?:me|her|him|us)|(?:sends|sent|shares|shared|posts|posted|leaks|leaked|spreads|spread) (?:my|her|our) (?:nudes|naked (?:photos|pictures|pics)|intimate (?:photos|images|pictures))|(?:burn|burns|burned|burnt) (?:me|her|him|us) with (?:the|an|a hot) iron",
            why: "sexual or image-based abuse, or burning",
            ..D
        },
        Def {
            name: "burden_better_off_if_not_there",
            cat: C::Burdensomeness,
            w: 0.75,
            pat: r"(?:better off|happier|better|easier|smoother) (?:\S+ ){0,3}if i (?:just |simply )?(?:was not|were not|was gone|were gone|was not there|was not here|was not around)",
            why: "others better off without oneself",
            ..D
        },
        // --- classes of the twenty-second held-out set's misses (December 2026)
        Def {
            name: "passive_relief_at_bad_news",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:scan|scans|test|tests|results?|biopsy|bloods|blood tests?|diagnosis|doctor|consultant|they|it) (?:\S+ ){0,3}(?:came back|comes back|come back|said|says|say|told me|was|were|is) (?:\S+ ){0,2}(?:bad|terminal|positive|cancer|incurable|the worst|not good|months to live)",
            needs: r"\b(?:relief|relieved|glad|grateful|thankful|welcome it|pleased|a blessing)\b",
            unless: r"\b(?:no relief|not relieved|not glad|clear|all clear|negative|benign)\b",
            why: "relief imagined at a fatal diagnosis",
            ..D
        },
        Def {
            name: "active_just_do_it_get_it_over",
            cat: C::ActiveSi,
            w: 0.6,
            pat: r"(?:think|thought|thinking|tempted|want|wanted) (?:\S+ ){0,4}(?:just )?do it,? (?:and )?get it (?:all )?over with",
            needs: r"\b(?:me,? i mean|myself|not anyone else|my life|end it|be gone|not here)\b",
            why: "thinking of \"just doing it\", meaning oneself",
            ..D
        },
        Def {
            name: "means_the_one_i_would_use",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:knife|blade|razor|gun|rifle|shotgun|rope|belt|cord|pills|tablets|scarf|cable) (?:that |which )?i (?:would|will|am going to|could|plan to) use (?:on myself|to do it|to end it|to kill myself|if i did it|if i do it)",
            why: "the means one would use on oneself",
            ..D
        },
        Def {
            name: "prep_who_gets_what",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:sort\w*|giv\w*|writ\w*|leav\w*|label\w*|organi[sz]\w*|decid\w*|work\w* out|who gets what|stuff) (?:\S+ ){0,8}(?:for when|ready for when|for after|after) i am (?:not here|not around|gone|dead|no longer here)",
            needs: r"\b(?:who gets what|will|belongings|my things|stuff|letters?|goodbye|passwords|funeral|possessions|rehom\w*)\b",
            unless: r"\b(?:holiday|away on|hospital|travel\w*|trip|surgery|maternity|leave|prison|course|conference)\b",
            why: "belongings shared out for after one is gone",
            ..D
        },
        Def {
            name: "prep_drop_looked_at",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:went|drove|walked|go|going|gone|been|cycled|took the bus|got the train) (?:out |up |down |over )?(?:to )?(?:the |a )?(?:cliffs?|bridge|viaduct|car park roof|multi-storey|tracks|railway|quarry|dam|tower|rooftop|roof|edge|gorge|ledge) (?:\S+ ){0,6}(?:see|check|look at|find out|work out|know) (?:what|how) (?:the drop|far down|high (?:it|the drop)|far (?:it|the drop)|long the fall|deep the water)",
            unless: r"\b(?:view|photos?|pictures?|sunset|birds|walk with|picnic|climb\w*|abseil\w*)\b",
            why: "a place visited to judge the drop",
            ..D
        },
        Def {
            name: "prep_affairs_cleared_for_when_gone",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:paid off|pay off|paying off|cancelled|canceled|cancel|cancelling|sorted|closed|settled|cleared|tidied) (?:\S+ ){0,8}(?:so|so that) (?:nobody|no one|they|my \S+|the family|the kids) (?:\S+ ){0,4}(?:when|after|once) i am (?:gone|dead|not here|not around|no longer here)",
            why: "affairs put in order for after one's death",
            ..D
        },
        Def {
            name: "prep_ligature_rehearsed",
            cat: C::Preparatory,
            w: 0.8,
            pat: r"(?:ligature|noose|rope|cord|belt) (?:\S+ ){0,2}(?:around|round|on) (?:\S+ )?neck|(?:disclosed|described|reports?|reported|admits?|admitted|told me about) (?:a |an )?(?:rehearsal|rehearsing|practice run|dry run)",
            why: "a rehearsal with a ligature",
            ..D
        },
        Def {
            name: "prep_pills_from_several_places",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:{PILLS}|packets|boxes) (?:\S+ ){0,6}(?:different|several|three|two|four|other|various) (?:chemists|pharmacies|pharmacists|shops|supermarkets|doctors|gps|surgeries)",
            needs: r"\b(?:enough|add up|adds up|stockpil\w*|saving|save|saved|collect\w*|so nobody|so no one|without)\b",
            why: "pills gathered from several places",
            ..D
        },
        Def {
            name: "attempt_did_try_with_pills",
            cat: C::Attempt,
            w: 0.75,
            pat: r"(?:did|have|had) (?:try|tried) (?:it )?(?:once |twice |before |one time )(?:\S+ ){0,1}with (?:the |my |some )?{PILLS}|(?:tried|try) (?:once |twice |before )with (?:the |my |some )?{PILLS}",
            why: "an attempt with pills",
            ..D
        },
        Def {
            name: "self_harm_marks_explained_away",
            cat: C::SelfHarm,
            w: 0.65,
            pat: r"(?:scratches|cuts|marks|burns|scars|bruises|plasters) (?:\S+ ){0,3}(?:arms?|forearms?|wrists?|legs?|thighs?|stomach|tummy)",
            needs: r"\b(?:says it is|said it was|says it was|says they are|said they were|claims|excuse|the cat|lies|lying|hides|hiding|covers them|long sleeves|we do not have)\b",
            why: "marks of self-harm explained away",
            ..D
        },
        Def {
            name: "self_harm_head_banging",
            cat: C::SelfHarm,
            w: 0.65,
            pat: r"(?:bang|banged|banging|bangs|hit|hitting|smash\w*|slam\w*) my head (?:against|on|into) (?:the |a )?(?:wall|walls|floor|door|desk|table|radiator|mirror)",
            needs: r"\b(?:over and over|again and again|repeatedly|until|till|on purpose|kept|keep|deliberately|to feel)\b",
            why: "banging one's head on purpose",
            ..D
        },
        Def {
            name: "self_harm_she_cuts",
            cat: C::SelfHarm,
            w: 0.6,
            pat: r"\b(?:he|she|they|i) (?:still )?(?:cuts|cut|used to cut|has been cutting|self-harms)(?:,|\.|$| and (?:i|we|everyone|nobody)| but| we all)",
            unless: r"\b(?:hair|cards|deck|class|corners|lessons?|school|the cake|fabric|lawn|grass)\b",
            why: "cutting, named",
            ..D
        },
        Def {
            name: "hopeless_what_am_i_waiting_for",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"what (?:am i|is there|are we) (?:still |even |really )?(?:hanging (?:on|around)|holding on|sticking around|staying around) for|what (?:am i|is there|are we) (?:still|even|really) (?:waiting|living) for|what (?:am i|is there|are we) (?:waiting|living) for,? (?:exactly|anymore|any more|at this point|at my age|now)",
            unless: r"\b(?:bus|train|call|results|permission|go ahead|green light|invitation|let us|book|go for it)\b",
            why: "nothing left to wait for",
            ..D
        },
        Def {
            name: "burden_mouth_to_feed",
            cat: C::Burdensomeness,
            w: 0.65,
            pat: r"(?:just |only )?(?:another|one more|an extra) mouth to feed|i (?:just )?(?:take|taking) (?:and take|everything) and (?:never )?give (?:nothing|anything)|i (?:do not|never) (?:bring|contribute|add) (?:anything|a thing)(?: in)?(?: to (?:this|the) (?:family|house|household))?$",
            unless: r"\b(?:baby|babies|newborn|arrived|born|twins|puppy|kitten|came along)\b",
            why: "a drain on others",
            ..D
        },
        Def {
            name: "hi_prison_weapon",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"(?:going to|will|would|wants to|want to|plans to|threaten\w* to|swears? (?:he|she|they|i) will) (?:\S+ ){0,1}(?:shank|knife|glass|bottle|do in|stab|batter) (?:\S+ ){0,3}(?:screws?|guards?|officers?|cellmate|inmates?|lads?|bloke|kid|teacher|him|her|them|someone|somebody)",
            why: "a threat to stab someone",
            ..D
        },
        Def {
            name: "abuse_thrown_against",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:throws|threw|throwing|thrown|chucks|chucked|slams|slammed|shoves|shoved|pushes|pushed) (?:me|her|him|them|us|mum|mom|my \S+) (?:\S+ ){0,2}(?:into|against|across|down|onto|through) (?:the )?(?:walls?|floors?|doors?|stairs|table|furniture|ground|radiator)",
            why: "thrown against walls",
            ..D
        },
        // --- classes of the twenty-third held-out set's misses (December 2026)
        Def {
            name: "passive_should_have_finished_me",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:it|the stroke|the crash|the accident|the cancer|the heart attack|the fall|the overdose|that|the fire|the bomb|the blast) (?:should have|ought to have|might as well have) (?:just )?(?:finished|killed|taken) (?:me|the job)(?: off)?|(?:wish|wished|wishing) (?:it|the \S+) (?:had|would have) (?:just )?(?:finished|killed|taken) (?:me|the job)",
            why: "wishing an illness or accident had been fatal",
            ..D
        },
        Def {
            name: "passive_fine_if_a_lorry",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:would be|i would be|i am) (?:fine|okay|alright|happy|glad) if (?:\S+ ){0,2}(?:a |the |some )?(?:lorry|bus|truck|car|train|van|drunk \S+|drunk)(?: just)?(?: yeah| you know)?$",
            why: "fine if a vehicle hit one, left unsaid",
            ..D
        },
        Def {
            name: "passive_wish_someone_takes_me_out",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:wish|wishing|wished|hope|hoping|hoped|pray|praying) (?:\S+ ){0,8}(?:take|takes|took|knock|knocks|wipe|wipes|run|runs|mow|mows) me (?:out|over|off|down)",
            after: r"^(?:for|to|on|dancing|again|somewhere|tonight|shopping)\b",
            why: "hoping to be killed by someone else",
            ..D
        },
        Def {
            name: "passive_be_with_the_dead",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"i (?:just |really |only |still )?(?:want|wanted|wish|long|am longing|am ready|keep wanting) (?:\S+ ){0,1}to (?:be|go) (?:with|to) (?:him|her|them|my \S+) (?:again,? )?(?:wherever (?:he|she|they) (?:is|are)|in heaven|up there|on the other side|where (?:he|she|they) (?:is|are|went))",
            why: "wanting to join someone who died",
            ..D
        },
        Def {
            name: "passive_death_sounds_restful",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:death|dying|being dead|the grave|not existing) (?:sounds|seems|looks|feels|would be) (?:like )?(?:a |so |quite |pretty )?(?:holiday|rest|relief|peaceful|nice|restful|like a break|tempting|appealing|lovely|a break|bliss)",
            why: "death pictured as rest",
            ..D
        },
        Def {
            name: "active_take_myself_out",
            cat: C::ActiveSi,
            w: 0.65,
            pat: r"(?:want|wants|wanted|going|thinking|thought|tempted|plan|planning|decided) (?:\S+ ){0,2}(?:to )?(?:take|taking) myself out",
            after: r"^(?:for|to|on|dancing|somewhere|shopping|more|again|of the (?:house|room|situation|conversation|group|team|race|running|equation))\b",
            why: "taking oneself out",
            ..D
        },
        Def {
            name: "active_eat_a_gun",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"eat (?:my|his|her|their|a|the) (?:gun|bullet|shotgun|pistol|service weapon)|eat (?:a )?lead",
            why: "\"eat his gun\": shooting oneself",
            ..D
        },
        Def {
            name: "active_told_to_kys_and_might",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:kys|kill yourself|kill urself|go die|neck yourself) (?:\S+ ){0,8}(?:i might|i should|i will|maybe i should|they are right|i am thinking about it|i might actually|maybe i will)",
            why: "told to kill oneself, and thinking of it",
            ..D
        },
        Def {
            name: "plan_drive_into_the_river",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:i would|i will|i am going to|i could|i am gonna|thought about|thinking about|going to) (?:\S+ ){0,1}(?:drive|driving|steer|steering|crash|crashing) (?:the |my )?(?:\S+ )?(?:car|cab|van|truck|lorry|taxi|bike|motorbike) (?:into|off) (?:the |a )?(?:river|sea|harbou?r|canal|lake|quay|cliff|bridge|wall|tree|barrier|reservoir|motorway)|worked out (?:which|where|the) (?:\S+ ){0,3}(?:no railing|no railings|no fence|no barrier|no rail|unfenced|deep enough|highest drop)",
            why: "a way and a place decided",
            ..D
        },
        Def {
            name: "plan_on_the_anniversary",
            cat: C::Plan,
            w: 0.65,
            pat: r"i (?:would|will|am going to|am gonna) do it (?:on|at) (?:the |her |his |my |their )?(?:anniversary|grave|graveside)|i (?:will|am going to|would|am gonna) do it (?:the (?:night|day|morning|week) (?:before|after)|before (?:the|they|he|she)|on the (?:night|day))",
            needs: r"\b(?:if|worked out|all planned|decided|fails|refused|deport\w*|flight|hearing|court|sentence|grave|anniversary)\b",
            unless: r"\b(?:meal|dinner|lunch|party|celebrat\w*|gift|present|trip|holiday|restaurant|cake|wedding|proposal|propose|surprise)\b",
            why: "a date chosen",
            ..D
        },
        Def {
            name: "plan_not_the_ones_who_find_me",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:not|never) (?:be )?(?:the ones?|the person|the first|the people) (?:who|that|to) (?:finds?|found|find) me",
            why: "who will find the body, thought of",
            ..D
        },
        Def {
            name: "means_looked_at_differently",
            cat: C::Means,
            w: 0.6,
            pat: r"(?:look|looking|looked|see|seeing) at (?:the |my |that |a )?(?:big |sharp |kitchen )?(?:one|knife|knives|blade|rope|gun|pills|tablets|bridge|tracks|beam|belt) (?:in a |a )?(?:different way|differently)",
            needs: r"\b(?:lately|now|these days|since|anymore|recently|started)\b",
            why: "a means looked at differently",
            ..D
        },
        Def {
            name: "means_in_case_i_decide",
            cat: C::Means,
            w: 0.55,
            pat: r"in case i (?:decide|go through with it|finally do it|decide to do it)\b|(?:keep|kept|carry|carrying) (?:all )?(?:the |my )?{PILLS} (?:on me|with me) (?:\S+ ){0,3}(?:all of (?:it|them)|in case)",
            why: "means kept at hand in case",
            ..D
        },
        Def {
            name: "means_thought_of_when_cleaned",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:think|thinking|thought) about (?:it|the gun|using it|that) every time i (?:clean|see|hold|touch|load|pass|open) (?:it|the gun|the cabinet|the safe)",
            needs: r"\b(?:gun|rifle|shotgun|pistol|knife|pills|rope|firearm)\b",
            why: "a gun thought of when handled",
            ..D
        },
        Def {
            name: "prep_tidy_when_gone",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:tidy|sorted|in order|straightforward|easy|simple|ready|taken care of) (?:for (?:them|her|him|everyone) )?(?:when|after|once|for when) i am (?:gone|dead|not here|no longer here|not around)|(?:did not|do not|would not) want to leave (?:any )?loose ends|(?:tying|tie|tied) up (?:all )?(?:my |the )?loose ends",
            unless: r"\b(?:work|project|leave|holiday|job|move|moving|handover|maternity|retire\w*|contract ends)\b",
            why: "affairs tidied for after one's death",
            ..D
        },
        Def {
            name: "attempt_went_off_the_pier",
            cat: C::Attempt,
            w: 0.6,
            pat: r"(?:went|jumped|walked|drove|threw myself) off (?:the |a )?(?:pier|bridge|cliff|roof|quay|harbou?r wall|car park|balcony|multi-storey|viaduct)",
            unless: r"\b(?:swim\w*|diving|dive|bungee|tombstoning|paddle|fishing|boat|holiday|kids?|dare|jet ski|kayak\w*|minecraft|game|respawn\w*|glitch\w*|cousins|mates|summer|fun|for a laugh)\b",
            why: "a jump from a height",
            ..D
        },
        Def {
            name: "attempt_lined_them_up_took_them",
            cat: C::Attempt,
            w: 0.75,
            pat: r"(?:lined|counted|laid|set) (?:them|the \S+|all|it all) (?:\S+ ){0,10}(?:then )?i (?:took|swallowed|downed) (?:them|the lot|it all|all of them)",
            why: "pills counted out and taken",
            ..D
        },
        Def {
            name: "self_harm_burned_on_purpose",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:press|pressed|pressing|presses|hold|held|holding|put|putting) (?:the |a )?(?:hot |\S+ )?(?:pan|iron|lighter|cigarette|lid|tray|kettle|spoon|knife|blade|poker) (?:against|on|onto|to) my (?:arm|arms|wrist|wrists|leg|legs|skin|hand|thigh|thighs|stomach)",
            needs: r"\b(?:on purpose|deliberately|sometimes|to feel|until|again|keep|kept|when)\b",
            why: "burning oneself on purpose",
            ..D
        },
        Def {
            name: "self_harm_cigarette_stubbed",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:stub|stubbed|stubbing|stubs|put|putting) (?:a |my |the )?(?:cigarette|fag|cig|joint|lighter) (?:out )?(?:on|into|against) my (?:arm|arms|wrist|wrists|leg|legs|skin|hand|thigh|thighs|stomach|chest)",
            why: "a cigarette stubbed out on oneself",
            ..D
        },
        Def {
            name: "hopeless_future_a_wall",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"(?:the|my) future (?:is )?(?:just |only )?(?:a |an )?(?:wall|brick wall|blank|black hole|void|dead end|empty|darkness|grey)\b",
            why: "no future seen",
            ..D
        },
        Def {
            name: "burden_better_rid_of",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"(?:better|well) rid of (?:me|him|her)\b",
            why: "others better rid of oneself",
            ..D
        },
        Def {
            name: "hi_not_figuratively",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"i could (?:strangle|kill|murder|throttle|stab|hurt|batter) (?:him|her|them|my \S+)",
            needs: r"\b(?:not (?:speaking |being )?figurative\w*|i mean it|not joking|not kidding|i am serious|for real|i really could)\b",
            why: "harm to someone, meant",
            ..D
        },
        Def {
            name: "abuse_held_down_on_heat",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:held|holds|pinned|pins|pushed|pushes|forced|forces|shoved) (?:my|her|his|their) (?:hand|arm|head|face) (?:down )?(?:on|onto|against|into|under) (?:the )?(?:grill|hob|stove|cooker|iron|fire|water|radiator|hot plate|oven)",
            why: "held down against something hot",
            ..D
        },
        Def {
            name: "passive_swap_places_with_the_dead",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:swap|trade|change) places with (?:anyone|someone|somebody|any of them|them|him|her|the people|those) (?:\S+ ){0,4}(?:obituar\w*|graveyard|cemetery|in the ground|in (?:a|the) (?:coffin|grave|morgue)|who (?:died|has died|passed))",
            why: "would change places with the dead",
            ..D
        },
        Def {
            name: "passive_hoping_illness_returns",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:hoping|hope|hoped|wishing|praying) (?:that )?(?:the |my |this )?(?:lump|cancer|tumou?r|illness|disease|heart attack|stroke|infection) (?:\S+ ){0,2}(?:comes back|come back|returns|spreads|gets me|takes me|finishes me|kills me)",
            why: "hoping the illness will kill",
            ..D
        },
        Def {
            name: "passive_the_long_sleep",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\bthe (?:long|big|eternal|permanent|forever) (?:kind|one|sleep|nap)\b",
            needs: r"\b(?:sleep|slept|asleep|nap)\b",
            why: "a sleep meant for good",
            ..D
        },
        Def {
            name: "passive_wish_it_had_finished_me",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:wish|wishes|wished|wishing) (?:\S+ ){0,4}had (?:finished|killed|taken) (?:me|him|her|them)\b",
            why: "wishes something had killed them",
            ..D
        },
        Def {
            name: "passive_check_out_if_i_could",
            cat: C::PassiveSi,
            w: 0.55,
            pat: r"i would (?:happily |gladly |just )?check out (?:\S+ ){0,2}if i could",
            why: "would leave life if they could",
            ..D
        },
        Def {
            name: "active_by_my_own_hand",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"\bby (?:my|his|her|their) own hands?\b",
            why: "death by one's own hand",
            ..D
        },
        Def {
            name: "active_over_the_edge_on_purpose",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:going|go|goes|went|jump\w*|step\w*|walk\w*|driv\w*|drove|fall\w*|stepping) (?:over|off|under|into|in front of) (?:the |a )?(?:side|edge|cliff|bridge|train|lorry|truck|bus|road|water|sea|river|traffic|rail)\b(?:\s*\S+){0,2}\s*on purpose",
            why: "going over the edge on purpose",
            ..D
        },
        Def {
            name: "plan_decided_what_it_will_be",
            cat: C::Plan,
            w: 0.8,
            pat: r"(?:decided|settled on|chosen|picked|know) (?:that )?it (?:will|would|is going to) be (?:the )?(?:pills|tablets|a rope|rope|hanging|the bridge|the train|the car|the gun|a gun|drowning|the river|the sea|jumping|an overdose|overdose|the motorway|the cliff)",
            why: "a chosen method",
            ..D
        },
        Def {
            name: "plan_the_when_and_the_where",
            cat: C::Plan,
            w: 0.7,
            pat: r"\bthe (?:when|where|how) and (?:the )?(?:when|where|how)\b",
            needs: r"\b(?:thought|worked|figured|planned|decided|sorted|know)\b",
            why: "the when and the where worked out",
            ..D
        },
        Def {
            name: "plan_wait_till_then_do_it",
            cat: C::Plan,
            w: 0.55,
            pat: r"(?:wait|waiting) (?:un)?till? (?:\S+ ){1,10}(?:and )?then (?:just )?(?:do it|go through with it|end it|end things)",
            needs: r"\b(?:kids|children|everyone|nobody|no one|alone|on my own|away|gone|asleep|out|at work|at their|at his|at her)\b",
            why: "a time chosen to do it",
            ..D
        },
        Def {
            name: "means_how_much_it_would_take",
            cat: C::Means,
            w: 0.7,
            pat: r"how (?:much|many) (?:\S+ ){0,3}(?:take|need|needed|takes) (?:for (?:a person|someone|somebody|a human|a man|a woman|me|a body|someone (?:my|of my) (?:size|weight)|my (?:size|weight))|to (?:kill|die|end it|do it|be fatal|finish))",
            why: "a lethal amount looked into",
            ..D
        },
        Def {
            name: "preparatory_sorted_before_i_go",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:tidying|sorting|clearing|cancel\w*|putting (?:things|everything|my affairs) in order|getting (?:things|everything|it all) (?:sorted|in order)) (?:\S+ ){0,4}(?:before i (?:go|leave|am gone)|for after|after i am gone|when i am gone)|\bso (?:it is|everything is|things are|it is all) sorted,? after\b",
            why: "affairs put in order for after",
            ..D
        },
        Def {
            name: "preparatory_looking_over_the_edge",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:see|feel|know) what it (?:is|was|would be|feels|felt) like (?:looking|to look|standing|to stand|stood|to be) (?:over|down|at the edge|on the edge)",
            needs: r"\b(?:top|roof|floor|bridge|edge|cliff|multistorey|multi-storey|car park|tower|balcony|ledge|platform|railing)\b",
            why: "rehearsing at a height",
            ..D
        },
        Def {
            name: "preparatory_message_in_case",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"\bin case i (?:have|had) done it\b|(?:recorded|written|wrote|left|made|filmed) (?:a |some )?(?:message|letter|video|note|card)s? (?:\S+ ){0,6}in case i am not (?:around|here)",
            why: "a goodbye left in case",
            ..D
        },
        Def {
            name: "preparatory_sat_with_the_means",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:bought|got|collected|picked up|fetched) (?:the|some) (?:stuff|things|pills|tablets|rope|hose|charcoal|blades)\b(?:\s*\S+){0,14}\s*sat (?:with|holding|looking at) (?:it|them)\b",
            why: "means gathered and held",
            ..D
        },
        Def {
            name: "attempt_tried_once_with",
            cat: C::Attempt,
            w: 0.7,
            pat: r"i (?:tried|attempted)(?: it)? (?:once|twice|before|the once|one time),? (?:in|with|at|on|using) (?:the |a )?(?:bath|pills|tablets|rope|car|garage|bridge|train|knife|razor|belt|exhaust|river|sea)",
            why: "an attempt told by its means",
            ..D
        },
        Def {
            name: "attempt_went_there_to_jump",
            cat: C::Attempt,
            w: 0.75,
            pat: r"(?:went|drove|walked|climbed|got) (?:up |out |down )?(?:there|up|out|to the \S+|to that \S+) to (?:jump|end it|kill myself|do it|throw myself)\b",
            why: "went to a place to die",
            ..D
        },
        Def {
            name: "attempt_after_trying_to_go",
            cat: C::Attempt,
            w: 0.7,
            pat: r"(?:after|from|for) trying to (?:go|end it|end things|do it|kill myself|top myself|take my (?:own )?life)(?:[.,;!?]|$)",
            why: "a past attempt",
            ..D
        },
        Def {
            name: "self_harm_tool_on_my_skin",
            cat: C::SelfHarm,
            w: 0.6,
            pat: r"(?:glue gun|lighter|iron|needle|blade|razor|compass|scissors|knife|cigarette|match|hot \S+) (?:\S+ ){0,2}(?:on|into|to|against|in) my (?:wrist|arm|leg|thigh|skin|stomach|hand|ankle|hip)s?\b",
            unless: r"\b(?:doctor|nurse|blood test|vaccine|jab|injection|insulin|drip|cannula|tattoo artist|shav\w*|beach|wax\w*|bikini|swimming|pool)\b",
            why: "hurting the skin with a tool",
            ..D
        },
        Def {
            name: "self_harm_to_feel_it_go_in",
            cat: C::SelfHarm,
            w: 0.65,
            pat: r"\bto feel (?:it|the (?:needle|blade|pin|point)) (?:go|going|sink) in\b",
            why: "hurting oneself to feel it",
            ..D
        },
        Def {
            name: "burden_out_of_the_equation",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\b(?:take|taking|took) me out of the (?:equation|picture)\b|\btaking up (?:space|room|air|oxygen) (?:that )?(?:someone|somebody) (?:better|else)",
            why: "others better off without oneself",
            ..D
        },
        Def {
            name: "hi_off_the_road",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:thought|thinking|think|fantasi\w+|dream\w*|want\w*|going) (?:about |of |to )?(?:running|driving|forcing|run|drive|force) (?:\S+ ){1,5}off the road",
            why: "harm to someone on the road",
            ..D
        },
        Def {
            name: "hi_make_them_pay_physically",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"make (?:him|her|them|that \S+|the \S+|my \S+) (?:pay|suffer)",
            needs: r"\b(?:physically|with my (?:fists|hands)|thought about how|worked out how|hurt|bleed)\b",
            why: "revenge meant physically",
            ..D
        },
        Def {
            name: "hi_fist_through_face",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:put|putting|smash\w*|ram\w*) my (?:fist|head|knee|boot) (?:through|into|in) (?:\S+ ){0,3}(?:face|head|teeth)",
            why: "wanting to hit someone",
            ..D
        },
        Def {
            name: "hi_looked_up_where_they_live",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"(?:looked up|found out|know|found|checked) where (?:he|she|they) (?:lives?|live|works?|parks?)",
            needs: r"\b(?:suffer|hurt|pay|kill|punish|get (?:him|her|them)|revenge|sort (?:him|her|them) out)\b",
            why: "a target located",
            ..D
        },
        Def {
            name: "hi_burn_with_them_in_it",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"(?:torch|burn|burning|set fire to|petrol) (?:\S+ ){0,4}(?:house|flat|home|car|place|caravan) with (?:her|him|them|the kids|everyone) (?:still )?in (?:it|there)",
            why: "arson with someone inside",
            ..D
        },
        Def {
            name: "passive_better_i_am_not_alive",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:better|easier|best) (?:if |that |when )?i (?:am|was|were|would be|be) not (?:alive|living|in this world|on this earth|here any ?more|around any ?more|here,? then|around,? then)\b",
            why: "better not to be alive",
            ..D
        },
        Def {
            name: "passive_sleep_and_not_wake",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"(?:go|fall|drift|drop|going|falling) (?:off )?(?:to sleep|asleep) and (?:just |simply |then |never |not )*(?:wake|woke|waking|come|coming) (?:up|round|back)\b",
            needs: r"\b(?:not|never)\b",
            unless: r"\b(?:till|until|before \d|for hours|for ages|on time|alarm|nap)\b",
            why: "a wish not to wake up",
            ..D
        },
        Def {
            name: "passive_no_reason_to_keep_living",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:(?:do not|can not|cannot|could not|never) (?:really |honestly |even )?(?:see|know|understand) )?why (?:i would|i should|would i|should i|i) (?:want to |bother to |even )?(?:keep|go on|carry on|continue|stay) (?:on )?(?:living|alive|existing|breathing|being here)\b",
            unless: r"\bliving (?:in|with|at|here|there|near|on|like)\b",
            why: "no reason left to live",
            ..D
        },
        Def {
            name: "active_now_all_i_think_about",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"\b(?:it|that|suicide|dying|death|killing myself|ending it) (?:is|has become|has been) (?:all|the only thing) i (?:can |ever )?(?:think|thought) (?:about|of)",
            needs: r"\b(?:kill\w* myself|suicide|suicidal|end\w* (?:it|my life|things)|tak\w* my (?:own )?life|dying|die|dead)\b",
            why: "thoughts of suicide now constant",
            ..D
        },
        Def {
            name: "active_matters_into_my_own_hands",
            cat: C::ActiveSi,
            w: 0.5,
            pat: r"(?:thought|thinking|think|tempted|considered|considering|going) (?:about |of |to )?(?:taking|take) (?:matters|things|it) into my own hands",
            unless: r"\b(?:call\w*|ring\w*|email\w*|report\w*|complain\w*|landlord|council|lawyer|solicitor|court|sue|fix\w*|repair\w*|police|neighbou?rs?|letter|ombudsman|school)\b",
            why: "taking matters into one's own hands (unclear: for the clinician)",
            ..D
        },
        Def {
            name: "active_working_out_my_exit",
            cat: C::ActiveSi,
            w: 0.6,
            pat: r"(?:working out|planning|plotting|arranging|figuring out|figured out|worked out|planned|sorting out|sorted out) my (?:exit|way out|final exit|check ?out)\b",
            unless: r"\b(?:job|work|company|firm|career|contract|lease|tenancy|marriage|relationship|business|industry|army|navy|forces|school|uni|course|band|team|club|gang|the group|visa|country|notice|redundancy)\b",
            escalate: true,
            why: "an exit being worked out",
            ..D
        },
        Def {
            name: "plan_a_date_to_do_it",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:picked|chosen|chose|set|got|have|fixed|decided on|settled on|marked) (?:a |the |my )?(?:date|day|night|time)\b",
            needs: r"\b(?:last|final|do it|go through with it|when i will go|when i go|goodbye|the end|over with|end it|end things)\b",
            unless: r"\b(?:wedding|party|holiday|trip|move|moving|surgery|operation|appointment|interview|exam|launch|date night|retire\w*|leaving do|leaving party|last day at|last day of|proposal|propose|christening|funeral|match day|deadline|tournament starts|flight|the result)\b",
            why: "a date chosen",
            ..D
        },
        Def {
            name: "means_enough_not_to_come_back",
            cat: C::Means,
            w: 0.7,
            pat: r"\benough (?:\S+ )?(?:to )?(?:not|never) (?:come back|wake up|come round|come around)\b|\benough to (?:finish|end) (?:it|me|myself|the job)\b",
            escalate: true,
            why: "a lethal amount",
            ..D
        },
        Def {
            name: "plan_had_a_full_plan",
            cat: C::Plan,
            w: 0.65,
            pat: r"\bi (?:had|have|have got|got) (?:a |the )?(?:full|whole|detailed|proper|real|complete|clear|worked-out) plan\b",
            needs: r"\b(?:train|trains|bridge|pills|tablets|rope|jump|die|dying|end it|kill|written down|note|notes|method|date|times|spot|place|overdose|car|garage)\b",
            unless: r"\b(?:business|revision|study|diet|workout|training|lesson|wedding|holiday|trip|budget|savings|escape room)\b",
            why: "a plan, worked out in detail",
            ..D
        },
        Def {
            name: "means_using_them_on_myself",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:think|thought|thinking|tempted|imagine|imagined|imagining|considered|considering|wonder|wondered) (?:about |of )?(?:using|turning|taking|pointing|injecting) (?:it|them|that|those|one|some|the \S+|a \S+) (?:on|against|into) myself\b",
            unless: r"\b(?:cream|lotion|shampoo|makeup|make-up|dye|product|mask|brush|treatment|clippers|trimmer|skills|technique|tips|advice|exercise|strategy|strategies)\b",
            escalate: true,
            why: "means considered for oneself",
            ..D
        },
        Def {
            name: "preparatory_in_order_before_i_go",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:want|need|like|have|get|getting) (?:it |everything |things |them )?(?:all )?(?:sorted|in order|tidy|settled|squared away|taken care of|given away|dealt with) (?:\S+ ){0,2}before i (?:go|am gone|leave|die|pass)\b",
            unless: r"\b(?:holiday|trip|go away|going away|away on|away for|abroad|travel\w*|hospital|surgery|operation|on leave|maternity|mat leave|move|moving|the move|uni|university|college|shift|work|office|weekend|christmas|tomorrow|next week|deploy\w*|tour)\b",
            why: "affairs settled before going",
            ..D
        },
        Def {
            name: "preparatory_gone_from_everything",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:deleted|deactivated|closed|wiped|shut down|cancelled|canceled) (?:all )?(?:of )?(?:my )?(?:socials|social media|accounts|instagram|facebook|tiktok|snapchat|profiles?|phone contract)\b",
            needs: r"\b(?:bye|goodbye|goodbyes|final|last|forever|not be needing|will not need|no need any ?more|before i go|when i am gone)\b",
            unless: r"\b(?:detox|break|healthier|better for me|screen time|distraction|exams?|revision|focus)\b",
            why: "withdrawing from everything, with goodbyes",
            ..D
        },
        Def {
            name: "preparatory_where_my_things_go",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:told|telling|tell|asked|showed|left|written|wrote) (?:\S+ ){0,3}(?:where|what|who) to (?:send|give|do with|take|have) (?:all )?my (?:stuff|things|belongings|possessions|letters|cat|dog|savings|money|records|guitar|medals)\b",
            needs: r"\b(?:if anything happens|if something happens|when i am gone|after i am gone|if i am not|in case|after i go|when i go|if i do not come back|if i am gone)\b",
            unless: r"\b(?:hospital|surgery|operation|deploy\w*|tour|holiday|trip|move|moving)\b",
            why: "belongings given out in case",
            ..D
        },
        Def {
            name: "preparatory_last_call",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:made|making|make|had|said|done|did) (?:my )?(?:last|final) (?:phone )?(?:call|calls|goodbye|goodbyes|visit|visits|farewells?)\b",
            unless: r"\b(?:of the day|before (?:work|bed|lunch|the meeting|i left|the holiday)|for today|shift|at work|clients?|customers?|sales|boarding|last orders|the office)\b",
            why: "a last call or goodbye",
            ..D
        },
        Def {
            name: "attempt_in_care_after_what_i_did",
            cat: C::Attempt,
            w: 0.7,
            pat: r"(?:intensive care|icu|a&e|resus|hospital|a coma|on a drip|stomach pumped|on the ward) (?:\S+ ){0,6}after (?:what i did|i took|taking|swallowing|i swallowed|i tried|my attempt|the overdose|my overdose)\b|after what i did (?:to myself|with (?:the |my |those |all )?{PILLS}|with the (?:rope|knife|razor|blade|belt|cord))",
            unless: r"\b(?:took a tumble|crash|collision|fell|fall)\b",
            why: "hospital after an act against oneself",
            ..D
        },
        Def {
            name: "self_harm_fresh_cuts_seen",
            cat: C::SelfHarm,
            w: 0.6,
            pat: r"(?:saw|seen|found|noticed|spotted|see|sees|checks|checked|asked about) (?:the |my )(?:fresh|new|latest|recent) (?:cuts|burns|scratches|marks|scars)\b|(?:saw|seen|found|noticed|spotted) my (?:cuts|scars|burns)\b",
            unless: r"\b(?:kitchen|cooking|paper|shaving|cat|dog|garden\w*|fell|fall|bike|accident|rose|thorn|glass|operation|surgery|stitches|tattoo)\b",
            why: "self-inflicted cuts seen by others",
            ..D
        },
        Def {
            name: "hopeless_no_way_back",
            cat: C::Hopelessness,
            w: 0.5,
            pat: r"\bno way back\b|(?:will not|does not|is not going to|never going to) ever (?:come right|get better|improve|be right|be okay|be ok)\b",
            needs: r"\b(?:finished|over|never|done|lost|ruined|gone|us|me|my life|ever)\b",
            unless: r"\b(?:game|match|film|movie|book|show|series|season|level|the team|the score|traffic|road|route|hike|walk|weather|summer|winter|rain)\b",
            why: "no way back",
            ..D
        },
        Def {
            name: "hopeless_given_up_so_have_i",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:given up|gave up|give up) (?:on me )?(?:and )?so (?:have|did|do) i\b|(?:it|this|the pain|my life|life) (?:is|are) never going to (?:stop|end|get better|improve|change|ease|go away)\b",
            needs: r"\b(?:given up|gave up|give up|hopeless|no hope|no point|pain|doctors|no future|no way out)\b",
            why: "hope given up",
            ..D
        },
        Def {
            name: "hopeless_a_game_already_lost",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"\b(?:life|my life|it all|everything) is (?:a|one) (?:game|battle|fight|war|race|match) (?:that )?i (?:have )?(?:already |just |long )?lost\b|\bi do not see (?:things|it|life|anything|my life|it all) (?:ever )?(?:picking up|getting better|improving|looking up|turning around|coming right)\b",
            unless: r"\b(?:weather|rain|market|economy|sales|the team|season|traffic|business|shop|trade|house prices)\b",
            why: "a lost cause, no improvement seen",
            ..D
        },
        Def {
            name: "burden_worse_by_being_here",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\bby (?:just |simply |even )?(?:being here|being around|existing|being alive|being in their lives|being in the picture)\b",
            needs: r"\b(?:worse|harder|burden|ruin\w*|pain|problem|trouble|tiptoe|stress|miserable|drag|weigh)\b",
            why: "a burden by existing",
            ..D
        },
        Def {
            name: "hi_breaking_their_bones",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:fantasi\w+|dream\w*|thought|thinking|think|imagine\w*|picture\w*|want\w*|going) (?:about |of |to )?(?:breaking|smashing|snapping|cracking|stamping on|caving in|break|smash|snap|crack|cave in) (?:the |his |her |their |that \S+ )(?:\S+ )?(?:legs?|arms?|neck|skull|head|face|jaw|nose|teeth|ribs|knees?|fingers?)\b",
            why: "wanting to injure someone",
            ..D
        },
        Def {
            name: "abuse_wages_kept_locked_in",
            cat: C::Abuse,
            w: 0.6,
            pat: r"(?:keeps|kept|takes|took|holds|held|withholds|withheld|took away|has taken|confiscated) (?:all )?(?:our|my) (?:wages|pay|money|passports?|papers|documents|id|benefits|bank cards?)\b",
            needs: r"\b(?:locks|locked|lock|will not let|not allowed|can not leave|cannot leave|threaten\w*|gangmaster|debt|owe|controls|control)\b",
            why: "wages or papers held, movement restricted",
            ..D
        },
        Def {
            name: "abuse_said_i_fell",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:said|told (?:them|the \S+|everyone|her|him)|say|pretended) (?:that )?i (?:fell|slipped|tripped|walked into|bumped into|fell down)\b(?:\s*\S+){0,5}\s*(?:but|when) (?:it was|really|actually) (?:him|her|them|my \S+|he|she)\b",
            why: "an injury explained away, caused by someone",
            ..D
        },
        Def {
            name: "passive_would_not_fight_it",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:would not|will not|would not really|would not even) (?:be sorry|mind|care|fight it|complain|struggle|resist)\b(?:\s*\S+){0,2}\s*(?:if|when) (?:something|anything) (?:happened|happens|were to happen|bad happened) to me|\bthat would be (?:that|it|the end of it|me done)\b(?:\s*\S+){0,3}\s*(?:and )?i would not (?:be sorry|mind|care)",
            unless: r"\b(?:game|match|film|movie|season|the team|holiday|job)\b",
            why: "not minding if one died",
            ..D
        },
        Def {
            name: "passive_death_would_pay_off",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"if i (?:had|have|got|were to have|dropped dead of|died of) (?:a )?(?:heart attack|stroke|accident|crash|car crash)\b(?:\s*\S+){0,8}\s*(?:paid off|insurance|pay out|payout|sorted|better off|provided for|be fine|be okay)",
            why: "one's death thought of as a way to provide",
            ..D
        },
        Def {
            name: "passive_sorry_to_be_well",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:scan|test|tests|results?|biopsy|bloods|mri|x-ray|ct)\b(?:\s*\S+){0,6}\s*(?:clear|fine|benign|negative|normal|all right|alright)\b(?:\s*\S+){0,4}\s*(?:disappointed|let down|gutted|sorry|deflated)",
            why: "disappointed to be told one is well",
            ..D
        },
        Def {
            name: "passive_stop_being_alive",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"\b(?:want|wanted|wish|wishing|like|would like|need|needed) to (?:just )?stop (?:being alive|existing|being here|living)\b",
            unless: r"\bliving (?:in|with|at|like|there|here)\b",
            why: "a wish to stop being alive",
            ..D
        },
        Def {
            name: "passive_only_thing_keeping_me_here",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"\b(?:the )?only (?:thing|reason|one|person|thing that is) (?:keeping|that keeps|holding|that holds|stopping) me (?:here|going|alive|around|from)\b|\bonly reason i am (?:still )?(?:here|alive|around)\b",
            why: "one reason left to stay alive",
            ..D
        },
        Def {
            name: "passive_get_why_now",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\bi (?:get|understand|can see|know|see) why (?:now|they did it|he did it|she did it|people do it|they do it)\b",
            needs: r"\b(?:lost|mates|suicide|suicides|killed themselves|took their own|twenty-two|22|did it|the war|veterans)\b",
            why: "understanding suicide from within",
            ..D
        },
        Def {
            name: "passive_something_to_finish_it",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:(?:if |whether )?(?:there is not|is there not|there is|is there) )?(?:something|anything|a pill|an injection|a jab|some pills|tablets) (?:\S+ ){0,4}(?:give|gave|prescribe|prescribed) me to (?:finish it|end it|put me to sleep|send me off|be done|finish me|help me go|end things)",
            why: "asking for something to end one's life",
            ..D
        },
        Def {
            name: "passive_ready_to_go_be_with",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\bready to go\b",
            needs: r"\bwants? to be with\b|\bwant to be with\b",
            why: "ready to die, to be with someone dead",
            ..D
        },
        Def {
            name: "passive_wish_had_died",
            cat: C::PassiveSi,
            w: 0.8,
            pat: r"(?:wish|wishes|wished|wishing) (?:that )?(?:she|he|i|they) (?:had|would|would have|had not|hadn't) (?:just |simply )?(?:died|not survived|not woken up|not made it|not been born|not come round)\b",
            why: "a wish to have died",
            ..D
        },
        Def {
            name: "passive_cannot_wait_not_to_be_here",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"can not wait to (?:not be here|not be around|be gone for good|be dead|not exist|stop existing)\b",
            why: "longing not to exist",
            ..D
        },
        Def {
            name: "active_lie_on_the_tracks",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"(?:lie|lay|lying|laying) (?:down )?(?:on|across) the (?:railway|tracks|train tracks|rails|railway line|motorway)\b",
            why: "lying on the tracks",
            ..D
        },
        Def {
            name: "active_ending_on_my_mind",
            cat: C::ActiveSi,
            w: 0.75,
            pat: r"(?:ending (?:things|it|it all|my life)|suicide|killing myself|taking my (?:own )?life) (?:has|have|is|has been) (?:been )?(?:on my mind|in my head|in my thoughts)",
            unless: r"\bending (?:things|it) with\b",
            why: "ending one's life on one's mind",
            ..D
        },
        Def {
            name: "active_algospeak",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\b(?:sewerslide|sewer slide|sewer-slide|suwicide|su1cide|self-unalive|unalive myself|unaliving myself)\b",
            why: "suicide in online slang",
            ..D
        },
        Def {
            name: "passive_not_around_long_enough",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:will not|am not going to|not going to|probably will not) be (?:around|here|alive) (?:long enough|by then|to see|to pay)",
            unless: r"\b(?:job|office|contract|moving|move|team|country|city|area|house|flat|my shift)\b",
            why: "not expecting to be alive",
            ..D
        },
        Def {
            name: "plan_spared_from_finding_me",
            cat: C::Plan,
            w: 0.7,
            pat: r"\bso (?:that )?(?:my|the|his|her|nobody|no one|no-one) (?:\S+ )?(?:does not|do not|will not|would not|does not have to|do not have to|will not have to|would not have to) (?:have to )?(?:deal with it|find me|see it|see me|clean (?:it )?up|be the one)\b|(?:no one|nobody|no-one|the kids|my \S+) (?:has to|have to|would have to|will have to|does not have to|do not have to|needs to|will not have to|would not have to) find me\b",
            why: "arranged so that others are spared",
            ..D
        },
        Def {
            name: "plan_planned_it_for_when",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:planned|planning) it for (?:when|while|after|before|the day|the night|next \S+|this \S+|\S+day)\b",
            unless: r"\b(?:party|holiday|trip|surprise|wedding|birthday|meal|dinner|visit|move|shopping|christening)\b",
            why: "a time chosen",
            ..D
        },
        Def {
            name: "plan_that_is_when_i_go",
            cat: C::Plan,
            w: 0.7,
            pat: r"\bthat is when i (?:go|will go|am going|do it|will do it|end it|leave)\b",
            needs: r"\b(?:water|river|sea|bridge|jump|die|end|rope|pills|train|edge|cliff|numbers|signs?)\b",
            unless: r"\b(?:holiday|work|shift|gym|shopping|bed|school|office)\b",
            why: "a time chosen",
            ..D
        },
        Def {
            name: "plan_jump_from_the_window",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:will|would|going to|is going to|gonna|threatens to|threatened to|wants to) jump (?:from|off|out of) (?:the|a|my|her|his|their) (?:\S+ )?(?:window|roof|balcony|bridge|building|cliff|tower|car park|multi-storey)",
            unless: r"\b(?:pool|diving|trampoline|plane|parachute|fun|swim\w*|harbour|pier|dare)\b",
            why: "a jump threatened",
            ..D
        },
        Def {
            name: "plan_stop_drinking_and_that_is_it",
            cat: C::Plan,
            w: 0.7,
            pat: r"stop (?:drinking|eating)(?: water| anything| food| fluids)?(?: too| as well| altogether| completely)?(?: and| then|,)? (?:that will be it|that would be it|that is it|that will be that|that would be that|let it happen|let nature take)",
            why: "stopping food or water to die",
            ..D
        },
        Def {
            name: "means_a_way_out_kept",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:reminds me|remind myself|to remind me|knowing|know) (?:that )?there is (?:a|always a|still a) way out\b|\bkeep (?:a|one) (?:round|bullet|blade|razor|pill) (?:in|on) my\b",
            why: "means kept as a way out",
            ..D
        },
        Def {
            name: "means_looked_at_and_kept",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:morphine|pills|tablets|meds|painkillers|gun|rifle|rope|blade|razor|bottle of \S+)\b(?:\s*\S+){0,12}\s*(?:and )?i (?:look at|stare at|keep looking at|check on|count|think about) (?:it|them)\b",
            unless: r"\b(?:recipe|photos?|pictures?|album|letters?|cards?|bill|bills|collection)\b",
            why: "means kept and looked at",
            ..D
        },
        Def {
            name: "preparatory_for_when_i_am_gone",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"\bfor (?:when|after) i am (?:not around|gone|not here|no longer (?:here|around)|dead)\b",
            unless: r"\b(?:holiday|away|travel\w*|hospital|deploy\w*|tour|trip|work|weekend|abroad|christmas|easter|rota|shift|cover|on leave|off sick|next week|the summer)\b|\bi am not (?:here|around) (?:at|on|in|during|next|this|for|over)\b",
            why: "things given for after one is gone",
            ..D
        },
        Def {
            name: "attempt_barrel_in_my_mouth",
            cat: C::Attempt,
            w: 0.8,
            pat: r"(?:barrel|gun|pistol|rifle|muzzle|shotgun) (?:in|into|under|against|to) my (?:mouth|chin|head|temple)",
            why: "a gun put to oneself",
            ..D
        },
        Def {
            name: "attempt_took_a_number_of_pills",
            cat: C::Attempt,
            w: 0.7,
            pat: r"\btook (?:about |around |nearly |over |like |maybe )?(?:\d+|ten|fifteen|twenty|thirty|forty|fifty|sixty|a hundred) (?:of )?(?:my |the |her |his |mum's |dad's )?(?:\S+ )?(?:pills|tablets|sertraline|citalopram|fluoxetine|paracetamol|tylenol|ibuprofen|aspirin|meds|painkillers|codeine|tramadol|zopiclone|diazepam|lithium|quetiapine|olanzapine|mirtazapine|propranolol|amitriptyline)\b",
            unless: r"\b(?:a day|per day|daily|prescribed|a week|a month|supply|over the)\b",
            why: "an overdose taken",
            ..D
        },
        Def {
            name: "attempt_bottled_it_at_the_last",
            cat: C::Attempt,
            w: 0.6,
            pat: r"(?:bottled it|chickened out|lost my nerve|backed out|could not go through with it|pulled back) at the (?:very )?last (?:minute|second|moment)",
            needs: r"\b(?:had a go|tried|rope|pills|bridge|edge|lock-up|garage|noose|ledge|jump|the mark|the car|tablets)\b",
            why: "an attempt broken off",
            ..D
        },
        Def {
            name: "self_harm_no_cat",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:do not|don't|never) (?:even )?(?:have|own|had) a (?:cat|dog|pet|kitten)\b",
            needs: r"\b(?:scratch\w*|marks|cuts|cut|scars?)\b",
            why: "marks blamed on a pet there is not",
            ..D
        },
        Def {
            name: "self_harm_carved_into_my_skin",
            cat: C::SelfHarm,
            w: 0.75,
            pat: r"(?:carved|carve|carving|etched|etching|scratched|scratching) (?:\S+ ){0,3}(?:into|in|on) my (?:leg|arm|thigh|wrist|skin|stomach|hand|chest|hip|ankle)s?\b",
            unless: r"\b(?:tattoo|pumpkin|wood|tree|desk|bench|cat|dog|bramble|rose|thorn)\b",
            why: "words cut into the skin",
            ..D
        },
        Def {
            name: "self_harm_on_purpose",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:put|held|pressed|hit|banged|burned|burnt|cut|scalded|slammed|punched) (?:my \S+|myself) (?:\S+ ){0,5}on purpose\b",
            unless: r"\b(?:ball|door|brakes|button|game|goal)\b",
            why: "hurting oneself on purpose",
            ..D
        },
        Def {
            name: "self_harm_cigarettes_on_skin",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"cigarettes? (?:\S+ ){0,2}(?:on|into|against) my (?:wrist|arm|leg|thigh|skin|stomach|hand|ankle)s?\b",
            why: "cigarettes put out on the skin",
            ..D
        },
        Def {
            name: "hopeless_nothing_to_look_forward_to",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bwhat (?:have i got|do i have|is there|have i) (?:left )?to look forward to\b",
            why: "nothing to look forward to",
            ..D
        },
        Def {
            name: "hopeless_no_future_seen",
            cat: C::Hopelessness,
            w: 0.65,
            pat: r"(?:do not|can not|cannot) (?:even )?see myself (?:getting to|reaching|making it to|being here (?:at|in|by)|living to|seeing|getting past)\b|(?:do not|can not|cannot) (?:even )?see next (?:year|christmas|summer|birthday|spring)\b",
            why: "no future seen",
            ..D
        },
        Def {
            name: "hopeless_nothing_left_to_rebuild",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"\bnothing (?:left )?to (?:build back|rebuild|start (?:again|over)|fight for|save|go back to|come back to)\b",
            unless: r"\b(?:game|match|the team|season|level|argue about)\b",
            why: "nothing left to rebuild",
            ..D
        },
        Def {
            name: "burden_save_a_fortune_if_i_went",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"(?:save|saved|saving) (?:a fortune|money|a lot|thousands|loads|a packet)\b(?:\s*\S+){0,3}\s*if i (?:popped off|died|was gone|were gone|went|kicked the bucket|was not here|snuffed it|croaked|passed|popped my clogs)",
            why: "others better off for one's death",
            ..D
        },
        Def {
            name: "hi_lucky_i_did_not",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"\blucky (?:that )?i (?:did not|have not|never) (?:\S+ ){1,5}(?:him|her|them)\b",
            needs: r"\b(?:drop|hit|punch|run|knock|smash|kill|hurt|stab|glass|deck|lamp|thump|throttle|strangle|thinking about it|forklift|pallet)\b",
            why: "harm to someone narrowly not done",
            ..D
        },
        Def {
            name: "hi_went_for_with_a_weapon",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"(?:went for|came at|came after|lunged at|went after|goes for|comes at) (?:\S+ ){0,2}with (?:a|the|his|her|my) (?:\S+ )?(?:knife|knives|hammer|bat|bottle|gun|axe|machete|screwdriver|scissors|poker)\b",
            why: "an attack with a weapon",
            ..D
        },
        Def {
            name: "abuse_thrown_out_for_who",
            cat: C::Abuse,
            w: 0.65,
            pat: r"\brather have a dead (?:son|daughter|child|kid|boy|girl) than\b|(?:threw|kicked|chucked|put|throws|kicks) me out\b(?:\s*\S+){0,6}\s*(?:because|for being|when i (?:told|came out))",
            why: "a child rejected and thrown out",
            ..D
        },
        Def {
            name: "abuse_held_down",
            cat: C::Abuse,
            w: 0.65,
            pat: r"(?:hold|holds|held|pin|pins|pinned|sit on|sat on) (?:my \S+|me) down\b",
            needs: r"\b(?:hurts|hurt|staff|carers?|nurses?|when i|bruise\w*|can not breathe|scream\w*|for my own good)\b",
            unless: r"\b(?:doctor|dentist|injection|blood test|jab|vaccine|wrestl\w*|tickl\w*|game)\b",
            why: "restrained and hurt",
            ..D
        },
        Def {
            name: "abuse_held_under_water",
            cat: C::Abuse,
            w: 0.75,
            pat: r"(?:hold|held|holds|holding|pushed|push|pushing|keep|kept|ducked) (?:us|me|him|her|them|my head|his head|her head) under (?:the )?(?:water|in the|tank|bath)",
            why: "held under water",
            ..D
        },
        Def {
            name: "abuse_their_papers_kept",
            cat: C::Abuse,
            w: 0.6,
            pat: r"(?:keeps|kept|takes|took|holds|held|withholds|has taken|confiscated) (?:all )?(?:their|his|her) (?:wages|pay|passports?|papers|documents|id|benefits|bank cards?)\b",
            needs: r"\b(?:locks|locked|not allowed|can not leave|cannot leave|threaten\w*|debt|owe|does not pay|not paid|no pay|shed|sleep in)\b",
            why: "wages or papers held",
            ..D
        },
        Def {
            name: "abuse_drink_driving_with_children",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:drinks and drives|drink-drives|drink drives|drives drunk|driving drunk|drove drunk|drink driving|drunk driving) (?:\S+ ){0,2}with (?:the|my|our|his|her) (?:kids|children|baby|son|daughter|little one|girls|boys)",
            why: "children driven by a drunk driver",
            ..D
        },
        Def {
            name: "abuse_locked_out_in_the_cold",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\blocks? (?:him|her|them|me|the kids?|the children) out (?:in the cold|all night|overnight|at night|in the rain|in the snow)",
            why: "locked out in the cold",
            ..D
        },
        Def {
            name: "abuse_barely_fed",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:barely|hardly|never|does not|do not|rarely) (?:ever )?(?:feeds?|fed) (?:her|him|them|the kids?|the children|the baby)\b",
            why: "neglect: not fed",
            ..D
        },
        Def {
            name: "abuse_grabbed_by_the_arm",
            cat: C::Abuse,
            w: 0.65,
            pat: r"(?:grab|grabbed|grabs|yanked|yanks|dragged|drags|shook|shakes) (?:her|him|them|the baby|the kids?|my \S+) by the (?:arm|arms|hair|neck|collar|wrist|throat)",
            needs: r"\b(?:scream\w*|shout\w*|baby|only \d|only two|only three|only four|toddler|hurt|bruise\w*|cried|crying)\b",
            unless: r"\b(?:helped|stop \S+ falling|road|traffic|saved|before she fell|before he fell)\b",
            why: "a child handled roughly",
            ..D
        },
        Def {
            name: "abuse_made_to_hand_over",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:make|makes|made|forcing|force|forces|forced) (?:him|her|them|me) (?:hand over|give up|give over|sign over|hand in) (?:all )?(?:his|her|their|my) (?:benefits|wages|pay|money|pension|bank card|card|savings)",
            why: "money taken by force",
            ..D
        },
        Def {
            name: "hi_flash_of_harming_the_child",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"(?:flash|flashes|image|images|picture|pictures|vision|visions|thought|thoughts|urge|urges) of (?:me )?(?:holding|pushing|dropping|drowning|smothering|shaking|throwing|hurting|stabbing|suffocating) (?:him|her|them|the baby|my baby|my son|my daughter|the kids?|the children)\b",
            why: "intrusive images of harming a child (often unwanted: for the clinician)",
            ..D
        },
        Def {
            name: "passive_envies_the_dead",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:jealous|envious) of (?:them|him|her|the dead|the ones who|those who|people who)\b|\benvy (?:them|him|her|the dead|the ones who|those who|people who)\b",
            needs: r"\b(?:in the ground|are dead|is dead|died|passed away|passed on|buried|graves?|killed themselves|killed himself|killed herself|did not make it|did not come back|six feet under|at peace now)\b",
            why: "envying the dead (a passive wish to be dead)",
            ..D
        },
        Def {
            name: "passive_if_it_means_not_being_here",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:if|even if) (?:that|it|this) means (?:me )?(?:not being (?:here|around|alive)|dying|being dead|not waking up|never waking up)",
            unless: r"not being (?:here|around) (?:for|at|on|this|next|when|until|till|during|over|in)\b",
            why: "not being alive accepted as the price of a wish",
            ..D
        },
        Def {
            name: "passive_a_button_to_sleep_forever",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:button|switch|pill|lever|injection) (?:\S+ ){0,6}i (?:would |could |will |can |might )?(?:just )?(?:fall asleep|go to sleep|drift off|stop existing|disappear) (?:and (?:skip|miss|never|not|be done|not have)|forever|for good)",
            needs: r"\b(?:press|push|pressed|pushed|take it|take that|flip|pull|in a heartbeat|no hesitation|without thinking)\b",
            why: "a wish for a painless way out of life (the button to sleep and skip the rest)",
            ..D
        },
        Def {
            name: "passive_praying_not_to_see_another_year",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:pray|prays|praying|prayed|hope|hopes|hoping|hoped|wish|wishes|wishing) (?:that )?(?:i|she|he|they) (?:will not|would not|does not|do not|never) (?:see|make it to|live to see|last (?:till|until|to)) (?:another|the next|one more) (?:christmas|birthday|year|summer|winter|spring|easter|new year|diwali|eid|hanukkah)\b",
            unless: r"(?:another|the next|one more) \S+ (?:like|at|with|in|as|of)\b",
            why: "a wish not to live another year",
            ..D
        },
        Def {
            name: "passive_delete_me",
            cat: C::PassiveSi,
            w: 0.55,
            pat: r"(?:delete|deleted|deleting|erase|erased|erasing|uninstall|uninstalled) (?:me|myself)\b(?: (?:from existence|from the world|from the earth|from the planet|out of existence))?",
            unless: r"\b(?:list|lists|group|chat|account|email|emails|mailing|rota|photos?|pictures?|system|whatsapp|contacts|database|spreadsheet|register|number|app|server|channel|thread|file|records?)\b",
            why: "a wish to be erased from existence",
            ..D
        },
        Def {
            name: "active_do_it_before_the_illness",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:i will|i am going to|i am gonna|i would|i shall|i will just|i would just) (?:just )?(?:do it|end it|finish it|go) (?:myself|on my own terms|before (?:it|the \w+) (?:does|gets me|takes me))",
            needs: r"\b(?:cancer|biopsy|diagnos\w*|tumou?r|dementia|alzheimer\w*|illness|disease|terminal|dying|waiting around|motor neurone|mnd|parkinson\w*|chemo\w*|prognosis|palliative|hospice|results)\b",
            why: "ending one's life oneself rather than waiting for an illness",
            ..D
        },
        Def {
            name: "active_take_myself_out_of_the_picture",
            cat: C::ActiveSi,
            w: 0.6,
            pat: r"(?:take|took|taking|takes|remove|removed|removing|get|getting) (?:myself|me) (?:right )?out of (?:the picture|the equation|everyone's way|everybody's way|their way|their lives|the world|this world|existence)",
            why: "taking oneself out of the picture (a veiled suicidal thought)",
            ..D
        },
        Def {
            name: "plan_when_the_insurance_pays",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:insurance|life policy|life cover|policy|death benefit|payout|pay out|pays out|paid out|pays off|paid off) (?:\S+ ){0,8}then i (?:will|can|would|am going to) (?:go|be gone|do it|leave|end it)\b|(?:until|till|once|when) (?:the )?(?:insurance|policy|life cover) (?:\S+ ){0,8}(?:i will go|i can go|i will do it|i can do it|i am gone|i will be gone)\b",
            unless: r"then i (?:will|can|would|am going to) (?:go|leave) (?:and|to|for|on|back|out|away on|shopping|home|ahead|abroad|travelling|traveling|part[- ]time)",
            why: "a death timed to an insurance payout (a plan)",
            ..D
        },
        Def {
            name: "plan_i_am_jumping",
            cat: C::Plan,
            w: 0.8,
            pat: r"(?:i am|im) (?:just |definitely |actually )?(?:jumping|throwing myself|stepping|going) (?:off|from) (?:\S+ ){0,4}(?:bridge|building|roof|rooftop|balcony|cliffs?|window|overpass|ledge|tower|parking garage|car park|multi-storey|multistorey|multi storey|flats|viaduct|flyover|footbridge|quarry)\b|(?:i am|im) (?:just |definitely |actually )?(?:jumping|throwing myself|stepping|lying down) (?:in front of|under) (?:a |the )?(?:train|lorry|truck|bus|tube|traffic)",
            why: "a stated decision to jump",
            ..D
        },
        Def {
            name: "means_counting_the_pills",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:counted|counting|count|recounted|recounting) (?:out |up )?(?:\S+ ){0,2}{PILLS}",
            needs: r"\b(?:again|cupboard|drawer|how many|enough|hidden|hid|stash\w*|in the house|bathroom|saved|saving|kept)\b",
            unless: r"\b(?:pharmacist|chemist|pharmacy|nurse|dosette|pill ?box|blister|prescription count)\b",
            why: "counting the pills at hand (means)",
            ..D
        },
        Def {
            name: "means_checked_the_way_up",
            cat: C::Means,
            w: 0.6,
            pat: r"(?:roof|rooftop|top floor|balcony|fire escape|bridge|car park) (?:door|hatch|access|gate|railing|barrier|fence)? ?(?:\S+ ){0,4}(?:is |was |are )?(?:never |not |always |still )?(?:locked|unlocked|open|left open|low|easy to climb)\b",
            needs: r"\bi (?:have |had |even |already |keep |always )?(?:checked|check|tested|tried the door|tried it|been up|gone up|went up)\b",
            unless: r"\b(?:before i left|security|alarm|locking up|lock up|my shift|on my rounds|rounds|caretaker|landlord|maintenance|fire drill|fire safety)\b",
            why: "checking access to a height (means)",
            ..D
        },
        Def {
            name: "hopelessness_lid_on_the_pit",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:bottom of|in|down) (?:a|the) (?:deep |dark )?(?:well|pit|hole)\b (?:\S+ ){0,8}(?:lid|no way out|cannot (?:get|climb) out|never (?:get|climb) out|no light|no ladder|nobody can hear)",
            why: "trapped with no way out (hopelessness)",
            ..D
        },
        Def {
            name: "hi_jumping_someone",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:going to|gonna|will|about to|plan to|planning to|are going to) (?:\S+ ){0,1}jump (?:him|her|them|that \S+|this \S+)\b|\b(?:he is|she is|they are|hes|shes|he|she) (?:\S+ ){0,1}(?:getting|gonna get|going to get|will get|getting it) (?:properly |well |proper |really )?done in\b|\b(?:do|doing) (?:him|her|them) in\b",
            unless: r"\b(?:surprise|party|birthday|queue|line|start|battery|batteries|car|cable|leads)\b",
            why: "an assault planned on someone",
            ..D
        },
        Def {
            name: "abuse_beaten_with_things",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:beat|beats|beating|hit|hits|whipped|whips|belted|belts|thrashed|thrashes|leathered|battered|strapped|smacked|lashed) (?:us|me|my (?:\S+ )?(?:brothers?|sisters?|mum|mom|mother|kids?|children|son|daughter)) (?:\S+ ){0,2}with (?:a |an |his |her |the |whatever|anything|what)",
            unless: r"\b(?:goal|goals|score|points?|move|shot|answer|time|card|hand|serve|record|lap|try|penalty|header|question|argument|joke|idea|offer|bid|price|deal)\b",
            why: "beaten with objects (abuse)",
            ..D
        },
        Def {
            name: "self_harm_fresh_cuts",
            cat: C::SelfHarm,
            w: 0.65,
            pat: r"(?:fresh|new|recent|deep|open|raw) (?:cuts|burns|scratches|wounds|slashes|scars) (?:on|in|across|along|up|down) (?:my|her|his|their|your) (?:\S+ )?(?:arms?|forearms?|wrists?|legs?|thighs?|stomach|tummy|hips?|chest|skin|body)",
            unless: r"\b(?:surgery|operation|op|c-section|caesarean|accident|fall|fell|brambles|cat|cats|dog|thorns|garden|gardening|kitchen|shaving|rugby|football|bike|barbed wire)\b",
            why: "fresh wounds of self-harm",
            ..D
        },
        Def {
            name: "passive_wondering_what_being_gone_is_like",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:think|thinks|thinking|thought|wonder|wonders|wondering|wondered|imagine|imagining|imagined|picture|picturing) (?:about )?what it (?:would|might|could|will) be like (?:if i (?:was|were|had) (?:just |simply )?(?:gone|dead|died|not here|not around|never been born|no longer here)|to (?:be dead|be gone|die|not exist|not be here|not be alive|never wake up|not wake up))",
            unless: r"\b(?:gone|not here|not around) (?:for|to|on|travelling|traveling|abroad|away|at|from|this|next|over)\b",
            why: "wondering what being dead would be like (a passive wish)",
            ..D
        },
        Def {
            name: "passive_a_quiet_exit",
            cat: C::PassiveSi,
            w: 0.55,
            pat: r"(?:take|welcome|accept|grab) (?:a |the )?(?:quiet|easy|painless|peaceful|early|gentle) (?:exit|way out|departure)\b",
            unless: r"\b(?:from|out of) (?:the |this |that )?(?:party|meeting|room|job|company|wedding|pub|do|event|conference|market|contract|deal|business)\b",
            why: "a quiet exit from life welcomed",
            ..D
        },
        Def {
            name: "passive_would_not_fight_it",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:would not|will not|could not be bothered to|would hardly) put up (?:much of |any |a )?(?:a )?fight\b",
            needs: r"\b(?:came for me|comes for me|took me|takes me|called me|calls me|if (?:something|death|it|god|the lord|cancer|the illness)|cancer|illness|heart|die|death|dying|home tonight|my time)\b",
            why: "not resisting death if it came (a passive wish)",
            ..D
        },
        Def {
            name: "passive_not_want_to_be_here_anywhere",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:do not|did not) (?:really )?want to be here (?:\S+ ){0,4}(?:anywhere|anymore|any more|on (?:this )?earth|in this world|alive)\b",
            unless: r"\b(?:room|office|meeting|party|waiting|hospital|school|class|job|work|town|city|country|house|flat|session|appointment|queue|ward|team|company)\b",
            why: "not wanting to be here at all (a passive wish)",
            ..D
        },
        Def {
            name: "passive_envying_those_who_die",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:envy|envying|envied|envies|jealous of|envious of) (?:the )?(?:\S+ ){0,2}(?:who|that) (?:do not|did not|never|will not) (?:make it|survive|wake up|come back|pull through)\b|(?:envy|envying|envied|jealous of|envious of) (?:the )?(?:dead|ones who died|people who died|ones who did not make it)\b",
            why: "envying those who die (a passive wish to be dead)",
            ..D
        },
        Def {
            name: "passive_if_i_did_not_go_on",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:worst thing|fine|okay|a relief|be easier|be better|a mercy|a blessing) if i (?:just |simply )?(?:did not|could not|could stop|stopped|did not have to|no longer) (?:continue|continued|go on|went on|carry on|carried on|keep going|kept going|continuing)(?:\s*$|\s*[,.;!?]| living| like this| anymore| any more| existing| with (?:life|it all|any of it))",
            why: "a wish not to go on living",
            ..D
        },
        Def {
            name: "plan_the_line_when_the_freight_goes_through",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:railway|rail line|railway line|train line|tracks|level crossing|line) (?:\S+ ){0,8}(?:freight|goods train|express|non-stopping train|fast train|night train)s? (?:\S+ )?(?:goes|go|comes|come|passes|pass|runs|run|thunders|thunder) (?:through|past|by)",
            needs: r"\b(?:plan|i will|i would|that is where|that is when|do it|i am going to)\b",
            why: "a place and time on the railway (a plan)",
            ..D
        },
        Def {
            name: "means_holding_back_medication",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:holding|held|keeping|kept|saving|saved|putting|put|squirrelling|stashing|stashed) (?:\S+ ){0,2}{PILLS} (?:back|aside|by|away)\b|(?:quite a|a good|a big|a little|my) (?:stash|stockpile|hoard|collection) (?:\S+ ){0,3}(?:now|of (?:\S+ )?{PILLS})\b",
            needs: r"{PILLS}|\bstash\b|\bstockpile\b",
            unless: r"\b(?:fridge|cool bag|travel|holiday|spare|backup|back-up|pharmacy|prescription|expired|return|returned|disposal)\b",
            why: "medication held back or stockpiled (means)",
            ..D
        },
        Def {
            name: "means_drugs_brought_home_from_work",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:vial|vials|ampoule|ampoules|amp|amps|syringe|syringes|bottle|bag|pack) of (?:potassium|insulin|morphine|fentanyl|midazolam|propofol|ketamine|pentobarb\w*|digoxin|diamorphine|oxycodone|pentobarbital|euthanasia solution|lignocaine|lidocaine)\b",
            needs: r"\b(?:home|in my (?:bag|work bag|locker|car|drawer|pocket)|took|taken|kept|keep|stole|nicked|pocketed|smuggled|brought)\b",
            unless: r"\b(?:bedside|to the patient|for the patient|returned|handed back|pharmacy)\b",
            why: "lethal drugs taken home from work (means)",
            ..D
        },
        Def {
            name: "prep_affairs_for_after_i_am_gone",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:passwords|pin numbers|bank details|account details|the will|my will|funeral|life insurance|mess to (?:clear|sort|clean) up|nothing to sort) (?:\S+ ){0,12}(?:after|when|once) i am (?:gone|not here|not around|dead)\b",
            unless: r"i am (?:gone|not here|not around) (?:on|for|to|at|this|next|during|over|abroad|away|travelling|traveling)\b",
            why: "affairs put in order for after one's death",
            ..D
        },
        Def {
            name: "prep_notes_written_and_things_given_up",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:notes?|letters?) (?:written|left|addressed) (?:to|for) (?:his|her|their|my) (?:parents|family|kids|children|wife|husband|partner|mum|mom|dad|sister|brother|daughter|son)\b|(?:rehomed|re-homed|given away|gave away) (?:his|her|their|my|the) (?:dog|cat|pets?|horse)\b",
            needs: r"\b(?:rehomed|re-homed|given away|gave away|giving away|given notice|gave notice|handed in (?:his|her|my|their) notice|will|goodbye|farewell|final|affairs|notes? written|letters? written)\b",
            unless: r"\b(?:allerg\w*|moving abroad|new baby|landlord does not allow|no pets|emigrat\w*)\b",
            why: "notes to family and things given up (preparation)",
            ..D
        },
        Def {
            name: "prep_working_out_where_on_the_day",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:working out|worked out|figuring out|figured out|checking|checked|deciding|decided) (?:exactly )?(?:where|how|when) i would (?:park|stand|go in|get in|get over|climb|do it|jump|stop|get through|leave the car)\b",
            needs: r"\b(?:on the day|the day|dam|bridge|cliff|quarry|river|tracks|railway|roof|car park|edge|drop|reservoir|lake|sea|viaduct)\b",
            unless: r"\b(?:wedding|interview|exam|match|concert|gig|party|appointment|job|shift|course|race|marathon|festival|graduation|funeral of|move|removal)\b",
            why: "rehearsing where and how (preparation)",
            ..D
        },
        Def {
            name: "prep_thanks_for_everything_while_giving_away",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"(?:texted|messaged|sent|posted|wrote|said|saying|says|telling|emailed) (?:\S+ ){0,4}(?:thanks for everything|thank you for everything|goodbye to everyone|love you all|sorry for everything)\b",
            needs: r"\b(?:giving|gave|given) (?:\S+ ){0,3}away\b|\b(?:worried|scared|not answering|not picking up|has not replied|no reply|switched off)\b",
            why: "goodbyes sent while giving things away (preparation)",
            ..D
        },
        Def {
            name: "prep_forgiveness_for_what_i_am_about_to_do",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:forgiveness|forgive me|forgive him|forgive her|pardon) (?:\S+ ){0,2}for what (?:i am|he is|she is|they are) (?:about|going) to do\b",
            unless: r"\b(?:cake|pizza|song|karaoke|joke|pun|dance|dancing|singing|the meal|dinner|this dish|this recipe)\b",
            why: "forgiveness asked for an act to come (preparation)",
            ..D
        },
        Def {
            name: "attempt_the_time_i_tried_to_go",
            cat: C::Attempt,
            w: 0.65,
            pat: r"(?:first|last|second|third|other|only) time (?:i|he|she|they) (?:tried|attempted) to (?:go|leave|check out|clock out) (?:i was|he was|she was|they were|was|at|when|it was)\b|(?:first|last|second|third|other|only) time (?:i|he|she|they) (?:tried|attempted) to (?:check out|end things|not be here|do it|end it)\b",
            unless: r"\b(?:skiing|swimming|abroad|camping|hiking|uni|university|college|school|the gym|home|work)\b",
            why: "a past attempt told as trying to go",
            ..D
        },
        Def {
            name: "self_harm_carving_into_my_skin",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:carve|carving|carved|carves|etch|etching|etched|scratch|scratching|scratched|cut|cutting) (?:\S+ ){1,6}(?:into|in|on) my (?:own )?(?:arms?|forearms?|wrists?|legs?|thighs?|skin|stomach|chest|hips?|hands?)\b",
            unless: r"\b(?:tattoo\w*|henna|marker|pen|sharpie|by accident|accidentally|bramble\w*|thorns?|on the glass|paper)\b",
            why: "words or marks carved into the skin (self-harm)",
            ..D
        },
        Def {
            name: "self_harm_i_sometimes_cut",
            cat: C::SelfHarm,
            w: 0.65,
            pat: r"\bi (?:sometimes|still|often|usually|occasionally|only|just|do|will) cut(?:,| not deep| myself| again| when| after| to get| just to|$|\.)",
            unless: r"\bcut (?:the|it|my hair|hair|back|down|off|out|up|corners|class|classes|ties|in|across|through|the grass|the lawn|the hedge)\b|\bshaving\b",
            why: "cutting (self-harm)",
            ..D
        },
        Def {
            name: "hopelessness_the_years_ahead_grey",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:next|rest of my|another) (?:\S+ )?(?:years|decades|life) (?:\S+ ){0,5}(?:just grey|all grey|grey all the way|nothing but grey|just black|pointless|empty|nothing to look forward to|the same forever)\b",
            unless: r"\b(?:mortgage|loan|contract|pension|weather|forecast)\b",
            why: "the years ahead seen as empty (hopelessness)",
            ..D
        },
        Def {
            name: "hopelessness_nothing_can_be_fixed",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:no|not any) fixing (?:any of )?(?:it|this|me|things|anything)|(?:staying|stays|will stay) ruined|(?:can never|can not ever|will never|can not) be fixed",
            needs: r"\b(?:everything|my life|all of it|any of it|me|whole life|all wrecked|all ruined|all gone|all broken)\b",
            unless: r"\b(?:cake|car|phone|laptop|engine|boiler|roof|pipe|dish|recipe|photo|paint|shirt|dress)\b",
            why: "everything ruined past mending (hopelessness)",
            ..D
        },
        Def {
            name: "burden_just_a_job_to_everyone",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"i am (?:just|only|nothing but|nothing more than) (?:a|an) (?:job|chore|task|burden|problem|box to tick|name on a list|number|inconvenience|drain|duty|obligation|charity case)\b",
            needs: r"\b(?:to anyone|to anybody|to everyone|to everybody|to them|to my family|that is all i am|rota|carers|nobody|no one)\b",
            unless: r"\b(?:bank|council|tax|insurance|company|call cent(?:er|re)|nhs waiting list)\b",
            why: "being only a chore to others (burdensomeness)",
            ..D
        },
        Def {
            name: "hi_not_a_figure_of_speech",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"(?:kill|murder|hurt|stab|shoot|strangle|batter) {PERSON_OBJ}",
            needs: r"\b(?:not (?:\S+ ){0,4}figure of speech|thought about how|not joking|i mean it|i am serious|for real|worked out how|thought it through|i could actually)\b",
            why: "harm to someone meant literally",
            ..D
        },
        Def {
            name: "abuse_held_down_and_filmed",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:hold|held|holds|holding|pin|pinned|pins|pinning) (?:me|him|her|us|them) down\b",
            needs: r"\b(?:film\w*|video\w*|photos?|changing rooms?|touch\w*|laugh\w*|took turns|kick\w*|punch\w*|spat|undress\w*|strip\w*|posted|online)\b",
            unless: r"\b(?:injection|blood test|jab|doctor|nurse|dentist|paramedic|play fight\w*|wrestl\w*)\b",
            why: "held down and filmed or hurt (abuse)",
            ..D
        },
        Def {
            name: "abuse_keys_hidden_so_i_cannot_leave",
            cat: C::Abuse,
            w: 0.65,
            pat: r"(?:hides|hid|hidden|takes|took|keeps|kept|locks away|locked away) (?:\S+ ){0,2}(?:car keys|keys|my phone|phone|passport|money|bank card|purse|wallet) (?:\S+ ){0,3}so (?:i|we) (?:can not|could not) (?:go|leave|get out|call|ring|drive)\b",
            needs: r"\b(?:screams?|screaming|shouts?|shouting|yells?|yelling|threatens?|threatened|(?:no one|nobody) would (?:ever )?believe|hits?|locks? me|will not let me|would not let me)\b",
            why: "kept from leaving (coercive control, abuse)",
            ..D
        },
        Def {
            name: "passive_a_crash_would_be_a_mercy",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:deer|lorry|truck|tree|bus|train|car|crash|accident|wall|pole|stag|moose) (?:\S+ ){0,4}(?:would be|would have been|will be) (?:a |such a )?(?:mercy|blessing|relief|release|welcome|kindness)",
            needs: r"\b(?:windscreen|windshield|into me|hit me|hits me|hitting me|crash\w*|accident|off the road|head-on|into (?:a|the) (?:wall|tree|pole|river))\b",
            why: "an accident that killed one welcomed (a passive wish)",
            ..D
        },
        Def {
            name: "passive_disappointed_the_scan_was_clear",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:disappointed|gutted|sad|let down|deflated|sorry) (?:\S+ ){0,3}(?:when|that) (?:the )?(?:scan|biopsy|results?|tests?|mri|x-ray|bloods|mammogram|ct) (?:\S+ ){0,3}(?:clear|normal|fine|negative|benign|all clear)\b",
            unless: r"\b(?:answer|diagnosis|explanation|pain|symptoms|why|pregnan\w*|baby)\b",
            why: "disappointed to be well (a passive wish to die)",
            ..D
        },
        Def {
            name: "active_put_myself_out_of_it",
            cat: C::ActiveSi,
            w: 0.65,
            pat: r"(?:put|putting) myself out of (?:it|this|it all|the pain|all this|my misery for good)\b",
            why: "ending one's own suffering oneself",
            ..D
        },
        Def {
            name: "active_do_what_my_father_did",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"(?:do|did|doing|go the way|end up doing) (?:what|like) (?:my|his|her) (?:father|dad|mother|mum|mom|brother|sister|uncle|grandfather|granddad|grandad|cousin|son|friend|mate) did\b",
            needs: r"\b(?:barn|garage|shed|loft|attic|rope|gun|shotgun|bridge|river|pills|kill\w*|suicide|hanged|hung himself|hung herself|shot himself|shot herself|took (?:his|her) (?:own )?life)\b",
            why: "a relative's suicide as one's own way",
            ..D
        },
        Def {
            name: "plan_do_it_on_the_day_they_are_away",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:going to|will|am doing) (?:do|end) it (?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|this weekend|next week) (?:when|while|as soon as) (?:\S+ ){0,4}(?:are|is) (?:at|away|out|gone|asleep)\b",
            unless: r"\b(?:party|homework|essay|laundry|washing|shopping|painting|revision|test|exam|cleaning|hoovering|decorating|move|packing)\b",
            why: "a day chosen for when the family is away (a plan)",
            ..D
        },
        Def {
            name: "plan_wait_till_then_do_it",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:wait|waiting) (?:till|until) (?:\S+ ){1,6}(?:then|and then) i (?:will|am going to|can) (?:do it|end it|go)\b(?: in the (?:bath|garage|woods|car|shed)| at the (?:bridge|lake|river|sea)|\s*[.!]?\s*$)",
            unless: r"\b(?:party|homework|essay|laundry|washing|shopping|painting|revision|cleaning|hoovering|decorating|packing|the shop|the gym|bed)\b",
            why: "waiting for the family to be away, then the act (a plan)",
            ..D
        },
        Def {
            name: "plan_has_chosen_the_place",
            cat: C::Plan,
            w: 0.7,
            pat: r"(?:has|have|had|he has|she has|i have|they have) (?:chosen|picked|found|settled on) (?:the |a )?(?:railway crossing|level crossing|railway|train line|bridge|cliff|cliffs|quarry|car park|multi-storey|multistorey|tracks|tree|beam|viaduct|reservoir)\b",
            unless: r"\b(?:photos?|wedding|venue|picnic|walk|hike|run|route|ride|painting|sketch)\b",
            why: "a place chosen (a plan)",
            ..D
        },
        Def {
            name: "plan_taking_the_drugs_to_do_it",
            cat: C::Plan,
            w: 0.8,
            pat: r"(?:taking|take|took|bring|bringing|get|getting|stealing|steal) (?:the |some |my |all the )?{PILLS} (?:\S+ ){0,8}to do it\b",
            unless: r"\b(?:chemist|pharmacy|pharmacist|doctor|gp|surgery|do it properly|do it right|do it again)\b",
            why: "the means and the act planned",
            ..D
        },
        Def {
            name: "means_looking_at_them_for_myself",
            cat: C::Means,
            w: 0.65,
            pat: r"(?:euthanasia|{PILLS}|drugs|gun|rifle|shotgun|rope) (?:\S+ ){0,10}for (?:myself|me)\b",
            needs: r"\b(?:looking at|thinking|eyeing|wondering|started|keep|kept)\b",
            unless: r"\b(?:pharmacy|chemist|prescribed|prescription|picked up|collected|ordered|repeat)\b",
            why: "lethal means eyed for oneself",
            ..D
        },
        Def {
            name: "means_never_returned_the_drugs",
            cat: C::Means,
            w: 0.55,
            pat: r"(?:never|did not|have not|not) (?:returned|handed back|given back|disposed of|got rid of|taken back) (?:the |his |her |my |dad's |mum's )?(?:\S+ )?{PILLS}|i know what i (?:kept|saved|kept back|held onto|am keeping|have kept|have been keeping) (?:it|them|those|that|the \S+) for\b",
            unless: r"\b(?:chemist|pharmacy|meaning to|keep forgetting|forgot|forgotten|expired)\b",
            why: "lethal medication kept back (means)",
            ..D
        },
        Def {
            name: "prep_last_confession_affairs_in_order",
            cat: C::Preparatory,
            w: 0.65,
            pat: r"(?:made|making|make|have made) (?:my|his|her) (?:last|final) confession|(?:put|putting|got|getting|have put) (?:everything|all|my affairs|my things|his affairs|her affairs) in order\b(?:\S+ ){0,6}(?:ready to go|before i go|for when|with the priest)?",
            needs: r"\b(?:ready to go|priest|last|final|before i go|for when|confession|goodbye)\b",
            unless: r"\b(?:move|moving|surgery|operation|holiday|trip|retire\w*)\b",
            why: "a last confession and affairs in order (preparation)",
            ..D
        },
        Def {
            name: "hopelessness_and_i_am_finished",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:is|are) (?:finished|over|gone|done|ruined) (?:\S+ ){1,6}(?:is|are) (?:finished|over|gone|done|ruined) (?:\S+ ){0,2}and i am (?:finished|done|gone|done for)\s*$",
            unless: r"\b(?:match|game|shift|exam|exams|party|meeting|work|day|week|term|season|course|project|film|show)\b",
            why: "the farm, the marriage and oneself finished (hopelessness)",
            ..D
        },
        Def {
            name: "hopelessness_out_of_road",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"i am (?:completely |totally |just )?out of (?:options|road|runway|chances)\b",
            unless: r"(?:for|on|with) (?:the|a|this|my) (?:\S+ )?(?:venue|wedding|holiday|present|gift|dinner|menu|recipe|outfit|party|car|flat|house|job hunt|landlord|council|printer|phone)\b",
            why: "out of options (hopelessness)",
            ..D
        },
        Def {
            name: "hopelessness_why_bother_getting_up",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"why i (?:even )?bother (?:getting up|waking up|living|going on|trying|carrying on)\b|everything (?:i do|i try) is (?:pointless|useless|for nothing|a waste)\b",
            unless: r"\b(?:early|saturday|saturdays|sunday|sundays|weekend|weekends|at work|in this job|here|for this)\b",
            why: "no point in getting up (hopelessness)",
            ..D
        },
        Def {
            name: "hopelessness_beyond_help",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\b(?:beyond help|past saving|beyond saving|a lost cause|past helping|beyond hope)\b",
            needs: r"\b(?:i am|i feel|describes (?:himself|herself|themselves)|feels|he is|she is|calls (?:himself|herself)|myself|i was)\b",
            unless: r"\b(?:sofa|car|phone|laptop|plant|garden|house|roof|boiler|team|club|project|report|shoes)\b",
            why: "beyond help (hopelessness)",
            ..D
        },
        Def {
            name: "burden_a_trouble_to_everyone",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"i am (?:a |such a |only a |just a )?(?:trouble|bother|weight|millstone|nuisance|worry) (?:to|for|on) (?:everyone|everybody|them|my family|the family|all of them|my children|my kids)\b|(?:they are|everyone is|they are all|she is|he is|the family is) (?:just )?waiting for me to (?:go|die|pass|be gone)\s*[.!]?\s*$",
            why: "a trouble to everyone, waited on to go (burdensomeness)",
            ..D
        },
        Def {
            name: "hi_make_them_pay",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:make|making) {PERSON_OBJ} pay\b",
            needs: r"\b(?:do not mean|not (?:\S+ ){0,2}(?:complaint|lawyer|legal|court|tribunal|grievance)|one of these days|in blood|for real|i mean it|they will see|he will see|she will see)\b",
            why: "revenge meant as harm",
            ..D
        },
        Def {
            name: "passive_glad_to_go_tonight",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:would be|would be so|i would be|am|i am) (?:glad|happy|ready|relieved|content|grateful) to (?:go|die|pass|be gone)(?: tonight| now| today| tomorrow| any time| anytime| whenever)?\s*$",
            needs: r"\b(?:gone|died|dead|passed|alone|nothing left|had enough|tired of|lord|god|heaven|age|old|seventy\S*|eighty\S*|ninety\S*)\b",
            why: "glad to die (a passive wish)",
            ..D
        },
        Def {
            name: "plan_planned_out_when_and_where",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:planned|mapped|worked|figured) (?:it )?(?:all )?out (?:\S+ ){0,3}(?:when|where|how)\b|(?:got|have got|have) it (?:all )?(?:mapped|planned|worked) out\s*$",
            needs: r"\b(?:all of it|done it yet|do it|the day|the method|where and when|when and where|when where|mapped out|planned out|worked out)\b",
            unless: r"\b(?:party|wedding|trip|holiday|move|birthday|surprise|meeting|route|shift|revision|essay|budget|diet|training|garden|menu)\b",
            why: "when and where worked out (a plan)",
            ..D
        },
        Def {
            name: "plan_thats_when",
            cat: C::Plan,
            w: 0.6,
            pat: r"^when (?:\S+ ){2,12}that is when\s*$",
            why: "an ominous 'that's when' (a time chosen)",
            ..D
        },
        Def {
            name: "plan_thinking_the_railway_line",
            cat: C::Plan,
            w: 0.6,
            pat: r"i am (?:thinking|considering|looking at) (?:of |about )?(?:the )?(?:railway|railway line|train line|tracks|bridge|river|cliffs?|quarry|multi-storey|car park roof|motorway bridge|viaduct|reservoir)\b",
            unless: r"\b(?:to get to|for the walk|walk|walking|route|commute|photos?|cycling|ride|run|running|swim|swimming|fishing|picnic|painting)\b",
            why: "a place being considered (a plan)",
            ..D
        },
        Def {
            name: "plan_you_would_stop_me",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:not telling you|will not tell you|not going to tell you|would not tell you) (?:\S+ ){0,4}(?:because|cause|or|since) you (?:will|would|might|are going to|could) (?:stop|try to stop|try and stop|section|lock up) me|^i have (?:got )?a plan,? yes\s*$",
            why: "a plan kept from the clinician",
            ..D
        },
        Def {
            name: "means_a_stash_enough_to_do_it",
            cat: C::Means,
            w: 0.6,
            pat: r"^i (?:have|have got|got|keep|kept) (?:a|my) (?:stash|stockpile|hoard|supply)\s*$|^(?:i have |i have got |got )?enough to do it\s*$|(?:ordered|bought|got|sent off for) (?:something|a \S+|some \S+) (?:online )?(?:\S+ ){0,3}(?:supposed|meant|said) to be (?:painless|peaceful|quick|gentle)\b",
            why: "means at hand, enough to do it",
            ..D
        },
        Def {
            name: "prep_cards_for_the_years_i_will_not_be_around",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"(?:for|in) the (?:years|birthdays|christmases|days|weddings|milestones) (?:that )?i (?:will not|would not|am not going to|will never) (?:be around|be here|be there|be alive|see)\b",
            why: "cards for the years one will not be there (preparation)",
            ..D
        },
        Def {
            name: "attempt_the_overdose",
            cat: C::Attempt,
            w: 0.65,
            pat: r"\b(?:my|the|an|that|his|her|last) overdose\b",
            needs: r"\b(?:hospital|a&e|ambulance|icu|intensive care|ward|stomach pumped|put me|put you|put him|put her|resus|woke up|found me)\b",
            unless: r"\b(?:rate|rates|deaths in|statistics|crisis|epidemic|naloxone training)\b",
            why: "an overdose that needed hospital (an attempt)",
            ..D
        },
        Def {
            name: "self_harm_on_purpose_on_my_skin",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"(?:on|over|into|against|onto) my (?:\S+ )?(?:hands?|arms?|legs?|skin|feet|foot|wrists?|face|thighs?) (?:\S+ ){0,2}on purpose\b",
            unless: r"\b(?:cream|lotion|sun ?cream|moisturi\S+|plaster|ice|water to cool)\b",
            why: "hurting oneself on purpose (self-harm)",
            ..D
        },
        Def {
            name: "hopelessness_this_is_it_forever",
            cat: C::Hopelessness,
            w: 0.55,
            pat: r"(?:this|that) is (?:just )?it for me,? (?:forever|for good|for the rest of my life)\b|never (?:going to|gonna) be normal\b|^i am (?:past|beyond) hop(?:e|ing)\s*$|^i have (?:stopped|given up) hoping\s*$",
            unless: r"\b(?:dream|love|perfect|the one|happy|house|job|team|car)\b",
            why: "no change ever (hopelessness)",
            ..D
        },
        Def {
            name: "hopelessness_nothing_left_for_me",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"nothing left for (?:me|him|her|us)(?:\s*$| since| now| here| anymore| any more| in this)",
            why: "nothing left for one (hopelessness)",
            ..D
        },
        Def {
            name: "burden_one_more_mouth_to_feed",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"i am (?:just )?(?:one more|another|an extra) mouth (?:\S+ ){0,3}to feed|better (?:for (?:her|him|them|everyone|everybody|my \S+) )?if there (?:was|were) one less\b",
            why: "one more mouth to feed (burdensomeness)",
            ..D
        },
        Def {
            name: "hi_shoot_up_the_school",
            cat: C::HarmToOthers,
            w: 0.9,
            pat: r"(?:shoot|shooting|shot|bomb|bombing|blow) up (?:the|that|this|my|our|a|his|her) (?:school|college|uni|office|workplace|church|mosque|synagogue|temple|mall|place|class|factory|warehouse|depot)\b",
            why: "a mass attack named",
            ..D
        },
        Def {
            name: "hi_break_his_legs",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"(?:break|breaking|smash|smashing|snap|snapping) (?:his|her|their) (?:legs?|arms?|jaw|face|neck|nose|kneecaps|fingers|skull)\b",
            needs: r"\b(?:going to|gonna|will|want to|i am|serious|wait for|after (?:his|her|their) shift|next time|i swear)\b",
            unless: r"\b(?:skiing|football|rugby|fell|falls|fall|accident|riding|trampoline|cast|plaster|stairs|ice)\b",
            why: "harm to someone planned",
            ..D
        },
        Def {
            name: "abuse_beaten_with_a_cane",
            cat: C::Abuse,
            w: 0.7,
            pat: r"(?:beat|beats|beating|hit|hits|caned|whipped|strapped|belted|thrashed) (?:us|me|them|him|her) (?:\S+ ){0,6}with (?:a |the |his |her |their )?(?:cane|belt|strap|stick|ruler|slipper|whip|hose|cable|wooden spoon|buckle|switch|rod)\b",
            why: "beaten with an implement (abuse)",
            ..D
        },
        Def {
            name: "passive_catch_something_and_not_recover",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"(?:catch|get|caught|got) (?:something|an infection|covid|sepsis|ill|sick) (?:\S+ ){0,4}(?:and )?(?:just )?(?:not|never) (?:recover|get better|pull through|come back)\b",
            unless: r"not recover (?:for|until|till|in time)\b",
            why: "wishing an illness would kill one (a passive wish)",
            ..D
        },
        Def {
            name: "passive_praying_for_a_heart_attack",
            cat: C::PassiveSi,
            w: 0.65,
            pat: r"(?:praying|pray|prayed|hoping|hope|wishing|wish) for (?:a |the )?(?:heart attack|stroke|aneurysm|car crash|fatal \S+|bus|lorry|cancer|death|my death)\b|(?:begging|asking|praying|beg|ask|pray) (?:them|him|god|the lord|the ancestors|allah|jesus) (?:every day )?to (?:call|take|come for) me\b|\btake me now\s*$",
            unless: r"\b(?:crash course|death metal|the end of)\b",
            why: "praying for death (a passive wish)",
            ..D
        },
        Def {
            name: "active_if_i_stepped_forward_it_would_be_over",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"if i (?:just )?(?:stepped|step|leaned|lean|walked|walk|jumped|jump|let go|swerved|swerve|fell|fall) (?:forward|out|off|in|over|across|back)? ?(?:\S+ ){0,3}(?:it would (?:all )?be over|that would be it|it would all end|all be over)",
            unless: r"\b(?:photo|photos|picture|camera|selfie|queue|dance|race|game|match|exam|interview)\b",
            why: "a step that would end it all",
            ..D
        },
        Def {
            name: "active_the_rifle_in_my_mouth",
            cat: C::ActiveSi,
            w: 0.85,
            pat: r"(?:rifle|gun|pistol|shotgun|barrel|revolver|piece) (?:\S+ ){0,8}(?:putting|put|stick|sticking|hold|holding) it (?:in|to|against|under) my (?:mouth|head|temple|chin)\b",
            why: "a gun to oneself",
            ..D
        },
        Def {
            name: "active_think_to_jump_at_sea",
            cat: C::ActiveSi,
            w: 0.65,
            pat: r"(?:think|thinking|thought) (?:many times |often |sometimes |a lot )?(?:to|of|about) (?:jump|jumping) (?:at night|overboard|off|from|in|into)\b",
            needs: r"\b(?:ship|sea|deck|boat|ferry|overboard|bridge|nobody will see|no one will see|river)\b",
            why: "thinking of jumping (from a ship, a bridge)",
            ..D
        },
        Def {
            name: "active_topping_masel",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\b(?:toppin|topping|top|topped) (?:masel|masell|mysel|meself|maself)\b",
            why: "killing oneself, in Scots",
            ..D
        },
        Def {
            name: "plan_not_coming_back_in",
            cat: C::Plan,
            w: 0.75,
            pat: r"(?:boat|kayak|canoe|dinghy|out to sea|headland|swim out|walk out|into the sea) (?:\S+ ){0,8}(?:i|and i) (?:will not|am not going to|would not) (?:be )?(?:coming back|come back)\b",
            unless: r"coming back (?:till|until|before|for|tonight|tomorrow|on|later)\b",
            why: "going out to sea not to come back (a plan)",
            ..D
        },
        Def {
            name: "plan_not_picked_the_night_yet",
            cat: C::Plan,
            w: 0.7,
            pat: r"^i know (?:which|what|the) (?:tree|rope|bridge|beam|cliff|building|spot|place|train)\s*$|(?:have not|not) (?:yet )?(?:picked|chosen|decided|set) (?:the|a) (?:night|day|date|time) yet\b",
            unless: r"\b(?:wedding|party|holiday|trip|meeting|dinner|move|match|gig|interview)\b",
            why: "the means known, only the night to pick (a plan)",
            ..D
        },
        Def {
            name: "plan_the_poison_in_the_shed",
            cat: C::Plan,
            w: 0.75,
            pat: r"i (?:will|am going to|would) (?:just )?(?:use|take|drink|swallow) (?:the |my |all the |all my |some )?(?:\S+ )?(?:paraquat|weedkiller|pesticides?|antifreeze|rat poison|sheep dip|pentobarb\S*)\b|(?:burn|burning|light|lighting) (?:the |some )?charcoal\b",
            needs: r"\b(?:decided|shed|once|after|when|motel|hotel|room|car|tent|sealed|windows|door shut|myself|waiting|last)\b",
            unless: r"\b(?:on the (?:path|drive|weeds|garden|patio|lawn|fence|field|crops)|bbq|barbecue|grill|burgers)\b",
            why: "a poison or charcoal chosen (a plan)",
            ..D
        },
        Def {
            name: "plan_walk_to_the_railway_line",
            cat: C::Plan,
            w: 0.6,
            pat: r"(?:walk|go|head|drive|run) (?:out )?(?:to|down to|over to) the (?:railway line|railway|tracks|train line|level crossing|cliff|cliffs|quarry|motorway bridge)\b",
            needs: r"\b(?:wait till|wait until|and then|then go|fire door|without anyone|nobody will|no one will|when no one|when nobody)\b",
            unless: r"\b(?:lunch|picnic|walk the dog|dog|swim|fishing|photos?|run|jog|stroll|with the kids|friends|station|train to|catch)\b",
            why: "slipping away to the railway (a plan)",
            ..D
        },
        Def {
            name: "means_drugs_at_work_for_me",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:pentobarb\S*|euthanasia (?:drugs?|solution)) (?:\S+ ){0,8}(?:i have (?:got )?the code|i know the code|i have (?:got )?the key|i have access)\b|(?:controlled drugs|drugs? cupboard|anaesthetic kit|my kit) (?:\S+ ){0,10}(?:scares me|would do to me|for myself|on myself)\b|i know exactly what (?:is in it|it would do) (?:\S+ ){0,6}to me\b",
            why: "lethal drugs at work, thought of for oneself (means)",
            ..D
        },
        Def {
            name: "means_looking_at_the_knife_in_the_drawer",
            cat: C::Means,
            w: 0.6,
            pat: r"(?:opening|open|opened) the drawer and (?:just )?(?:looking|look|looked|staring|stare) at (?:it|the knife|them|the knives|the blade)\b",
            needs: r"\b(?:knife|knives|blade|blades|razor)\b",
            why: "a knife looked at (means)",
            ..D
        },
        Def {
            name: "means_using_the_piece_on_myself",
            cat: C::Means,
            w: 0.75,
            pat: r"(?:using|use|turn|turning|point|pointing) it on (?:myself|me)\b|there if i (?:ever )?(?:need|want) it\b",
            needs: r"\b(?:piece|gun|strap|pistol|rifle|shotgun|knife|blade|rope|glock|weapon|cliff|edge|drop|bridge|pills|tablets)\b",
            why: "a weapon or a drop kept in mind for oneself (means)",
            ..D
        },
        Def {
            name: "prep_taking_tablets_one_at_a_time",
            cat: C::Means,
            w: 0.7,
            pat: r"(?:taking|took|take|pocketing|saving|keeping|slipping) (?:\S+ ){0,3}{PILLS} (?:\S+ ){0,8}(?:one at a time|so (?:she|he|they|nobody|no one) (?:will not|would not|does not|do not|will never) notice|keeping them for me|for me)\b",
            unless: r"\b(?:to give (?:her|him)|for (?:her|him) to take|chemist|pharmacy|doctor said)\b",
            why: "tablets taken in secret and kept (means)",
            ..D
        },
        Def {
            name: "attempt_the_car_in_the_garage",
            cat: C::Attempt,
            w: 0.75,
            pat: r"(?:ran|run|running|left|had) the (?:car|engine) (?:running )?in the (?:garage|shed|lock-up)\b",
            needs: r"\b(?:door (?:shut|closed|down)|minutes before|came home|found me|opened it|sealed|hose|passed out)\b",
            why: "the car run in a closed garage (an attempt)",
            ..D
        },
        Def {
            name: "hopelessness_no_way_up_for_someone_like_me",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"no way (?:up|out|forward|back) (?:from here )?for (?:somebody|someone|people) like me\b|(?:can not|do not) see (?:any )?(?:way|how) (?:that )?(?:things|it|life|anything) (?:could|will|would|can) (?:ever )?(?:get|be) better\b",
            why: "no way up (hopelessness)",
            ..D
        },
        Def {
            name: "passive_as_well_off_in_the_ground",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:as well off|better off) (?:in the ground|under the ground|six feet under|in a box|in the grave|in my grave)\b",
            why: "better off in the ground (a passive wish)",
            ..D
        },
        Def {
            name: "burden_the_problem_would_go_away_if_i_did",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"(?:the problem|problems|everything|it all) would (?:go away|be solved|disappear|be sorted) if i (?:did|died|was gone|were gone|went|was not here|were not here)\b",
            why: "the problem gone if one died (burdensomeness)",
            ..D
        },
        Def {
            name: "hi_the_next_one_gets_it",
            cat: C::HarmToOthers,
            w: 0.65,
            pat: r"(?:next one|next person|next guy|next bloke|whoever) (?:who |that )?(?:\S+ ){0,6}(?:gets it|is getting it|will get it|gets hurt|gets battered)\b",
            needs: r"\b(?:bat|knife|weapon|hammer|will not stop|proper|wrench|machete|baton)\b",
            why: "a weapon kept for the next one (harm to others)",
            ..D
        },
        Def {
            name: "hi_something_in_their_food",
            cat: C::HarmToOthers,
            w: 0.75,
            pat: r"(?:putting|put|slipping|slip|adding|add|lacing|lace) (?:something|stuff|poison|bleach|rat poison|antifreeze|it) in (?:my |his |her |their |the )?(?:\S+ )?(?:food|drink|tea|coffee|meals?|dinner|water)\b",
            unless: r"\b(?:sugar|salt|spice|spices|herbs|vitamins|medicine|gravy|sauce|chilli|pepper|recipe|flavour|lemon|milk|honey|cream|ice|sweetener)\b",
            why: "poisoning someone (harm to others)",
            ..D
        },
        Def {
            name: "hi_putting_it_in_his_neck",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"(?:putting|put|stick|sticking|shove|shoving|plunging|plunge|drive|driving|stab|stabbing) it (?:in|into|through) (?:his|her|their) (?:neck|throat|chest|eye|face|back|head|gut|stomach)\b",
            why: "a weapon thought of against someone",
            ..D
        },
        Def {
            name: "hi_take_them_all_with_me",
            cat: C::HarmToOthers,
            w: 0.9,
            pat: r"(?:take|taking) (?:them|the kids|the children|everyone|the family|us) (?:all )?with me(?:\s*$| when| if)",
            needs: r"\b(?:if (?:she|he|my \S+) (?:leaves|leave|goes|takes|tries)|meant it|i mean it|end|kill|die|dead|gone)\b",
            why: "taking the family too (homicide and suicide)",
            ..D
        },
        Def {
            name: "hi_ending_his_life",
            cat: C::HarmToOthers,
            w: 0.85,
            pat: r"\bi (?:\S+ ){0,4}(?:about|of|to) (?:\S+ ){0,1}(?:ending|end|taking|take) (?:his|her|their|[a-z]+) life\b",
            unless: r"\b(?:own life|life support|life sentence|my life|your life|our life|(?:he|she|they) (?:\S+ ){0,3}(?:about|of) (?:ending|taking))\b",
            why: "thoughts of ending someone else's life",
            ..D
        },
        Def {
            name: "passive_feel_like_that_too",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"(?:ready to go|ready to die|had enough of (?:living|life|it all)|wanted to die|wished (?:she|he) was dead|did not want to wake up)\b(?:\S+ | ){0,8}(?:and )?(?:lately |now |these days )?i (?:feel|felt|am|have been feeling) (?:exactly |just |the same |a bit |kind of )?(?:like that|the same|that way)\b",
            unless: r"\bready to go (?:to|out|home|for|on|in|back|shopping|now|yet)\b",
            why: "someone else's death wish, owned as one's own",
            ..D
        },
        Def {
            name: "passive_let_it_be_cancer",
            cat: C::PassiveSi,
            w: 0.75,
            pat: r"(?:please |i hoped |i prayed |i was hoping )?let it be (?:cancer|terminal|something terminal|something serious|the big one|malignant)\b",
            unless: r"\b(?:not|benign|nothing|cancer-free|clear)\b",
            why: "hoping for a fatal diagnosis",
            ..D
        },
        Def {
            name: "plan_walk_in_and_not_come_back",
            cat: C::Plan,
            w: 0.85,
            pat: r"walk (?:in|into (?:the )?(?:\S+ )?(?:sea|water|river|lake|reservoir|loch|ocean|waves|canal|quarry)) and (?:not|never) (?:come|coming) (?:back|out)",
            why: "walking into water not to come back",
            ..D
        },
        Def {
            name: "plan_my_plan_is_to_jump",
            cat: C::Plan,
            w: 0.9,
            pat: r"(?:my|the) plan is to (?:\S+ ){0,16}(?:jump|jump off|hang myself|overdose|shoot myself|drown myself|step off|step in front|take (?:all|the lot|them all|every))\b",
            why: "a plan told step by step",
            ..D
        },
        Def {
            name: "plan_step_off_the_platform",
            cat: C::Plan,
            w: 0.8,
            pat: r"(?:train|platform|tracks|line|ledge|edge|roof|bridge|cliff)\b(?:\S+ | ){0,16}i (?:could|would|will|can|might) (?:just )?step (?:off|out|in front|over)",
            why: "a place and a step off it",
            ..D
        },
        Def {
            name: "means_euthanasia_drugs_for_me",
            cat: C::Means,
            w: 0.85,
            pat: r"(?:get hold of|access to|can get|could get|get at) (?:the )?(?:euthanasia drugs?|euthanasia solution|pentobarb\w*|the green dream|the (?:\S+ )?drugs we put (?:\S+ )?down)\b(?:\S+ | ){0,12}(?:for me|on my mind|myself|thought about)",
            why: "a means to hand at work, thought of for oneself",
            ..D
        },
        Def {
            name: "self_harm_sliced_on_purpose",
            cat: C::SelfHarm,
            w: 0.85,
            pat: r"(?:sliced|cut|burned|burnt|smashed|slashed|broke|scalded) my (?:\S+ )?(?:hand|hands|arm|arms|wrist|wrists|leg|legs|thigh|thighs|finger|fingers|palm|stomach)(?: open| up)? (?:\S+ ){0,2}on purpose",
            why: "an injury made on purpose",
            ..D
        },
        Def {
            name: "abuse_said_no_and_he_did_not_stop",
            cat: C::Abuse,
            w: 0.8,
            pat: r"(?:said|saying|told him|told her|kept saying) no\b (?:\S+ ){0,8}(?:he|she|they) (?:\S+ )?(?:did not|would not) stop\s*$|(?:held|pinned) me down (?:\S+ ){0,6}(?:said no|did not stop|would not stop)\b",
            why: "forced after saying no (sexual assault)",
            ..D
        },
        // sets 37 and 38 (read once sets 41 and 42 were written)
        Def {
            name: "passive_done_with_existing",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:done|finished|through) with (?:\S+ ){0,5}(?:existing|existence|being alive|breathing)\s*$|\b(?:done|finished|through) with (?:existing|existence|being alive|breathing)\b|\b(?:done|finished|through) with (?:my life|life|living)\s*$",
            unless: r"\b(?:life admin|night ?life|shelf life|living room|living arrangements?|the living)\b",
            why: "done with existing",
            ..D
        },
        Def {
            name: "passive_wish_life_would_finish",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\bi wish (?:it|my life|life|everything|all of it|this|the whole thing) would (?:just )?(?:finish|end|stop|be over)\b",
            needs: r"\b(?:life|living|alive|existence|existing|heavy|tired of|too much|too hard)\b",
            unless: r"\b(?:meeting|shift|lesson|film|movie|game|match|term|week|day|rain|winter|queue|song|party|noise)\b",
            why: "wishing one's life would end",
            ..D
        },
        Def {
            name: "passive_relief_at_fatal_news",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\b(?:first (?:feeling|thought|reaction)|i felt|i was|i feel|honestly) (?:\S+ ){0,3}(?:relief|relieved)\b",
            needs: r"\b(?:cancer|terminal|tumou?r|might die|could die|would die|me finished|the end of me|not long left|months to live)\b",
            unless: r"\b(?:benign|all clear|not cancer|was not cancer|clear|negative|no cancer|treatable|caught early|remission|removed|curable)\b",
            why: "relief at news that could mean dying",
            ..D
        },
        Def {
            name: "passive_tired_of_waking",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\b(?:tired|sick|weary) of (?:waking up|being alive|living|existing|still being here|being here|breathing)\b",
            unless: r"\b(?:early|at \d|at (?:five|six|four|half)|alarm|baby|night feeds?|commute|this (?:flat|house|town|city)|here in|living (?:here|with|in)|being here (?:at|in|on|for))\b",
            why: "tired of waking up to another day",
            ..D
        },
        Def {
            name: "passive_not_worst_if_died",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:would not|would|might not|may not) be (?:the worst thing|so bad|a bad thing|the end of the world|such a bad thing) if (?:i (?:just )?(?:died|did not wake|never woke|was gone|were gone)|my (?:heart|body|breathing) (?:just )?(?:stopped|gave out|packed in))\b",
            why: "it would not be bad to die",
            ..D
        },
        Def {
            name: "means_know_what_too_much_does",
            cat: C::Means,
            w: 0.6,
            pat: r"\bi know (?:exactly )?what (?:too much|a lot|a whole \S+|enough|all) (?:of (?:it|them|those|that|these) )?(?:would do|does|will do|could do|can do)\b",
            why: "knowing what an overdose of something at hand would do",
            ..D
        },
        Def {
            name: "prep_list_left_for_whoever",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"\b(?:list|note) (?:of |saying )?who (?:gets|should get|is to get|will get|can have|has) what\b|\bfor whoever (?:comes in|finds me|finds it|finds them|comes after|comes round)\b",
            unless: r"\b(?:party|secret santa|christmas|presents|chores|rota|bags|birthday|shifts|jobs)\b",
            why: "leaving word of who gets one's things",
            ..D
        },
        Def {
            name: "prep_pet_rehomed_in_case",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"\b(?:the|my) (?:dog|dogs|cat|cats|pets?|birds?|rabbits?|horse|fish)(?:'s| is| are|s)? (?:going|goes|will go) to (?:my|his|her|a) \S+",
            needs: r"\b(?:just in case|in case|arranged|sorted|made sure|when i am gone|after i am gone|if anything happens)\b",
            unless: r"\b(?:holiday|vet|kennels?|while i am away|for the week|for the weekend|groomer|trip)\b",
            why: "arranging for a pet to be taken in, just in case",
            ..D
        },
        Def {
            name: "prep_own_funeral_wishes",
            cat: C::Preparatory,
            w: 0.5,
            pat: r"\b(?:music|songs?|hymns?|readings?|flowers|outfit|clothes) i (?:want|would like|would want) (?:at|for|played at) my funeral\b|\b(?:wrote|written|writing) (?:out |down )?(?:\S+ ){0,4}my funeral\b|\bplanned my (?:own )?funeral\b",
            unless: r"\b(?:co-op|insurance|pre-paid|prepaid|policy|plan provider|our funerals?)\b",
            why: "writing out one's own funeral wishes",
            ..D
        },
        Def {
            name: "self_harm_barcode",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\b(?:arms?|legs?|wrists?|thighs?|skin) (?:look|looks|looking|are|is|look like) like (?:a )?barcodes?\b|\bbarcodes? (?:on|up|down) (?:my|her|his|your) (?:arms?|legs?|wrists?|thighs?)\b",
            why: "rows of cuts (barcode)",
            ..D
        },
        Def {
            name: "hopeless_cannot_picture_better",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bcan not (?:picture|imagine|see) (?:things|it|life|anything|my life) ever (?:getting|being|going to get|going to be) (?:any )?better\b",
            why: "cannot picture things ever getting better",
            ..D
        },
        Def {
            name: "burden_costs_saved_if_gone",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\b(?:save|saving|saved|spare|spared) (?:a fortune|money|a lot|so much|thousands|the fees|on (?:my|the) \S+)\b(?:\S+ | ){0,8}if i (?:was|were) not (?:here|around|alive)\b|\bif i (?:was|were) not (?:here|around|alive)\b (?:\S+ ){0,8}(?:save|saving|spare) (?:a fortune|money|a lot|so much|thousands)\b",
            why: "what others would save if they were gone",
            ..D
        },
        Def {
            name: "abuse_we_all_get_it",
            cat: C::Abuse,
            w: 0.6,
            pat: r"\b(?:we all|we|i|the kids|my (?:brother|sister|mum|mom)) (?:all )?(?:get it|got it|cop it|copped it|get the worst|got the worst)\b",
            needs: r"\b(?:when|if|after) (?:dad|mum|mom|he|she|my (?:dad|father|mum|mom|mother|stepdad|step-dad|stepmum|stepmom|husband|partner|boyfriend)) (?:\S+ )?(?:drinks|is drunk|gets drunk|gets angry|loses it|kicks off|comes home drunk|has been drinking)\b",
            why: "being hit when a parent drinks or loses their temper",
            ..D
        },
        Def {
            name: "abuse_corrects_with_hand",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\bcorrects? (?:the wife|his wife|the children|the kids|me|her|us|them) with (?:his|her|a|the) (?:hand|belt|stick|fist|fists)\b|\b(?:he|she) corrects me\b",
            needs: r"\b(?:hand|belt|stick|fist|hits?|beats?|slaps?|normal|wife|husband)\b",
            why: "being physically 'corrected' by a partner",
            ..D
        },
        Def {
            name: "abuse_grabbed_by_neck",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:grab|grabs|grabbing|grabbed|hold|holds|holding|held|choke|chokes|choking|choked|squeeze|squeezes|squeezing|squeezed|pin|pins|pinning|pinned|lift|lifts|lifted) (?:\S+ ){0,4}by (?:the|his|her|my|their) (?:neck|throat)\b",
            unless: r"\b(?:scruff|kitten|puppy|bottle|wine|chicken|goose|cat|dog)\b",
            why: "grabbing someone by the neck",
            ..D
        },
        Def {
            name: "active_asr_suicide_spelling",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\b(?:(?:sue|soo|suey|sewer) ?(?:side|cide|sidal|cidal)|sui (?:side|cide|cidal))(?:al)? (?:thoughts?|ideas?|feelings?|urges?|ideation)\b",
            why: "suicidal thoughts (as speech-to-text spells them)",
            ..D
        },
        Def {
            name: "means_ligature_obtained",
            cat: C::Means,
            w: 0.8,
            pat: r"\b(?:purchas\w*|bought|buying|obtained|acquired|has|have|had|keeps?|kept|hid|hidden|stored|made|tied|found with) (?:a |the |an |some )?ligatures?\b|\bligatures? (?:in|kept|stored|hidden|remains?|found)\b",
            why: "a ligature obtained or kept",
            ..D
        },
        Def {
            name: "attempt_overdose_spelled_apart",
            cat: C::Attempt,
            w: 0.8,
            pat: r"\b(?:took|take|taken|taking|had|did) (?:a |an )?(?:n ?over ?dose|nover ?dose|over dose|o\.?d\.?)\b",
            unless: r"\b(?:risk|kit|naloxone|narcan|prevention|tolerance|accidental(?:ly)?|by accident)\b",
            why: "an overdose taken",
            ..D
        },
        Def {
            name: "attempt_intentional_ingestion",
            cat: C::Attempt,
            w: 0.9,
            pat: r"\bintentional (?:ingestion|overdose|od|poisoning|self[- ]poisoning|self[- ]harm)\b|\bs ?/? ?p (?:od|overdose|ingestion|sa|suicide attempt|intentional)\b",
            why: "an intentional ingestion or overdose (dictated)",
            ..D
        },
        Def {
            name: "self_harm_locked_in_and_cut",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"\b(?:locked myself in|went (?:up )?(?:in)?to|shut myself in|hid in) (?:the |my )?(?:bathroom|toilet|loo|room|bedroom|shed) and (?:cut|burned|burnt|scratched|hurt myself)(?:$|,| and\b| then\b| for\b| until\b| again\b| myself\b)",
            why: "going off alone to cut",
            ..D
        },
        Def {
            name: "self_harm_fresh_cuts",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\bi (?:have |have got |got |have some |got some )(?:new |fresh )(?:cuts|burns|scars|wounds)\b|\b(?:new|fresh) (?:cuts|burns|marks) (?:on|up) (?:my|her|his|your) (?:arms?|legs?|wrists?|thighs?|stomach)\b",
            unless: r"\b(?:flowers|meat|herbs|of meat|hair|fringe|bangs|butcher|fabric|paper|surgery|operation|c-section|section|stitches|biopsy|accident|fall)\b",
            why: "fresh cuts or burns",
            ..D
        },
        Def {
            name: "self_harm_the_cutting_moved",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\bthe (?:cutting|burning|scratching|self[- ]harm(?:ing)?) (?:has |had |is |was )?(?:\S+ ){0,3}(?:from|to|on|onto) (?:my|your|her|his) (?:arms?|legs?|wrists?|thighs?|stomach|hips?)\b",
            why: "self-harm moved to another part of the body",
            ..D
        },
        Def {
            name: "hi_batter_put_in_hospital",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\bi (?:am going to|am gonna|will|would|wanted to|want to|was going to|was gonna) (?:\S+ ){0,6}(?:batter|glass|bottle|stab|knife|kick the \S+ out of) (?:him|her|them|that \S+)\b|\bi (?:am going to|am gonna|will|would|want to|wanted to|was going to|was gonna|could|swear i will|swear i am gonna) (?:\S+ ){0,2}put (?:him|her|them|that \S+) in (?:the )?hospital\b",
            unless: r"\b(?:flour|fish|pancake|dip|fry|fried|cook)\b",
            why: "meaning to hurt someone badly",
            ..D
        },
        Def {
            name: "abuse_withholds_care",
            cat: C::Abuse,
            w: 0.6,
            pat: r"\b(?:withholds?|withholding|withheld|keeps back|kept back|refuses to give|refused to give|stopped giving|stops giving) (?:\S+ ){0,2}(?:food|meals|medications?|meds|medicine|pills|money|pension|insulin|water)\b",
            unless: r"\b(?:pharmacy|pharmacist|doctor|gp|nurse|insurance|hospital|prescription|on advice|side effects?|employer|wages|pay|payslip|tax|boss|deposit|landlord|refund|bank)\b",
            why: "food, medicine or money withheld by a carer or relative",
            ..D
        },
        // sets 39 and 40 (read once sets 43 and 44 were written)
        Def {
            name: "passive_hope_x_takes_me",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\bi hope (?:the|that) (?:lake|sea|river|ocean|water|waves|mountain|fire|storm|cancer|illness|bus|train|road|tide) (?:takes|swallows|claims|finishes) me\b",
            why: "hoping something takes them",
            ..D
        },
        Def {
            name: "passive_pray_not_to_open_eyes",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\bnot (?:to )?open my eyes (?:again|ever again|in the morning|tomorrow)\b",
            needs: r"\b(?:pray|prays|praying|prayed|hope|hoping|wish|wishing|want)\b",
            why: "praying not to open one's eyes again",
            ..D
        },
        Def {
            name: "active_fast_way_out",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"\bthinking about the (?:fast|quick|quicker|faster) way\b|\b(?:the )?slow way out(?:\s*$|,| and\b| but\b| of (?:it all|this|everything|life))",
            why: "a faster way out than drinking or using",
            ..D
        },
        Def {
            name: "means_pills_collected",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:pills|tablets|meds|medication|paracetamol|painkillers|insulin) (?:that )?i (?:have been|have|had been|had|am|was) (?:collecting|saving|saving up|keeping back|hiding|stockpiling|hoarding)\b",
            why: "pills collected",
            ..D
        },
        Def {
            name: "self_harm_sh_clean_relapse",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\b(?:sh|self harm|selfharm|self-harm) (?:is|was) the only thing\b|\b(?:\d+|a few|two|three|four|six) (?:days|weeks|months) clean from (?:it|sh|self harm|cutting|hurting myself)\b",
            why: "self-harm, relapsed after weeks clean",
            ..D
        },
        Def {
            name: "hopeless_never_get_out",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bi do not (?:believe|think) i will ever (?:get out of|get better|be okay|be ok|be happy|recover|get through|get clean|stay clean)\b",
            why: "not believing they will ever get out of it",
            ..D
        },
        Def {
            name: "hopeless_no_way_better",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bcan not see (?:any|a|no) way (?:this|it|things|life) (?:gets|will get|could get|can get|is going to get) better\b",
            why: "seeing no way things get better",
            ..D
        },
        Def {
            name: "burden_in_the_way_cost",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\bi am (?:just )?in the way(?:\s*$| i | of (?:everyone|everybody|them|my family|their lives))|\bi (?:just )?cost (?:her|him|them|everyone|everybody|people) (?:everything|so much|a fortune)\b|\ball i do is cost\b|\bi am a bad investment\b",
            unless: r"\b(?:traffic|kitchen|photo|shot|doorway|hallway|drive|car)\b",
            why: "being in the way, costing the family everything",
            ..D
        },
        Def {
            name: "burden_smoother_without_me",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\b(?:would|will) (?:\S+ ){0,2}(?:smoother|better|easier|happier|lighter) without me (?:dragging|holding|weighing|slowing)\b|\bwithout me dragging (?:them|him|her|everyone|everybody) down\b",
            why: "others better off without them dragging them down",
            ..D
        },
        Def {
            name: "hi_make_them_hurt",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\bi want to make (?:him|her|them|that \S+|the \S+) (?:hurt|suffer|bleed)\b",
            why: "wanting to make someone hurt",
            ..D
        },
        Def {
            name: "hi_burn_with_them_inside",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"\b(?:burn|torch|set fire to) (?:\S+ ){0,3}(?:down )?with (?:them|him|her|everyone|everybody|people) (?:still )?(?:in|inside)\b",
            why: "burning a place down with people inside",
            ..D
        },
        Def {
            name: "abuse_locked_me_in",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:lock|locks|locked|locking) me in (?:the|my|a|his|her|their) (?:bathroom|room|bedroom|cupboard|closet|shed|garage|basement|cellar|car|house|flat)\b",
            unless: r"\b(?:accident|accidentally|by mistake|joke|prank)\b",
            why: "being locked in a room",
            ..D
        },
        Def {
            name: "abuse_sex_coerced",
            cat: C::Abuse,
            w: 0.8,
            pat: r"\b(?:pushing|pushed|pressuring|pressured|pressure|pushes|pressures) (?:me )?(?:for|into) sex\b|\bsex in (?:exchange|return) for\b",
            why: "sex pressed for in exchange for help",
            ..D
        },
        Def {
            name: "active_going_with_them",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\bif (?:\S+ ){1,3}(?:dies|died|goes|passes|passes away)\b,? (?:\S+ ){0,2}i am going with (?:her|him|them)\b",
            why: "going with a loved one when they die",
            ..D
        },
        Def {
            name: "plan_had_it_all_planned",
            cat: C::Plan,
            w: 0.6,
            pat: r"\bi had it all (?:planned|worked out|sorted|arranged)\b",
            needs: r"\b(?:hotel|date|pills|tablets|rope|note|bridge|method|the day|everything)\b",
            unless: r"\b(?:wedding|proposal|propose|honeymoon|holiday|party|surprise|birthday|trip|anniversary|move)\b",
            why: "having had it all planned",
            ..D
        },
        Def {
            name: "plan_would_go_to_the_cliffs",
            cat: C::Plan,
            w: 0.6,
            pat: r"\b(?:i would|id) go (?:up |down |out )?to the (?:cliffs?|bridge|edge|tracks|railway|quarry|tower|roof|dam|viaduct)\b",
            needs: r"\b(?:nobody|no one|no-one|alone|at night|never be found|in winter|no one would)\b",
            why: "where they would go",
            ..D
        },
        Def {
            name: "plan_go_off_the_multistorey",
            cat: C::Plan,
            w: 0.8,
            pat: r"\b(?:go|jump|step|throw (?:myself|himself|herself)) off (?:the )?(?:multistorey|multi-storey|car park|roof|bridge|cliff|viaduct)\b",
            why: "a drop named",
            ..D
        },
        Def {
            name: "plan_chosen_the_level",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:chosen|picked) the (?:level|floor|drop|spot)\b",
            needs: r"\b(?:multistorey|multi-storey|car park|roof|jump|go off|bridge|cliff)\b",
            unless: r"\b(?:wedding|photos?|picnic|tiles|carpet|party|view|parking)\b",
            why: "the level or spot chosen to jump from",
            ..D
        },
        Def {
            name: "means_dictated_quantity",
            cat: C::Means,
            w: 0.7,
            pat: r"\bmeans restriction\b|\b(?:large|significant|big) (?:quantity|amount|supply|stock) of (?:opioids|medications?|meds|pills|tablets|paracetamol|insulin|oxycodone|morphine)\b|\baccess to (?:lethal )?means\b",
            why: "means at hand (dictated)",
            ..D
        },
        Def {
            name: "means_car_in_closed_garage",
            cat: C::Means,
            w: 0.7,
            pat: r"\bgarage door (?:shuts|closes|seals) (?:tight|properly|all the way)\b|\b(?:car|engine) (?:running )?in (?:the|a) (?:closed |shut )?garage\b",
            needs: r"\b(?:thought|crossed my mind|exhaust|engine running|hose|idea|that way)\b",
            why: "a car in a closed garage",
            ..D
        },
        Def {
            name: "means_there_if_i_need_it",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:always )?there if i (?:need|want|ever need) (?:it|them)\b|\bknows (?:the )?location of\b",
            needs: r"\b(?:poison|pills|tablets|rope|gun|rifle|knife|bleach|weedkiller|antifreeze|insulin|meds)\b",
            why: "means kept 'if I need it'",
            ..D
        },
        Def {
            name: "means_enough_to_do_it",
            cat: C::Means,
            w: 0.7,
            pat: r"\benough (?:\S+ ){0,4}to do it\b",
            needs: r"\b(?:blister|packs?|pills|tablets|meds|medication|insulin|paracetamol|bottle|morphine)\b",
            why: "enough of something to do it",
            ..D
        },
        Def {
            name: "prep_note_still_kept",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"\bi (?:had|have|would) written a note\b",
            needs: r"\b(?:still|drawer|hospital|last time|goodbye|kept|before)\b",
            unless: r"\b(?:milkman|teacher|school|delivery|neighbour|neighbor|fridge)\b",
            why: "a note written and kept",
            ..D
        },
        Def {
            name: "attempt_started_taking_them",
            cat: C::Attempt,
            w: 0.8,
            pat: r"\b(?:started|began) taking (?:them|the pills|the tablets|the lot)\b,? (?:\S+ ){0,4}(?:got to|up to|about) (?:about )?(?:\d+|ten|twenty|fifteen|a dozen|half)\b",
            why: "pills taken one after another",
            ..D
        },
        Def {
            name: "self_harm_did_them_myself",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"\b(?:burns|cuts|marks|bruises|scars) (?:on my \S+ )?(?:are not|were not|is not|was not) from (?:cooking|the oven|an accident|the cat|work|falling|the kitchen)\b",
            why: "injuries not from an accident",
            ..D
        },
        Def {
            name: "hopeless_stopped_believing_future",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\bstopped believing (?:there (?:was|is|would be) )?(?:a|any) future\b|\bthere is no future for me\b",
            why: "no future for them",
            ..D
        },
        Def {
            name: "burden_easier_if_not_home",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\beasier (?:it would be )?for (?:them|him|her|everyone|my family|the kids|my kids) if i (?:did not come home|did not come back|never came home|was not here|were not here|was gone|were gone|died)\b",
            why: "easier for the family if they did not come home",
            ..D
        },
        Def {
            name: "burden_taking_up_space",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"\bi am (?:just )?taking up (?:space|room|money|air|oxygen)\b",
            unless: r"\b(?:desk|parking|garage|car|wardrobe|boxes|spare room|for now|sofa|couch|flat|house|bed)\b",
            why: "taking up space",
            ..D
        },
        Def {
            name: "hi_list_of_who_wronged",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"\b(?:list|names) of (?:everyone|everybody|people|all the people|the people) who (?:wronged|hurt|crossed|screwed|betrayed)\b|\bthey will all pay for (?:it|this|that|what)\b|\bone day they will (?:all )?pay\b",
            why: "a list of people who will pay",
            ..D
        },
        Def {
            name: "abuse_coercive_phone_control",
            cat: C::Abuse,
            w: 0.6,
            pat: r"\b(?:takes|took|checks|goes through|went through|reads) my phone\b",
            needs: r"\b(?:trouble|not allowed|without asking|permission|angry|kicks off|punish|or else|goes mad)\b",
            why: "a partner controlling their phone and going out",
            ..D
        },
        Def {
            name: "abuse_kids_hit_left_out",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:screaming|shouting|yelling) and (?:hitting|beating|slapping|smacking|kicking) (?:them|him|her|the kids|the children)\b|\bleft (?:out )?in the (?:garden|cold|street|car) (?:\S+ ){0,3}(?:with no|without) (?:coats?|food|shoes)\b",
            why: "children hit or left out in the cold",
            ..D
        },
        // ---- set 41's misses, read once sets 45 and 46 were written (twelfth session)
        Def {
            name: "passive_wish_illness_take_me",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:wish|wishes|wishing|wished|hope|hoping|hoped|pray|praying|prayed|want|wanting|waiting for) (?:\S+ ){0,2}(?:the |this |my )?(?:illness|cancer|disease|tumou?r|condition|dementia|infection|heart condition) (?:would|will|could|might|to) (?:just )?(?:take|finish|kill|get) (?:me|i)\b",
            why: "wishing an illness would take them",
            ..D
        },
        Def {
            name: "passive_not_so_bad_if",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:would|will|might) not be (?:so |that |too |all that |such a )?bad (?:a thing )?(?:if|when) {SELF_END}",
            why: "it would not be so bad to die",
            ..D
        },
        Def {
            name: "passive_relieved_if_months_left",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\bif (?:a |the |my )?(?:doctor|gp|consultant|specialist|they|someone) (?:told|said to|gave|tells|gives) me (?:that )?(?:i had|i have|i only had|there was|there were) (?:only )?(?:a |one |two |three |six |a few |\S+ )?(?:months?|weeks?|years?|days?) (?:left|to live)\b",
            needs: r"\b(?:relieved|a relief|glad|happy|would not mind|welcome|pleased|not sad|be okay|be fine|grateful|thankful)\b",
            unless: r"\b(?:devastated|terrified|scared|gutted|heartbroken|panic|fight)\b",
            why: "relief at the thought of a short time left to live",
            ..D
        },
        Def {
            name: "active_dead_by_morning",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"\b(?:i would|i will|i am going to|i will probably|i would probably) be dead (?:by|before) (?:the )?(?:morning|tomorrow|tonight|the weekend|friday|saturday|sunday|monday|the end of (?:the )?(?:week|day|month)|christmas|my birthday)\b",
            unless: r"\b(?:if i do not (?:get|have|eat|sleep|drink)|tired|on my feet|of boredom|from boredom|hangover|hungover)\b",
            why: "telling someone they will be dead by a set time",
            ..D
        },
        Def {
            name: "plan_place_i_would_jump_from",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:the )?(?:place|spot|point|one|level|floor|edge) (?:i would|i will|i could|i am going to|i was going to|to) (?:jump|step|throw myself|go) (?:from|off)\b",
            needs: r"\b(?:bridge|cliffs?|roof|multistorey|multi-storey|car park|tower|viaduct|building|ledge|balcony|flyover|overpass)\b",
            unless: r"\b(?:parachute|bungee|diving|dive|pool|swim|swimming|sky ?dive|zip ?wire|plane|trampoline)\b",
            why: "the place they would jump from",
            ..D
        },
        Def {
            name: "plan_tide_times_when_i_would_go",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:looking up|looked up|look up|checked|checking|check|googled|googling|worked out|working out|know|knew) (?:the )?(?:tide times|tides|train times|the timetable|timetables|when the (?:tide|trains?|last train|express) (?:is|comes|goes|passes|is high|is in))\b",
            needs: r"\b(?:that is when (?:i would|id|i will|i am going to|i could) (?:go|do it|jump|walk in|step out)|(?:i would|id|i will|i could) (?:go in|jump|walk in|walk into the (?:sea|water)|step out|do it|go over|go off))\b",
            why: "timing a jump or a drowning by the tides or the trains",
            ..D
        },
        Def {
            name: "means_thought_of_using_them",
            cat: C::Means,
            w: 0.6,
            pat: r"\b(?:thought about|thinking about|been thinking of|thought of|thinking of|considered|considering|think about) (?:using|taking|swallowing|injecting|necking) (?:them|it|those|the lot|all of them|both|them all)(?: on (?:myself|self|me))?\b",
            needs: r"\b(?:{PILLS}|patches|gun|guns|rifle|rifles|shotgun|firearms?|pistol|rope|cable|blades?|razors?|syringes?|ampoules?)\b",
            unless: r"\b(?:headache|migraine|back pain|period pain|toothache|a cold|the flu|as prescribed|properly|for my (?:back|knee|pain|sleep|hip|shoulder)|hunting|deer|rabbits|the range|clay)\b",
            after: r"^(?:less|more|again|instead|properly|sparingly|as (?:prescribed|directed))\b",
            why: "means at hand and thoughts of using them",
            ..D
        },
        Def {
            name: "means_kept_for_it",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:{PILLS}|rope|cable|cord|belt|gun|rifle|shotgun|pistol|blades?|razors?) (?:that )?(?:i|he|she) (?:have been |had been |has been |have |had |am |is )?(?:keeping|kept|saving|saved|hiding|hid|storing|stored|stockpiling|stockpiled|holding on to|putting by|put by) (?:\S+ ){0,3}for (?:it|that|the day|when the time comes|the end)\b|\bi (?:have )?(?:kept|saved|hid|hidden|stored|put by|held on to) (?:the |my |an |a |that )?(?:\S+ ){0,2}(?:rope|cable|cord|belt|flex|tow rope|washing line) (?:\S+ ){0,4}for (?:it|that|the day|when the time comes)\b",
            needs: r"\b(?:glovebox|glove box|drawer|hidden|hide|driving around|strong enough|hold me|hold my weight|my weight|nobody knows|no one knows|in case|ready|when the time comes|enough|loft|beam)\b",
            why: "means kept back 'for it'",
            ..D
        },
        Def {
            name: "prep_researching_unwatched_spots",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"\b(?:researching|researched|research|looking up|looked up|googling|googled|searching|searched|checking|checked|reading up on|read up on|finding out|found out) (?:which|what|where|how many|whether) (?:\S+ ){0,3}(?:level crossings?|crossings?|bridges?|cliffs?|car parks?|multistoreys?|multi-storeys?|railway|train lines?|tracks|stations?|platforms?|roofs?|rooftops?) (?:\S+ ){0,2}(?:do not have|does not have|have no|has no|without|are not covered by|are not watched|are unmanned|have not got) (?:any )?(?:cameras|cctv|barriers|fences?|fencing|nets|railings|staff|security|anyone watching|samaritans signs)\b",
            unless: r"\b(?:report|council|campaign|safety audit|article|petition|project|essay|complaint|my job|work|dissertation)\b",
            why: "researching places with no cameras or barriers",
            ..D
        },
        Def {
            name: "prep_gave_away_belongings_noted",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"\b(?:gave|giving|gives|given|give|handed|handing) (?:away|out) (?:\S+ ){0,2}(?:jewellery|jewelry|rings?|watch|watches|guitar|records|medals|clothes|books|pets?|dog|cat|belongings|possessions|things|stuff|treasured|prized)\b",
            needs: r"\b(?:(?:wrote|written|made|making|writing|updated|updating) (?:a|my|her|his|their) will|out of character|need (?:these|them|this|it) more than (?:me|i do)|not going to need|will not need|would not need|no longer need|will not be needing|goodbye|wrote a note|left a note)\b",
            why: "giving away belongings, with a will or a goodbye",
            ..D
        },
        Def {
            name: "prep_no_one_left_with_bills",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"\bso (?:no one|no-one|nobody|noone)(?: is| has| would be| will be| gets| would get)? (?:left|stuck|lumbered) with (?:my|the) (?:bills|debts|mess|things|stuff|affairs|rent|payments|direct debits)\b|\bso (?:no one|no-one|nobody|noone) (?:has|would have|will have) to (?:pay|deal with|sort out|sort) my (?:bills|debts|mess|affairs|rent|payments)\b",
            why: "affairs settled so no one is left with their bills",
            ..D
        },
        Def {
            name: "attempt_noted_tabs_ingested",
            cat: C::Attempt,
            w: 0.7,
            pat: r"\b(?:ingestion of|ingested|swallowed|overdosed on|od on|od of|took|taken) (?:approx |approximately |around |about |roughly |up to |~|over |at least )?(?:[1-9]\d|\d{3}) (?:x )?(?:tabs|tablets|pills|capsules|caps)\b",
            unless: r"\b(?:as prescribed|over the (?:week|course|month|fortnight)|daily|course of|per day|a day|each day|each morning|each night)\b",
            why: "a large number of tablets ingested",
            ..D
        },
        Def {
            name: "attempt_narcan_on_purpose",
            cat: C::Attempt,
            w: 0.7,
            pat: r"\b(?:narcan|naloxone|narcanned|narcaned)(?:ed)? me\b|\b(?:had to|needed to) (?:give me |use )?(?:narcan|naloxone)\b|\b(?:shot up|used|took|injected|snorted|did) (?:\S+ ){0,3}more than (?:\S+ ){0,4}on purpose\b",
            needs: r"\b(?:on purpose|deliberately|meant to|wanted to die|wanted to go|trying to die|hoping not to wake|did not want to wake)\b",
            unless: r"\b(?:by accident|accidentally|did not mean|bad batch|cut with)\b",
            why: "a deliberate overdose that needed reversing",
            ..D
        },
        Def {
            name: "attempt_first_time_tried_to_go",
            cat: C::Attempt,
            w: 0.7,
            pat: r"\b(?:the )?(?:first|second|third|last|other|next) time i (?:tried|attempted) (?:to go|to do it|to end it|to end things|to die)\b",
            after: r"^(?:to |home|out|back|for |into |in |on |skiing|swimming|running|abroad|away|shopping|camping|with )",
            needs: r"\b(?:cord|rope|pills|tablets|belt|overdose|hanging|bridge|tie|car|knife|razor|jump|drown|paracetamol)\b",
            why: "past attempts told in turn",
            ..D
        },
        Def {
            name: "self_harm_the_thing_i_reach_for",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\b(?:cutting|burning myself|scratching myself|hurting myself|self-harm|self harm|self-harming|harming myself)(?: myself)? (?:is|was|has been|became|becomes) (?:still |always |usually |now |often )?(?:the (?:only |first |one )?thing|what|how|the way) (?:that )?i (?:reach for|turn to|go to|rely on|fall back on|use to cope|cope)\b",
            why: "self-harm as the way they cope",
            ..D
        },
        Def {
            name: "self_harm_punching_walls_on_purpose",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\bi (?:have been |had been |was |am |keep |kept |would |just |sometimes |often )?(?:punching|punched|punch|hitting|hit|banging|banged|smashing|smashed) (?:my (?:fists?|hands?|head) (?:into|against|on) )?(?:the |a )?(?:wall|walls|door|doors|mirror|brick wall)\b",
            needs: r"\b(?:on purpose|deliberately|to hurt myself|to feel (?:it|pain|something)|(?:until|till) (?:my )?(?:knuckles|hands?|fists?) (?:split|bled|bleed|broke|cracked|were raw|was raw|went numb))\b",
            unless: r"\b(?:stud|shelf|picture|nail|drill|plaster|hammer|neighbou?rs?|music|noise|termites|rats)\b",
            why: "hitting walls on purpose to hurt themselves",
            ..D
        },
        Def {
            name: "hopeless_cannot_imagine_it_better",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\b(?:can not|could not|can never) (?:picture|imagine|see|envisage|envision) (?:(?:anything|things|it|life|my life|myself|me|ever|this|a time) ){0,2}(?:getting|get|feeling|being|going to (?:get|be|feel)) (?:any )?(?:better|easier|okay|ok|good|happy|normal|right|well|alright|all right)(?: again)?\b",
            after: r"^(?:than|soon|before|by|after|once|when|until|with|without)\b",
            why: "cannot imagine things ever getting better",
            ..D
        },
        Def {
            name: "hopeless_no_way_out_believed",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\b(?:stopped believing|do not believe|no longer believe|can not see|can not believe|gave up believing|given up believing) (?:that )?(?:there is|there will be|there would be|there was|there will ever be|there is ever) (?:any |a )?(?:way out|way forward|way through|hope|future|light at the end)\b",
            unless: r"\b(?:car park|building|maze|traffic|room|contract|deal|lease|mortgage|station|stadium|the exam|the course|the match)\b",
            why: "no longer believing there is a way out",
            ..D
        },
        Def {
            name: "burden_weight_they_carry",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\b(?:a|the|dead) weight (?:that )?(?:they|he|she|everyone|people|my \S+|the \S+|the people around me) (?:has|have|had|will have|would have) to (?:carry|drag|lug|haul|bear)\b|\bi am (?:just |only |mostly |nothing but |basically |really )?(?:a |an )?(?:cost|expense|drain|weight|dead weight) (?:to|on|for) (?:the people|everyone|everybody|my|them|him|her|people|the family)\b",
            needs: r"\bi (?:am|have become|became|feel like|have turned into|turned into|was|feel)\b",
            unless: r"\b(?:backpack|rucksack|bag|bags|shopping|luggage|suitcase|gym|barbell|bar|kettlebell|team|budget)\b",
            why: "seeing themselves as a weight or a cost to others",
            ..D
        },
        Def {
            name: "burden_freer_if_not_looking_after_me",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\bif (?:she|he|they|everyone|my \S+) (?:did not|no longer|never|would not|did not ever) (?:have|had|has) to (?:look after|care for|worry about|deal with|carry|support|nurse|feed|wash|clean up after|put up with|think about) (?:me|i)\b",
            needs: r"\b(?:would|could|might) (?:\S+ ){0,4}(?:freer|free|happier|better off|rest|sleep|live|easier|relieved|lighter)\b.*\b(?:anymore|any more|for good|ever again|forever|at all)\b",
            unless: r"\b(?:leg|arm|plaster|cast|op|operation|surgery|flu|cold|weekend|holiday|recovery|for a (?:few days|week|bit|while))\b",
            why: "others would be freer without having to care for them",
            ..D
        },
        Def {
            name: "burden_save_money_if_i_died",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\b(?:save|saved|saving|would save) (?:\S+ ){0,3}(?:fortune|money|a lot|thousands|care fees|fees|costs?|bills) (?:\S+ ){0,3}if (?:i|she|he) (?:died|was dead|were dead|was gone|were gone|was not here|were not here|did not wake up|was not around|were not around)\b",
            why: "the family would save money if they died",
            ..D
        },
        Def {
            name: "hi_imagining_going_and_attacking",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:imagining|imagined|imagine|picturing|pictured|picture|fantasi[sz]ing about|fantasi[sz]ed about|thinking about|thought about|thought of|think about) (?:waiting|going|turning up|following|standing|hiding|sitting|driving|walking) (?:\S+ ){0,5}and (?:beating|stabbing|hitting|hurting|attacking|killing|shooting|strangling|smashing|battering|bashing|glassing|punching|kicking) (?:him|her|them|the (?:guy|man|bloke|lad|woman)|my (?:boss|supervisor|manager|ex|stepdad|stepfather|dad|father|brother|neighbou?r|husband|wife|partner|teacher|landlord))\b",
            why: "imagining lying in wait and attacking someone",
            ..D
        },
        Def {
            name: "hi_bring_weapon_in",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:bring|bringing|brings|take|taking|takes|carry|carrying) (?:his|her|their|my|a|the) (?:\S+ )?(?:rifle|gun|shotgun|knife|machete|pistol|firearm|bat|crossbow|blade) (?:in|into (?:work|school|the office|the depot|the site|class)|to (?:work|school|the office|the depot|the site|class))\b",
            needs: r"\b(?:deal with|sort (?:them|him|her) out|teach (?:them|him|her)|show them|make them pay|pay for|kill|shoot|stab|stick (?:him|her|them)|get (?:him|her|them)|sorry|managers?|boss|bosses)\b",
            unless: r"\b(?:repair|fixed|fixing|scope|serviced|display|show and tell|cooking|chef|kitchen|cricket|baseball|rounders|club)\b",
            why: "a weapon to be brought in to deal with people",
            ..D
        },
        Def {
            name: "abuse_hits_me_when_i",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|dad|father|stepdad|stepfather|mum|mother|brother|uncle)) (?:only |just |sometimes |only ever |always )?(?:slaps|hits|beats|smacks|punches|kicks|hurts|belts|whips) (?:me|i) (?:\S+ ){0,3}(?:when|if|because|whenever) i (?:deserve|deserved|ask for|asked for|answer back|talk back|disobey|do not (?:obey|listen|do what)|did not (?:obey|listen)|upset|annoy|make)\b|\bwhen i (?:do not|did not|will not|would not|refuse|refused)\b(?: obey| listen| do as i am told| do what he says)?,? (?:he|she|they) (?:slaps|hits|beats|smacks|punches|kicks|belts|whips|beat|hit) me\b",
            why: "hit 'when I deserve it' or 'when I don't obey'",
            ..D
        },
        Def {
            name: "abuse_takes_my_wages",
            cat: C::Abuse,
            w: 0.6,
            pat: r"\b(?:taking|takes|took|keeps|kept|keeping) (?:all )?my (?:wages|pay|salary|benefits|pension|bank card|earnings|money)\b",
            needs: r"\b(?:lock(?:s|ed|ing)? me (?:out|in)|will not let me|would not let me|not allowed|abuse|hits? me|or else|scared|afraid|threatens?)\b",
            why: "a partner or relative taking their money and locking them out",
            ..D
        },
        Def {
            name: "active_only_reason_not_killed_myself",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"\b(?:the )?only (?:thing|reason|one|person) (?:that |why )?i (?:have not|did not|have never|had not|have not yet) (?:already )?(?:killed myself|ended it|ended my life|done it|gone through with it|taken my (?:own )?life)\b",
            why: "the only reason they have not killed themselves",
            ..D
        },
        Def {
            name: "plan_thought_about_doing_it_with",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:thought about|thinking about|think about|considered|considering|planned|planning|decided on|worked out) (?:doing it|how to do it|how i would do it|how i could do it|ending it) (?:with|by|using|in|at|off|from|on|under)\b",
            needs: r"\b(?:car running|engine running|garage|exhaust|hose|rope|pills|tablets|overdose|bridge|train|tracks|gun|rifle|knife|belt|cord|jump|hang|hanging|drown|the sea|river|cliffs?|ligature|carbon monoxide|charcoal)\b",
            unless: r"\b(?:kids|children|holiday|trip|summer|weekend|project|homework|decorating|painting|garden|paint|wallpaper|wedding|proposal|renovation|commute|journey)\b",
            why: "thought about doing it by a named method",
            ..D
        },
        Def {
            name: "plan_method_with_time",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:i would|i will|i am going to|i was going to|i would just) (?:walk into|go into|wade into|jump into|drive into|drive off|jump off|jump from|step in front of|throw myself (?:off|in front of|into|under)) (?:the )?\S+",
            needs: r"\b(?:at the end of (?:term|the month|the year|the week|the summer|the school year)|on my birthday|after (?:the|my) (?:funeral|exams?|wedding|court case|anniversary|birthday|christmas)|next (?:week|month|year)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|by (?:christmas|the weekend|the end of)|when (?:term|school|the exams?|the kids|everyone) (?:ends|finishes|is over|are over|have gone|go back))\b",
            unless: r"\b(?:charity|dip|swim|swimming|paddle|paddling|fundraiser|sponsored|wetsuit|surf|surfing|holiday)\b",
            why: "a method and a time set for it",
            ..D
        },
        Def {
            name: "hi_i_threatened_to_kill",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\bi (?:have |had )?(?:threatened|threaten|have been threatening) (?:to )?(?:kill|hurt|harm|stab|shoot|strangle) (?:the kids|the children|the baby|her|him|them|my (?:\S+ )?(?:kids|children|wife|partner|husband|son|daughter|baby|girlfriend|boyfriend|ex|mum|dad|mother|father))\b",
            needs: r"\b(?:and then (?:myself|me|kill myself|i would kill myself)|and myself|if (?:she|he|they) (?:ever )?(?:leaves?|left|goes|takes?|took|tries)|knife|gun|rifle|hammer|drinking|drunk|true|meant it)\b",
            unless: r"\b(?:tidy|tidied|homework|bedroom|mess|joke|joking|jokingly|laughing|laughed|kidding)\b",
            why: "threats made to kill family",
            ..D
        },
        Def {
            name: "means_access_to_lethal",
            cat: C::Means,
            w: 0.6,
            pat: r"\b(?:with|has|have|had|reports|reported|got|gets|getting) (?:easy |ready |free |unrestricted |unsupervised )?access to (?:\S+ ){0,2}(?:firearms?|guns?|rifles?|shotguns?|pistols?|paraquat|weedkiller|pesticides?|poisons?|organophosphates?|rat poison|antifreeze|cyanide|lethal (?:means|medication|doses?))\b",
            unless: r"\b(?:club|range|army|military|police|armed forces|licen[cs]ed dealer|gun shop|training)\b",
            why: "access to lethal means",
            ..D
        },
        // ---- set 42's misses, read once sets 45 and 46 were written (twelfth session)
        Def {
            name: "passive_no_longer_look_crossing",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\bi (?:do not|did not|no longer|have stopped|stopped|will not) (?:even )?(?:bother (?:to |looking |checking )?)?(?:look|looking|check|checking) (?:\S+ ){0,2}(?:when|before|as) (?:i )?(?:cross|crossing|step out|stepping out|pull out|pulling out)\b",
            needs: r"\b(?:anymore|any more|no longer|these days|now|whatever|do not care|past caring)\b",
            unless: r"\b(?:headphones|phone|lollipop|green man|one-way|one way|zebra|quiet|empty|cul-de-sac)\b",
            why: "no longer looking for traffic",
            ..D
        },
        Def {
            name: "passive_go_and_be_with_the_dead",
            cat: C::PassiveSi,
            w: 0.7,
            pat: r"\b(?:want|wants|wanted|ready|long|longing|wish|wishing|waiting) to (?:just )?(?:go and |go to |go )?(?:be with|join) (?:him|her|them|my (?:late )?(?:husband|wife|partner|son|daughter|boy|girl|mum|mother|dad|father)|\S+) (?:now|again|soon|up there|in heaven|on the other side|wherever (?:he|she|they) (?:is|are))$",
            unless: r"\b(?:boyfriend|girlfriend|kids|children|friends|mates|party|home|tonight|weekend|holiday|baby|shift|work|pub|team|band|club|class)\b",
            why: "wanting to join someone who has died",
            ..D
        },
        Def {
            name: "passive_cross_to_still_be_here",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\b(?:cross|angry|annoyed|upset|disappointed|fed up|furious|livid|sorry|cheated) (?:to|that (?:i am|she is|he is|they are|i was|she was|he was)) still (?:be |being )?(?:here|alive|around|breathing|going)\b",
            after: r"^(?:at|on|after|for|till|until|by|in|when|this|doing|working|with)\b",
            why: "angry or disappointed to still be alive",
            ..D
        },
        Def {
            name: "active_stopped_treatment_so_it_ends_me",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\bso (?:that )?(?:it|the \S+|that|this|nature|god) (?:finishes|will finish|would finish|can finish|kills|will kill|would kill|can kill|takes|will take|can take|gets|will get) me(?: off)?\b|\bso (?:that )?i (?:can|will|would|might|could) (?:die|just die|go|just go|be gone|not wake up)$",
            needs: r"^(?:states|stated|says|said|reports|reported)\b|\b(?:stop|stopped|stopping|discontinued|self-discontinued|came off|come off|coming off|not taking|refus\w*|skip\w*|skipping|quit|medication|meds|tablets|treatment|insulin|dialysis|chemo|antiretrovirals|arvs|warfarin|inhaler|heart|transplant|antibiotics)\b",
            why: "stopping treatment so that it kills them",
            ..D
        },
        Def {
            name: "active_how_to_stop_being_here",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\bhow (?:to|i could|i can|i would|i might) (?:just )?(?:stop being here|not be here anymore|not be here any more|stop existing|stop living|not exist anymore|not exist any more|stop being alive|not be alive)\b",
            after: r"^(?:at|on|every|by|till|until|so|for|all|in)\b",
            why: "thinking how to stop being here",
            ..D
        },
        Def {
            name: "active_urge_to_go_under_train",
            cat: C::ActiveSi,
            w: 0.8,
            pat: r"\b(?:urge|urges|pull|impulse|temptation|tempted|wanted|want|wanting|thought about|thinking about|think about) (?:to )?(?:go|going|jump|jumping|step|stepping|throw myself|throwing myself|fall|falling|walk|walking) (?:under (?:the |a )?(?:train|tube|bus|lorry|wheels)|in front of (?:the |a )?(?:train|tube|bus|lorry|traffic|oncoming \S+))\b",
            after: r"^(?:line|lines|bridge|station|tunnel|tracks|timetable|times|driver)\b",
            why: "an urge to go under a train",
            ..D
        },
        Def {
            name: "active_aim_car_for_pillar",
            cat: C::ActiveSi,
            w: 0.7,
            pat: r"\b(?:aim|aimed|aiming|steer|steered|steering|point|pointed) (?:the car |the wheel |it )?(?:for|at|into) (?:the |a )?(?:bridge pillar|bridge support|pillar|motorway pillar|tree|wall|central reservation|oncoming (?:traffic|lorry|car|bus)|lorry)\b",
            needs: r"\b(?:i would|i will|i am going to|i was going to|thought|think|thinking|want|wanted|urge|tempted|told|nearly|close to|could|drive|drove|driving|car|motorway)\b",
            unless: r"\b(?:golf|ball|shot|putt|frisbee|darts?|snowball|paintball|hose|camera|torch|drone)\b",
            why: "aiming the car at something to crash",
            ..D
        },
        Def {
            name: "plan_side_with_no_netting",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:side|bit|part|end|level|floor|spot|corner|edge) (?:of the (?:\S+ ){0,2})?(?:with|that has|where there is|where there are) (?:no|not any) (?:netting|nets|railings?|barriers?|fence|fencing|grille|mesh|anti-suicide \S+)\b",
            needs: r"\b(?:multi-storey|multistorey|car park|bridge|roof|rooftop|top floor|cliff|balcony|viaduct|tower|flyover|building)\b",
            unless: r"\b(?:pitch|goal|court|tennis|badminton|cricket|golf|fishing|trampoline|garden|pond|pool|walk|walked|walking|hike|hiking|views?|ramble|stroll|dog)\b",
            why: "a drop chosen where nothing stops a fall",
            ..D
        },
        Def {
            name: "plan_then_walk_into_the_sea",
            cat: C::Plan,
            w: 0.8,
            pat: r"\b(?:then|and then|after that|once that is done|once it is done) i (?:will |am going to |shall |just |can )?(?:walk|wade|swim|go) (?:out )?into the (?:sea|river|lake|loch|waves|water|tide)\b",
            unless: r"\b(?:swim\w*|dip|paddle|paddling|wetsuit|surf\w*|bathing|towel|ice cream|holiday|beach hut|lifeguard|float|kayak|paddleboard|warm up|club)\b",
            why: "steps set out before walking into the sea",
            ..D
        },
        Def {
            name: "plan_stop_one_take_the_lot",
            cat: C::Plan,
            w: 0.8,
            pat: r"\b(?:stop|stopping|come off|skip) (?:the |my |taking )?(?:\S+ )?(?:and|then) (?:\S+ ){0,2}take (?:the lot|the whole lot|all of them|them all|everything|all the rest)\b|\btake (?:the lot|the whole lot|all of them|them all|all the rest) (?:of (?:the |my )?(?:\S+ ){0,2}(?:ones|pills|tablets|meds|medication) )?(?:the same night|that night|tonight|at once|in one go|together|all at once)\b",
            unless: r"\b(?:tip|recycling|charity|car boot|bins?|dump|shopping|washing|bags|boxes)\b",
            why: "taking all the tablets at once",
            ..D
        },
        Def {
            name: "plan_before_going_into_care",
            cat: C::Plan,
            w: 0.7,
            pat: r"\bbefore (?:i|he|she|they) (?:ever )?(?:go|goes|end up|ends up|am put|is put|get put|gets put|move|moves|are put) (?:into |in )(?:care|a home|a care home|a nursing home|residential|one of those homes)\b",
            needs: r"\b(?:shotgun|gun|rifle|pills|tablets|rope|woods|end it|kill|shoot|do (?:myself|himself|herself) in|take (?:myself|himself|herself) off|cliff|bridge|river|sea|overdose|finish (?:myself|himself|herself))\b",
            unless: r"\b(?:sell|sold|selling|give|gave|hand in|handed in|licen[cs]e|clear|sort|sorted|decorate|visit|see)\b",
            why: "a way out named before going into care",
            ..D
        },
        Def {
            name: "means_keys_kept_from_me",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:kept|keeps|keeping|took|taken|takes|has|hid|hidden|hides|holds|holding|confiscated|got) (?:\S+ ){0,2}(?:my |the |his |her )?(?:car )?keys\b",
            needs: r"\b(?:aim|aimed|crash|crashing|drive into|drive off|drove into|drive it into|bridge|pillar|end it|kill myself|hurt myself|do something|suicid\w*|overdose|central reservation)\b",
            why: "car keys kept from them after a threat to crash",
            ..D
        },
        Def {
            name: "means_weekly_because_of_last_time",
            cat: C::Means,
            w: 0.6,
            pat: r"\b(?:weekly|a week at a time|in blister packs|in dosette boxes|daily|a few days at a time) (?:\S+ ){0,3}(?:because of|since|after) (?:what happened )?(?:last time|the overdose|my overdose|the attempt|my attempt|i took)\b",
            needs: r"\b(?:gp|doctor|pharmacy|chemist|prescri\w*|pills|tablets|meds|medication|dispens\w*|script)\b",
            why: "medication handed out a little at a time since an overdose",
            ..D
        },
        Def {
            name: "means_not_trusted_with_a_month",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:does not|do not|did not|will not|would not|no longer|not) trust (?:me|him|her|them) with (?:a month|more than (?:a|one) week|a full (?:month|box|supply|prescription)|the (?:full|whole) (?:month|box|supply|prescription)|my (?:own )?(?:pills|tablets|meds|medication|prescription)|(?:a |the )?(?:big|bigger|larger) (?:supply|prescription|box))\b",
            why: "not trusted with a full supply of medication",
            ..D
        },
        Def {
            name: "means_holding_back_each_night",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:holding back|held back|hold back|keeping back|kept back|palming|pocketing|stashing|hiding|hid|squirrelling away|squirreling away|spitting out) (?:a couple|one|two|a few|one or two|(?:a couple of |a few |one or two |\S+ )?(?:tablets?|pills?|doses?|of them|of my \S+)) (?:each|every|a) (?:night|day|morning|evening|time|week|dose)\b",
            unless: r"\b(?:money|quid|pounds|eggs|biscuits|sweets|chocolates?|cookies|beers?|cigarettes?|fags|episodes?|tears?|pocket money|dog|treats)\b",
            why: "holding back tablets to build a stock",
            ..D
        },
        Def {
            name: "means_lock_on_medicine_cabinet",
            cat: C::Means,
            w: 0.6,
            pat: r"\b(?:put|fitted|installed|added|got|bought) (?:a )?(?:lock|padlock|lockbox|lock box) (?:on|for) (?:the |my |our )?(?:medicine|meds|bathroom|pill|drugs?|tablet) (?:cabinet|cupboard|box|drawer|tin)\b|\b(?:locks|locked|locking|keeps|kept) (?:away|up) (?:all )?(?:my |the |our )?(?:pills|tablets|meds|medication|medicines|paracetamol|razors|blades) (?:\S+ ){0,3}(?:from me|on (?:him|her)|so i can not|because of me|since)\b",
            unless: r"\b(?:toddler|toddlers|kids?|children|baby|grandkids|grandchildren|child|dog|puppy|cat|nephew|niece|grandson|granddaughter)\b",
            why: "medicines locked away from them",
            ..D
        },
        Def {
            name: "means_bigger_prescription_pretext",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:asked (?:for|the gp for|the doctor for)|got|lied to get|blagged|wangled|requested) (?:a |an )?(?:bigger|larger|extra|longer|bulk|double|bigger supply|three month|three months|two month|two months) ?(?:prescription|supply|script|repeat)?\b",
            needs: r"\b(?:pretended|pretend|lied|made (?:up|out)|claimed|said i was|told (?:them|him|her|the gp|the doctor) i was|excuse)\b",
            unless: r"\b(?:because i am|since i am|as i am|for my trip|for the trip)\b",
            why: "a larger supply of medication got under a pretext",
            ..D
        },
        Def {
            name: "prep_tidy_for_when_found",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"\b(?:when|after|before|once|by the time|for when|so when) (?:they|someone|somebody|he|she|the police|my \S+|people|anyone) (?:find|finds|found|come to find|comes to find|discover|discovers) me\b",
            after: r"^(?:a|an|some|the|another|somewhere|work|something|anything|in the|at the|hiding|behind)\b",
            unless: r"\b(?:hide|hiding|seek|game|lost|surprise|hide and seek|sardines|escape room|paintball|lost property)\b",
            why: "getting things ready for when they are found",
            ..D
        },
        Def {
            name: "prep_note_already_written_for_family",
            cat: C::Preparatory,
            w: 0.7,
            pat: r"\bi (?:have|had) (?:already |even )?(?:written|wrote|left|done) (?:a|the|my) (?:note|letter|letters|notes) (?:for|to) (?:my|the) (?:daughter|son|kids|children|wife|husband|partner|mum|dad|mother|father|family|parents|girls|boys)\b",
            needs: r"\b(?:already|goodbye|explaining|to explain|saying sorry|for after|final|last)\b",
            after: r"^(?:teacher|school|nursery|class|coach|to take|to read|for school|about (?:the|her|his) (?:school|trip|lunch)|on the fridge|with the|to say where|telling (?:him|her|them) where|saying where)\b",
            why: "a note already written for a family member",
            ..D
        },
        Def {
            name: "prep_other_gave_away_then_hugged",
            cat: C::Preparatory,
            w: 0.6,
            pat: r"\b(?:gave|given|giving|gives) away (?:all )?(?:his|her|their|my) (?:\S+ ){0,3}(?:and|then) (?:(?:his|her|their|my) \S+|everything|the rest)\b",
            needs: r"\b(?:hugged|hug|hugs|goodbye|for ages|out of nowhere|out of the blue|for no reason|favourite|prized|most precious|treasured|will not need|not need (?:them|it)|anymore)\b",
            unless: r"\b(?:moving|move|moved|outgrew|outgrown|charity shop|clear-out|declutter\w*|new one|upgrade\w*|downsiz\w*|studio)\b",
            why: "giving away prized things, then a long goodbye",
            ..D
        },
        Def {
            name: "prep_found_note_sorry_who_to_ring",
            cat: C::Preparatory,
            w: 0.7,
            // the match starts at what the note says, so that whose note it is comes from the
            // words before it ("a note in my wife's handbag": hers)
            pat: r"\b(?:saying|that said|says|telling (?:us|me|them)|explaining) (?:\S+ ){0,3}(?:sorry|goodbye|who to (?:ring|call|phone|contact)|what to do (?:after|when)|where (?:the|her|his|my) (?:will|papers|insurance))\b",
            needs: r"\b(?:found|find|finding|left|leaves|wrote|written|writing)\b.*\b(?:note|letter)s? (?:\S+ ){0,5}(?:saying|that said|says|telling|explaining)\b|\b(?:note|letter)s? (?:\S+ ){0,2}in (?:his|her|my|their) (?:\S+ ){0,3}(?:saying|that said|says|telling|explaining)\b",
            after: r"^(?:for|about|i|we|that|to the|it was late|he was late|she was late)\b",
            unless: r"\b(?:moved|moving|leaving do|new job|retir\w*|neighbou?r|milkman|postman|delivery|parcel|late|broke|breaking|vase|party)\b",
            why: "a note found saying sorry and who to call after",
            ..D
        },
        Def {
            name: "attempt_the_rope_snapped",
            cat: C::Attempt,
            w: 0.7,
            pat: r"^(?:and |but |then |last time |that time )?(?:the|my) (?:rope|cord|ligature|belt|cable|noose|flex) (?:snapped|broke|gave way|gave|came loose|did not hold|came undone|slipped)\b",
            unless: r"\b(?:climb\w*|washing|tow|swing|tent|boat|anchor|dog|lead|tug|tree|car|roof rack|abseil\w*|kite|bungee|trousers|jeans|fan|hoover|vacuum|guitar|bag|bucket|well|pulley|skipping)\b",
            why: "the ligature gave way",
            ..D
        },
        Def {
            name: "attempt_someone_found_me",
            cat: C::Attempt,
            w: 0.6,
            pat: r"\b(?:my|the|a|his|her) (?:\S+ )?(?:flatmate|roommate|housemate|mum|mom|dad|partner|husband|wife|brother|sister|son|daughter|neighbou?r|friend|boyfriend|girlfriend|mate|landlord|carer|paramedics?|police|postman|cleaner) found me(?: (?:unconscious|unresponsive|collapsed|on the (?:bathroom |kitchen |bedroom )?floor|in the (?:bath|bathroom|garage|car|shed|woods)|hanging|in time|just in time|and (?:called|rang|phoned) (?:an ambulance|999|the ambulance))|$)",
            why: "being found after an attempt",
            ..D
        },
        Def {
            name: "attempt_tied_it_kicked_chair",
            cat: C::Attempt,
            w: 0.8,
            pat: r"\b(?:kicked|kick|kicking|stepped off|stepped away from|pushed away) (?:away )?(?:the|a) (?:chair|stool|ladder|box|bucket|crate)\b",
            needs: r"\b(?:tied it|tied the|rope|noose|belt|cord|hung|hanging|neck|ligature|beam|banister)\b",
            unless: r"\b(?:football|ball|boots|laces|ribbon|balloons?|bunting|shelf|paint|painting|curtains?|fairy lights)\b",
            why: "kicking away the chair with a ligature tied",
            ..D
        },
        Def {
            name: "self_harm_not_eat_till_earned",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\bi (?:do not|will not|can not|am not allowed to|do not let myself|am not allowed|never|won not|refuse to) (?:eat|have (?:food|dinner|lunch|breakfast|a meal|anything)) (?:until|till|unless) i (?:have )?(?:earned|earn|deserve|deserved|burned|burnt|burn off|worked off|punished)\b",
            unless: r"\b(?:training|gym|run|cycle|bike|ride|marathon|walk)\b",
            why: "food withheld until earned",
            ..D
        },
        Def {
            name: "self_harm_restricting_as_punishment",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"\b(?:as|for|a form of|out of|by way of) (?:a |some )?(?:self-punishment|self punishment|punishment|punishing myself)\b|\b(?:restrict\w*|starv\w*|skip\w*|not eat\w*|do not eat|did not eat|go without (?:food|eating|meals?)) (?:\S+ ){0,6}(?:to punish (?:myself|herself|himself)|as (?:a )?punishment)\b",
            needs: r"\b(?:eat|eating|food|intake|restrict\w*|starv\w*|kcal|calories|meals?|fast|fasting|skip\w*|hungry)\b",
            why: "food restricted as self-punishment",
            ..D
        },
        Def {
            name: "self_harm_did_the_burns_themselves",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"\b(?:done|did|do|made|caused) (?:them|it|those|these|that|the (?:burns?|cuts?|marks|bruises)) (?:myself|yourself|himself|herself|on purpose|deliberately)\b",
            needs: r"\b(?:burns?|cuts?|marks|scars?|bruises|wounds?|scratches)\b",
            unless: r"\b(?:lawn|hedge|hair|paint|homework|exam|essay|dress|fabric|wood|tiles|cake|meat|tree|haircut|fringe|pattern|sewing|diy)\b",
            why: "injuries they made themselves",
            ..D
        },
        Def {
            name: "self_harm_driving_eyes_shut",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\b(?:drive|drove|driving|drives|driven) (?:\S+ ){0,5}with my eyes (?:shut|closed)\b|\b(?:shut|closed|close|shutting|closing) my eyes (?:\S+ ){0,3}(?:while|when) (?:i am |i was )?(?:driving|on the motorway)\b|\b(?:shut|closed|close) my eyes (?:\S+ ){0,3}at (?:\d+|ninety|eighty|a hundred|seventy|full speed|top speed)\b",
            unless: r"\b(?:could|can|know (?:the|that) (?:road|way|route)|tired|knackered|exhausted|sleepy|blindfold|passenger|dozing)\b",
            why: "driving with the eyes shut",
            ..D
        },
        Def {
            name: "self_harm_hot_metal_on_skin",
            cat: C::SelfHarm,
            w: 0.8,
            pat: r"\b(?:pressed|press|pressing|held|hold|holding|put|putting|stubbed|stub|stubbing|touched|touch) (?:the |a |my )?(?:hot|heated|burning|lit|red-hot|boiling) (?:\S+ )?(?:into|onto|on|against|to) (?:my|his|her|the) (?:palm|palms|hand|hands|arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|chest|fingers?)\b",
            unless: r"\b(?:mug|cup|tea|coffee|water bottle|warm|compress|flannel|wheat bag|by mistake|accident\w*|oops|towel|bath|shower|stone|stones|massage)\b",
            why: "burning the skin with hot metal",
            ..D
        },
        Def {
            name: "hopeless_given_up_waiting_to_lift",
            cat: C::Hopelessness,
            w: 0.6,
            pat: r"\b(?:given up|gave up|give up|stopped) (?:waiting|hoping) for (?:it|this|things|the (?:depression|darkness|low|grief|pain|misery|sadness|black cloud|dark cloud)|my (?:mood|depression|head)) to (?:lift|pass|get better|improve|end|change|go away|ease|get easier)\b",
            unless: r"\b(?:rain|weather|mist|fog|snow|traffic|queue|bus|train|parcel|delivery|kettle|ban|lockdown|sanctions|prices?|rates?|heatwave|strike|repairs?|builders?)\b",
            why: "no longer waiting for things to lift",
            ..D
        },
        Def {
            name: "burden_they_would_be_better_off_fragment",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"^(?:\S+ ){0,2}(?:they|everyone|everybody|my family|the family|the kids|my kids|he|she|you all) (?:would|will) (?:all )?(?:honestly |really |just |probably )?be better off$|^(?:just |honestly |really |i mean )?(?:without|minus) me(?: i mean| really| honestly| basically| of course)?$",
            why: "others better off (without them)",
            ..D
        },
        Def {
            name: "burden_just_a_drain_fragment",
            cat: C::Burdensomeness,
            w: 0.6,
            pat: r"\bi am (?:just |only |such |nothing but )?(?:a |an )?(?:drain|leech|parasite|burden|waste of money)$|^(?:and |but |honestly |really )?i am (?:just )?not worth (?:it|the (?:bother|trouble|fuss|money|effort|cost|care))$",
            why: "feeling a drain, not worth the care",
            ..D
        },
        Def {
            name: "burden_cope_better_without_me",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\b(?:would|will|could|might) (?:all )?(?:cope|manage|do|get on|get by|be) (?:so much |much |a lot |far |just )?(?:better|fine|okay|easier|happier) without me\b",
            after: r"^(?:for|while|when|at|on|this|next|today|tomorrow|over|during|there|in the|until|till|if)\b",
            unless: r"\b(?:holiday|trip|conference|shift|meeting|weekend|match|game|party|course)\b",
            why: "the family would cope better without them",
            ..D
        },
        Def {
            name: "burden_nothing_but_work_for_them",
            cat: C::Burdensomeness,
            w: 0.7,
            pat: r"\bi am (?:nothing but|only ever|just|such) (?:a |an )?(?:work|extra work|hassle|trouble|bother|chore|nuisance|worry|job|problem|stress) (?:for|to) (?:them|him|her|everyone|everybody|my (?:\S+ )?(?:family|kids|children|wife|husband|partner|daughter|son|carers?|parents|mum|dad))\b",
            after: r"^(?:experience|placement|at work|this week|today)\b",
            unless: r"\b(?:overtime|paid|paying|contract|freelance|client|invoice|staff|salary|wages)\b",
            why: "nothing but work for the family",
            ..D
        },
        Def {
            name: "hi_tracked_down_grudge_address",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:tracked down|found|dug up|got|looked up|worked out|found out) (?:\S+ ){0,6}(?:address|gym|house|workplace|work address|where (?:he|she|they) (?:lives?|works?|trains?|drinks?|parks?))\b",
            needs: r"\b(?:troll|trolls|forum|online|twitter|reddit|facebook|who (?:keyed|scratched|hit|attacked|cut|slagged|trolled|called|threatened|hurt|dumped|cheated|grassed))\b",
            unless: r"\b(?:return|returned|give (?:it|them) back|parcel|delivery|wallet|lost|owner|christmas card|invite|wedding|blocked|reported|police)\b",
            why: "tracking down where someone they hold a grudge against can be found",
            ..D
        },
        Def {
            name: "hi_one_day_i_will_turn_up",
            cat: C::HarmToOthers,
            w: 0.6,
            pat: r"^(?:and )?(?:one day|one of these days|some day|soon) i (?:will|am going to) (?:just )?(?:turn up|show up|be waiting|pay (?:him|her|them) a visit)(?: at (?:his|her|their) (?:door|house|work|gym))?$",
            why: "a threat to turn up one day",
            ..D
        },
        Def {
            name: "hi_who_will_get_what_is_coming",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:(?:a |my )?list of (?:people|names|everyone|everybody)|people|everyone|everybody|the ones|those) (?:\S+ ){0,4}who (?:will|are going to|is going to) (?:get what is coming|pay|regret it|be sorry|get theirs)\b",
            after: r"^(?:for|in|by|with|the|a|an|at|on|me|us|back|up|rent|tax|cash|card|it|more|less|full)\b",
            why: "people listed who will get what is coming",
            ..D
        },
        Def {
            name: "hi_picturing_the_blow_land",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:wrench|hammer|bat|fist|knife|bottle|brick|spanner|crowbar|blade|iron bar|pipe|punch|blow|my boot|boot|poker|axe) (?:connects|connected|lands|landed|hits|goes in|went in|cracks|cracked|smashes|smashed|comes down)\b",
            needs: r"\b(?:picture|picturing|pictured|imagine|imagining|imagined|fantasi\w*|think about|thinking about|dream\w*|keep seeing|face|head|skull)\b",
            unless: r"\b(?:film|movie|game|show|match|fight night|boxing|ufc|ball|nail|nails|wall|shelf|tent peg|boxer|sparring|bag|pads)\b",
            why: "picturing a blow landing on someone",
            ..D
        },
        Def {
            name: "hi_no_one_would_look_at_her_again",
            cat: C::HarmToOthers,
            w: 0.8,
            // the match takes in "i told her if she left" or "i would": the client is the one
            // who threatens
            pat: r"\b(?:i (?:told|warned|said to|promised) (?:her|him|them) (?:\S+ ){0,8}|i (?:would |will |am going to |swear i will |swear i would )?)?(?:make sure|see to it|so that|so) (?:no one|nobody|no man|no-one|no other man|no other woman) (?:would |will |could |can |ever )*(?:look(?:s|ed)? at|want(?:s|ed)?|recogni[sz]e[sd]?|love[sd]?) (?:her|him|them|you) (?:again|ever again|twice)\b",
            after: r"^(?:like|that way|funny|in that|the same|wrong)\b",
            why: "a threat to disfigure a partner",
            ..D
        },
        Def {
            name: "hi_intrusive_thoughts_of_harming_child",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:intrusive|unwanted|horrible|awful|scary|distressing|dark) (?:thoughts?|images?|pictures?|urges?) (?:of|about) (?:\S+ ){0,2}(?:harming|hurting|killing|drowning|smothering|stabbing|dropping|shaking|strangling|suffocating) (?:my |the |her |his |our )?(?:\S+ )?(?:{CHILD}|partner|wife|husband|mum|dad|mother|father|someone|people|him|her)\b",
            why: "intrusive thoughts of harming a child",
            ..D
        },
        Def {
            name: "hi_left_her_sitting_in_it",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\bleft (?:her|him|them|mum|dad|nan|gran|my \S+) (?:sitting|lying|lie|sit) in (?:it|her own \S+|his own \S+|their own \S+|(?:the )?(?:mess|wet|soiled|urine|faeces|poo|wee|dirty \S+))\b|\b(?:too angry|too cross|too furious|so angry i would not|refused to|would not) (?:to )?(?:change|wash|clean|toilet|bathe) (?:her|him|them|mum|dad|nan|gran|my (?:\S+ )?(?:mum|dad|mother|father|husband|wife|nan|gran))$",
            why: "a dependant left soiled out of anger",
            ..D
        },
        Def {
            name: "abuse_sold_her_things_without_consent",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:sold|selling|sells|took|taken|spent|spending|emptied|emptying|cashed|withdrew|pawned|transferred|remortgaged) (?:\S+ ){0,5}without (?:her|his|their|my|asking (?:her|him|me|them)|consent|permission|telling (?:her|him|me|them))\b",
            needs: r"\b(?:poa|power of attorney|attorney|pension|savings|bank|card|jewel\w*|benefits|money|account|house|car|ring|rings)\b",
            unless: r"\b(?:shop|insurance|dealer|finance company|council|bank did|my own)\b",
            why: "a relative selling or spending their things without consent",
            ..D
        },
        Def {
            name: "abuse_made_me_do_things_did_not_want",
            cat: C::Abuse,
            w: 0.7,
            // ("made I do": a therapist's "he made you do", told back in the first person)
            pat: r"\b(?:he|she|they|him|my \S+|the \S+) (?:made|makes|would make|forced|forces|pressured|pressures|got|gets) (?:me|i) (?:to )?(?:do|doing|into doing) (?:things|stuff|something|sexual things|stuff) (?:that )?i (?:did not|do not|never|was not|am not) (?:want|wanted|like|liked|comfortable|okay)\b",
            unless: r"\b(?:homework|chores|greens|vegetables|filing|paperwork|overtime|exercise|laps|presentation|job|shift|tidy|clean\w*|revision|audition|karaoke|speech|dance|dancing|diet)\b",
            why: "made to do things they did not want",
            ..D
        },
        Def {
            name: "abuse_not_allowed_money_of_my_own",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\bi am not (?:allowed|permitted) (?:any )?(?:money|cash|a bank account|a card|my own (?:money|account|card|phone|car|bank account)|(?:money|an account|a card|a phone|friends) of my own|to (?:have|keep|see|spend) (?:my own |any )?(?:money|cash|friends|my friends|my family|a phone))\b",
            unless: r"\b(?:till|shift|company|policy|school|exam|pocket money|until i am|till i am|18|eighteen|21|trust fund|ward|casino|on the floor)\b",
            why: "denied money of their own",
            ..D
        },
        Def {
            name: "abuse_coach_and_me_had_an_arrangement",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:my|the|our) (?:\S+ )?(?:coach|teacher|tutor|instructor|priest|youth worker|leader|scout leader|uncle|stepdad|stepfather|neighbou?r|pastor|vicar|trainer|choirmaster|godfather|lodger|babysitter) and (?:me|i) (?:had|have) (?:an arrangement|a secret|our (?:little )?secret|a special (?:thing|relationship|friendship|bond|arrangement)|a thing going)\b",
            after: r"^(?:about|for|to split|over|on|with lifts|with the)\b",
            why: "a secret 'arrangement' with an adult in charge",
            ..D
        },
        Def {
            name: "abuse_child_left_without_parent_days",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:{CHILD}|little (?:boy|girl|one|ones|lad|lass)|kids?|lad|lass) (?:\S+ ){0,3}(?:has not|have not|had not) (?:had|seen) (?:his|her|their) (?:mum|mom|mother|dad|father|parents?|mam) (?:home|back|around|about) (?:in|for) (?:\S+ ){0,2}(?:days|nights|a week|weeks|ages)\b",
            unless: r"\b(?:nan|gran|grandma|grandad|granny|his dad is|her dad is|aunt|auntie|hospital|staying with|looking after|babysitter|holiday|away with work|work trip|deployed|foster)\b",
            why: "a child left without a parent for days",
            ..D
        },
        Def {
            name: "passive_disappointed_to_wake",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"\b(?:disappointed|annoyed|cross|angry|upset|gutted|sad|sorry) (?:\S+ )?(?:to have woken|to wake|that i woke|i woke|to still wake|to find i had woken) up\b",
            after: r"^(?:to|and (?:find|see)|at|early|late|so early|with|in|on)\b",
            why: "disappointed to have woken up",
            ..D
        },
        Def {
            name: "passive_of_being_alive_fragment",
            cat: C::PassiveSi,
            w: 0.6,
            pat: r"^(?:just )?of (?:being alive|existing|living at all|still being alive)\b",
            why: "tired of being alive, said in a fragment",
            ..D
        },
        Def {
            name: "plan_tablets_the_day_they_move_her",
            cat: C::Plan,
            w: 0.7,
            pat: r"\b(?:the day|the minute|the moment|if|when) (?:they|you|he|she|social services) (?:move|moves|put|puts|try to move|try to put) (?:me|her|him) (?:into|in) (?:the |a )?(?:home|care home|nursing home|care)\b",
            needs: r"\b(?:every tablet|all the tablets|all my tablets|all her tablets|all his tablets|the lot|pills|tablets|shotgun|gun|rope|end it|kill (?:myself|himself|herself)|do (?:myself|himself|herself) in|overdose)\b",
            unless: r"\b(?:pack|packing|visit|see|decorate|bring|photos?|clothes|furniture|chair|cat|dog)\b",
            why: "a way out named for the day they go into care",
            ..D
        },
        Def {
            name: "means_knives_hidden_from_me",
            cat: C::Means,
            w: 0.7,
            pat: r"\b(?:hidden|hid|hides|hiding|locked away|locks away|removed|taken away|took away|cleared out) (?:all )?(?:the|my) (?:knives|blades|razors|pills|tablets|paracetamol|meds|medication|belts|cords|ligatures|scissors)(?: \S+){0,3} from me\b|\b(?:removed|taken|took|cleared|got rid of) (?:all )?(?:the )?(?:paracetamol|razors|knives|pills|tablets|medication|meds|blades|ligatures)(?: and (?:\S+ ){0,2}(?:paracetamol|razors|knives|pills|tablets|medication|meds|blades|ligatures|belts|cords))? (?:from|out of) the (?:house|flat|home)\b",
            unless: r"\b(?:toddler|toddlers|baby|kids?|children|grandkids|grandchildren|puppy|dog|burglar|burglars|moving|decluttering)\b",
            why: "knives or tablets kept away from them",
            ..D
        },
        Def {
            name: "self_harm_punched_wall_till_split",
            cat: C::SelfHarm,
            w: 0.7,
            pat: r"\b(?:punch|punched|punching|hit|hitting|smashed|smashing) (?:the |a )?(?:wall|door|mirror|brick wall|window) (?:till|until) (?:my )?(?:knuckles|hand|hands|fist|fists) (?:split|bled|bleed|broke|cracked|were raw|was raw|swelled|were bleeding)\b",
            why: "hitting a wall until the hand breaks open",
            ..D
        },
        Def {
            name: "self_harm_hidden_where_nobody_sees",
            cat: C::SelfHarm,
            w: 0.6,
            pat: r"\bon my (?:stomach|tummy|thighs?|hips?|ribs|upper arms?|legs?) so (?:nobody|no one|no-one|people|my \S+) (?:sees|can see|will see|notices|can not see|does not see|do not see)\b|\bso (?:they|it|the cuts|the marks) (?:scar|scars|will scar|leave a scar|leave marks|bleed)\b|\bi want (?:them|it|the cuts|the marks) to scar\b",
            after: r"^(?:less|more neatly|better|nicely|properly|flat)\b",
            unless: r"\b(?:tattoo|tattoos|birthmark|surgery|operation|c-section|caesarean|rash|eczema|psoriasis|piercing|stretch marks|acne|spots|moles?)\b",
            why: "self-harm hidden or kept open to scar",
            ..D
        },
        Def {
            name: "hi_pillow_over_her_face",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"\b(?:a |the )?(?:pillow|cushion|bag|hand) over (?:her|his|their|mum|dad|the baby|nan|gran|my \S+) (?:\S+ )?(?:face|mouth)\b",
            needs: r"\b(?:thought|think|thinking|imagine|imagined|imagining|picture|pictured|picturing|urge|tempted|wanted|want|could|nearly|almost|held|hold|put)\b",
            unless: r"\b(?:own face|block|light|sun|snoring|noise|hide|hiding|giggl\w*|laugh\w*|peekaboo|peek-a-boo|sneeze|cough|cold|asleep on)\b",
            why: "thoughts of smothering someone",
            ..D
        },
        Def {
            name: "hi_waiting_outside_with_a_weapon",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"\b(?:sat|waited|parked|sitting|waiting|parking|stood|standing) outside (?:his|her|their|the|that|this) (?:\S+ )?(?:house|flat|place|work|gym|office|school|door) (?:\S+ ){0,6}with (?:a|the|my) (?:bat|baseball bat|knife|hammer|crowbar|machete|gun|wrench|spanner|iron bar|blade|cosh)\b",
            why: "waiting outside someone's home with a weapon",
            ..D
        },
        Def {
            name: "hi_extra_sleeping_ones_to_quiet_her",
            cat: C::HarmToOthers,
            w: 0.7,
            pat: r"\b(?:given|gave|give|giving) (?:her|him|them|mum|dad|nan|gran|my \S+) (?:extra|more|double|an extra|a double dose) (?:of )?(?:the |her |his |their )?(?:\S+ )?(?:ones|tablets|pills|doses?|medicine|meds|drops) (?:\S+ ){0,4}so (?:she|he|they) (?:would |will |could )?(?:stop|sleep|be quiet|settle|shut up|leave me)\b",
            why: "a dependant sedated with extra medicine",
            ..D
        },
        Def {
            name: "hi_burn_house_down_with_us_in_it",
            cat: C::HarmToOthers,
            w: 0.8,
            pat: r"\bburn (?:\S+ ){0,2}(?:house|flat|home|place|car|caravan) down with (?:us|me|them|him|her|you|the kids|my \S+|everyone) (?:still )?in (?:it|there)\b",
            why: "a threat to burn a home down with people inside",
            ..D
        },
        Def {
            name: "abuse_left_in_wet_sheets",
            cat: C::Abuse,
            w: 0.7,
            pat: r"\b(?:leave|leaves|left|leaving) (?:her|him|them|gran|nan|mum|dad|my \S+) (?:\S+ )?in (?:wet|soiled|dirty|filthy) (?:sheets|bed|pads?|clothes|nappy|nappies|bedding)\b",
            why: "a dependant left in soiled bedding",
            ..D
        },
        Def {
            name: "abuse_stepdad_comes_in_when_showering",
            cat: C::Abuse,
            w: 0.8,
            pat: r"\b(?:comes|came|walks|walked|barges|barged|keeps coming|keeps walking) (?:in|into) (?:the bathroom|her room|my room|his room|the shower|her bedroom|my bedroom) (?:\S+ ){0,2}when (?:she|i|he) (?:is|am|was) (?:in the shower|in the bath|showering|bathing|getting changed|undressed|changing|getting dressed)\b",
            needs: r"\b(?:stepdad|step-dad|stepfather|uncle|lodger|boyfriend|her dad|mum boyfriend|mom boyfriend|grandad|cousin|coach|carer)\b",
            why: "an adult coming in while a child is undressed",
            ..D
        },
        Def {
            name: "abuse_checks_the_receipts",
            cat: C::Abuse,
            w: 0.6,
            pat: r"\b(?:he|she|they) (?:checks|goes through|inspects|wants to see|demands|makes me show (?:him|her|them)) (?:all )?(?:the|my) receipts\b",
            needs: r"\b(?:i get|allowance|a week|allowed|has my|takes my|took my|keeps my|or else|goes mad)\b",
            why: "money doled out and checked by a partner",
            ..D
        },
    ]
}

/// A compiled rule.
pub struct Rule {
    pub name: &'static str,
    pub category: RiskCategory,
    pub weight: f32,
    re: Regex,
    needs: Option<Regex>,
    unless: Option<Regex>,
    after: Option<Regex>,
    before: Option<Regex>,
    escalate: bool,
    pub why: &'static str,
}

fn expand(pat: &str) -> String {
    let mut s = pat.to_string();
    // fragments may use other fragments: expand until stable
    for _ in 0..3 {
        for (k, v) in FRAGMENTS {
            s = s.replace(&format!("{{{k}}}"), v);
        }
    }
    s
}

fn compile(p: &str, bounded: bool) -> Option<Regex> {
    if p.is_empty() {
        return None;
    }
    let e = expand(p);
    let full = if bounded { format!(r"\b(?:{e})\b") } else { e };
    Some(Regex::new(&full).unwrap_or_else(|err| panic!("risk rule pattern {p}: {err}")))
}

/// Every rule, compiled once.
pub static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    defs()
        .into_iter()
        .map(|d| Rule {
            name: d.name,
            category: d.cat,
            weight: d.w,
            re: compile(d.pat, true).expect("a rule has a pattern"),
            needs: compile(d.needs, false),
            unless: compile(d.unless, false),
            after: compile(d.after, false),
            before: compile(d.before, false),
            escalate: d.escalate,
            why: d.why,
        })
        .collect()
});

static PLAN_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(PLAN_WORDS).unwrap());

/// A rule match in a sentence, before negation, attribution and idiom checks.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: &'static str,
    pub category: RiskCategory,
    pub weight: f32,
    /// First word of the match.
    pub start: usize,
    /// One past the last word of the match.
    pub end: usize,
    /// The matched words.
    pub words: String,
    /// The words the rule's gaps (`{G1}`..`{G6}`) took, e.g. "never" in "I would never hurt".
    pub gaps: Vec<String>,
    pub why: &'static str,
}

/// Every rule hit in a sentence. Of overlapping hits of the same category the earlier rule
/// in the table wins.
pub fn scan(s: &Sentence) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    for r in RULES.iter() {
        if r.needs.as_ref().is_some_and(|n| !n.is_match(&s.text))
            || r.unless.as_ref().is_some_and(|u| u.is_match(&s.text))
        {
            continue;
        }
        for c in r.re.captures_iter(&s.text) {
            let m = c.get(0).expect("group 0");
            if let Some(a) = &r.after {
                if a.is_match(s.text[m.end()..].trim_start()) {
                    continue;
                }
            }
            if let Some(b) = &r.before {
                if b.is_match(&s.text[..m.start()]) {
                    continue;
                }
            }
            let gaps: Vec<String> = c
                .iter()
                .skip(1)
                .flatten()
                .map(|g| g.as_str().trim().to_string())
                .filter(|g| !g.is_empty())
                .collect();
            let start = s.word_at(m.start());
            let end = s.word_end(m.end()).max(start + 1);
            let category = if r.escalate && PLAN_RE.is_match(&s.text) {
                RiskCategory::Plan
            } else {
                r.category
            };
            let overlaps = hits
                .iter()
                .any(|h| h.category == category && h.start < end && start < h.end);
            if overlaps {
                continue;
            }
            hits.push(Hit {
                rule: r.name,
                category,
                weight: r.weight,
                start,
                end,
                words: m.as_str().to_string(),
                gaps,
                why: r.why,
            });
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

#[cfg(test)]
mod tests {
    use super::super::lex::sentences;
    use super::*;

    fn cats(text: &str) -> Vec<RiskCategory> {
        sentences(text)
            .iter()
            .flat_map(|s| scan(s).into_iter().map(|h| h.category))
            .collect()
    }

    /// The rules that match anywhere in `text`.
    fn rule_names(text: &str) -> Vec<&'static str> {
        sentences(text)
            .iter()
            .flat_map(|s| scan(s).into_iter().map(|h| h.rule))
            .collect()
    }

    #[test]
    fn every_rule_compiles() {
        assert!(RULES.len() > 40);
    }

    #[test]
    fn constructions_not_phrases() {
        assert!(cats("Some days I pray I won't wake up.").contains(&C::PassiveSi));
        assert!(cats("It'd be easier if I just wasn't here anymore.").contains(&C::PassiveSi));
        assert!(cats("Maybe I shouldn't be alive.").contains(&C::PassiveSi));
        assert!(cats("I've decided I'd take all my sleeping pills at once.").contains(&C::Plan));
        assert!(cats("My family would be better off without me.").contains(&C::Burdensomeness));
    }

    #[test]
    fn named_passive_ideation_is_not_active() {
        let c = cats("Passive suicidal ideation with protective factors, risk judged low.");
        assert!(c.contains(&C::PassiveSi));
        assert!(!c.contains(&C::ActiveSi), "{c:?}");
        assert!(cats("She has had suicidal thoughts most days.").contains(&C::ActiveSi));
    }

    #[test]
    fn welcoming_a_death_that_comes_by_itself() {
        for t in [
            "Some days I'd be glad if a lorry ran me over.",
            "I just wouldn't mind if the cancer came back and finished the job.",
            "i wouldn't be sad if i just faded out",
            "If a meteor took me out tomorrow I'd be like finally.",
        ] {
            assert!(cats(t).contains(&C::PassiveSi), "{t}");
        }
        // an outing is not a death
        assert!(cats("I'd be glad if my brother took me out to dinner.").is_empty());
    }

    #[test]
    fn wishing_to_have_died_with_someone() {
        for t in [
            "Some nights I wish I'd gone with him.",
            "I wish I had just died too.",
            "honestly i wish i'd died in that crash instead",
        ] {
            assert!(cats(t).contains(&C::PassiveSi), "{t}");
        }
        assert!(cats("I wish I'd gone with him to the match.").is_empty());
    }

    #[test]
    fn not_wanting_to_be_at_all() {
        for t in [
            "Honestly if someone handed me an off button I would push it.",
            "I just don't want to be anymore.",
            "some nights I'd like to switch myself off for good",
        ] {
            assert!(cats(t).contains(&C::PassiveSi), "{t}");
        }
        assert!(cats("There's an off switch on the back, I'd press it twice.").is_empty());
    }

    #[test]
    fn a_place_or_time_decided() {
        assert!(cats("I'd decided that's where I'd do it.").contains(&C::Plan));
        assert!(cats("I've worked out when I'm going to do it.").contains(&C::Plan));
    }

    #[test]
    fn ready_to_be_taken() {
        assert!(cats("At my age, love, I'm ready whenever He calls me.").contains(&C::PassiveSi));
        assert!(cats("I'm ready when the Lord comes for me.").contains(&C::PassiveSi));
        assert!(cats("I'm ready whenever you are, the taxi is here.").is_empty());
    }

    #[test]
    fn classes_of_the_nineteenth_set() {
        for (t, c) in [
            (
                "I keep praying the chemo will take me sooner.",
                C::PassiveSi,
            ),
            ("Part of me hopes the drink finishes me off.", C::PassiveSi),
            ("If the brakes fail on the hill, so be it.", C::PassiveSi),
            ("It should have been me, not her.", C::PassiveSi),
            ("I wouldn't say no to a stroke, honestly.", C::PassiveSi),
            (
                "I've got a way figured out, the bridge on the bypass.",
                C::Plan,
            ),
            ("I know exactly how many tablets would be enough.", C::Means),
            (
                "I thought about leaving the gas on and not lighting it.",
                C::Means,
            ),
            (
                "He deserves someone who's going to be around.",
                C::Preparatory,
            ),
            ("They pumped her stomach after she took them.", C::Attempt),
            (
                "I punch my fists into the wall until it bleeds.",
                C::SelfHarm,
            ),
            ("I'm going to feel like this forever.", C::Hopelessness),
            (
                "I've taken up too much of my mum's life.",
                C::Burdensomeness,
            ),
            ("He had his hands round my throat.", C::Abuse),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "The express train will take me to work sooner.",
            "I hope the builder finishes the job by Friday.",
            "If the match gets cancelled, fine by me.",
            "I've got it all planned, the train to the airport at six.",
            "I know which ones would do it, the blue paint or the green.",
            "I wouldn't say no to a coffee.",
            "I got sunburnt at the beach until my skin blistered.",
            "The dog needs someone who's going to be around during the day.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    #[test]
    fn classes_of_the_twentieth_set() {
        for (t, c) in [
            (
                "If the van came off the bridge tomorrow, I wouldn't be sorry.",
                C::PassiveSi,
            ),
            ("Some nights I think, let the cancer take me.", C::PassiveSi),
            ("I wish it had been me instead.", C::PassiveSi),
            (
                "If the consultant said it had spread, I'd be relieved.",
                C::PassiveSi,
            ),
            ("I want out and I'll be the one doing it.", C::ActiveSi),
            ("The idea is the pills and the bath.", C::Plan),
            (
                "I'd drive at the wall and not brake at the bend.",
                C::ActiveSi,
            ),
            ("He's thought about using it on himself.", C::Means),
            ("The blade's under my pillow.", C::Means),
            (
                "I drove to the top of the multi-storey just to see how high it is.",
                C::Preparatory,
            ),
            ("I stepped out in front of a lorry on purpose.", C::Attempt),
            ("I make little cuts on my legs.", C::SelfHarm),
            ("What is the point of the transplant?", C::Hopelessness),
            ("I'm going to snap his neck, I swear.", C::HarmToOthers),
            ("They leave her on the floor for hours.", C::Abuse),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "Let the bus take me home, I'm too tired to walk.",
            "The idea is the garden party on Saturday.",
            "I keep the torch under my bed for power cuts.",
            "I went to the top of the tower to see how high the view was.",
            "I've given up smoking.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    #[test]
    fn classes_of_the_twenty_first_set() {
        for (t, c) in [
            (
                "Part of me is rooting for the cancer, to be honest.",
                C::PassiveSi,
            ),
            (
                "She says she'd be better away, if you know what I mean.",
                C::PassiveSi,
            ),
            ("I'm not planning on being around by then.", C::ActiveSi),
            ("He talked about doing away with himself.", C::ActiveSi),
            (
                "Don't book me for next month. I won't be here, and I don't mean I'll be away.",
                C::Preparatory,
            ),
            ("The when and where are all worked out.", C::Plan),
            (
                "I'll do it when she's at work, nobody will find me till six.",
                C::Plan,
            ),
            (
                "I wondered if the curtain rail would hold my weight.",
                C::Plan,
            ),
            ("I've saved enough of the sleeping pills now.", C::Means),
            (
                "I'm going to borrow my uncle's shotgun, I'll say it's for the crows.",
                C::Means,
            ),
            ("I googled which pills would be lethal.", C::Preparatory),
            ("I tried to go once with the painkillers.", C::Attempt),
            ("I'm a lost cause.", C::Hopelessness),
            ("I'm just waiting for it all to end.", C::PassiveSi),
            ("He forced himself on her.", C::Abuse),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I'd be better away from him, honestly.",
            "I've got enough tablets to last till the repeat prescription.",
            "I'm waiting for the exams to be over, for it all to end.",
            "Take him out for a walk, he loves it.",
            "I'm going to go for him in the election, he's got my vote.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    #[test]
    fn classes_of_the_twenty_second_set() {
        for (t, c) in [
            (
                "If the biopsy comes back bad, honestly I'd be relieved.",
                C::PassiveSi,
            ),
            (
                "If you handed me a painless way out I'd take it.",
                C::PassiveSi,
            ),
            (
                "I keep thinking I should just do it and get it over with, myself I mean.",
                C::ActiveSi,
            ),
            ("That's the belt I'd use to do it.", C::Means),
            (
                "I've been writing down who gets what for when I'm gone.",
                C::Preparatory,
            ),
            (
                "We walked up to the viaduct so I could see how far down it was.",
                C::Preparatory,
            ),
            (
                "I've closed the accounts so the kids aren't left with it after I'm dead.",
                C::Preparatory,
            ),
            (
                "He had a cord round his neck in the garage.",
                C::Preparatory,
            ),
            (
                "I bought paracetamol at four different shops so it would be enough.",
                C::Preparatory,
            ),
            ("I did try once with the tablets.", C::Attempt),
            (
                "He's got cuts on his arms and says it was the dog.",
                C::SelfHarm,
            ),
            (
                "I kept banging my head on the door until it bled.",
                C::SelfHarm,
            ),
            (
                "My friend, she cuts, and nobody does anything.",
                C::SelfHarm,
            ),
            ("What am I even hanging on for?", C::Hopelessness),
            ("I'm one more mouth to feed.", C::Burdensomeness),
            (
                "He says he's going to glass one of the lads from the pub.",
                C::HarmToOthers,
            ),
            ("He slammed her against the door.", C::Abuse),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "If the scan comes back clear I'll be so relieved.",
            "I went to the top of the cliffs to see how far the view went.",
            "I'm sorting the rota for when I'm not here at Christmas.",
            "I banged my head on the cupboard door this morning.",
            "She cuts hair at the salon on Fridays.",
            "What am I waiting for? I'm booking the trip.",
            "I cut the cake and we all had a slice.",
            "The off switch is on the back of the telly.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    #[test]
    fn classes_of_the_twenty_third_set() {
        for (t, c) in [
            ("The crash should have killed me, honestly.", C::PassiveSi),
            ("I'd be okay if a bus just, you know.", C::PassiveSi),
            (
                "Some nights I'm hoping a drunk driver will knock me off the bike.",
                C::PassiveSi,
            ),
            (
                "I just want to be with her again, wherever she is.",
                C::PassiveSi,
            ),
            ("I wouldn't mind if my lungs just gave out.", C::PassiveSi),
            ("Being dead seems so restful.", C::PassiveSi),
            (
                "I've thought about taking myself out before they come for me.",
                C::ActiveSi,
            ),
            ("He said he'd eat a bullet if she left.", C::ActiveSi),
            (
                "They keep telling me to kill yourself and maybe I will.",
                C::ActiveSi,
            ),
            ("I'm going to drive the van into the canal.", C::Plan),
            ("I'll do it at her grave, on the anniversary.", C::Plan),
            (
                "I'd go when he's on nights so the kids aren't the ones who find me.",
                C::Plan,
            ),
            (
                "Since the diagnosis I look at the kitchen knife differently.",
                C::Means,
            ),
            ("I've got them on me in case I decide.", C::Means),
            (
                "I don't use the rifle, but I think about it every time I clean it.",
                C::Means,
            ),
            (
                "The flat's in her name now so it's all sorted when I'm gone.",
                C::Preparatory,
            ),
            ("I jumped off the bridge last spring.", C::Attempt),
            (
                "I counted them out on the bed and then I swallowed them.",
                C::Attempt,
            ),
            (
                "I held the iron against my arm until it blistered.",
                C::SelfHarm,
            ),
            ("I put a cigarette out on my wrist.", C::SelfHarm),
            ("My future is a brick wall.", C::Hopelessness),
            ("They'd be well rid of me.", C::Burdensomeness),
            ("I could kill him, and I mean it.", C::HarmToOthers),
            ("My supervisor pushed my hand onto the hob.", C::Abuse),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I hope he takes me out for dinner on Friday.",
            "I want to take myself out for a walk more.",
            "I'm tying up loose ends at work before my maternity leave.",
            "We jumped off the pier for a swim every summer.",
            "I could kill him, he ate my leftovers.",
            "I'd do it on the anniversary, a nice meal out.",
            "I want to be with her again at Christmas.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    /// The classes of the twenty-fifth set's misses, in other words than the set's.
    #[test]
    fn lost_hope_goodbyes_and_held_wages_match_their_kind() {
        for (t, c) in [
            ("Maybe better I am not living, then nobody has trouble.", C::PassiveSi),
            (
                "I'd like to drift off to sleep and never wake up.",
                C::PassiveSi,
            ),
            (
                "I can't see why I should carry on living without her.",
                C::PassiveSi,
            ),
            (
                "Since the funeral, suicide is all I think about, honestly it is all I can think about.",
                C::ActiveSi,
            ),
            ("I am working out my exit, quietly.", C::ActiveSi),
            (
                "I've set a date, the end of the month, and that's when I'll end it.",
                C::Plan,
            ),
            ("I've saved enough pills to never wake up.", C::Means),
            (
                "Last winter I had a detailed plan, the bridge and the time.",
                C::Plan,
            ),
            (
                "I've got my dad's shotgun and I think about turning it on myself.",
                C::Means,
            ),
            (
                "I want everything given away before I die.",
                C::Preparatory,
            ),
            (
                "I closed my facebook and instagram, said my goodbyes, it's final.",
                C::Preparatory,
            ),
            (
                "I wrote down who to give my guitar to if anything happens.",
                C::Preparatory,
            ),
            ("I've made my final visits to the people I love.", C::Preparatory),
            (
                "I woke up in ICU after I swallowed the lot.",
                C::Attempt,
            ),
            ("My mum noticed my new cuts on Sunday.", C::SelfHarm),
            ("There's no way back from this, we're finished.", C::Hopelessness),
            ("My life is a battle I've already lost.", C::Hopelessness),
            (
                "I'm only making things harder for my family by existing.",
                C::Burdensomeness,
            ),
            ("I dream about snapping his neck.", C::HarmToOthers),
            (
                "The agent took our passports and we're not allowed out.",
                C::Abuse,
            ),
            ("I told the doctor I tripped, but it was her.", C::Abuse),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I'll put the baby down to sleep and she won't wake up till six.",
            "I'm working out my exit from the company.",
            "We've picked a date for the wedding, the last Saturday in June.",
            "I had a full business plan, with the numbers written down.",
            "I want it all sorted before I go on holiday.",
            "I deleted my socials for a detox, it feels final and healthier.",
            "I made my last call of the day to a client.",
            "Things are never going to get better with this weather, no way back to summer.",
            "I cut my finger in the kitchen and my mum noticed the fresh cuts.",
            "I'm thinking about taking matters into my own hands and calling the council.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    /// The classes of the twenty-sixth set's misses, in other words than the set's.
    #[test]
    fn quiet_wishes_slang_and_neglect_match_their_kind() {
        for (t, c) in [
            (
                "I wouldn't mind if something happened to me on the way home.",
                C::PassiveSi,
            ),
            (
                "When the biopsy came back benign I felt sort of let down.",
                C::PassiveSi,
            ),
            ("Honestly I just want to stop existing.", C::PassiveSi),
            ("The only reason I'm still here is my mum.", C::PassiveSi),
            (
                "She keeps saying she wishes she had not survived the crash.",
                C::PassiveSi,
            ),
            ("Ending it all has been in my head for weeks.", C::ActiveSi),
            ("ngl thinking about sewer slide again", C::ActiveSi),
            ("I'd lay across the tracks if I had the guts.", C::ActiveSi),
            (
                "I'll do it on a school day so my dad won't have to find me.",
                C::Plan,
            ),
            (
                "He says he's going to jump off the multi-storey roof.",
                C::Plan,
            ),
            (
                "I keep one blade in my wallet, reminds me there's always a way out.",
                C::Means,
            ),
            (
                "I left my watch to my son for when I'm gone.",
                C::Preparatory,
            ),
            ("I held the gun to my head in the garage.", C::Attempt),
            (
                "Last night I took about thirty of the paracetamol.",
                C::Attempt,
            ),
            ("I scratched her initials into my arm.", C::SelfHarm),
            ("I slammed my hand in the door on purpose.", C::SelfHarm),
            ("What's there to look forward to, really?", C::Hopelessness),
            ("I can't see myself making it to fifty.", C::Hopelessness),
            (
                "The NHS would save a fortune if I kicked the bucket.",
                C::Burdensomeness,
            ),
            ("He came at my brother with a hammer.", C::HarmToOthers),
            (
                "The carers pin me down when I shout and it hurts.",
                C::Abuse,
            ),
            ("The coach used to hold us under the water.", C::Abuse),
            ("Her husband locks the kids out at night.", C::Abuse),
            ("They barely feed the children over there.", C::Abuse),
            (
                "I get these flashes of dropping the baby down the stairs.",
                C::HarmToOthers,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I wouldn't mind if something happened to change the rota.",
            "I want to stop living with my parents.",
            "Ending things with him has been on my mind.",
            "We planned it for Saturday, a surprise party.",
            "She's going to jump off the pier for a swim.",
            "I take twenty milligrams a day as prescribed.",
            "The doctor held my arm down for the blood test.",
            "I carved a pumpkin on my lap.",
            "I hit the ball on purpose into the hedge.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    #[test]
    fn envy_of_the_dead_buttons_and_beatings_match_their_kind() {
        for (t, c) in [
            (
                "Half the lads from my section are in the ground and part of me is jealous of them.",
                C::PassiveSi,
            ),
            (
                "I want to be with my wife, and if that means not being here any more, fine.",
                C::PassiveSi,
            ),
            (
                "If there was a button and I'd fall asleep and never have to face it, I'd press it.",
                C::PassiveSi,
            ),
            (
                "Dad keeps saying he's praying he won't see another Christmas.",
                C::PassiveSi,
            ),
            ("I wish the world would just delete me.", C::PassiveSi),
            (
                "If the scan shows it's spread I'm not waiting for the cancer, I'll do it myself.",
                C::ActiveSi,
            ),
            (
                "I keep thinking I should take myself out of the picture.",
                C::ActiveSi,
            ),
            (
                "Once the insurance pays off the house, then I'll go.",
                C::Plan,
            ),
            (
                "if i lose the flat i'm jumping off the multistorey",
                C::Plan,
            ),
            ("I counted the tablets in the drawer again.", C::Means),
            (
                "The roof door at work is never locked, I've checked.",
                C::Means,
            ),
            (
                "I'm at the bottom of a well and someone's put the lid on.",
                C::Hopelessness,
            ),
            ("We're gonna jump him after the match.", C::HarmToOthers),
            ("Mum beat us with the belt buckle.", C::Abuse),
            (
                "She had fresh cuts on her forearm again.",
                C::SelfHarm,
            ),
            (
                "Sometimes I think about what it'd be like if I was just gone.",
                C::PassiveSi,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "He passed his exam and I'm so jealous of him.",
            "If that means not being here for Christmas, fine.",
            "If there was a button to make the kids fall asleep and not wake before seven I'd press it.",
            "I'm hoping we won't see another winter like the last one.",
            "Can you delete me from the mailing list?",
            "If the builder never shows up I'll do it myself.",
            "I took myself out of the running for the promotion.",
            "Once the insurance pays out for the car, then I'll go and buy a new one.",
            "I'm jumping off the bus at the next stop.",
            "I count my tablets into the dosette box every morning.",
            "I checked the roof door was locked before I left, security asked me to.",
            "The dog fell down a hole at the park.",
            "We're going to jump her car battery in the morning.",
            "My brother beat me with a last-minute goal.",
            "I have new scars on my stomach from the surgery.",
            "I'm getting done in by these night shifts.",
            "I wonder what it would be like if I was just gone for a year travelling.",
        ] {
            let names = rule_names(t);
            assert!(names.is_empty(), "{t}: {names:?}");
        }
    }

    #[test]
    fn quiet_exits_stashes_rehearsals_and_control_match_their_kind() {
        for (t, c) in [
            (
                "Honestly I'd take a quiet exit if one came along.",
                C::PassiveSi,
            ),
            (
                "If the cancer came for me I wouldn't put up much of a fight.",
                C::PassiveSi,
            ),
            (
                "I don't want to kill myself, I just don't want to be here, anywhere.",
                C::PassiveSi,
            ),
            (
                "At work I envy the patients who don't make it.",
                C::PassiveSi,
            ),
            ("It'd be a relief if I just didn't go on.", C::PassiveSi),
            (
                "The plan is the line by the allotments when the freight goes through.",
                C::Plan,
            ),
            (
                "I've been keeping my tablets back and I've got a stash now.",
                C::Means,
            ),
            ("I took a vial of morphine home from the hospice.", C::Means),
            (
                "I've written down the passwords so there's no mess after I'm gone.",
                C::Preparatory,
            ),
            (
                "Pt has rehomed her cat; letters written to her children.",
                C::Preparatory,
            ),
            (
                "I went to the bridge and worked out where I'd park on the day.",
                C::Preparatory,
            ),
            (
                "He's giving his records away and messaged us all thanks for everything.",
                C::Preparatory,
            ),
            (
                "I asked God's forgiveness for what I'm about to do.",
                C::Preparatory,
            ),
            ("The last time I tried to go I was twenty.", C::Attempt),
            (
                "I carved his name into my thigh with a compass.",
                C::SelfHarm,
            ),
            (
                "When it gets bad I still cut, just to get through.",
                C::SelfHarm,
            ),
            (
                "I look at the rest of my life and it's just grey.",
                C::Hopelessness,
            ),
            (
                "My whole life is wrecked and there's no fixing any of it.",
                C::Hopelessness,
            ),
            (
                "I'm just a chore to my family, that's all I am.",
                C::Burdensomeness,
            ),
            (
                "I could kill my neighbour and I'm not joking, I've thought about how.",
                C::HarmToOthers,
            ),
            ("They held me down in the toilets and filmed it.", C::Abuse),
            (
                "He shouts, then takes my phone so I can't call anyone.",
                C::Abuse,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I'd take a quiet exit from the party before the speeches.",
            "I wouldn't put up much of a fight if they cut my hours.",
            "I didn't want to be here in the waiting room, anywhere else would do.",
            "I envy the people who get to work from home.",
            "It'd be fine if I didn't go on the school trip.",
            "The plan is to take the train to Leeds when the fares drop.",
            "I keep my insulin aside in the fridge at work.",
            "The nurse brought a vial of insulin to the bedside.",
            "I've written down the passwords for when I'm gone on holiday.",
            "We rehomed the dog because of my son's allergies.",
            "I worked out where I'd park for the wedding on the day.",
            "She messaged the team thanks for everything at her leaving do.",
            "Forgive me for what I'm about to do to this song.",
            "The first time I tried to go skiing I was fourteen.",
            "I carved our initials into the tree.",
            "I still cut my own hair.",
            "The next ten years of the mortgage look grey.",
            "The cake's ruined and there's no fixing it.",
            "I'm just a number to the bank.",
            "I could kill my brother for eating the last biscuit.",
            "The nurses held me down for the injection.",
            "Mum hides the biscuits so we can't find them.",
        ] {
            let names = rule_names(t);
            assert!(names.is_empty(), "{t}: {names:?}");
        }
    }

    #[test]
    fn mercies_chosen_places_and_kept_drugs_match_their_kind() {
        for (t, c) in [
            (
                "I think a lorry through the windscreen would be a mercy.",
                C::PassiveSi,
            ),
            (
                "I was almost disappointed when the biopsy came back benign.",
                C::PassiveSi,
            ),
            ("I just want to put myself out of it.", C::ActiveSi),
            (
                "I keep thinking I'll do what my dad did in the garage.",
                C::ActiveSi,
            ),
            (
                "I'm going to do it Saturday when my flatmates are away.",
                C::Plan,
            ),
            (
                "I'll wait until she's at work, then I'll do it in the bath.",
                C::Plan,
            ),
            (
                "He says he plans to jump from the top floor of the old multi-storey car park.",
                C::ActiveSi,
            ),
            ("She has chosen the bridge near the station.", C::Plan),
            ("I'm taking the insulin home on Friday to do it.", C::Plan),
            (
                "The farm has the euthanasia kit and I keep looking at it for myself.",
                C::Means,
            ),
            ("I never handed back Mum's morphine.", C::Means),
            (
                "I've made my last confession and I'm ready to go.",
                C::Preparatory,
            ),
            (
                "The business is gone, the house is gone, and I'm finished.",
                C::Hopelessness,
            ),
            ("I'm out of options.", C::Hopelessness),
            ("I don't know why I bother getting up.", C::Hopelessness),
            ("He describes himself as beyond help.", C::Hopelessness),
            ("I am a nuisance to everyone.", C::Burdensomeness),
            (
                "I think they're all just waiting for me to die.",
                C::Burdensomeness,
            ),
            (
                "One of these days I'll make my manager pay, and I don't mean a grievance.",
                C::HarmToOthers,
            ),
            (
                "My uncle's been giving away his tools, saying thanks for everything.",
                C::Preparatory,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "A new car would be a blessing.",
            "I was disappointed the results were normal, I wanted an answer for the pain.",
            "I put myself out of the running for captain.",
            "I'll do what my dad did and train as a plumber.",
            "I'm going to do it Friday when my parents are out, the whole essay.",
            "I'll wait until the shop opens, then I'll go.",
            "We've chosen the bridge for the wedding photos.",
            "I'm taking the tablets to the chemist to do it properly.",
            "I picked up the tablets for myself at the pharmacy.",
            "I never returned the library books.",
            "We put everything in order before the move.",
            "The match is over and I'm done.",
            "The shift is over, the report is done, and I'm done.",
            "I'm out of options for the wedding venue.",
            "I don't know why I bother getting up early on Saturdays.",
            "The old sofa is beyond help.",
            "They're waiting for me to go so they can lock up.",
            "I'm going to make my landlord pay for the damage.",
        ] {
            let names = rule_names(t);
            assert!(names.is_empty(), "{t}: {names:?}");
        }
    }

    #[test]
    fn glad_to_go_kept_plans_and_named_attacks_match_their_kind() {
        for (t, c) in [
            (
                "My husband's gone, I'm eighty-one, and I'd be happy to go tonight.",
                C::PassiveSi,
            ),
            (
                "It wouldn't be the worst thing if I didn't come round from the anaesthetic.",
                C::PassiveSi,
            ),
            ("I've planned it all out, when and where.", C::Plan),
            ("When the boys go camping, that's when.", C::Plan),
            ("I'm thinking the bridge over the bypass.", C::Plan),
            (
                "I won't tell you what it is because you'll stop me.",
                C::Plan,
            ),
            ("i have a stash", C::Means),
            (
                "I bought something online that's meant to be painless.",
                C::Means,
            ),
            (
                "I've written letters for the birthdays I won't be around for.",
                C::Preparatory,
            ),
            (
                "After my overdose I was in intensive care for two days.",
                C::Attempt,
            ),
            ("I held the lighter against my arm on purpose.", C::SelfHarm),
            ("This is it for me, forever.", C::Hopelessness),
            ("It's all broken and it can't be fixed.", C::Hopelessness),
            (
                "He keeps saying there's nothing left for him now.",
                C::Hopelessness,
            ),
            ("I'm just another mouth to feed.", C::Burdensomeness),
            ("I want to shoot up the college.", C::HarmToOthers),
            (
                "Next time I see him I'm going to break his jaw, I swear.",
                C::HarmToOthers,
            ),
            (
                "The nuns hit us every morning with a wooden spoon.",
                C::Abuse,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I'd be glad to go tonight, the band is brilliant.",
            "I've planned it all out, when and where the party is.",
            "When the kids go back to school, that's when I'll paint the kitchen.",
            "I'm thinking the bridge route is quicker for the commute.",
            "I have a stash of chocolate in my desk.",
            "I've saved enough to do it, the new car I mean.",
            "The overdose rate in the city keeps rising.",
            "I put the cream on my hands on purpose before bed.",
            "This is it for me forever, I've found my dream house.",
            "There's nothing left for me to do at work today.",
            "We had another mouth to feed when the baby came.",
            "The kids shot up in height this year.",
            "He broke his leg skiing last winter.",
            "My dad beat me at chess with a clever move.",
        ] {
            let names = rule_names(t);
            assert!(names.is_empty(), "{t}: {names:?}");
        }
    }

    #[test]
    fn prayers_for_death_kept_weapons_and_family_threats_match_their_kind() {
        for (t, c) in [
            (
                "I keep hoping I'll catch something at work and just not recover.",
                C::PassiveSi,
            ),
            ("Honestly I've been praying for a stroke.", C::PassiveSi),
            ("I keep asking God to take me.", C::PassiveSi),
            (
                "On the platform I thought if I just stepped off it would all be over.",
                C::ActiveSi,
            ),
            (
                "When I clean the shotgun I think about putting it to my head.",
                C::ActiveSi,
            ),
            (
                "On the ferry I think about jumping at night, nobody will see.",
                C::ActiveSi,
            ),
            ("I've been thinking about topping masel.", C::ActiveSi),
            (
                "I'll take the kayak out past the point and I won't be coming back.",
                C::Plan,
            ),
            ("I just haven't picked the night yet.", C::Plan),
            (
                "When the harvest is in I'll drink the weedkiller, I've decided.",
                C::Plan,
            ),
            (
                "I've been thinking about burning charcoal in a hotel room.",
                C::Plan,
            ),
            (
                "I'll wait till the nurses change over and then walk to the railway line.",
                C::Plan,
            ),
            (
                "There's pentobarbital at the clinic and I've got the code.",
                C::Means,
            ),
            (
                "I keep opening the drawer and looking at the knife.",
                C::Means,
            ),
            (
                "My brother's gun is in the loft and I keep thinking of using it on myself.",
                C::Means,
            ),
            (
                "I've been taking Dad's sleeping tablets one at a time so he won't notice.",
                C::Means,
            ),
            (
                "I ran the car in the garage with the door shut.",
                C::Attempt,
            ),
            ("There's no way out for someone like me.", C::Hopelessness),
            ("I'd be better off in the ground.", C::PassiveSi),
            ("The problem would go away if I died.", C::Burdensomeness),
            (
                "I keep a hammer in the car now, the next guy who shoves me gets it.",
                C::HarmToOthers,
            ),
            (
                "I thought about putting bleach in his tea.",
                C::HarmToOthers,
            ),
            (
                "I had the knife and thought about sticking it in his neck.",
                C::HarmToOthers,
            ),
            ("If she leaves I'll take them all with me.", C::HarmToOthers),
            ("I kept saying no and he didn't stop.", C::Abuse),
            (
                "Some nights I think about ending Jim's life and then my own.",
                C::HarmToOthers,
            ),
            (
                "My nan used to say she was ready to go, and lately I feel exactly like that.",
                C::PassiveSi,
            ),
            (
                "At the scan I thought, please let it be cancer, then it's out of my hands.",
                C::PassiveSi,
            ),
            (
                "I'll drive out to the lake and walk in and not come back.",
                C::Plan,
            ),
            (
                "My plan is to go up to the top floor of the car park after my shift and jump.",
                C::Plan,
            ),
            (
                "It'd be the early train, nobody's on the platform then and I could just step off.",
                C::Plan,
            ),
            (
                "At the clinic I can get hold of the euthanasia drugs, and that's been on my mind for me.",
                C::Means,
            ),
            (
                "I sliced my hand open on purpose and said it was the mandoline.",
                C::SelfHarm,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I caught something on holiday and didn't recover for weeks.",
            "I'm praying for the end of term.",
            "I had to think about ending her life support with the doctors.",
            "I thought about ending his contract early.",
            "My nan used to say she was ready to go to the shops by eight, and I feel the same.",
            "Please let it be benign, I kept saying at the scan.",
            "We walk into the sea and come back out freezing, it's a club thing.",
            "My plan is to go up to the top floor of the car park and get the best view.",
            "It's the early train, nobody's on the platform then and I can step on first.",
            "I can get hold of the euthanasia drugs at work, but only for the animals.",
            "I sliced my hand open on the mandoline by accident at work.",
            "If I just stepped back it would all be over quickly, the photo I mean.",
            "I think about jumping in the pool at night.",
            "I'll take the boat out for the day and won't be coming back till late.",
            "We haven't picked the date yet for the wedding.",
            "I'll use the weedkiller on the path.",
            "We'll burn the charcoal for the barbecue.",
            "We'll walk to the railway line with the kids and watch the trains.",
            "I keep opening the drawer and looking at the old photos.",
            "I'm taking Mum's tablets to the chemist for her.",
            "I ran the car in the garage to warm it up.",
            "I'd be better off in the other team.",
            "The next one who asks me gets a biscuit.",
            "I put something in his tea, a bit of honey.",
            "I'll take them all with me to the beach.",
        ] {
            let names = rule_names(t);
            assert!(names.is_empty(), "{t}: {names:?}");
        }
    }

    #[test]
    fn crashes_not_accidents_counted_pills_and_lists_match_their_kind() {
        for (t, c) in [
            (
                "I caught myself hoping a lorry would swerve into me.",
                C::PassiveSi,
            ),
            (
                "I should just take myself out and stop dragging this on.",
                C::ActiveSi,
            ),
            (
                "I know exactly where I'd go to do it.",
                C::Plan,
            ),
            (
                "I've paid off the funeral plan, so it's sorted for when I end things.",
                C::ActiveSi,
            ),
            (
                "On Saturday I tried to drive my car off the road into the ravine.",
                C::Attempt,
            ),
            (
                "The time I ended up in hospital, that was me trying, it wasn't an accident.",
                C::Attempt,
            ),
            ("Reports aborted attempt two nights ago.", C::Attempt),
            ("Nothing will be good again.", C::Hopelessness),
            ("Nothing is going to fix this.", C::Hopelessness),
            (
                "The aide at the home slaps me when no one's looking.",
                C::Abuse,
            ),
            (
                "I figure if it happens, it happens, and I wouldn't mind.",
                C::PassiveSi,
            ),
            (
                "I've worked out which drug from the cabinet would do it for me.",
                C::Means,
            ),
            (
                "There's loads of strong pills in the house. I count them and think, that'd be enough.",
                C::Means,
            ),
            (
                "I've been researching which ways of dying hurt the least.",
                C::Preparatory,
            ),
            (
                "I hit my head against the door over and over.",
                C::SelfHarm,
            ),
            (
                "I've got a list of the people at work and what I'd do to each of them if I ever snapped.",
                C::HarmToOthers,
            ),
            (
                "I cancelled my lease and I'm just not going to need any of it",
                C::Preparatory,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I'm taking myself out for dinner on Friday.",
            "When I end things with him I'll move back to Leeds.",
            "I know exactly where I'd go for lunch.",
            "It wasn't an accident that I got the job, I worked hard.",
            "Nothing's going to change at that company until the CEO leaves.",
            "I banged my head on the low beam in the attic.",
            "That would be enough paint for the whole fence.",
            "We're not going to need the tent anymore.",
        ] {
            let names = rule_names(t);
            assert!(names.is_empty(), "{t}: {names:?}");
        }
    }

    #[test]
    fn sets_35_and_36_misses_match_their_kind() {
        for (t, c) in [
            (
                "Every day I pray for the strength not to take my own life.",
                C::ActiveSi,
            ),
            (
                "When I'm in that dark place I remember my husband's gun safe code is my birthday.",
                C::Means,
            ),
            (
                "And this was after your overdose in January, when you were in hospital for a week.",
                C::Attempt,
            ),
            (
                "You went to the bridge, climbed over the railing to jump, and a stranger talked you back over.",
                C::Attempt,
            ),
            (
                "In our culture the old ones must not be trouble, and now I am only trouble to them.",
                C::Burdensomeness,
            ),
            ("imma mess him up bad when i see him, on god", C::HarmToOthers),
            (
                "the baby was left on her own in the flat for two days",
                C::Abuse,
            ),
            (
                "My daughter's coach sends her messages late at night and told her to keep them secret from us.",
                C::Abuse,
            ),
            (
                "I've started locking Mum in her room at night, I'm just so tired.",
                C::Abuse,
            ),
            (
                "i cut on my thighs so my mum doesnt see",
                C::SelfHarm,
            ),
            (
                "You've been hitting your head against the wall on purpose when the flashbacks come.",
                C::SelfHarm,
            ),
            (
                "my dad wishes the cancer would hurry up and take him",
                C::PassiveSi,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", rule_names(t));
        }
        for t in [
            "I wish it would hurry up, the bus is always late.",
            "I wish the kettle would hurry up.",
            "The kids were left alone for ten minutes while I took the bins out.",
            "I told her to keep the party a secret from her dad, it's his birthday.",
            "I lock the kids' bikes in the shed at night.",
            "I cut my hair short for the summer.",
            "I cut my arm on the fence fixing it.",
            "Carrying naloxone lowers your overdose risk.",
            "The code to the front door is 1234.",
            "I'm going to sort the garden out this weekend.",
            "She climbed over the fence to get the ball.",
            "I had the strength not to drink at the wedding.",
        ] {
            assert!(rule_names(t).is_empty(), "{t}: {:?}", rule_names(t));
        }
    }

    #[test]
    fn sets_39_and_40_misses_match_their_kind() {
        for (t, c) in [
            ("I said I hope the lake takes me, and my mate laughed but I wasn't really joking.", C::PassiveSi),
            ("My body is a prison now. I pray every night not to open my eyes again.", C::PassiveSi),
            ("Using again felt like the slow way out, and lately I've been thinking about the fast way.", C::ActiveSi),
            ("The pills I've been collecting are still in my bedside drawer.", C::Means),
            ("sh is the only thing that helps rn, i was 3 weeks clean from it and i broke last night", C::SelfHarm),
            ("Every time I get clean it falls apart again, I don't believe I'll ever get out of it.", C::Hopelessness),
            ("I can't see any way this gets better.", C::Hopelessness),
            ("my wife has to do everything for me now im just in the way i cost her everything", C::Burdensomeness),
            ("All I do is cost people. Money, time, worry. I'm a bad investment.", C::Burdensomeness),
            ("The crew would run smoother without me dragging them down, and so would my house.", C::Burdensomeness),
            ("I want to make that nurse hurt the way she made my mother hurt.", C::HarmToOthers),
            ("If they take my kids away I'll burn their office down with them in it.", C::HarmToOthers),
            ("My ex used to lock me in the bathroom for hours when I misbehaved.", C::Abuse),
            ("My sponsor kept pushing for sex in exchange for rides to meetings and I went along with it.", C::Abuse),
            ("i told my sister if mum dies im going with her and i meant it", C::ActiveSi),
            ("Last winter I had it all planned, the hotel, the date, everything, and then my brother turned up.", C::Plan),
            ("id go up to the cliffs by my nans old place nobody walks up there in winter", C::Plan),
            ("Collateral (partner): pt told her he would go off the multistorey at work, and says he has chosen the level.", C::Plan),
            ("Large quantity of opioids at home (post-op oxycodone, approx 60 tabs); means restriction discussed.", C::Means),
            ("The car's in the garage and the garage door shuts tight, that thought has crossed my mind more than once.", C::Means),
            ("Knows location of rat poison in garage; states it's always there if I need it.", C::Means),
            ("I know there's enough in my blister packs to do it.", C::Means),
            ("Before the last time I ended up in hospital I'd written a note, and it's still in my bedside drawer.", C::Preparatory),
            ("Last night I started taking them, got to about ten, and then I was sick.", C::Attempt),
            ("The burns on my hand aren't from cooking, I did them myself.", C::SelfHarm),
            ("After the last hospital stay I stopped believing there was a future for me.", C::Hopelessness),
            ("In hospital last year all I could think was how much easier it would be for them if I didn't come home.", C::Burdensomeness),
            ("I'm taking up space and money that should be going to my kids.", C::Burdensomeness),
            ("I keep a list of everyone who wronged me at that firm, and one day they'll all pay for it.", C::HarmToOthers),
            ("my partner takes my phone and reads everything and if i go out without asking theres trouble", C::Abuse),
            ("The kids next door are left in the garden at night with no coats, and I hear their dad screaming and hitting them.", C::Abuse),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", rule_names(t));
        }
        for t in [
            "I hope the train gets me there on time.",
            "I'm in the way of the telly, sorry, I'll move.",
            "I had it all planned, the hotel, the date, for the wedding, and then it rained.",
            "I'd go up to the cliffs for the sunrise, it's beautiful.",
            "We took the slow road home, it was lovely.",
            "I want to make the cake look nice for her birthday.",
            "The car's in the garage for its MOT.",
            "I know there's enough in the account to do it, the holiday I mean.",
            "I'd written a note for the milkman.",
            "I started taking them, the vitamins, about a month ago.",
            "The burns on my hand are from the oven at work.",
            "I'm taking up the spare room with my boxes until we move.",
            "We left the washing out in the garden overnight.",
            "I'm going with her to the hospital if Mum goes in again.",
            "We took the slow way out of the car park, it was rammed.",
            "I had to put her in hospital after the fall, she couldn't stand.",
            "They'll all pay for their own drinks on Friday.",
            "I've got new marks on my report card, all Bs.",
            "My employer withheld money from my pay for the uniform.",
            "I was relieved the cancer was caught early and treatable.",
            "I'm done with city life, we're moving to the coast.",
        ] {
            assert!(rule_names(t).is_empty(), "{t}: {:?}", rule_names(t));
        }
    }

    #[test]
    fn sets_37_and_38_misses_match_their_kind() {
        for (t, c) in [
            (
                "I'm done. I'm just done with all of it, with existing.",
                C::PassiveSi,
            ),
            (
                "For me it is too heavy now, the life, I wish it would finish.",
                C::PassiveSi,
            ),
            (
                "When the doctor said it might be cancer, honestly my first feeling was relief. Like, good, that's me finished.",
                C::PassiveSi,
            ),
            (
                "My best friend told me she's tired of waking up every day.",
                C::PassiveSi,
            ),
            (
                "Wouldn't be the worst thing if my heart just stopped one night, would it.",
                C::PassiveSi,
            ),
            (
                "I've got the insulin. I know what too much of it does.",
                C::Means,
            ),
            (
                "I left a list of who gets what on the table, for whoever comes in after.",
                C::Preparatory,
            ),
            (
                "I've made sure the dog's going to my sister. I arranged it already, just in case.",
                C::Preparatory,
            ),
            (
                "I wrote out what music I want at my funeral and gave it to my friend.",
                C::Preparatory,
            ),
            ("my arms look like barcodes lol", C::SelfHarm),
            (
                "I can't picture things ever getting any better than this.",
                C::Hopelessness,
            ),
            (
                "They'd save a fortune on my care home fees if I weren't here.",
                C::Burdensomeness,
            ),
            (
                "When Dad drinks, we all get it, me worst because I'm the oldest.",
                C::Abuse,
            ),
            (
                "In my family the husband corrects the wife with his hand. So, yes, he corrects me.",
                C::Abuse,
            ),
            (
                "My dad keeps grabbing my little brother by the neck when he's angry.",
                C::Abuse,
            ),
            (
                "ive been having sue side thoughts again really bad ones",
                C::ActiveSi,
            ),
            (
                "Pt reports purchasing a ligature; item remains in vehicle.",
                C::Means,
            ),
            (
                "last year i took a nover dose of my nans tablets",
                C::Attempt,
            ),
            (
                "Pt presented to ED s/p intentional ingestion of ~30 tabs acetaminophen.",
                C::Attempt,
            ),
            (
                "after they went I locked myself in the bathroom and cut, and then Sunday we did the big shop",
                C::SelfHarm,
            ),
            (
                "I've got fresh cuts, I did them on Tuesday night",
                C::SelfHarm,
            ),
            (
                "So the cutting has moved from your arms to your legs.",
                C::SelfHarm,
            ),
            (
                "I thought, I'm going to wait for him after and batter him, properly put him in hospital",
                C::HarmToOthers,
            ),
            (
                "Pt reports daughter-in-law withholds food and medications and shouts at her.",
                C::Abuse,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", rule_names(t));
        }
        for t in [
            "I'm done with the night shifts, I've asked for days.",
            "I wish it would stop raining, the garden's a swamp.",
            "I was so relieved when the scan came back benign.",
            "I'm tired of waking up at five for the commute.",
            "It wouldn't be the worst thing if I stopped at the shop on the way.",
            "I know what too much coffee does to me, I get the shakes.",
            "We made a list of who gets what for the party bags.",
            "The dog's going to my sister while we're on holiday.",
            "We've sorted our funeral plans with the co-op, one less thing for the kids.",
            "I can't imagine things getting any better than this, what a holiday.",
            "We'd save a fortune if we weren't paying for the gym.",
            "When Dad gets home we all get pizza on Fridays.",
            "She grabbed the cat by the scruff of the neck.",
            "I've got fresh cut flowers on the table.",
            "Dip the fish and batter them before frying.",
            "The pharmacy withheld the medication until the prescription came through.",
            "I took a nap after lunch.",
            "The flu put her in hospital for a week.",
        ] {
            assert!(rule_names(t).is_empty(), "{t}: {:?}", rule_names(t));
        }
    }

    #[test]
    fn fragments_hurried_prayers_and_sleep_without_waking_match_their_kind() {
        for (t, c) in [
            ("just... not be here. not wake up.", C::PassiveSi),
            ("No, not that. Just not waking up.", C::PassiveSi),
            ("I wish the good Lord would hurry up.", C::PassiveSi),
            (
                "Yes, sometimes I think this. Better to sleep and not wake.",
                C::PassiveSi,
            ),
        ] {
            assert!(cats(t).contains(&c), "{t}: {:?}", cats(t));
        }
        for t in [
            "I hope the bus hurries up, I'm freezing.",
            "Not wake up the baby, that's the rule after eight.",
            "I'd rather not be here on Saturday, it's my cousin's party.",
            "Better to sleep and wake up early for the drive.",
            "I wish the plumber would hurry up.",
        ] {
            let names = rule_names(t);
            assert!(names.is_empty(), "{t}: {names:?}");
        }
    }

    #[test]
    fn everyday_words_do_not_match() {
        for t in [
            "This commute is killing me.",
            "I could murder a coffee right now.",
            "I'm dead tired.",
            "I want to disappear for a weekend somewhere quiet.",
            "I have a plan for the weekend.",
            "I hurt my knee playing football.",
            "My grandmother's death hit me hard.",
            "Since the new tablets I feel lighter in myself.",
            "We went bowling and my daughter beat me for the first time.",
        ] {
            assert!(cats(t).is_empty(), "{t}: {:?}", cats(t));
        }
    }

    #[test]
    fn set_41_misses_match_their_kind() {
        use super::super::context::{as_first_person, reflects_disclosure};
        let mut bad: Vec<String> = Vec::new();
        // the client's (or a note's) own words
        for (t, c) in [
            ("I've been praying the cancer will take me before the summer.", C::PassiveSi),
            ("Honestly it wouldn't be so bad if I didn't wake up tomorrow.", C::PassiveSi),
            ("I'm not suicidal, but if a doctor told me I had a month left I'd be relieved.", C::PassiveSi),
            ("If the consultant said I only had a few weeks to live I think I'd be glad.", C::PassiveSi),
            ("I texted my ex that I'd be dead by the morning and he'd be sorry.", C::ActiveSi),
            ("I told my sister I'll be dead before Friday.", C::ActiveSi),
            ("My faith is the only reason I haven't killed myself yet, and it's getting thinner.", C::ActiveSi),
            ("The kids are the only thing I haven't ended it for.", C::ActiveSi),
            ("i was looking up the tide times for the cliffs cos i know when its high thats when id go", C::Plan),
            ("I checked the train times, that's when I'd step out.", C::Plan),
            ("The multistorey by the station is the spot I'd jump from.", C::Plan),
            ("I've thought about doing it with the rope in the garage.", C::Plan),
            ("I told him I'd walk into the river on my birthday.", C::Plan),
            ("Means: works on farm with access to paraquat and firearms; pt has thought about using both on self.", C::Means),
            ("There's a box of Dad's morphine in the cupboard and I've thought about taking them all.", C::Means),
            ("theres loads of tablets in the house right now like mums and mine and i keep thinking about taking them all", C::Means),
            ("I kept the old cable from the loft for it, I know it's strong enough to hold me.", C::Means),
            ("The tablets I've been saving for it are hidden in my sock drawer.", C::Means),
            ("Collateral (sister): pt gave away jewellery and wrote a will last week, out of character, said \"you'll need these more than me\".", C::Preparatory),
            ("I've paid the rent up for three months and cancelled the gym so no one's left with my bills.", C::Preparatory),
            ("I cleared the credit card so nobody has to pay my debts.", C::Preparatory),
            ("I've been looking up which bridges don't have cameras.", C::Preparatory),
            ("ED attendance after ingestion of approx 40 tabs sertraline with alcohol, pt ambivalent re intent.", C::Attempt),
            ("Pt swallowed around 30 tablets of paracetamol on Saturday night.", C::Attempt),
            ("Last month I shot up way more than I ever have, on purpose, and a stranger had to narcan me.", C::Attempt),
            ("The first time I tried to go I used my dressing gown cord, the second time it was pills.", C::Attempt),
            ("Burning myself is the only thing I turn to when it gets too much.", C::SelfHarm),
            ("I punched the door on purpose till my knuckles bled.", C::SelfHarm),
            ("I can't see things ever getting better.", C::Hopelessness),
            ("I've stopped believing there's a way out for me.", C::Hopelessness),
            ("In our family the old ones are meant to help, and I've become nothing but a weight my son has to carry.", C::Burdensomeness),
            ("I'm just a drain on my parents.", C::Burdensomeness),
            ("Mum would finally get some rest if she didn't have to worry about me anymore, for good.", C::Burdensomeness),
            ("In group, Marie said her family would save a fortune in care fees if she died.", C::Burdensomeness),
            ("I've thought about following my supervisor home and hurting him the way he's hurt me, properly.", C::HarmToOthers),
            ("My colleague says if they cut his shifts again he'll bring his rifle in and deal with the managers.", C::HarmToOthers),
            ("I've threatened to kill my wife if she ever leaves, and I meant it.", C::HarmToOthers),
            ("He only hits me when I answer back.", C::Abuse),
            ("He keeps my bank card and locks me out if I argue.", C::Abuse),
        ] {
            if !cats(t).contains(&c) {
                bad.push(format!("missed {t}: {:?}", rule_names(t)));
            }
        }
        // a therapist's reflections and summaries, read as the client's words
        for (t, c) in [
            ("It sounds like part of you has been wishing the illness would take you quicker.", C::PassiveSi),
            ("So when you step off the kerb you sometimes think it wouldn't be so bad if a bus hit you.", C::PassiveSi),
            ("So the short version is that you don't want to kill yourself, but you wouldn't mind if you didn't wake up.", C::PassiveSi),
            ("You told the group you sometimes hope your heart just stops in the night.", C::PassiveSi),
            ("So in your mind you're mostly a cost to the people around you, a weight they have to carry.", C::Burdensomeness),
            ("It sounds like you believe your wife would be freer if she didn't have to look after you anymore.", C::Burdensomeness),
            ("You've come back to this idea a lot today, that you're only a drain on the family.", C::Burdensomeness),
            ("You're telling me you can't picture anything getting better, not next month, not next year, not ever.", C::Hopelessness),
            ("It sounds like you've stopped believing there's any way out of this for you.", C::Hopelessness),
            ("So you've got to a place where you can't imagine ever feeling okay again.", C::Hopelessness),
            ("In group you said this is the last thing you're trying before you give up on everything.", C::Hopelessness),
            ("If I've got this right, the thought of ending your life comes up every time you're alone in the flat.", C::ActiveSi),
            ("You've been honest that the thoughts of suicide have got louder since the court case.", C::ActiveSi),
            ("To sum up where we are: the suicidal thoughts are daily, you've thought about the method, and you're not sure you can keep yourself safe tonight.", C::ActiveSi),
            ("You mentioned you'd worked out that the bridge on the ring road would be the place you'd jump from.", C::Plan),
            ("Let me check I understood: you've thought about doing it with the car running in the garage and the door shut.", C::Plan),
            ("Your mum is worried because you told her you'd walk into the sea at the end of term, and you've said you still think about doing that.", C::Plan),
            ("You told me there's still a full box of your mum's morphine patches in the drawer, and that you've thought about using them.", C::Means),
            ("So the pills you've been keeping for it are in the glovebox, and you've been driving around with them.", C::Means),
            ("You mentioned you've been researching which level crossings don't have cameras.", C::Preparatory),
            ("So the night of the party wasn't an accident, you were trying to die when you took those pills.", C::Attempt),
            ("It sounds like cutting is still the thing you reach for when the panic gets too big.", C::SelfHarm),
            ("You mentioned you've been punching the wall on purpose until your knuckles split.", C::SelfHarm),
            ("So the scratches on your arms are ones you do with a compass when you get home from school.", C::SelfHarm),
            ("Your dad has told me he found bloodied tissues in your bin again, and you've said that's from cutting.", C::SelfHarm),
            ("So your stepfather has been coming into your room at night since you were eleven.", C::Abuse),
            ("What you're describing, him taking your wages and locking you out of the house, is abuse, and it's happening to you.", C::Abuse),
            ("Your husband has just said in front of me that he only slaps you when you deserve it.", C::Abuse),
            ("You said you've been imagining waiting outside his house and beating him with the bat.", C::HarmToOthers),
            ("So when the baby cries for hours you've felt like shaking her hard to make it stop.", C::HarmToOthers),
            ("Your partner says you've threatened to kill the kids and then yourself if she leaves, and you've told me that's true when you've been drinking.", C::HarmToOthers),
        ] {
            let s = &sentences(t)[0];
            let f = as_first_person(s);
            let got: Vec<_> = scan(&f).into_iter().map(|h| (h.rule, h.category)).collect();
            if !reflects_disclosure(s) || !got.iter().any(|(_, k)| *k == c) {
                bad.push(format!("reflection missed {t} ({}): {got:?}", f.text));
            }
        }
        // everyday talk sharing the words
        for t in [
            "It wouldn't be so bad if the bus came on time for once.",
            "If a doctor told me I had a month left I'd be devastated.",
            "I'll be dead tired by the morning after this night shift.",
            "The only reason I haven't finished the course is the cost.",
            "I looked up the tide times for the cliffs so we can walk the coast path on Sunday.",
            "The rock by the pool is the spot I'd jump from for the diving photo.",
            "We've thought about doing it by train instead, for the holiday.",
            "I told him I'd walk into the sea on Sunday for the charity dip.",
            "The patches gave me headaches so I've thought about using them less.",
            "Our allotment club has access to weedkiller for the paths.",
            "I kept the old cable from the loft for the new telly.",
            "Mum gave away her jewellery to the charity shop when she moved into a smaller flat.",
            "I've paid the rent up for three months so I don't have to think about it while I'm travelling.",
            "I've been researching which level crossings don't have barriers for my council report.",
            "Pt took 14 tablets of antibiotics as prescribed over the week.",
            "A stranger had to narcan me after a bad batch, I never meant it.",
            "The first time I tried to go skiing I broke my wrist.",
            "Cutting out caffeine is the thing I turn to when my sleep goes off.",
            "I was banging the wall on purpose to find the stud for the shelf.",
            "I can't imagine it getting any better than this holiday.",
            "I stopped believing there was a way out of the car park without paying.",
            "The backpack is a weight I have to carry up every hill.",
            "Mum would get more sleep if she didn't have to worry about me driving home late.",
            "They'd save a fortune in care fees if she moved in with them.",
            "I keep thinking about going to the gym and beating my record.",
            "He brings his rifle into the shop every autumn to get the scope fixed.",
            "The agency kept my wages for the first month as a deposit.",
            "I've threatened to ban the kids from the telly if they don't tidy their bedroom.",
            "My brother only beats me at chess when I let him.",
        ] {
            if !rule_names(t).is_empty() {
                bad.push(format!("flagged {t}: {:?}", rule_names(t)));
            }
        }
        // a therapist's own talk in the same forms: read as a reflection, but no risk in it
        for t in [
            "It sounds like you've had a really good week with the kids.",
            "So when the baby cries you pick her up and walk around the garden.",
            "To sum up, you're sleeping better and the new job is going well.",
            "Your wife mentioned that you've taken up cycling again.",
            "In group you said you'd like to try the breathing exercise.",
        ] {
            let s = &sentences(t)[0];
            if !scan(&as_first_person(s)).is_empty() {
                bad.push(format!("flagged reflection {t}"));
            }
        }
        // psychoeducation and screening are not reflections
        for t in [
            "When you have thoughts of suicide, call the crisis line straight away.",
            "If you ever feel like hurting yourself, you can ring me.",
            // someone else's report, not yet the client's word
            "Your dad says you told him you wanted to die.",
            "Your wife is worried you've been thinking about suicide since the redundancy.",
            "You've been clear that suicide isn't something you'd ever consider, because of your faith.",
        ] {
            if reflects_disclosure(&sentences(t)[0]) {
                bad.push(format!("read as a reflection: {t}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn set_44s_understated_plans_preparations_and_harm_are_cues() {
        let mut bad = Vec::new();
        for (t, c) in [
            ("I'd do it in the car down at the lock-up, so it's not the house she has to come back to.", C::Plan),
            ("It was always going to be the level crossing by the top field. Nobody has to clean up the house that way.", C::Plan),
            ("it'd be the lock-up not the house cos the house has got to sell and nobody buys one where that happened", C::Plan),
            ("If the bank takes the house, that's the day. I know what I'll do and where.", C::Plan),
            ("I'm on my own on the ward Thursday nights. That'd be when, and I know which cupboard.", C::Plan),
            ("I changed the death-in-service to go to my sister last week, so it's in the right place for when I do it.", C::Preparatory),
            ("i've put the car in her name and paid the funeral plan off so there's nothing for her to sort when i do it", C::Preparatory),
            ("I've been clearing the loft so there's less for them to go through after.", C::Preparatory),
            ("Went through the policy with a highlighter to make sure it pays out whatever the cause of death.", C::Preparatory),
            ("You've been giving your tools away to the apprentices, and you told them you won't be needing them.", C::Preparatory),
            ("Whatever the judge says, I've lost. There's nothing after this for me.", C::Hopelessness),
            ("Thirty years on the force and I've got nothing to show for it and nothing in front of me.", C::Hopelessness),
            ("Fifty-eight with a record. Nobody's taking me on. That's me finished.", C::Hopelessness),
            ("I'm just going through the motions until the money runs out, and then that's that.", C::Hopelessness),
            ("I can't see any kind of future that's worth getting up for.", C::Hopelessness),
            ("The one useful thing I could do for them now is not be around.", C::Burdensomeness),
            ("Honestly they'd be relieved to be rid of me.", C::Burdensomeness),
            ("I've been taking the belt to my own legs when I lose at the bookies.", C::SelfHarm),
            ("i mean yeah i had my hand round her neck but i didn't squeeze or nothing", C::HarmToOthers),
            ("I pinned him up against the wall when he came in late.", C::HarmToOthers),
            ("When Mum asks the same thing for the twentieth time I shove her a bit harder than I should.", C::HarmToOthers),
            ("I slapped the lad, yeah. He's fourteen, he needs to learn.", C::HarmToOthers),
            ("I've been following him home from the depot, and there's a bat in the car.", C::HarmToOthers),
            ("I've been sitting outside her new place in the car. I want her to know I'm there.", C::HarmToOthers),
            ("He's been texting that he'll put me in the ground if I go to the police.", C::Abuse),
            ("If the tribunal goes against me, I'm checking out. And I don't mean of a hotel.", C::ActiveSi),
            ("Part of me wants to go on my own terms before the dementia gets me like it got Dad.", C::ActiveSi),
            ("The last time I walked into the sea and the lifeboat crew pulled me out.", C::Attempt),
            ("One of the lads on my watch did himself in last year.", C::Attempt),
            ("I've been keeping back a few of Mum's morphine patches since she went into the home. Just in case.", C::Means),
            ("the paraquat's still in the store from years back we're not meant to have it but it's there and i think about it when it's bad", C::Means),
            ("My husband told the GP he'd be glad if the cancer came back and finished him off.", C::PassiveSi),
        ] {
            if !cats(t).contains(&c) {
                bad.push(format!("missed {t}: {:?}", rule_names(t)));
            }
        }
        for t in [
            "It'd be the garage, I think, where I left the spare keys.",
            "That's me finished for the day, I'm off home.",
            "I know what I'll do and where I'll go for the holidays this year.",
            "I'm going to retire on my own terms, not when the board says.",
            "I walked into the sea up to my knees and it was freezing.",
            "I keep the weedkiller in the shed, away from the kids.",
            "We were keeping back some of the morphine to take on holiday with us.",
            "I want her to know I'm there for her whatever happens.",
            "I do my homework so that there's nothing left for when I do it later.",
        ] {
            if !rule_names(t).is_empty() {
                bad.push(format!("flagged {t}: {:?}", rule_names(t)));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn a_death_by_chance_accepted_is_a_passive_wish() {
        let mut bad = Vec::new();
        for t in [
            // set 44's misses of this kind
            "Honestly, if I don't come round after the op, that saves everybody a lot of bother.",
            "Some mornings I sit in the van before the first job and think it'd be no great loss if today was my last one.",
            "um yeah like if i got clipped crossing the road i'd just be like okay then that's that i wouldn't mind",
            "If I went to sleep tonight and that was the end of it, I'd take that deal.",
            "sometimes on the quad i think if it went over on the bank nobody'd blame anyone it'd just be one of them farm accidents and that'd be alright by me",
            "if the roof comes in on the night shift and i'm under it then so be it i've stopped caring about that sort of thing",
            "If that lorry had come across the central reservation last night, I wouldn't have swerved. Put it that way.",
            "Sixty-one and bankrupt. I'd take a quiet heart attack over another letter from the receiver, no question.",
            // other phrasings of the same constructions
            "When I go under for the surgery, if I never woke up, fine by me.",
            "If I got hit by a bus on the way home I'd honestly be relieved.",
            "If a car came at me on the bridge I wouldn't get out of the way.",
            "I'd gladly take a heart attack over another year like this one.",
            "If this shift was my last, no great loss to anyone.",
            // set 49's dictated wish, and the wish in the client's words
            "Client states \"I'm not suicidal\" but later described wishing a tree would come down on him in the forestry.",
            "Some days out felling I wish one of the big pines would just come down on me.",
        ] {
            if !cats(t).contains(&C::PassiveSi) {
                bad.push(format!("missed {t}: {:?}", rule_names(t)));
            }
        }
        for t in [
            "If I fail the driving test again, so be it.",
            "If I die on that hill, so be it, I'm not backing down.",
            "If the car in front stopped I wouldn't brake in time, so I keep my distance.",
            "I'd take the bus over the train any day.",
            "If I got hit with the bill for the van, fine by me, I'll pay it.",
            "If today was my last day at the warehouse I'd throw a party.",
            "If I don't come round to his way of thinking, he'll sulk.",
            "There was a little accident with the paint, but that's fine by me.",
            "If I was under it for an hour longer the job would be done.",
            "I wish some inspiration would hit me before the deadline.",
            "I wish my boss would come down on me less over the rota.",
            "She said she wished a tree would fall on him, the way he treats her.",
        ] {
            if !rule_names(t).is_empty() {
                bad.push(format!("flagged {t}: {:?}", rule_names(t)));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn set_42_misses_match_their_kind() {
        // a therapist's reflection is read as the client's words, as the scan does
        fn cats_read(text: &str) -> Vec<RiskCategory> {
            use super::super::context::{as_first_person, reflects_disclosure};
            sentences(text)
                .iter()
                .map(|s| {
                    if reflects_disclosure(s) {
                        as_first_person(s)
                    } else {
                        s.clone()
                    }
                })
                .flat_map(|s| scan(&s).into_iter().map(|h| h.category))
                .collect()
        }
        let mut missed = Vec::new();
        for (t, c) in [
            (
                "I don't look when I cross the road anymore. Whatever comes, comes.",
                C::PassiveSi,
            ),
            ("I just want to go and be with Jack now. Forty-one years and he went first.", C::PassiveSi),
            ("She's ready to go and join my dad again.", C::PassiveSi),
            (
                "Mum's eighty-four and every morning she tells me she's cross to still be here.",
                C::PassiveSi,
            ),
            ("I'm disappointed to still be alive, honestly.", C::PassiveSi),
            (
                "Self-discontinued antiretrovirals 3/52 ago; states \"so it finishes me\".",
                C::ActiveSi,
            ),
            ("I've stopped the insulin so that it kills me.", C::ActiveSi),
            (
                "Some days the only thing in my head is how to stop being here.",
                C::ActiveSi,
            ),
            (
                "The urge to go under the train was so strong on the platform I had to sit on my hands.",
                C::ActiveSi,
            ),
            ("I told her I'd aim for the bridge pillar.", C::ActiveSi),
            (
                "Top floor of the multi-storey, the side with no netting. Next week sometime.",
                C::Plan,
            ),
            (
                "Last day of the month. Rent paid, cat rehomed, then I walk into the sea.",
                C::Plan,
            ),
            (
                "I'll stop the warfarin and take the lot of the other ones the same night.",
                C::Plan,
            ),
            (
                "Grandad says he'll take himself off to the woods with his shotgun before he ever goes into care.",
                C::Plan,
            ),
            (
                "My sister's kept my car keys since I told her I'd aim for the bridge pillar.",
                C::Means,
            ),
            (
                "The GP only gives me a week's worth at a time now. She doesn't trust me with a month.",
                C::Means,
            ),
            ("The chemist does my tablets weekly because of last time.", C::Means),
            (
                "I've been holding back a couple each night. There's a good few now.",
                C::Means,
            ),
            (
                "My partner's put a lock on the medicine cabinet and keeps the key on her.",
                C::Means,
            ),
            (
                "I asked for a bigger prescription, said I was going abroad. I'm not going anywhere.",
                C::Means,
            ),
            (
                "Sorted the will, paid off the card, cancelled everything, so there's nothing to sort when they find me.",
                C::Preparatory,
            ),
            (
                "I've cleaned the flat top to bottom so it's decent when they find me.",
                C::Preparatory,
            ),
            (
                "You mentioned you've already written a note for your daughter.",
                C::Preparatory,
            ),
            (
                "My son gave away his PlayStation and his trainers last week, then hugged me for ages.",
                C::Preparatory,
            ),
            (
                "I found a note in my wife's handbag saying sorry and who to ring after.",
                C::Preparatory,
            ),
            ("Last time I got as far as the chair. The rope snapped.", C::Attempt),
            ("Two years ago. Tablets. My flatmate found me.", C::Attempt),
            ("I tied it and kicked the chair. My brother came in.", C::Attempt),
            (
                "I don't eat till I've earned it. Most days I don't earn it.",
                C::SelfHarm,
            ),
            ("Restricting intake to <300 kcal/day as self-punishment.", C::SelfHarm),
            (
                "You said the burns on your wrist were the kettle, but you also told me you'd done them yourself.",
                C::SelfHarm,
            ),
            (
                "I drove home at ninety with my eyes shut for a count of five. I do it when it's bad.",
                C::SelfHarm,
            ),
            ("I pressed the hot fork into my palm. Twice this week.", C::SelfHarm),
            ("I've given up waiting for it to lift. It won't.", C::Hopelessness),
            ("They'd be better off. Without me, I mean.", C::Burdensomeness),
            ("I'm just a drain. On everyone.", C::Burdensomeness),
            (
                "The carers, the bills, the lifts to hospital. All for me. I'm not worth it.",
                C::Burdensomeness,
            ),
            (
                "You feel the family would cope better without you.",
                C::Burdensomeness,
            ),
            (
                "I'm nothing but work for them. They'd be relieved.",
                C::Burdensomeness,
            ),
            (
                "I found that bloke from the forum's address. One day I'll turn up.",
                C::HarmToOthers,
            ),
            (
                "I tracked down the last troll's gym. I'm going to wait for him outside.",
                C::HarmToOthers,
            ),
            (
                "I've got a list. People at work who'll get what's coming.",
                C::HarmToOthers,
            ),
            (
                "I keep picturing the supervisor's face when the wrench connects.",
                C::HarmToOthers,
            ),
            (
                "i told her if she left id make sure no one ever looked at her again",
                C::HarmToOthers,
            ),
            (
                "Intrusive thoughts of harming 3yo son when crying won't stop; no intent; distressed by thoughts.",
                C::HarmToOthers,
            ),
            (
                "I left her sitting in it all night. I was too angry to change her.",
                C::HarmToOthers,
            ),
            (
                "79F; nephew holds POA and has sold her car and jewellery without consent.",
                C::Abuse,
            ),
            (
                "You mentioned he made you do things you didn't want to do.",
                C::Abuse,
            ),
            (
                "I'm not allowed money of my own. Not since the wedding.",
                C::Abuse,
            ),
            (
                "My coach and me had an arrangement. I was fourteen. I thought it was special.",
                C::Abuse,
            ),
            (
                "the little boy downstairs hasnt had his mum home in like four days hes been eating dry cereal",
                C::Abuse,
            ),
            (
                "i know exactly where id jump theres a bit of the cliff path with no fence",
                C::Plan,
            ),
            (
                "Mum says the day they move her into the home she'll take every tablet in the house.",
                C::Plan,
            ),
            (
                "He's hidden the knives from me. Even the bread knife.",
                C::Means,
            ),
            (
                "Wife has removed paracetamol and razors from the house per safety plan.",
                C::Means,
            ),
            (
                "Punched the wall till my knuckles split. I wanted them to.",
                C::SelfHarm,
            ),
            (
                "Burning. With a lighter. On my stomach so nobody sees.",
                C::SelfHarm,
            ),
            (
                "I pick the scabs off so they scar. I want them to scar.",
                C::SelfHarm,
            ),
            (
                "Some mornings I'm actually disappointed to have woken up.",
                C::PassiveSi,
            ),
            (
                "Tired. Of being alive, I mean, not of sleep.",
                C::PassiveSi,
            ),
            (
                "I've thought about a pillow over her face. Mum, I mean. Just so it stops.",
                C::HarmToOthers,
            ),
            (
                "honestly i sat outside his house for like an hour with the bat on the passenger seat",
                C::HarmToOthers,
            ),
            (
                "I've given her extra of the sleeping ones a few times so she'd stop wandering.",
                C::HarmToOthers,
            ),
            (
                "The lad next door said he'd burn our house down with us in it.",
                C::HarmToOthers,
            ),
            (
                "Gran's care home leaves her in wet sheets all night. There were bruises on her arms.",
                C::Abuse,
            ),
            (
                "My daughter says her stepdad comes into the bathroom when she's in the shower.",
                C::Abuse,
            ),
            (
                "He has my bank card. I get twenty pounds a week and he checks the receipts.",
                C::Abuse,
            ),
        ] {
            if !cats_read(t).contains(&c) {
                let texts: Vec<String> = sentences(t).iter().map(|s| s.text.clone()).collect();
                missed.push(format!("{t}: {:?} {texts:?}", rule_names(t)));
            }
        }
        for t in [
            "I don't look at my phone when I cross the road anymore.",
            "I just want to go and be with my girlfriend now, it's been a long week.",
            "She's cross to still be here at nine doing the accounts.",
            "I stopped the statins so my muscles would stop aching.",
            "I'm trying to work out how to stop being here at six every morning.",
            "We had to go under the train line through the tunnel.",
            "Aim for the tree with your first shot, the ball will roll back.",
            "The top floor of the multi-storey is the side with no roof.",
            "We'll get chips, then I walk into the sea for a paddle.",
            "Take the lot to the tip tonight, I'm sick of the boxes.",
            "Grandad says he'll sell the shotgun before he goes into care.",
            "My partner took the car keys off me because I'd had two pints. Fair enough.",
            "The pharmacy does Mum's tablets in a weekly blister pack so she doesn't get muddled.",
            "The chemist only gives me a week at a time because of the shortage.",
            "The pharmacy only gives me a week at a time anyway, it's on the repeat.",
            "She doesn't trust me with the car.",
            "I've been putting aside a couple of quid each week for Christmas.",
            "We put a lock on the medicine cabinet when the toddler started climbing.",
            "I asked for a bigger prescription because I'm going abroad for a month.",
            "I'm hiding behind the shed so when they find me it's a surprise.",
            "I hope the agency finds me a job soon.",
            "I've already written a note for my daughter's teacher about the trip.",
            "I gave away half my wardrobe and my shoes because I'm moving into a studio.",
            "I found a note from my son saying sorry for breaking the vase.",
            "The washing line snapped and all the sheets went in the mud.",
            "The tow rope snapped on the way back from the garage.",
            "My mum found me a flat near the station.",
            "I tied the balloons and kicked the chair out of the way.",
            "I don't eat till I've finished my run.",
            "I count calories on the app. Trying to lose a stone before the wedding.",
            "The cuts in the hedge? I did them myself with the strimmer.",
            "I could drive home from work with my eyes shut.",
            "I pressed the hot flannel onto my face, it's lovely for sinuses.",
            "Burned my hand on the oven tray. Stupid of me.",
            "I've given up waiting for the fog to lift, I'm driving in anyway.",
            "They'd be better off with a new boiler.",
            "They left without me.",
            "That jacket is not worth the money.",
            "The team will cope fine without me for a week.",
            "I'm just extra work for them on Fridays, they pay me overtime.",
            "I found the owner's address on the collar and returned the dog.",
            "One day I'll turn up on time, I promise.",
            "He'll get what's coming to him, karma always catches up.",
            "The hammer hits the nail and the shelf goes up.",
            "She wanted to make sure no one looked at her essay again before marking.",
            "Caring for Mum is exhausting. I haven't had a full night in months, but I love her to bits.",
            "I'm so cross with my dad for selling the house without telling us.",
            "He made me do my homework before I could play, which I didn't want to do.",
            "I'm not allowed my own money till I'm eighteen, it's in a trust fund.",
            "My coach and me had an arrangement about lifts to training.",
            "The little boy downstairs hasn't had his mum home in four days, she's in hospital and his nan's staying.",
            "I said goodbye to everyone at work on Friday, new job starts Monday.",
            "i was saying goodbye to the house last night like walking round every room before the move",
            "I've written down all my passwords for my wife in case I get hit by a bus. She's hopeless with the computer.",
            "I've got a new five-blade razor and I still cut myself shaving.",
            "We walked the bit of the cliff path with no fence, the views were amazing.",
            "When they move Nan into the home we'll bring her photos and her chair.",
            "I've hidden the biscuits on top of the wardrobe so I'm not tempted.",
            "We took the knives out of the house when the toddler started climbing.",
            "I punched the bag till my arms gave out.",
            "I got a tattoo on my hip so nobody sees it at work.",
            "I was disappointed to wake up to rain on my birthday.",
            "Of living in London, I'd say the parks are the best bit.",
            "She put a pillow over her face to block out the light.",
            "I sat outside his house for an hour with the flowers, waiting to say sorry.",
            "I gave her extra of the calpol, the nurse said so she'd sleep.",
            "We burned the old shed down with the council's permission.",
            "I left the baby's clothes in the wet wash all night.",
            "My husband comes into the bathroom when I'm in the shower to brush his teeth.",
            "My daughter does my shopping and keeps the receipts in a tin for me to check.",
        ] {
            if !rule_names(t).is_empty() {
                missed.push(format!("flagged {t}: {:?}", rule_names(t)));
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }
}
