//! Pretty-printed JSON text, byte for byte what `serde_json::to_writer_pretty`
//! writes (two-space indentation, `[]` and `{}` when empty, serde_json's
//! escapes), for the large documents of [`super::json`].
//!
//! serde_json's writer goes through `io::Write` for every brace, comma and
//! two spaces of indentation, and scans every byte of every string for
//! characters to escape, one table lookup at a time; most of a business
//! case's strings are its some 1500 exact decimals and fixed keys, which
//! never need escaping. This serializer follows serde_json's `Serializer`
//! with its `PrettyFormatter` step by step (the same state: the indentation
//! level, whether the current container has a value, and each compound's
//! empty/first/rest), but writes straight into a `Vec<u8>`: the indentation
//! in one copy, and a string that needs no escape in one copy after a
//! tight check. A string that does need escaping, a float and a non-string
//! map key are handed to serde_json itself, so their bytes are its bytes.
//! The tests compare it with serde_json on arbitrary JSON trees, on types
//! using every kind of serde value, and on every example's business case.

use serde::ser::{self, Impossible, Serialize};
use serde_json::Error;

/// Appends `value` as `serde_json::to_writer_pretty(out, value)` would.
/// Errors as serde_json does (a map key that is not a string or a number,
/// a non-finite float key); `out` then holds a partial document.
pub(crate) fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    write_at(out, 0, value)
}

/// Appends `value` as serde_json's pretty writer writes it as a member of
/// an object whose keys are `indent` levels deep (two spaces each): its
/// inner lines indented one level more, its closing bracket at `indent`.
/// [`super::json`]'s own writer hands its rarely large members here.
pub(crate) fn write_at<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    indent: usize,
    value: &T,
) -> Result<(), Error> {
    value.serialize(&mut Pretty {
        out,
        indent,
        has_value: false,
    })
}

/// The newtype name under which a value offers this writer a decimal to
/// write as its exact text in quotes ([`super::json`]'s amounts, some 1500
/// in a business case): asked with `is_human_readable()` false, it calls
/// `serialize_bytes` with the decimal's 16 bytes (`Decimal::serialize`),
/// and the text goes straight into the output
/// ([`super::numbers::write_exact_quoted`]), with no string to check for
/// escapes. Every other serializer (serde_json's writer and its `Value`)
/// sees an ordinary newtype, and the value then writes its text as a
/// string.
pub(crate) const EXACT_DECIMAL: &str = "$som::report::pretty_json::ExactDecimal";

/// serde_json's name for the struct that carries an arbitrary-precision
/// number's text (its `arbitrary_precision` feature, which this crate
/// enables): the text is written as it is.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

const SPACES: &[u8; 64] = b"                                                                ";

/// Whether `bytes` holds a byte serde_json escapes: a control character
/// (below U+0020), `"` or `\`. Eight bytes at a time: a byte `b` of a word
/// `x` is flagged when `b - k` borrows and `b` is below 0x80, which for `k`
/// = 0x20 means `b` < 0x20, and for `k` = 1 on `x ^ c` means `b` = `c`. A
/// borrow into the next byte only follows a flagged byte, so the word has a
/// flagged byte exactly when one of its bytes is one of these.
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    fn flagged(x: u64) -> bool {
        let below_space = x.wrapping_sub(ONES * 0x20) & !x;
        let quote = x ^ (ONES * u64::from(b'"'));
        let quote = quote.wrapping_sub(ONES) & !quote;
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let backslash = backslash.wrapping_sub(ONES) & !backslash;
        (below_space | quote | backslash) & HIGH != 0
    }
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0; 8];
        w.copy_from_slice(word);
        if flagged(u64::from_le_bytes(w)) {
            return true;
        }
    }
    let rest = words.remainder();
    // The last few bytes, padded with spaces (which need no escape).
    let mut w = [b' '; 8];
    w[..rest.len()].copy_from_slice(rest);
    flagged(u64::from_le_bytes(w))
}

