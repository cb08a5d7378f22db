//! `@pattern` compilation, done once by the generator instead of in every program.
//!
//! A Smithy pattern is an ECMAScript regular expression that is searched for in a
//! value; a pattern that must cover the whole value anchors itself with `^` and `$`.
//! The generator turns each into minimal deterministic automata whose tables the
//! generated crate embeds as static data, run by `apprunner_smithy::pattern`. A
//! check is then one table lookup per character, and no regular-expression engine
//! is compiled into a program or builds anything when it starts.
//!
//! The stages:
//! 1. [`split_lookaheads`]: leading look-aheads (`^(?!aws:).+$`) become separate
//!    automata the value must, or must not, match;
//! 2. [`to_regex_syntax`]: the ECMAScript dialect is rewritten for the
//!    `regex-syntax` crate, which parses it;
//! 3. [`Nfa::build`]: a Thompson automaton from the parsed expression, in which
//!    counted repetitions that the member's `@length` makes unreachable become
//!    unbounded (same answers, far fewer states);
//! 4. [`Dfa::build`]: subset construction over character classes, then Hopcroft
//!    minimisation.

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use std::collections::HashMap;

/// The most automaton nodes one pattern may unroll into.
const MAX_NFA_NODES: usize = 50_000;
/// The most states a deterministic automaton may have (transitions are `u16`).
const MAX_DFA_STATES: usize = 8_000;
/// The most character classes an automaton may have (a class is a byte).
const MAX_CLASSES: usize = 256;
/// One past the largest Unicode scalar value.
const END_OF_UNICODE: u32 = 0x11_0000;

/// State numbers every automaton shares (see `apprunner_smithy::pattern`).
pub(crate) const DEAD: usize = 0;
/// The state an automaton starts in.
pub(crate) const START: usize = 1;
/// `accepts` value: the value does not match if it ends here.
pub(crate) const REJECTS: u8 = 0;
/// `accepts` value: the value matches if it ends here.
pub(crate) const ACCEPTS_AT_END: u8 = 1;
/// `accepts` value: the value matches whatever follows.
pub(crate) const MATCHED: u8 = 2;

/// The UTF-16 surrogate-pair range ECMAScript patterns use for every character
/// beyond the Basic Multilingual Plane, and what it means.
const SUPPLEMENTARY: (&str, &str) = ("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\x{10000}-\\x{10FFFF}");
/// ECMAScript's `\s`, as class items.
const ECMASCRIPT_SPACE: &str =
    "\\t\\n\\x0B\\x0C\\r\\x20\\xA0\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
/// ECMAScript's `.`: anything but a line terminator.
const ECMASCRIPT_DOT: &str = "[^\\n\\r\\x{2028}\\x{2029}]";

/// A pattern compiled for one `@length` limit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompiledPattern {
    /// The pattern as the model writes it.
    pub(crate) source: String,
    /// The member's `@length` maximum, when the automata rely on it (see [`Nfa::build`]).
    pub(crate) max_chars: Option<u64>,
    /// Automata a value must match.
    pub(crate) required: Vec<Dfa>,
    /// Automata a value must not match (leading negative look-aheads).
    pub(crate) forbidden: Vec<Dfa>,
}

/// Compiles `source` for values of at most `max_chars` characters; `Err` says, for
/// the generator's warning, what the pattern uses that this compiler does not support.
pub(crate) fn compile(source: &str, max_chars: Option<u64>) -> Result<CompiledPattern, String> {
    let text = source.replace(SUPPLEMENTARY.0, SUPPLEMENTARY.1);
    let parts = split_lookaheads(&text)?;
    let mut relaxed = false;
    let mut automaton = |ecmascript: &str| -> Result<Dfa, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(&to_regex_syntax(ecmascript)?)
            .map_err(|error| first_line(&error.to_string()))?;
        let nfa = Nfa::build(&hir, max_chars)?;
        relaxed |= nfa.relaxed;
        Dfa::build(&nfa)
    };
    let required = parts
        .required
        .iter()
        .map(|part| automaton(part))
        .collect::<Result<_, _>>()?;
    let forbidden = parts
        .forbidden
        .iter()
        .map(|part| automaton(part))
        .collect::<Result<_, _>>()?;
    Ok(CompiledPattern {
        source: source.to_owned(),
        max_chars: max_chars.filter(|_| relaxed),
        required,
        forbidden,
    })
}

/// The part of `regex-syntax`'s multi-line error report that says what is wrong.
fn first_line(report: &str) -> String {
    report
        .lines()
        .find_map(|line| line.strip_prefix("error: "))
        .unwrap_or(report)
        .to_owned()
}

/// A pattern split at its leading look-aheads.
#[derive(Debug, PartialEq)]
struct Parts {
    required: Vec<String>,
    forbidden: Vec<String>,
}

