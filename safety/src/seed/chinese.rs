//! The Chinese pass: runs of wordlist characters weighed as evidence of a phrase drawn at
//! random from the list rather than written Chinese (see the parent module).

use super::*;

/// One Han character of the text, as the Chinese pass sees it.
#[derive(Clone, Copy)]
struct Han {
    token: usize,
    ch: char,
    listed: bool,
    /// Something stood between it and the previous character.
    separated: bool,
    /// Nothing but separators on both sides: how wallets display and copy phrases.
    standalone: bool,
}

pub(super) fn find_chinese(lists: &Lists, text: &str, tokens: &[Token], found: &mut Vec<Phrase>) {
    let zh = &lists.chinese;
    // Runs of Han characters not interrupted by other words.
    let mut runs: Vec<Vec<Han>> = vec![Vec::new()];
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Han { ch, separated, .. } => {
                let separated_after = match tokens.get(i + 1) {
                    Some(Token::Han { separated, .. }) => *separated,
                    _ => true,
                };
                runs.last_mut().unwrap().push(Han {
                    token: i,
                    ch: *ch,
                    listed: zh.index.contains_key(ch),
                    separated: *separated,
                    standalone: *separated && separated_after,
                });
            }
            Token::Word { .. } => runs.push(Vec::new()),
        }
    }
    let report = |hans: &[Han], found: &mut Vec<Phrase>| {
        let traditional = hans.iter().filter(|h| zh.traditional_only.contains(&h.ch)).count();
        let simplified = hans.iter().filter(|h| zh.simplified_only.contains(&h.ch)).count();
        let span = span_of(&tokens[hans[0].token]).start..span_of(&tokens[hans[hans.len() - 1].token]).end;
        found.push(Phrase { span, lang: if traditional > simplified { "zh-Hant" } else { "zh-Hans" } });
    };
    for run in runs.iter().filter(|r| r.len() >= MIN_WORDS) {
        // Separated: standalone characters in a row, whatever text surrounds them.
        for group in groups(run, |h| h.standalone) {
            if let Some(phrase) = with_few_typos(group) {
                report(phrase, found);
            }
        }
        // Contiguous: characters written together; only stretches that read as drawn at random.
        for group in run.split_inclusive(|h| h.standalone).flat_map(adjacent).filter(|g| g.len() >= MIN_WORDS) {
            let simplified: Vec<char> =
                group.iter().map(|h| zh.simplified.get(&h.ch).copied().unwrap_or(h.ch)).collect();
            let word_at: Vec<bool> = simplified.windows(2).map(|w| lists.zh_words.contains(&(w[0], w[1]))).collect();
            // Evidence per character: its own, plus the pair it closes with the previous one.
            let evidence: Vec<f32> = group
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let pair = match i.checked_sub(1).map(|p| word_at[p]) {
                        Some(true) => WORD_PAIR,
                        Some(false) => OTHER_PAIR,
                        None => 0.0,
                    };
                    character_evidence(zh, h) + pair
                })
                .collect();
            let context = |at: usize| context_before(text, span_of(&tokens[group[at].token]).start);
            find_random_stretches(zh, group, &evidence, 0, &context, &mut |stretch| report(stretch, found));
        }
        // Grouped: short pieces written together, one after another with only separators
        // between them — a phrase copied from a wallet's grid by lines of three or four, or in
        // groups split by spaces, slashes or dashes. Weighed like contiguous text, with no
        // word across a separator (prose in short clauses still reads as prose).
        for chain in chains_of_short_pieces(run).into_iter().filter(|c| c.len() >= MIN_WORDS) {
            let grid = if in_even_pieces(&chain) { GRID } else { 0.0 };
            let evidence: Vec<f32> = chain
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let pair = match i.checked_sub(1) {
                        Some(p) if !h.separated => {
                            let (a, b) =
                                [chain[p].ch, h.ch].map(|c| zh.simplified.get(&c).copied().unwrap_or(c)).into();
                            if lists.zh_words.contains(&(a, b)) { WORD_PAIR } else { OTHER_PAIR }
                        }
                        _ => 0.0,
                    };
                    character_evidence(zh, h) + pair + grid
                })
                .collect();
            let context = |at: usize| context_before(text, span_of(&tokens[chain[at].token]).start);
            find_random_stretches(zh, &chain, &evidence, 0, &context, &mut |stretch| report(stretch, found));
        }
    }
}