/// The writer and `PrettyFormatter`'s state.
struct Pretty<'a> {
    out: &'a mut Vec<u8>,
    /// Levels of indentation (two spaces each).
    indent: usize,
    /// Whether the innermost container written so far has a value: decides
    /// whether its closing bracket goes on a line of its own.
    has_value: bool,
}

fn error(message: &str) -> Error {
    ser::Error::custom(message)
}

impl Pretty<'_> {
    fn write_indent(&mut self) {
        let mut n = 2 * self.indent;
        while n > SPACES.len() {
            self.out.extend_from_slice(SPACES);
            n -= SPACES.len();
        }
        self.out.extend_from_slice(&SPACES[..n]);
    }

    fn begin(&mut self, open: u8) {
        self.indent += 1;
        self.has_value = false;
        self.out.push(open);
    }

    fn end(&mut self, close: u8) {
        self.indent = self.indent.saturating_sub(1);
        if self.has_value {
            self.out.push(b'\n');
            self.write_indent();
        }
        self.out.push(close);
    }

    /// Before an array element or an object key.
    fn begin_item(&mut self, first: bool) {
        if first {
            self.out.push(b'\n');
        } else {
            self.out.extend_from_slice(b",\n");
        }
        self.write_indent();
    }

    fn string(&mut self, s: &str) {
        if needs_escape(s.as_bytes()) {
            // A control character, quote or backslash: serde_json's escapes.
            // Writing to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *self.out, s);
        } else {
            self.quoted(s.as_bytes());
        }
    }

    /// `bytes` in quotes, as they are.
    fn quoted(&mut self, bytes: &[u8]) {
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        self.out.extend_from_slice(bytes);
        self.out.push(b'"');
    }

    fn integer(&mut self, n: impl itoa::Integer) {
        let mut buffer = itoa::Buffer::new();
        self.out.extend_from_slice(buffer.format(n).as_bytes());
    }

    /// `"variant": ` opening an enum variant's one-key object.
    fn begin_variant(&mut self, variant: &str) {
        self.begin(b'{');
        self.begin_item(true);
        self.string(variant);
        self.out.extend_from_slice(b": ");
    }

    /// Closes what [`Pretty::begin_variant`] opened.
    fn end_variant(&mut self) {
        self.has_value = true;
        self.end(b'}');
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Opened and closed at once (a length of zero was announced).
    Empty,
    First,
    Rest,
}

enum Compound<'b, 'a> {
    Container {
        ser: &'b mut Pretty<'a>,
        state: State,
    },
    Number {
        ser: &'b mut Pretty<'a>,
    },
}

impl<'b, 'a> Compound<'b, 'a> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match self {
            Compound::Container { ser, state } => {
                ser.begin_item(*state == State::First);
                *state = State::Rest;
                value.serialize(&mut **ser)?;
                ser.has_value = true;
                Ok(())
            }
            Compound::Number { .. } => Err(error("invalid number")),
        }
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match self {
            Compound::Container { ser, state } => {
                ser.begin_item(*state == State::First);
                *state = State::Rest;
                key.serialize(Key { ser })
            }
            Compound::Number { .. } => Err(error("invalid number")),
        }
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match self {
            Compound::Container { ser, .. } => {
                ser.out.extend_from_slice(b": ");
                value.serialize(&mut **ser)?;
                ser.has_value = true;
                Ok(())
            }
            Compound::Number { .. } => Err(error("invalid number")),
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        match self {
            Compound::Container { .. } => {
                self.key(key)?;
                self.value(value)
            }
            Compound::Number { ser } if key == NUMBER_TOKEN => {
                // The number's digits, written as they are.
                match serde_json::to_value(value)? {
                    serde_json::Value::String(digits) => {
                        ser.out.extend_from_slice(digits.as_bytes());
                        Ok(())
                    }
                    _ => Err(error("invalid number")),
                }
            }
            Compound::Number { .. } => Err(error("invalid number")),
        }
    }

    /// Closes the array or object.
    fn close(self, bracket: u8) -> Result<(), Error> {
        if let Compound::Container { ser, state } = self {
            if state != State::Empty {
                ser.end(bracket);
            }
        }
        Ok(())
    }

    /// Closes the array or object, then the variant's object around it.
    fn close_variant(self, bracket: u8) -> Result<(), Error> {
        if let Compound::Container { ser, state } = self {
            if state != State::Empty {
                ser.end(bracket);
            }
            ser.end_variant();
        }
        Ok(())
    }
}

