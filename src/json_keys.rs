//! Duplicate keys in a JSON document.
//!
//! JSON allows an object to repeat a key and most readers keep the last
//! value silently: `"success_rate": 0.45, "success_rate": 0.99` would read as
//! 0.99. Every JSON input (scenarios, knowledge-base files, request bodies)
//! is checked, and each repeated key is a problem with its file and JSON
//! path. The check ([`duplicate_keys`]) reads the text once, keeping one set
//! of keys per open object: linear in the input. A scenario read straight
//! from its text needs no check of its own: that reading fails at a repeated
//! key ([`map_without_repeats`]), and the text then goes the way that runs
//! the check and names the key.

use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::Problem;

/// Whether `text`, which must be valid JSON (one that serde_json has read
/// already), certainly repeats no key in any object: `true` only when every
/// key was compared with the others of its object. `false` means that a
/// key may be repeated, and [`duplicate_keys`] is the one to say which: a
/// key is repeated, or a key has an escape (`\u0061` is `a`), or an object
/// has more keys than are worth comparing one by one. One pass over the
/// bytes with no allocation per key, for the common case of a valid input
/// read in one pass (a knowledge-base file, [`duplicate_keys_of_valid`]),
/// where the walk of [`duplicate_keys`] through serde_json would cost as
/// much again as the reading itself. (A scenario needs neither: its
/// reading refuses a repeated key itself, [`map_without_repeats`].)
pub(crate) fn surely_no_repeated_keys(text: &str) -> bool {
    /// Keys compared with each other in one object; more go to the walk.
    const MOST_KEYS: usize = 32;
    let b = text.as_bytes();
    // The keys of every open object, and for each open container where its
    // keys start in `keys` (`None` for an array).
    let mut keys: Vec<&[u8]> = Vec::new();
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                open.push(Some(keys.len()));
                expect_key = true;
            }
            b'[' => {
                open.push(None);
                expect_key = false;
            }
            b'}' | b']' => {
                if let Some(Some(start)) = open.pop() {
                    keys.truncate(start);
                }
                expect_key = false;
            }
            b',' => expect_key = matches!(open.last(), Some(Some(_))),
            b'"' => {
                let start = i + 1;
                let mut end = start;
                // The string's end: the next quote no backslash escapes,
                // found by memchr (a knowledge-base file is mostly long
                // strings, which a byte at a time made slower than the walk).
                loop {
                    match b.get(end..).and_then(quote_or_backslash) {
                        None => {
                            end = b.len();
                            break;
                        }
                        Some(at) if b[end + at] == b'"' => {
                            end += at;
                            break;
                        }
                        Some(at) => {
                            if expect_key {
                                return false;
                            }
                            // The backslash and the byte it escapes (a `\"`
                            // does not end the string).
                            end += at + 2;
                        }
                    }
                }
                if expect_key {
                    let Some(Some(first)) = open.last().copied() else {
                        return false;
                    };
                    let key = &b[start..end.min(b.len())];
                    if keys.len() - first >= MOST_KEYS || keys[first..].contains(&key) {
                        return false;
                    }
                    keys.push(key);
                    expect_key = false;
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// [`duplicate_keys`] of a `text` that is valid JSON (one that serde_json
/// has read already): the same problems, found by the byte scan
/// [`surely_no_repeated_keys`] when it is sure there are none, else by the
/// walk. For a text read in one pass (a knowledge-base file), where the
/// walk would cost about as much again as the reading.
pub(crate) fn duplicate_keys_of_valid(file: &str, text: &str) -> Vec<Problem> {
    if surely_no_repeated_keys(text) {
        Vec::new()
    } else {
        duplicate_keys(file, text)
    }
}

/// Where the first `"` or `\` in `bytes` is. On x86-64 by memchr's SSE2
/// search, which every x86-64 processor has: `memchr::memchr2` would first
/// ask the processor for AVX2 (the `cpuid` instruction), and in a virtual
/// machine that question took ~0,08 ms, as long as the whole scan of the
/// knowledge base, for a search hardly faster on these short strings.
fn quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if let Some(search) = memchr::arch::x86_64::sse2::memchr::Two::new(b'"', b'\\') {
        return search.find(bytes);
    }
    memchr::memchr2(b'"', b'\\', bytes)
}

/// serde `deserialize_with` for a map of a scenario (`prices`,
/// `committees`, the custom evidence factors): a [`BTreeMap`] that refuses
/// a key it has read already, where serde's own keeps the last value.
///
/// With it, a scenario read straight from its text has no place left where
/// a repeated key would pass unnoticed, and needs no scan of the text for
/// them ([`crate::Scenario::from_json_named`]): every struct it reaches is
/// derived with `deny_unknown_fields` (serde refuses a field named twice,
/// and an unknown one, repeated or not), its maps are read here, its
/// discounting takes one key, an enum's object form one key, and a figure
/// that is an object is refused. A refusal here sends the text the way that
/// names each repeated key with its path ([`duplicate_keys`]). Read from a
/// tree of values, where a repeated key is gone already, the map is
/// serde's: the same `expecting` text, the same entries.
pub(crate) fn map_without_repeats<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    struct Entries<K, V>(PhantomData<(K, V)>);

    impl<'de, K, V> Visitor<'de> for Entries<K, V>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            // serde's words for a map, so that a wrong kind reads the same.
            f.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = BTreeMap::new();
            while let Some(key) = map.next_key::<K>()? {
                let value = map.next_value::<V>()?;
                if let Entry::Vacant(slot) = entries.entry(key) {
                    slot.insert(value);
                } else {
                    return Err(de::Error::custom(
                        "a key a second time in the same object \
                         (each key at most once: JSON readers would keep only the last value)",
                    ));
                }
            }
            Ok(entries)
        }
    }

    d.deserialize_map(Entries(PhantomData))
}