/// The shortest and longest pieces a phrase is grouped in.
const PIECES: std::ops::RangeInclusive<usize> = 2..=6;
/// Evidence per character of pieces all of one length (the last may be shorter): how a grid
/// is copied, rarely how clauses of prose fall.
const GRID: f32 = 0.5;

/// Whether `chain`'s pieces all have the length of the first, but for a shorter last one.
fn in_even_pieces(chain: &[Han]) -> bool {
    let mut lengths = Vec::new();
    for (i, h) in chain.iter().enumerate() {
        if i == 0 || h.separated {
            lengths.push(0);
        }
        *lengths.last_mut().expect("a piece") += 1;
    }
    let first = lengths[0];
    lengths.split_last().is_some_and(|(last, rest)| *last <= first && rest.iter().all(|l| *l == first))
}

/// Consecutive pieces of `PIECES` characters written together (`adjacent`), joined: each chain
/// ends where a piece of another length, or a standalone character, comes.
fn chains_of_short_pieces(run: &[Han]) -> Vec<Vec<Han>> {
    let mut chains = vec![Vec::new()];
    let mut start = 0;
    for i in 1..=run.len() {
        if i == run.len() || run[i].separated {
            let piece = &run[start..i];
            if PIECES.contains(&piece.len()) && !piece.iter().any(|h| h.standalone) {
                chains.last_mut().expect("one chain at least").extend_from_slice(piece);
            } else {
                chains.push(Vec::new());
            }
            start = i;
        }
    }
    chains
}

/// Log-likelihood ratios (random phrase : written Chinese) of what a character shows. Written
/// Chinese uses the list's first characters most (the list is ordered by frequency, close to
/// Zipf's law: P(rank r) ≈ 0.9 / ((r + 10) · 5.33)); a phrase draws all 2048 alike.
fn character_evidence(zh: &ChineseLists, h: &Han) -> f32 {
    match zh.index.get(&h.ch) {
        Some(&rank) => ((rank as f32 + 10.0) * 5.33 * 0.95 / (0.9 * 2048.0)).ln(),
        // Outside both lists: a typo in a phrase (rare), an everyday character in prose (often).
        None => UNLISTED,
    }
}

/// A common two-character word: about half the pairs of prose, 0.5% of random pairs.
const WORD_PAIR: f32 = -4.4;
const OTHER_PAIR: f32 = 0.5;
const UNLISTED: f32 = -1.0;
/// Evidence a stretch needs to count as a phrase (natural log; calibrated on the corpus in
/// `safety/tests/corpus.rs`, see BENCHMARKS.md).
const THRESHOLD: f32 = 4.5;
const EXTENSION_TOLERANCE: f32 = -5.0;
/// Talk of a recovery phrase just before the stretch.
const CONTEXT_BONUS: f32 = 6.0;

/// Finds the best-scoring stretch of at least 12 characters in `group`; reports it when the
/// evidence (with context and checksum) passes the threshold, then looks on either side of it.
fn find_random_stretches<'a>(
    zh: &ChineseLists,
    group: &'a [Han],
    evidence: &[f32],
    offset: usize,
    context: &dyn Fn(usize) -> bool,
    report: &mut dyn FnMut(&'a [Han]),
) {
    if group.len() < MIN_WORDS {
        return;
    }
    // Best sum over [i, j) with j - i >= MIN_WORDS, by prefix sums and the running minimum.
    let mut prefix = vec![0f32; group.len() + 1];
    for (i, e) in evidence.iter().enumerate() {
        prefix[i + 1] = prefix[i] + e;
    }
    let (mut best, mut best_at) = (f32::MIN, (0, 0));
    let mut min_at = 0;
    for j in MIN_WORDS..=group.len() {
        if prefix[j - MIN_WORDS] < prefix[min_at] {
            min_at = j - MIN_WORDS;
        }
        // The first character of a stretch has no pair before it inside the stretch.
        let score = prefix[j] - prefix[min_at] - pair_part(evidence[min_at], zh, &group[min_at]);
        if score > best {
            (best, best_at) = (score, (min_at, j));
        }
    }
    let (i, j) = best_at;
    let stretch = &group[i..j];
    let mut score = best;
    let spoken_of = context(offset + i);
    if spoken_of {
        score += CONTEXT_BONUS;
    }
    if score < THRESHOLD && checksum_in(zh, stretch) {
        score += THRESHOLD;
    }
    if score < THRESHOLD {
        return;
    }
    // The stretch leaves out common characters at a phrase's ends: take them too, as far as
    // a phrase could reach and while the text beside does not clearly read as prose.
    let reach = 24usize.saturating_sub(j - i);
    let tolerance = if spoken_of { 2.0 * EXTENSION_TOLERANCE } else { EXTENSION_TOLERANCE };
    let left = extension(evidence[..i].iter().rev().take(reach), tolerance);
    let right = extension(evidence[j..].iter().take(reach), tolerance);
    let (i, j) = (i - left, j + right);
    report(&group[i..j]);
    find_random_stretches(zh, &group[..i], &evidence[..i], offset, context, report);
    find_random_stretches(zh, &group[j..], &evidence[j..], offset + j, context, report);
}