/// `^(?!A)(?=B)C` becomes: must match `^C` and `^(?:B)`, must not match `^(?:A)`.
/// A look-ahead anywhere else is left to the parser, which rejects it.
fn split_lookaheads(source: &str) -> Result<Parts, String> {
    let mut parts = Parts {
        required: Vec::new(),
        forbidden: Vec::new(),
    };
    let mut rest = source.to_owned();
    loop {
        let (negative, after) = match (rest.strip_prefix("^(?!"), rest.strip_prefix("^(?=")) {
            (Some(after), _) => (true, after),
            (_, Some(after)) => (false, after),
            _ => break,
        };
        let close = closing_paren(after).ok_or("unbalanced parentheses in a look-ahead")?;
        let anchored = format!("^(?:{})", &after[..close]);
        if negative {
            parts.forbidden.push(anchored);
        } else {
            parts.required.push(anchored);
        }
        // What follows a leading look-ahead is anchored at the start too.
        rest = format!("^{}", &after[close + 1..]);
    }
    parts.required.push(rest);
    Ok(parts)
}

/// The index of the `)` that closes a group whose `(` was just before `text`.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    let mut in_class = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class && depth == 0 => return Some(index),
            ')' if !in_class => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Rewrites ECMAScript regular-expression syntax into `regex-syntax`'s, keeping
/// ECMAScript's meaning where the two differ:
/// - `\w`, `\d` (and `\W`, `\D`) are ASCII-only, `\s` (and `\S`) is ECMAScript's
///   list of spaces and line terminators, and `.` excludes all four line terminators;
/// - `\0` is NUL, and `[\b]` is backspace;
/// - word boundaries, back-references and control escapes are reported as unsupported.
fn to_regex_syntax(source: &str) -> Result<String, String> {
    let mut out = String::with_capacity(source.len() + 16);
    let mut in_class = false;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(escaped) = chars.next() else {
                    return Err("the pattern ends with a lone backslash".to_owned());
                };
                let class = |items: &str, negated: bool| format!("[{}{items}]", if negated { "^" } else { "" });
                match escaped {
                    'w' | 'W' => out.push_str(&class("0-9A-Za-z_", escaped == 'W')),
                    'd' | 'D' => out.push_str(&class("0-9", escaped == 'D')),
                    's' | 'S' => out.push_str(&class(ECMASCRIPT_SPACE, escaped == 'S')),
                    '0' if !chars.peek().is_some_and(char::is_ascii_digit) => out.push_str("\\x00"),
                    'b' if in_class => out.push_str("\\x08"),
                    'b' | 'B' => return Err("word boundaries (\\b, \\B) are not supported".to_owned()),
                    '1'..='9' | 'k' => return Err("back-references are not supported".to_owned()),
                    'c' => return Err("control escapes (\\cX) are not supported".to_owned()),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                // A `]` first in the class is a literal.
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // In `regex-syntax` a `[` inside a class opens a nested class.
            '[' => out.push_str("\\["),
            '.' if !in_class => out.push_str(ECMASCRIPT_DOT),
            other => out.push(other),
        }
    }
    Ok(out)
}

/// The fewest characters `hir` matches (saturating: a class that matches
/// nothing counts as one character, as it can only make a match impossible).
fn min_chars(hir: &Hir) -> u64 {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(literal) => String::from_utf8_lossy(&literal.0).chars().count() as u64,
        HirKind::Class(_) => 1,
        HirKind::Repetition(repetition) => u64::from(repetition.min).saturating_mul(min_chars(&repetition.sub)),
        HirKind::Capture(capture) => min_chars(&capture.sub),
        HirKind::Concat(items) => items.iter().map(min_chars).fold(0, u64::saturating_add),
        HirKind::Alternation(branches) => branches.iter().map(min_chars).min().unwrap_or(0),
    }
}

/// One node of a Thompson automaton.
#[derive(Debug)]
enum Node {
    /// Consumes one character in `ranges` (sorted, inclusive) and goes to `next`.
    Chars { ranges: Vec<(u32, u32)>, next: usize },
    /// Goes to every node listed, consuming nothing.
    Split(Vec<usize>),
    /// Goes to `next` only at the start of the value.
    AtStart(usize),
    /// Goes to `next` only at the end of the value.
    AtEnd(usize),
    /// The pattern has matched.
    Match,
}

/// A Thompson automaton: node 0 is [`Node::Match`].
#[derive(Debug)]
struct Nfa {
    nodes: Vec<Node>,
    start: usize,
    /// The longest value the automaton will be asked about, in characters.
    max_chars: Option<u64>,
    /// Whether a counted repetition was made unbounded because of `max_chars`.
    relaxed: bool,
}