impl<'b, 'a> ser::Serializer for &'b mut Pretty<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'b, 'a>;
    type SerializeTuple = Compound<'b, 'a>;
    type SerializeTupleStruct = Compound<'b, 'a>;
    type SerializeTupleVariant = Compound<'b, 'a>;
    type SerializeMap = Compound<'b, 'a>;
    type SerializeStruct = Compound<'b, 'a>;
    type SerializeStructVariant = Compound<'b, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.integer(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // serde_json's float formatting, and `null` for NaN and infinities.
        serde_json::to_writer(&mut *self.out, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        // serde_json writes bytes as an array of numbers.
        self.begin(b'[');
        for (i, byte) in v.iter().enumerate() {
            self.begin_item(i == 0);
            self.integer(*byte);
            self.has_value = true;
        }
        self.end(b']');
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if name == EXACT_DECIMAL {
            return value.serialize(ExactSink { ser: self });
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.begin_variant(variant);
        value.serialize(&mut *self)?;
        self.end_variant();
        Ok(())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'b, 'a>, Error> {
        self.begin(b'[');
        let state = if len == Some(0) {
            self.end(b']');
            State::Empty
        } else {
            State::First
        };
        Ok(Compound::Container { ser: self, state })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'b, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'b, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'b, 'a>, Error> {
        self.begin_variant(variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'b, 'a>, Error> {
        self.begin(b'{');
        let state = if len == Some(0) {
            self.end(b'}');
            State::Empty
        } else {
            State::First
        };
        Ok(Compound::Container { ser: self, state })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'b, 'a>, Error> {
        if name == NUMBER_TOKEN {
            return Ok(Compound::Number { ser: self });
        }
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'b, 'a>, Error> {
        self.begin_variant(variant);
        self.serialize_map(Some(len))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b']')
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b']')
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b']')
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close_variant(b']')
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b'}')
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b'}')
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close_variant(b'}')
    }
}

/// Takes the decimal an [`EXACT_DECIMAL`] value offers.
struct ExactSink<'b, 'a> {
    ser: &'b mut Pretty<'a>,
}

fn not_plain<T>() -> Result<T, Error> {
    Err(error("a decimal's 16 bytes expected"))
}

impl ser::Serializer for ExactSink<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn is_human_readable(&self) -> bool {
        false
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let Ok(bytes) = <[u8; 16]>::try_from(v) else {
            return not_plain();
        };
        let out = &mut *self.ser.out;
        super::numbers::write_exact_quoted(out, rust_decimal::Decimal::deserialize(bytes));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.ser.string(v);
        Ok(())
    }
    fn serialize_bool(self, _v: bool) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_i8(self, _v: i8) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_i16(self, _v: i16) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_i32(self, _v: i32) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_i64(self, _v: i64) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_u8(self, _v: u8) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_u16(self, _v: u16) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_u32(self, _v: u32) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_u64(self, _v: u64) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_char(self, _v: char) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_none(self) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_unit(self) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        not_plain()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_plain()
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        not_plain()
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_plain()
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_plain()
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        not_plain()
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        not_plain()
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_plain()
    }
}

/// A map key: a string as it is, numbers and `true`/`false` in quotes, as
/// serde_json writes keys; anything else is refused as serde_json refuses it.
struct Key<'b, 'a> {
    ser: &'b mut Pretty<'a>,
}