/// How many characters beside a phrase go with it (at most `reach`, taken by the caller): the
/// furthest point up to which their summed evidence is at least `tolerance` (one common word or two very common characters; twice that
/// when the message speaks of a recovery phrase).
fn extension<'e>(evidence: impl Iterator<Item = &'e f32>, tolerance: f32) -> usize {
    let (mut sum, mut taken) = (0.0, 0);
    for (n, e) in evidence.enumerate() {
        sum += e;
        if sum >= tolerance {
            taken = n + 1;
        }
    }
    taken
}

/// The pair evidence inside a character's evidence.
fn pair_part(evidence: f32, zh: &ChineseLists, h: &Han) -> f32 {
    evidence - character_evidence(zh, h)
}

/// Whether some window of a phrase's length inside the stretch passes the BIP39 checksum.
fn checksum_in(zh: &ChineseLists, stretch: &[Han]) -> bool {
    let indices: Vec<Option<u16>> = stretch.iter().map(|h| zh.index.get(&h.ch).copied()).collect();
    PHRASE_LENGTHS.iter().filter(|n| **n <= indices.len()).any(|&n| {
        indices
            .windows(n)
            .any(|w| w.iter().all(Option::is_some) && checksum_holds(&w.iter().flatten().copied().collect::<Vec<_>>()))
    })
}

/// Splits characters where something separates them.
fn adjacent(run: &[Han]) -> Vec<&[Han]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..=run.len() {
        if i == run.len() || run[i].separated {
            if !run[start..i].iter().any(|h| h.standalone) {
                parts.push(&run[start..i]);
            }
            start = i;
        }
    }
    parts
}

/// Maximal runs of consecutive elements satisfying `keep`.
fn groups(run: &[Han], keep: impl Fn(&Han) -> bool) -> Vec<&[Han]> {
    run.split(|h| !keep(h)).filter(|g| !g.is_empty()).collect()
}

/// The longest part of a group of standalone characters with at most two typos, trimmed of
/// typos at its ends, if it is long enough to be a phrase.
fn with_few_typos(group: &[Han]) -> Option<&[Han]> {
    let mut best: Option<&[Han]> = None;
    let mut start = 0;
    while start < group.len() {
        let mut end = start;
        let mut typos = 0;
        while end < group.len() && typos + usize::from(!group[end].listed) <= MAX_TYPOS {
            typos += usize::from(!group[end].listed);
            end += 1;
        }
        let mut part = &group[start..end];
        while part.first().is_some_and(|h| !h.listed) {
            part = &part[1..];
        }
        while part.last().is_some_and(|h| !h.listed) {
            part = &part[..part.len() - 1];
        }
        if part.len() >= MIN_WORDS && best.is_none_or(|b| part.len() > b.len()) {
            best = Some(part);
        }
        start = end.max(start + 1);
    }
    best
}

/// The BIP39 checksum of a phrase given by wordlist positions: the entropy's SHA-256 must begin
/// with the phrase's last bits. (The Chinese lists are aligned, so positions serve both.)
pub(super) fn checksum_holds(indices: &[u16]) -> bool {
    use sha2::{Digest, Sha256};
    let bits = indices.len() * 11;
    let checksum_bits = bits / 33;
    let entropy_bytes = (bits - checksum_bits) / 8;
    let mut packed = vec![0u8; bits.div_ceil(8)];
    for (i, index) in indices.iter().enumerate() {
        for b in 0..11 {
            if index & (1 << (10 - b)) != 0 {
                let bit = i * 11 + b;
                packed[bit / 8] |= 0x80 >> (bit % 8);
            }
        }
    }
    let hash = Sha256::digest(&packed[..entropy_bytes]);
    (0..checksum_bits).all(|b| {
        let expected = hash[b / 8] & (0x80 >> (b % 8)) != 0;
        let bit = entropy_bytes * 8 + b;
        let actual = packed[bit / 8] & (0x80 >> (bit % 8)) != 0;
        expected == actual
    })
}