impl Nfa {
    /// The automaton for `hir`, for values of at most `max_chars` characters.
    ///
    /// A counted repetition `{m,n}` is built as `{m,}` when it cannot repeat `n`
    /// times in such a value: the rest of any match through it consumes at least
    /// `outside` characters (see [`Nfa::compile`]), so it has at most
    /// `max_chars - outside` characters to itself, and every repetition beyond
    /// those that consume nothing consumes at least one. For every value of an
    /// allowed length the answer is the same, and `(\w|/|-){1,1011}` is a few
    /// states instead of thousands; a longer value fails its length check anyway.
    fn build(hir: &Hir, max_chars: Option<u64>) -> Result<Self, String> {
        let mut nfa = Self {
            nodes: vec![Node::Match],
            start: 0,
            max_chars,
            relaxed: false,
        };
        nfa.start = nfa.compile(hir, 0, 0)?;
        Ok(nfa)
    }

    fn push(&mut self, node: Node) -> Result<usize, String> {
        if self.nodes.len() >= MAX_NFA_NODES {
            return Err(format!(
                "its counted repetitions unroll into more than {MAX_NFA_NODES} states"
            ));
        }
        self.nodes.push(node);
        Ok(self.nodes.len() - 1)
    }

    /// Adds the nodes for `hir`, to continue at `next`; returns where they begin.
    /// `outside` is the fewest characters the rest of a match that goes through
    /// `hir` consumes.
    fn compile(&mut self, hir: &Hir, next: usize, outside: u64) -> Result<usize, String> {
        match hir.kind() {
            HirKind::Empty => Ok(next),
            HirKind::Literal(literal) => {
                let text = std::str::from_utf8(&literal.0).map_err(|_| "it matches bytes that are not UTF-8")?;
                text.chars().rev().try_fold(next, |next, c| {
                    self.push(Node::Chars {
                        ranges: vec![(u32::from(c), u32::from(c))],
                        next,
                    })
                })
            }
            HirKind::Class(Class::Unicode(class)) => {
                let ranges = class
                    .ranges()
                    .iter()
                    .map(|range| (u32::from(range.start()), u32::from(range.end())))
                    .collect();
                self.push(Node::Chars { ranges, next })
            }
            HirKind::Class(Class::Bytes(class)) => {
                let ranges: Vec<(u32, u32)> = class
                    .ranges()
                    .iter()
                    .map(|range| (u32::from(range.start()), u32::from(range.end())))
                    .collect();
                if ranges.iter().any(|&(_, end)| end >= 0x80) {
                    return Err("it matches bytes that are not UTF-8".to_owned());
                }
                self.push(Node::Chars { ranges, next })
            }
            HirKind::Look(Look::Start) => self.push(Node::AtStart(next)),
            HirKind::Look(Look::End) => self.push(Node::AtEnd(next)),
            HirKind::Look(_) => Err("only the ^ and $ assertions are supported".to_owned()),
            HirKind::Repetition(repetition) => {
                let sub = &repetition.sub;
                let once = min_chars(sub);
                // One repetition, with the others the minimum asks for around it.
                let inner = outside.saturating_add(u64::from(repetition.min.saturating_sub(1)).saturating_mul(once));
                let unreachable = |max: u32| {
                    self.max_chars
                        .is_some_and(|limit| u64::from(max) >= limit.saturating_sub(outside))
                };
                let max = match repetition.max {
                    Some(max) if max > repetition.min && unreachable(max) => {
                        self.relaxed = true;
                        None
                    }
                    max => max,
                };
                let mut start = match max {
                    None => {
                        let repeat = self.push(Node::Split(Vec::new()))?;
                        let body = self.compile(sub, repeat, inner)?;
                        self.nodes[repeat] = Node::Split(vec![body, next]);
                        repeat
                    }
                    Some(max) => {
                        let mut optional = next;
                        for _ in repetition.min..max {
                            let body = self.compile(sub, optional, inner)?;
                            optional = self.push(Node::Split(vec![body, next]))?;
                        }
                        optional
                    }
                };
                for _ in 0..repetition.min {
                    start = self.compile(sub, start, inner)?;
                }
                Ok(start)
            }
            HirKind::Capture(capture) => self.compile(&capture.sub, next, outside),
            HirKind::Concat(items) => {
                let total: u64 = items.iter().map(min_chars).fold(0, u64::saturating_add);
                items.iter().rev().try_fold(next, |next, item| {
                    let others = total.saturating_sub(min_chars(item));
                    self.compile(item, next, outside.saturating_add(others))
                })
            }
            HirKind::Alternation(branches) => {
                let starts = branches
                    .iter()
                    .map(|branch| self.compile(branch, next, outside))
                    .collect::<Result<Vec<_>, _>>()?;
                self.push(Node::Split(starts))
            }
        }
    }

    /// The character-consuming nodes reachable from `from` without consuming, and
    /// whether [`Node::Match`] is; anchors pass where `at_start`/`at_end` say.
    fn closure(&self, from: &[usize], at_start: bool, at_end: bool) -> (Vec<usize>, bool) {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = from.to_vec();
        let mut consuming = Vec::new();
        let mut matched = false;
        while let Some(node) = stack.pop() {
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            match &self.nodes[node] {
                Node::Chars { .. } => consuming.push(node),
                Node::Split(targets) => stack.extend(targets.iter().rev()),
                Node::AtStart(next) if at_start => stack.push(*next),
                Node::AtEnd(next) if at_end => stack.push(*next),
                Node::AtStart(_) | Node::AtEnd(_) => {}
                Node::Match => matched = true,
            }
        }
        consuming.sort_unstable();
        (consuming, matched)
    }
}

