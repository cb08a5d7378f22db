//! `@pattern` checks that run automata the code generator compiled.
//!
//! The generator (`cargo xtask codegen`) turns each pattern of the model into
//! minimal deterministic automata over character classes and emits their tables as
//! static data; this module only walks them. Checking a value is one table lookup
//! per character, nothing is compiled or allocated at run time, and no
//! regular-expression engine is linked into programs.
//!
//! The walk answers the question Smithy asks: is the pattern found anywhere in the
//! value (a pattern that must cover the whole value says so with `^` and `$`)?
//! The search is built into the automaton, which is why every automaton has
//! states meaning "found, whatever follows" and a dead state meaning "cannot be
//! found any more"; each leads only to itself.

/// The state every walk begins in.
const START: usize = 1;
/// Per-state acceptance: the value does not match if it ends here.
const REJECTS: u8 = 0;
/// Per-state acceptance: the value matches whatever follows.
const MATCHED: u8 = 2;

/// A deterministic automaton compiled from one regular expression.
///
/// The tables, all little-endian byte strings so that generated code stays compact:
/// characters fall into classes (`ascii_classes` for U+0000–U+007F; for the rest,
/// `run_starts` lists, as `u32`s, the first character of each run of characters that
/// share a class, from U+0080 up, and `run_classes` the class of each run); the
/// transition table holds, as `u16`s, the next state for each state and class,
/// row by row, each as the start of the next state's row (the state's number
/// times the class count); `accepts` says per state whether a value ending there matches
/// (1), does not (0), or already matched whatever follows (2). State 0 is dead
/// and state 1 is the start.
#[derive(Debug)]
pub struct Automaton {
    ascii_classes: &'static [u8; 128],
    run_starts: &'static [u8],
    run_classes: &'static [u8],
    class_count: usize,
    transitions: &'static [u8],
    accepts: &'static [u8],
}

impl Automaton {
    /// An automaton from the generator's tables (see the type's documentation).
    ///
    /// # Panics
    ///
    /// At compile time, in the `static` that calls it, if the tables do not fit
    /// together: a generator bug, never a run-time failure.
    pub const fn new(
        ascii_classes: &'static [u8; 128],
        run_starts: &'static [u8],
        run_classes: &'static [u8],
        class_count: usize,
        transitions: &'static [u8],
        accepts: &'static [u8],
    ) -> Self {
        assert!(
            class_count > 0 && accepts.len() > START,
            "an automaton has a dead and a start state"
        );
        assert!(
            transitions.len() == accepts.len() * class_count * 2,
            "one u16 transition per state and class"
        );
        assert!(
            run_starts.len() == run_classes.len() * 4 && !run_classes.is_empty(),
            "one u32 start per run"
        );
        let mut index = 0;
        while index < transitions.len() {
            let next = transitions[index] as usize | (transitions[index + 1] as usize) << 8;
            assert!(
                next.is_multiple_of(class_count) && next / class_count < accepts.len(),
                "transitions are rows of the automaton"
            );
            index += 2;
        }
        let mut index = 0;
        while index < 128 {
            assert!(
                (ascii_classes[index] as usize) < class_count,
                "classes are numbered densely"
            );
            index += 1;
        }
        let mut index = 0;
        while index < run_classes.len() {
            assert!(
                (run_classes[index] as usize) < class_count,
                "classes are numbered densely"
            );
            index += 1;
        }
        Self {
            ascii_classes,
            run_starts,
            run_classes,
            class_count,
            transitions,
            accepts,
        }
    }

    /// Whether the expression is found in `value`.
    ///
    /// The dead state and the matched states lead only to themselves, so the walk
    /// needs no test per character: the state after the last one has the answer.
    pub fn is_match(&self, value: &str) -> bool {
        if self.accepts[START] == MATCHED {
            return true;
        }
        // Each entry is where the next state's row starts: its number times the class count.
        let (rows, _) = self.transitions.as_chunks::<2>();
        let bytes = value.as_bytes();
        let mut row = START * self.class_count;
        let mut index = 0;
        while let Some(&byte) = bytes.get(index) {
            let class = if byte < 0x80 {
                index += 1;
                self.ascii_classes[usize::from(byte)]
            } else {
                let c = value[index..].chars().next().unwrap_or_default();
                index += c.len_utf8();
                self.class_of(c)
            };
            row = usize::from(u16::from_le_bytes(rows[row + usize::from(class)]));
        }
        self.accepts[row / self.class_count] != REJECTS
    }

