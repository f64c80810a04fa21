//! Duplicate keys in a JSON document.
//!
//! JSON allows an object to repeat a key and most readers keep the last
//! value silently: `"success_rate": 0.45, "success_rate": 0.99` would read as
//! 0.99. Every JSON input (scenarios, knowledge-base files, request bodies)
//! is checked here first, and each repeated key is a problem with its file
//! and JSON path. The check reads the text once, keeping one set of keys per
//! open object: linear in the input.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::Problem;

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

    #[test]
    fn distinct_keys_and_malformed_json_give_nothing() {
        assert!(duplicate_keys("f", r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#).is_empty());
        assert!(duplicate_keys("f", r#"{"a": "#).is_empty());
    }
}