impl Key<'_, '_> {
    fn quoted(self, n: impl itoa::Integer) -> Result<(), Error> {
        self.ser.out.push(b'"');
        self.ser.integer(n);
        self.ser.out.push(b'"');
        Ok(())
    }

    /// A float key: serde_json's own text for it (`{"key":null}` without
    /// the braces and the value), or its refusal of a non-finite one.
    fn through_serde_json<T: Serialize>(self, key: T) -> Result<(), Error> {
        struct One<T>(T);
        impl<T: Serialize> Serialize for One<T> {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(&self.0, &())?;
                m.end()
            }
        }
        let text = serde_json::to_vec(&One(key))?;
        let key = text
            .get(1..text.len().saturating_sub(b":null}".len()))
            .ok_or_else(|| error("key must be a string"))?;
        self.ser.out.extend_from_slice(key);
        Ok(())
    }
}

fn not_a_string<T>() -> Result<T, Error> {
    Err(error("key must be a string"))
}

impl ser::Serializer for Key<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.ser.string(v);
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.ser
            .out
            .extend_from_slice(if v { b"\"true\"" } else { b"\"false\"" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.through_serde_json(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.through_serde_json(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.ser.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.ser.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        not_a_string()
    }
    fn serialize_none(self) -> Result<(), Error> {
        not_a_string()
    }
    fn serialize_unit(self) -> Result<(), Error> {
        not_a_string()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        not_a_string()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        not_a_string()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_a_string()
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        not_a_string()
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_a_string()
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_a_string()
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        not_a_string()
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        not_a_string()
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_a_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;
    use std::collections::BTreeMap;

    /// This writer's text, or `None` where it refuses the value.
    fn ours<T: Serialize + ?Sized>(value: &T) -> Option<String> {
        let mut out = Vec::new();
        write(&mut out, value).ok()?;
        Some(String::from_utf8(out).expect("UTF-8"))
    }

    /// serde_json's own pretty text: the reference.
    fn theirs<T: Serialize + ?Sized>(value: &T) -> Option<String> {
        serde_json::to_string_pretty(value).ok()
    }

    fn json_tree() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            // Arbitrary-precision numbers keep their text.
            "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?"
                .prop_map(|t| serde_json::from_str::<Value>(&t).expect("a JSON number")),
            // Any text: control characters, quotes, backslashes, non-ASCII.
            any::<String>().prop_map(Value::String),
            "[0-9.\\-]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 96, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// The byte-by-byte definition is the reference; bytes near the
        /// flagged ones and non-ASCII bytes are drawn often.
        #[test]
        fn needs_escape_finds_exactly_the_bytes_serde_json_escapes(
            bytes in prop::collection::vec(
                prop_oneof![any::<u8>(), 0x1eu8..0x24, 0x5bu8..0x5e, 0x7fu8..0x82],
                0..40,
            ),
        ) {
            let naive = bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            prop_assert_eq!(needs_escape(&bytes), naive);
        }

        #[test]
        fn any_json_tree_is_written_as_serde_json_writes_it(tree in json_tree()) {
            prop_assert_eq!(ours(&tree), theirs(&tree));
        }
    }

    #[derive(serde::Serialize)]
    struct Unit;

    #[derive(serde::Serialize)]
    struct Newtype(u8);

    #[derive(serde::Serialize)]
    struct Pair(i32, &'static str);

    #[derive(serde::Serialize)]
    enum Shape {
        Plain,
        Wrapped(Vec<u8>),
        Tuple(i8, i8),
        EmptyTuple(),
        Named { a: Option<u16>, b: char },
        EmptyNamed {},
    }

    #[derive(serde::Serialize)]
    struct Everything {
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        pair: Pair,
        tuple: (u128, i128, f32),
        floats: Vec<f64>,
        shapes: Vec<Shape>,
        #[serde(with = "bytes")]
        bytes: Vec<u8>,
        #[serde(with = "bytes")]
        no_bytes: Vec<u8>,
        int_keys: BTreeMap<i64, bool>,
        bool_keys: BTreeMap<bool, ()>,
        char_keys: BTreeMap<char, Vec<()>>,
        float_keys: Vec<(f64, &'static str)>,
        empty_map: BTreeMap<String, u8>,
        text: &'static str,
    }

    /// `serialize_bytes`, which no standard type calls.
    mod bytes {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    /// A map from float keys, written in the given order.
    struct FloatKeys<'a>(&'a [(f64, &'static str)]);

    impl Serialize for FloatKeys<'_> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    #[test]
    fn every_kind_of_serde_value_is_written_as_serde_json_writes_it() {
        let everything = Everything {
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(7),
            pair: Pair(-3, "tab\there"),
            tuple: (u128::MAX, i128::MIN, 1.5),
            floats: vec![0.1, -0.0, 1e300, f64::NAN, f64::INFINITY],
            shapes: vec![
                Shape::Plain,
                Shape::Wrapped(vec![]),
                Shape::Wrapped(vec![1, 2]),
                Shape::Tuple(-1, 1),
                Shape::EmptyTuple(),
                Shape::Named { a: None, b: '"' },
                Shape::Named {
                    a: Some(9), b: 'ø'
                },
                Shape::EmptyNamed {},
            ],
            bytes: vec![0, 255],
            no_bytes: vec![],
            int_keys: [(-5, true), (12, false)].into(),
            bool_keys: [(false, ()), (true, ())].into(),
            char_keys: [('\n', vec![()]), ('x', vec![])].into(),
            float_keys: vec![(2.5, "a")],
            empty_map: BTreeMap::new(),
            text: "quote \" backslash \\ nul \u{0} del \u{7f} ø",
        };
        let written = ours(&everything);
        assert!(written.is_some());
        assert_eq!(written, theirs(&everything));
        assert_eq!(
            ours(&FloatKeys(&[(2.5, "a"), (-1e-7, "b")])),
            theirs(&FloatKeys(&[(2.5, "a"), (-1e-7, "b")]))
        );
    }

    /// A decimal offered as `report::json`'s amounts offer it.
    struct Offered(rust_decimal::Decimal);

    impl Serialize for Offered {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            struct Text(rust_decimal::Decimal);
            impl Serialize for Text {
                fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    if s.is_human_readable() {
                        s.serialize_str(&self.0.normalize().to_string())
                    } else {
                        s.serialize_bytes(&self.0.serialize())
                    }
                }
            }
            s.serialize_newtype_struct(EXACT_DECIMAL, &Text(self.0))
        }
    }

    proptest! {
        /// rust_decimal's own text is the reference, over every mantissa,
        /// scale and sign.
        #[test]
        fn an_offered_decimal_is_written_as_its_exact_text(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28,
        ) {
            let d = rust_decimal::Decimal::from_parts(lo, mid, hi, negative, scale);
            let list = [Offered(d), Offered(-d), Offered(d.trunc())];
            let written = ours(&list);
            prop_assert!(written.is_some());
            prop_assert_eq!(written, theirs(&list));
        }
    }

    #[test]
    fn keys_serde_json_refuses_are_refused() {
        let vec_keys: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        assert!(theirs(&vec_keys).is_none());
        assert!(ours(&vec_keys).is_none());
        let nan_key = FloatKeys(&[(f64::NAN, "x")]);
        assert!(theirs(&nan_key).is_none());
        assert!(ours(&nan_key).is_none());
        let unit_keys: BTreeMap<(), u8> = [((), 1)].into();
        assert!(theirs(&unit_keys).is_none());
        assert!(ours(&unit_keys).is_none());
    }

    #[test]
    fn deep_nesting_indents_past_the_spaces_kept_at_hand() {
        let mut tree = Value::from("deep");
        for i in 0..40 {
            tree = if i % 2 == 0 {
                Value::Array(vec![tree])
            } else {
                Value::Object([("k".to_owned(), tree)].into_iter().collect())
            };
        }
        assert_eq!(ours(&tree), theirs(&tree));
    }
}