    fn class_of(&self, c: char) -> u8 {
        let code = u32::from(c);
        if let Some(&class) = self.ascii_classes.get(code as usize) {
            return class;
        }
        // The last run that starts at or before `code`; the first run starts at U+0080.
        let run_start = |run: usize| u32::from_le_bytes([0, 1, 2, 3].map(|byte| self.run_starts[run * 4 + byte]));
        let (mut low, mut high) = (0, self.run_classes.len());
        while high - low > 1 {
            let middle = (low + high) / 2;
            if run_start(middle) <= code {
                low = middle;
            } else {
                high = middle;
            }
        }
        self.run_classes[low]
    }
}

/// A model `@pattern`: what a value must match and, for a pattern that starts
/// with negative look-aheads (`^(?!aws:).+$`), what it must not.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    required: &'static [Automaton],
    forbidden: &'static [Automaton],
}

impl Pattern {
    /// A pattern from its source text and the generator's automata.
    pub const fn new(source: &'static str, required: &'static [Automaton], forbidden: &'static [Automaton]) -> Self {
        Self {
            source,
            required,
            forbidden,
        }
    }

    /// The pattern as the model writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches the pattern.
    pub fn is_match(&self, value: &str) -> bool {
        self.required.iter().all(|automaton| automaton.is_match(value))
            && !self.forbidden.iter().any(|automaton| automaton.is_match(value))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The pattern `^ab`, for tests of code that reports pattern violations.
    pub(crate) fn starts_with_ab() -> &'static Pattern {
        static PATTERN: Pattern = Pattern::new("^ab", std::slice::from_ref(&STARTS_WITH_AB), &[]);
        &PATTERN
    }

    /// `^ab` by hand: classes 0 = other, 1 = `a`, 2 = `b`, plus a run class for
    /// everything from U+0080 (class 0) except `é` (class 1, to test the runs).
    static ASCII: [u8; 128] = {
        let mut classes = [0u8; 128];
        classes[b'a' as usize] = 1;
        classes[b'b' as usize] = 2;
        classes
    };
    static STARTS_WITH_AB: Automaton = Automaton::new(
        &ASCII,
        // Runs: U+0080 class 0, U+00E9 (é) class 1, U+00EA class 0.
        &[0x80, 0, 0, 0, 0xE9, 0, 0, 0, 0xEA, 0, 0, 0],
        &[0, 1, 0],
        3,
        // dead → dead; start: a → 2; 2: b → 3; 3 (matched) → 3 (rows start at 3 × state).
        &[0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 9, 0, 9, 0, 9, 0, 9, 0],
        &[0, 0, 0, 2],
    );

    #[test]
    fn walks_stop_at_the_dead_and_matched_states() {
        assert!(STARTS_WITH_AB.is_match("ab"));
        assert!(STARTS_WITH_AB.is_match("abzzz"));
        assert!(STARTS_WITH_AB.is_match("ébx"));
        assert!(!STARTS_WITH_AB.is_match("ba"));
        assert!(!STARTS_WITH_AB.is_match("a"));
        assert!(!STARTS_WITH_AB.is_match(""));
        assert!(!STARTS_WITH_AB.is_match("êb"));
        assert!(!STARTS_WITH_AB.is_match("😀b"));
    }

    #[test]
    fn forbidden_automata_veto_a_match() {
        static REQUIRED: [Automaton; 0] = [];
        static STARTS_WITH_AB_FORBIDDEN: Pattern = Pattern::new("^(?!ab)", &REQUIRED, std::slice::from_ref(&NOT_AB));
        static NOT_AB: Automaton = Automaton::new(
            &ASCII,
            &[0x80, 0, 0, 0],
            &[0],
            3,
            &[0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 9, 0, 9, 0, 9, 0, 9, 0],
            &[0, 0, 0, 2],
        );
        assert!(!STARTS_WITH_AB_FORBIDDEN.is_match("abc"));
        assert!(STARTS_WITH_AB_FORBIDDEN.is_match("ac"));
        assert_eq!(STARTS_WITH_AB_FORBIDDEN.source(), "^(?!ab)");
    }
}