/// A minimal deterministic automaton over character classes, in the layout
/// `apprunner_smithy::pattern::Automaton` reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dfa {
    /// The class of each ASCII character.
    pub(crate) ascii_classes: [u8; 128],
    /// From U+0080 up: the first character of each run of characters in one class.
    pub(crate) run_starts: Vec<u32>,
    /// The class of each run.
    pub(crate) run_classes: Vec<u8>,
    /// How many classes there are.
    pub(crate) class_count: usize,
    /// `transitions[state * class_count + class]`: the next state.
    pub(crate) transitions: Vec<u16>,
    /// Per state: [`REJECTS`], [`ACCEPTS_AT_END`] or [`MATCHED`].
    pub(crate) accepts: Vec<u8>,
}

impl Dfa {
    fn build(nfa: &Nfa) -> Result<Self, String> {
        let alphabet = Alphabet::of(nfa)?;
        let raw = Subsets::determinize(nfa, &alphabet)?;
        let dfa = minimize(&raw, alphabet);
        // The runtime addresses rows by their start (state × class count) in a `u16`.
        if dfa.accepts.len() * dfa.class_count > usize::from(u16::MAX) + 1 {
            return Err(format!(
                "its automaton has {} states of {} character classes, more than the {} table entries the checker addresses",
                dfa.accepts.len(),
                dfa.class_count,
                usize::from(u16::MAX) + 1
            ));
        }
        Ok(dfa)
    }

    /// The tables in the byte layout `apprunner_smithy::pattern::Automaton::new` takes.
    pub(crate) fn tables(&self) -> Tables {
        Tables {
            ascii_classes: self.ascii_classes,
            run_starts: self.run_starts.iter().flat_map(|start| start.to_le_bytes()).collect(),
            run_classes: self.run_classes.clone(),
            class_count: self.class_count,
            // Each entry is where the next state's row starts; `build` made sure that
            // fits a `u16`.
            transitions: self
                .transitions
                .iter()
                .flat_map(|&next| ((usize::from(next) * self.class_count) as u16).to_le_bytes())
                .collect(),
            accepts: self.accepts.clone(),
        }
    }
}

/// A [`Dfa`]'s tables as the runtime reads them: integers as little-endian bytes.
#[derive(Debug)]
pub(crate) struct Tables {
    pub(crate) ascii_classes: [u8; 128],
    pub(crate) run_starts: Vec<u8>,
    pub(crate) run_classes: Vec<u8>,
    pub(crate) class_count: usize,
    pub(crate) transitions: Vec<u8>,
    pub(crate) accepts: Vec<u8>,
}

/// The characters split into classes that every node treats alike.
struct Alphabet {
    /// Every boundary between runs, ascending, from 0 to [`END_OF_UNICODE`].
    run_starts: Vec<u32>,
    /// The class of each run.
    run_classes: Vec<u8>,
    /// A character of each class.
    representatives: Vec<u32>,
}

impl Alphabet {
    fn of(nfa: &Nfa) -> Result<Self, String> {
        let range_sets: Vec<&[(u32, u32)]> = {
            let mut sets: Vec<&[(u32, u32)]> = nfa
                .nodes
                .iter()
                .filter_map(|node| match node {
                    Node::Chars { ranges, .. } => Some(ranges.as_slice()),
                    _ => None,
                })
                .collect();
            sets.sort_unstable();
            sets.dedup();
            sets
        };
        let mut bounds: Vec<u32> = vec![0, END_OF_UNICODE];
        for &(start, end) in range_sets.iter().flat_map(|set| set.iter()) {
            bounds.push(start);
            bounds.push(end + 1);
        }
        bounds.sort_unstable();
        bounds.dedup();
        let mut classes: HashMap<Vec<bool>, u8> = HashMap::new();
        let mut alphabet = Self {
            run_starts: Vec::new(),
            run_classes: Vec::new(),
            representatives: Vec::new(),
        };
        for window in bounds.windows(2) {
            let start = window[0];
            let signature: Vec<bool> = range_sets.iter().map(|set| contains(set, start)).collect();
            let next_class = classes.len();
            let class = *classes.entry(signature).or_insert_with(|| next_class as u8);
            if usize::from(class) == next_class {
                if next_class >= MAX_CLASSES {
                    return Err(format!("it needs more than {MAX_CLASSES} character classes"));
                }
                alphabet.representatives.push(start);
            }
            // Neighbouring runs of one class are one run.
            if alphabet.run_classes.last() != Some(&class) {
                alphabet.run_starts.push(start);
                alphabet.run_classes.push(class);
            }
        }
        Ok(alphabet)
    }