/// Reads JSON `text` into `T`: a repeated key is refused first (each one a
/// problem), then every problem of the structure is listed at once
/// ([`crate::problem::parse_all`]).
pub(crate) fn parse_all_once<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
) -> Result<T, Vec<Problem>> {
    let repeated = duplicate_keys(file, text);
    if !repeated.is_empty() {
        return Err(repeated);
    }
    crate::problem::parse_all(text, file)
}

/// Every repeated key in `text`, as problems naming `file` and the key's
/// JSON path. Malformed JSON gives no problems here: the reader that parses
/// the document reports it.
pub(crate) fn duplicate_keys(file: &str, text: &str) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let _ = Walk {
        path: &mut path,
        found: &mut found,
    }
    .deserialize(&mut de);
    found
        .into_iter()
        .map(|(path, key)| {
            Problem::new(
                file,
                path,
                format!("the key `{key}` a second time in the same object"),
                "each key at most once (JSON readers would keep only the last value)",
            )
        })
        .collect()
}

enum Segment<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

fn render(path: &[Segment<'_>], key: &str) -> String {
    let mut out = String::from("$");
    for segment in path {
        match segment {
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out.push('.');
    out.push_str(key);
    out
}

struct Walk<'a, 'de> {
    path: &'a mut Vec<Segment<'de>>,
    found: &'a mut Vec<(String, String)>,
}

/// A key as the text holds it: borrowed unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}

/// Objects of up to this many keys are checked by comparing each key with
/// the earlier ones; larger ones by a hash set, so the check stays linear.
const FEW_KEYS: usize = 16;

impl<'de> DeserializeSeed<'de> for Walk<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.path.push(Segment::Index(i));
            let more = seq.next_element_seed(Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // The keys seen so far in this object: `seen` holds every one (in
        // the order read) while there are few, `many` once there are more.
        let mut seen: Vec<Cow<'de, str>> = Vec::new();
        let mut many: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(key) = map.next_key_seed(Key)? {
            // serde_json's exact-number form is a one-key map; no key repeats there.
            if key == "$serde_json::private::Number" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let repeated = if many.is_empty() {
                seen.contains(&key)
            } else {
                many.contains(&key)
            };
            if repeated {
                self.found.push((render(self.path, &key), key.to_string()));
            }
            self.path.push(Segment::Key(key.clone()));
            map.next_value_seed(Walk {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
            if many.is_empty() && seen.len() < FEW_KEYS {
                seen.push(key);
            } else {
                many.extend(seen.drain(..));
                many.insert(key);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::Strategy;
    use proptest::prop_oneof;
    use proptest::strategy::Just;

    #[test]
    fn every_repeated_key_is_found_with_its_path() {
        let text = r#"{"a": 1, "b": {"c": [1, {"d": 1, "d": 2}], "c": 3}, "a": 0.1e999}"#;
        let paths: Vec<String> = duplicate_keys("f.json", text)
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(paths, ["$.b.c[1].d", "$.b.c", "$.a"]);
    }

    #[test]
    fn repeated_keys_are_found_in_large_objects_and_through_escapes() {
        // Twenty distinct keys (more than FEW_KEYS), then k0 and k19 again;
        // `\u0061` is the key `a` written with an escape, repeated plainly.
        let keys: Vec<String> = (0..20).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!(
            "{{{}, \"k0\": 0, \"k19\": 1, \"\\u0061\": 1, \"a\": 2}}",
            keys.join(", ")
        );
        let paths: Vec<String> = duplicate_keys("f.json", &text)
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(paths, ["$.k0", "$.k19", "$.a"]);
    }

    /// JSON texts with keys drawn from a few letters (so that objects often
    /// repeat one), written plainly or with an escape, values of every
    /// kind, strings holding quotes, brackets and commas.
    fn json_text() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            4 => "[abc]".prop_map(|k| format!("\"{k}\"")),
            1 => Just("\"\\u0061\"".to_owned()),
            1 => Just("\"a\\\"\"".to_owned()),
        ];
        let leaf = prop_oneof![
            Just("1".to_owned()),
            Just("-2.5e3".to_owned()),
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("\"x\"".to_owned()),
            Just("\"{\\\"a\\\": [1, \\\"b\\\"], }\"".to_owned()),
            Just("\"\\\\\"".to_owned()),
        ];
        leaf.prop_recursive(4, 40, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5)
                    .prop_map(|items| format!("[{}]", items.join(", "))),
                proptest::collection::vec((key.clone(), inner), 0..5).prop_map(|entries| {
                    let entries: Vec<String> =
                        entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{{{}}}", entries.join(","))
                }),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]

        /// Never `true` where the walk finds a repeated key, and `true`
        /// wherever the walk finds none and no key has an escape.
        #[test]
        fn the_quick_check_never_misses_a_repeated_key(text in json_text()) {
            let value: Result<serde_json::Value, _> = serde_json::from_str(&text);
            proptest::prop_assert!(value.is_ok(), "{}", text);
            let repeated = !duplicate_keys("f", &text).is_empty();
            let surely_none = surely_no_repeated_keys(&text);
            proptest::prop_assert!(!(repeated && surely_none), "{}", text);
            let escaped_key = text.contains("\"\\u0061\"") || text.contains("\"a\\\"\":");
            if !repeated && !escaped_key {
                proptest::prop_assert!(surely_none, "{}", text);
            }
            proptest::prop_assert_eq!(
                duplicate_keys_of_valid("f", &text),
                duplicate_keys("f", &text),
                "{}",
                text
            );
        }
    }

    #[test]
    fn the_quick_check_on_the_cases_the_walk_reports() {
        assert!(!surely_no_repeated_keys(
            r#"{"a": 1, "b": {"c": [1, {"d": 1, "d": 2}], "c": 3}, "a": 0.1e999}"#
        ));
        assert!(!surely_no_repeated_keys(r#"{"x": {"d": 1, "d": 2}}"#));
        assert!(!surely_no_repeated_keys(r#"{"\u0061": 1, "b": 2}"#));
        assert!(surely_no_repeated_keys(
            r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}], "c": "\"a\": 1, \"a\""}"#
        ));
        // More keys than are compared one by one: left to the walk.
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        assert!(!surely_no_repeated_keys(&format!(
            "{{{}}}",
            keys.join(", ")
        )));
        for file in ["examples/housing-first.json", "benches/ten-lines.json"] {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(surely_no_repeated_keys(&text), "{file}");
        }
    }

    /// The scan is for texts serde_json has read, but a text cut short
    /// (inside a string, after a backslash) must not make it read past
    /// the end.
    #[test]
    fn the_quick_check_stops_at_the_end_of_a_text_cut_short() {
        // Each returns (none panics); a key with a backslash is left to the walk.
        for text in [r#"{"a"#, r#"{"a": "b\"#, r#"{"a": "b\\"#, "\"", "[\"\\"] {
            let _ = surely_no_repeated_keys(text);
        }
        assert!(!surely_no_repeated_keys(r#"{"a\"#));
    }

    #[test]
    fn distinct_keys_and_malformed_json_give_nothing() {
        assert!(duplicate_keys("f", r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#).is_empty());
        assert!(duplicate_keys("f", r#"{"a": "#).is_empty());
    }
}