    fn class_of(&self, c: u32) -> u8 {
        self.run_classes[self.run_starts.partition_point(|&start| start <= c) - 1]
    }
}

/// Whether the sorted inclusive `ranges` contain `c`.
fn contains(ranges: &[(u32, u32)], c: u32) -> bool {
    let index = ranges.partition_point(|&(_, end)| end < c);
    ranges.get(index).is_some_and(|&(start, _)| start <= c)
}

/// Hopcroft's algorithm: the block of states each state falls in, where states in
/// one block accept exactly the same continuations; and how many blocks there are.
fn equivalent_states(raw: &Subsets) -> (Vec<usize>, usize) {
    let count = raw.accepts.len();
    // predecessors[class][state]: the states that go to `state` on `class`.
    let mut predecessors = vec![vec![Vec::new(); count]; raw.class_count];
    for (state, row) in raw.transitions.iter().enumerate() {
        for (class, &next) in row.iter().enumerate() {
            predecessors[class][next].push(state);
        }
    }
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut block_of = vec![0; count];
    for accept in [REJECTS, ACCEPTS_AT_END, MATCHED] {
        let members: Vec<usize> = (0..count).filter(|&state| raw.accepts[state] == accept).collect();
        if !members.is_empty() {
            members.iter().for_each(|&state| block_of[state] = blocks.len());
            blocks.push(members);
        }
    }
    let mut pending: Vec<usize> = (0..blocks.len()).collect();
    let mut is_pending = vec![true; blocks.len()];
    let mut touched: HashMap<usize, Vec<usize>> = HashMap::new();
    while let Some(splitter) = pending.pop() {
        is_pending[splitter] = false;
        let targets = blocks[splitter].clone();
        for class_predecessors in &predecessors {
            touched.clear();
            for &target in &targets {
                for &state in &class_predecessors[target] {
                    touched.entry(block_of[state]).or_default().push(state);
                }
            }
            for (&split, inside) in &touched {
                if inside.len() == blocks[split].len() {
                    continue;
                }
                let new_block = blocks.len();
                for &state in inside {
                    block_of[state] = new_block;
                }
                blocks[split].retain(|&state| block_of[state] == split);
                blocks.push(inside.clone());
                let smaller = if is_pending[split] || inside.len() <= blocks[split].len() {
                    new_block
                } else {
                    split
                };
                is_pending.push(false);
                if !is_pending[smaller] {
                    is_pending[smaller] = true;
                    pending.push(smaller);
                }
            }
        }
    }
    (block_of, blocks.len())
}

/// The unminimised automaton of the subset construction.
struct Subsets {
    class_count: usize,
    /// Per state, its successor on each class.
    transitions: Vec<Vec<usize>>,
    accepts: Vec<u8>,
}

impl Subsets {
    /// Each state is the set of nodes the search can be at, before following the
    /// non-consuming ones. Searching means a new attempt may begin at every
    /// position, so every state but the first also holds the pattern's start, and
    /// only the first is at the start of the value.
    fn determinize(nfa: &Nfa, alphabet: &Alphabet) -> Result<Self, String> {
        let class_count = alphabet.representatives.len();
        let mut ids: HashMap<(Vec<usize>, bool), usize> = HashMap::new();
        let mut queue: Vec<(Vec<usize>, bool)> = vec![(vec![nfa.start], true)];
        ids.insert(queue[0].clone(), 0);
        let mut subsets = Self {
            class_count,
            transitions: Vec::new(),
            accepts: Vec::new(),
        };
        while let Some((nodes, at_start)) = queue.get(subsets.accepts.len()).cloned() {
            let (consuming, matched) = nfa.closure(&nodes, at_start, false);
            let state = subsets.accepts.len();
            if matched {
                subsets.accepts.push(MATCHED);
                subsets.transitions.push(vec![state; class_count]);
                continue;
            }
            let (_, matched_at_end) = nfa.closure(&nodes, at_start, true);
            subsets
                .accepts
                .push(if matched_at_end { ACCEPTS_AT_END } else { REJECTS });
            let mut row = Vec::with_capacity(class_count);
            for &c in &alphabet.representatives {
                let mut next: Vec<usize> = consuming
                    .iter()
                    .filter_map(|&node| match &nfa.nodes[node] {
                        Node::Chars { ranges, next } if contains(ranges, c) => Some(*next),
                        _ => None,
                    })
                    .chain(std::iter::once(nfa.start))
                    .collect();
                next.sort_unstable();
                next.dedup();
                let key = (next, false);
                let id = match ids.get(&key) {
                    Some(&id) => id,
                    None => {
                        let id = queue.len();
                        if id >= MAX_DFA_STATES {
                            return Err(format!("its automaton needs more than {MAX_DFA_STATES} states"));
                        }
                        ids.insert(key.clone(), id);
                        queue.push(key);
                        id
                    }
                };
                row.push(id);
            }
            subsets.transitions.push(row);
        }
        Ok(subsets)
    }
}

/// Hopcroft's partition refinement, then numbering: the dead state (from which
/// nothing can match) is [`DEAD`], the start is [`START`], the rest follow in
/// breadth-first order.
fn minimize(raw: &Subsets, alphabet: Alphabet) -> Dfa {
    let count = raw.accepts.len();
    let (block, block_count) = equivalent_states(raw);
    // One representative state per block.
    let mut representative = vec![usize::MAX; block_count];
    for state in 0..count {
        if representative[block[state]] == usize::MAX {
            representative[block[state]] = state;
        }
    }
    let is_dead = |b: usize| {
        let state = representative[b];
        raw.accepts[state] == REJECTS && raw.transitions[state].iter().all(|&next| block[next] == b)
    };
    // Number the blocks: dead first (made up if there is none), then breadth-first from the start.
    let mut number = vec![usize::MAX; block_count];
    let mut order: Vec<Option<usize>> = vec![None];
    if let Some(dead) = (0..block_count).find(|&b| is_dead(b)) {
        number[dead] = DEAD;
        order[0] = Some(dead);
    }
    let start = block[0];
    if number[start] == usize::MAX {
        number[start] = order.len();
        order.push(Some(start));
    } else {
        // Nothing ever matches: the start is a copy of the dead state.
        order.push(None);
    }
    let mut next_to_visit = START;
    while next_to_visit < order.len() {
        let Some(b) = order[next_to_visit] else { break };
        for &next in &raw.transitions[representative[b]] {
            if number[block[next]] == usize::MAX {
                number[block[next]] = order.len();
                order.push(Some(block[next]));
            }
        }
        next_to_visit += 1;
    }
    let class_count = raw.class_count;
    let mut transitions = Vec::with_capacity(order.len() * class_count);
    let mut accepts = Vec::with_capacity(order.len());
    for slot in &order {
        match slot {
            Some(b) => {
                let state = representative[*b];
                accepts.push(raw.accepts[state]);
                transitions.extend(raw.transitions[state].iter().map(|&next| number[block[next]] as u16));
            }
            None => {
                accepts.push(REJECTS);
                transitions.extend(std::iter::repeat_n(DEAD as u16, class_count));
            }
        }
    }
    let mut ascii_classes = [0u8; 128];
    for (code, class) in ascii_classes.iter_mut().enumerate() {
        *class = alphabet.class_of(code as u32);
    }
    let first_other = alphabet.run_starts.partition_point(|&start| start <= 0x7F) - 1;
    let mut run_starts = alphabet.run_starts[first_other..].to_vec();
    run_starts[0] = 0x80;
    let run_classes = alphabet.run_classes[first_other..].to_vec();
    Dfa {
        ascii_classes,
        run_starts,
        run_classes,
        class_count,
        transitions,
        accepts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime's automaton over `dfa`'s tables (leaked: tests only).
    fn runtime(dfa: &Dfa) -> apprunner_smithy::pattern::Automaton {
        let tables = dfa.tables();
        let leak = |bytes: Vec<u8>| -> &'static [u8] { Vec::leak(bytes) };
        apprunner_smithy::pattern::Automaton::new(
            Box::leak(Box::new(tables.ascii_classes)),
            leak(tables.run_starts),
            leak(tables.run_classes),
            tables.class_count,
            leak(tables.transitions),
            leak(tables.accepts),
        )
    }

    /// Whether `value` matches `pattern`, answered by the runtime's walk.
    fn matches(pattern: &CompiledPattern, value: &str) -> bool {
        pattern.required.iter().all(|dfa| runtime(dfa).is_match(value))
            && !pattern.forbidden.iter().any(|dfa| runtime(dfa).is_match(value))
    }

    fn check(source: &str, yes: &[&str], no: &[&str]) {
        let pattern = compile(source, None).unwrap_or_else(|error| panic!("{source}: {error}"));
        for value in yes {
            assert!(matches(&pattern, value), "{source} should match {value:?}");
        }
        for value in no {
            assert!(!matches(&pattern, value), "{source} should not match {value:?}");
        }
    }

    #[test]
    fn patterns_are_searched_for_unless_anchored() {
        check("abc", &["abc", "xxabcxx"], &["ab", ""]);
        check("^abc", &["abc", "abcd"], &["xabc"]);
        check("abc$", &["abc", "xabc"], &["abcx"]);
        // `^` binds to the first alternative only, as in the model's CPU pattern.
        check(
            "^256|512|(1|2) vCPU$",
            &["256", "2566", "x512x", "2 vCPU"],
            &["x256", "2 vCPUs", "1024"],
        );
        check(".*", &["", "anything"], &[]);
        check("^(?s)", &["", "x"], &[]);
    }

    #[test]
    fn ecmascript_classes_keep_their_ecmascript_meaning() {
        check("^\\w+$", &["a_Z9"], &["é", "a-b"]);
        check("^\\d$", &["7"], &["٣"]);
        check("^[\\w+=,.@-]+$", &["role+x=y,z.w@v-u"], &["a b", "ü"]);
        check("^\\s$", &[" ", "\t", "\u{FEFF}", "\u{2028}"], &["\u{85}", "x"]);
        check("^\\S+$", &["ab"], &["a b"]);
        check("^.$", &["x", "é", "😀"], &["\n", "\r", "\u{2028}", "ab"]);
        check("^[^\\x00]+$", &["a\u{1}"], &["a\0"]);
        check("^\\0$", &["\0"], &["0"]);
        check(
            "^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*$",
            &["a\tb😀"],
            &["\n", "\u{FFFE}"],
        );
        check("^[]a]$", &["]", "a"], &["b"]);
        check("^[a-z0-9-\\\\.]+$", &["a-b\\.c"], &["A"]);
        check("^\\p{L}+$", &["Ünïcödé"], &["a1"]);
    }

    #[test]
    fn leading_lookaheads_become_separate_automata() {
        check("^(?!aws:).+$", &["tag", "aws", "xaws:"], &["aws:x", ""]);
        check(
            "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
            &["ab1", "1-2"],
            &["123", "a b"],
        );
        check("^(?!(.*[.\\/\\\\]|aws:)).*$", &["name"], &["a.b", "a/b", "aws:x"]);
        let pattern = compile("^(?!a)(?!b)(?=c).*$", None).unwrap();
        assert_eq!((pattern.required.len(), pattern.forbidden.len()), (2, 2));
        assert!(matches(&pattern, "cd") && !matches(&pattern, "a") && !matches(&pattern, "d"));
    }

    #[test]
    fn unsupported_syntax_is_reported_not_panicked() {
        for (source, reason) in [
            ("^a\\b", "word boundaries"),
            ("(a)\\1", "back-references"),
            ("^[0-9A-Za-z\\.\\-_]*(?<!\\.)$", "look-around"),
            ("^\\p{Print}+$", "Unicode"),
            ("(", "unclosed group"),
            ("\\", "backslash"),
            ("^(?!aws:.+$", "unbalanced"),
        ] {
            let error = compile(source, None).expect_err(source);
            assert!(error.contains(reason), "{source}: {error}");
        }
    }

    #[test]
    fn repetitions_the_length_limit_makes_unreachable_become_unbounded() {
        let states = |source: &str, max: Option<u64>| {
            let pattern = compile(source, max).unwrap();
            (pattern.required[0].accepts.len(), pattern.max_chars)
        };
        let bounded = states("^(\\w|/|-){1,1011}$", None);
        assert!(bounded.0 > 1000, "{bounded:?}");
        assert_eq!(states("^(\\w|/|-){1,1011}$", Some(1011)), (3, Some(1011)));
        assert_eq!(
            states("^[a-z]{1,63}$", Some(64)).1,
            None,
            "63 of 64 characters are reachable"
        );
        // The 31 characters `arn:aws:iam::123456789012:role/` leave at most 993 for the
        // repetition, so its bound of 1000 cannot be reached in 1024 characters.
        let role = "^arn:(aws|aws-us-gov):iam::[0-9]{12}:(role|role\\/service-role)\\/[\\w+=,.@\\-/]{1,1000}$";
        assert!(states(role, Some(1024)).0 < 60);
        assert!(states(role, Some(1031)).0 < 60, "1031 leaves exactly 1000");
        assert!(
            states(role, Some(1032)).0 > 1000,
            "at 1032 characters the bound matters"
        );
        // Braces in classes and escaped braces are not repetitions.
        assert!(compile("^[{1,9}]\\{1,9}$", Some(3)).unwrap().max_chars.is_none());
    }

    #[test]
    fn relaxed_patterns_answer_like_the_originals_within_the_length() {
        let cases: [(&str, u64); 4] = [
            (
                "^arn:aws(-[\\w]+)*:[a-z0-9-\\\\.]{0,63}:[0-9]{12}:(\\w|\\/|-){1,40}$",
                40,
            ),
            ("^(ab|c){2,8}$", 8),
            ("x{0,6}y", 6),
            ("^(?!a{1,3}b)(c|a){1,5}", 4),
        ];
        let alphabet = [
            "",
            "a",
            "b",
            "c",
            "ab",
            "x",
            "y",
            "-",
            "/",
            ":",
            "arn:aws:",
            "123456789012",
            "arn:aws:s3:123456789012:",
        ];
        for (source, max) in cases {
            let original = compile(source, None).unwrap();
            let relaxed = compile(source, Some(max)).unwrap();
            assert_eq!(relaxed.max_chars, Some(max), "{source} is relaxed");
            for first in alphabet {
                for second in alphabet {
                    for third in alphabet {
                        let value = format!("{first}{second}{third}{third}{second}");
                        if value.chars().count() as u64 <= max {
                            assert_eq!(
                                matches(&relaxed, &value),
                                matches(&original, &value),
                                "{source} on {value:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn automata_are_minimal_and_numbered_for_the_runtime() {
        let dfa = &compile("^[0-9]{12}$", None).unwrap().required[0];
        // Dead, start, eleven digits in, twelve in: fourteen states, two classes.
        assert_eq!((dfa.accepts.len(), dfa.class_count), (14, 2));
        assert_eq!(dfa.accepts[DEAD], REJECTS);
        assert!(
            dfa.transitions[..dfa.class_count]
                .iter()
                .all(|&next| usize::from(next) == DEAD)
        );
        let never = &compile("^[^\\x00-\\x{10FFFF}]", None).unwrap().required[0];
        assert_eq!(never.accepts, [REJECTS, REJECTS]);
        assert!(!runtime(never).is_match("") && !runtime(never).is_match("a"));
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }
    }

    /// Characters of each class of `dfa` (a few per class).
    fn class_members(dfa: &Dfa) -> Vec<Vec<char>> {
        let mut members = vec![Vec::new(); dfa.class_count];
        for (code, &class) in dfa.ascii_classes.iter().enumerate() {
            if members[usize::from(class)].len() < 4 {
                members[usize::from(class)].extend(char::from_u32(code as u32));
            }
        }
        for (index, &start) in dfa.run_starts.iter().enumerate() {
            let end = dfa.run_starts.get(index + 1).map_or(END_OF_UNICODE, |&next| next);
            let class = usize::from(dfa.run_classes[index]);
            for code in [start, end - 1] {
                if members[class].len() < 8 {
                    members[class].extend(char::from_u32(code));
                }
            }
        }
        members
    }

    /// Values that walk `dfa` towards acceptance, then mutations of them.
    fn samples(dfa: &Dfa, random: &mut Random, count: usize) -> Vec<String> {
        let members = class_members(dfa);
        let mut out = Vec::new();
        for _ in 0..count {
            let mut state = START;
            let mut value = String::new();
            for _ in 0..random.below(40) {
                let live: Vec<usize> = (0..dfa.class_count)
                    .filter(|&class| {
                        !members[class].is_empty()
                            && usize::from(dfa.transitions[state * dfa.class_count + class]) != DEAD
                    })
                    .collect();
                if live.is_empty() || (dfa.accepts[state] != REJECTS && random.below(4) == 0) {
                    break;
                }
                let class = live[random.below(live.len())];
                value.push(members[class][random.below(members[class].len())]);
                state = usize::from(dfa.transitions[state * dfa.class_count + class]);
            }
            let mut chars: Vec<char> = value.chars().collect();
            out.push(value);
            // A mutation: drop, double or replace one character.
            if !chars.is_empty() {
                let at = random.below(chars.len());
                match random.below(3) {
                    0 => {
                        chars.remove(at);
                    }
                    1 => chars.insert(at, chars[at]),
                    _ => {
                        let class = &members[random.below(members.len())];
                        if !class.is_empty() {
                            chars[at] = class[random.below(class.len())];
                        }
                    }
                }
                out.push(chars.into_iter().collect());
            }
        }
        out
    }

    /// Every pattern of the project's model and of the published models beside the
    /// checkout: the automata answer like the `regex` crate on the same rewritten text.
    #[test]
    fn automata_agree_with_a_regex_engine_on_every_model_pattern() {
        let root = crate::codegen::project_root();
        let mut files = vec![root.join("model/apprunner.json")];
        if let Ok(entries) = std::fs::read_dir(root.join("../shared/models")) {
            files.extend(
                entries
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|path| path.extension().is_some_and(|extension| extension == "json")),
            );
        }
        let mut sources = std::collections::BTreeSet::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            collect_patterns(&serde_json::from_str(&text).unwrap(), &mut sources);
        }
        assert!(sources.len() >= 13, "found only {} patterns", sources.len());
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let mut compared = 0;
        for source in &sources {
            let Ok(pattern) = compile(source, None) else { continue };
            let text = source.replace(SUPPLEMENTARY.0, SUPPLEMENTARY.1);
            let parts = split_lookaheads(&text).unwrap();
            let engine = |part: &String| regex::Regex::new(&to_regex_syntax(part).unwrap()).unwrap();
            let required: Vec<regex::Regex> = parts.required.iter().map(engine).collect();
            let forbidden: Vec<regex::Regex> = parts.forbidden.iter().map(engine).collect();
            let mut values = vec![String::new()];
            for dfa in pattern.required.iter().chain(&pattern.forbidden) {
                values.extend(samples(dfa, &mut random, 60));
            }
            for value in &values {
                let expected =
                    required.iter().all(|re| re.is_match(value)) && !forbidden.iter().any(|re| re.is_match(value));
                assert_eq!(matches(&pattern, value), expected, "{source} on {value:?}");
                compared += 1;
            }
        }
        assert!(compared > 1000, "compared only {compared} values");
    }

    fn collect_patterns(json: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match json {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("smithy.api#pattern", serde_json::Value::String(source)) => {
                            out.insert(source.clone());
                        }
                        _ => collect_patterns(value, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| collect_patterns(item, out)),
            _ => {}
        }
    }
}
