//! A small protobuf walker for ONNX model files, for the few load-time edits kyc makes
//! (`initializer_inputs`, `graph_edit`). Only the fields those edits touch are named; everything
//! else is copied through byte for byte. Every length is checked against what remains, so malformed
//! bytes give a [`ProtoError`], never a panic or an outsized allocation.

/// `ModelProto.graph`.
pub(super) const MODEL_GRAPH: u64 = 7;

pub(super) const WIRE_VARINT: u8 = 0;
pub(super) const WIRE_FIXED64: u8 = 1;
pub(super) const WIRE_LEN: u8 = 2;
pub(super) const WIRE_FIXED32: u8 = 5;

/// Bytes that are not a protobuf message this walker can read, or lack what an edit needs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed ONNX model at byte {offset}: {reason}")]
pub struct ProtoError {
    /// Offset in the message being read (the model, or the graph inside it).
    pub offset: usize,
    /// What was wrong.
    pub reason: &'static str,
}

/// The model's one `graph` field, or `None` when there is none or several (protobuf merges
/// repeated message fields; the edits do not attempt that).
pub(super) fn single_graph(model: &[u8]) -> Result<Option<Field<'_>>, ProtoError> {
    let mut graph = None;
    let mut graphs = 0usize;
    for field in Fields::new(model) {
        let field = field?;
        if field.number == MODEL_GRAPH && field.wire == WIRE_LEN {
            graph = Some(field);
            graphs += 1;
        }
    }
    Ok(graph.filter(|_| graphs == 1))
}

/// `message` with field `field` (one of its own) replaced by `payload` under the same number.
pub(super) fn splice(
    message: &[u8],
    field: &Field<'_>,
    payload: &[u8],
) -> Result<Vec<u8>, ProtoError> {
    let (Some(head), Some(tail)) = (message.get(..field.start), message.get(field.end..)) else {
        return Err(ProtoError {
            offset: field.start,
            reason: "field outside its message",
        });
    };
    let mut out = Vec::with_capacity(message.len() + payload.len());
    out.extend_from_slice(head);
    put_len_field(&mut out, field.number, payload);
    out.extend_from_slice(tail);
    Ok(out)
}

/// What [`rebuild`] does with one length-delimited field.
pub(super) enum Rewrite {
    /// Copies it byte for byte.
    Keep,
    /// Leaves it out.
    Drop,
    /// Writes this payload under the same field number instead.
    Replace(Vec<u8>),
    /// Writes these payloads, in order, each under the same field number (one node becoming
    /// several).
    Many(Vec<Vec<u8>>),
}

/// `message` rebuilt field by field: each length-delimited field goes through `f`; the fields it
/// keeps, and every other field, are copied byte for byte.
pub(super) fn rebuild(
    message: &[u8],
    mut f: impl FnMut(&Field<'_>) -> Result<Rewrite, ProtoError>,
) -> Result<Vec<u8>, ProtoError> {
    let mut out = Vec::with_capacity(message.len());
    for field in Fields::new(message) {
        let field = field?;
        let rewrite = if field.wire == WIRE_LEN {
            f(&field)?
        } else {
            Rewrite::Keep
        };
        match rewrite {
            Rewrite::Keep => out.extend_from_slice(raw(message, &field)?),
            Rewrite::Drop => {}
            Rewrite::Replace(payload) => put_len_field(&mut out, field.number, &payload),
            Rewrite::Many(payloads) => {
                for payload in payloads {
                    put_len_field(&mut out, field.number, &payload);
                }
            }
        }
    }
    Ok(out)
}

/// Appends a length-delimited field.
pub(super) fn put_len_field(out: &mut Vec<u8>, number: u64, payload: &[u8]) {
    put_varint(out, (number << 3) | u64::from(WIRE_LEN));
    put_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// The bytes of `field` as they stand in `message`.
pub(super) fn raw<'a>(message: &'a [u8], field: &Field<'_>) -> Result<&'a [u8], ProtoError> {
    message.get(field.start..field.end).ok_or(ProtoError {
        offset: field.start,
        reason: "field outside its message",
    })
}

/// The value of string field `number` in `message` (the last one wins, as in protobuf).
pub(super) fn last_name(message: &[u8], number: u64) -> Result<Option<&[u8]>, ProtoError> {
    let mut name = None;
    for field in Fields::new(message) {
        let field = field?;
        if field.number == number && field.wire == WIRE_LEN {
            name = Some(field.payload);
        }
    }
    Ok(name)
}

/// The value of varint field `field` of `message`.
pub(super) fn varint_value(message: &[u8], field: &Field<'_>) -> Result<u64, ProtoError> {
    let mut fields = Fields::new(raw(message, field)?);
    fields.varint()?;
    fields.varint()
}

/// The values of a packed repeated varint field.
pub(super) fn packed_varints(payload: &[u8]) -> Result<Vec<u64>, ProtoError> {
    let mut fields = Fields::new(payload);
    let mut out = Vec::new();
    while !fields.at_end() {
        out.push(fields.varint()?);
    }
    Ok(out)
}

/// The length-delimited fields `number` of `message` that carry a name (string field
/// `name_field`, the last one winning), with that name, in order.
pub(super) fn named_fields(
    message: &[u8],
    number: u64,
    name_field: u64,
) -> Result<Vec<(&[u8], Field<'_>)>, ProtoError> {
    let mut named = Vec::new();
    for field in Fields::new(message) {
        let field = field?;
        if field.number == number
            && field.wire == WIRE_LEN
            && let Some(name) = last_name(field.payload, name_field)?
        {
            named.push((name, field));
        }
    }
    Ok(named)
}

/// One field of a message: its number, wire type, whole extent and (for length-delimited fields)
/// its payload.
#[derive(Clone, Copy, Debug)]
pub(super) struct Field<'a> {
    pub number: u64,
    pub wire: u8,
    pub start: usize,
    pub end: usize,
    pub payload: &'a [u8],
}

/// The fields of one message in order; stops after the first error.
pub(super) struct Fields<'a> {
    bytes: &'a [u8],
    at: usize,
    failed: bool,
}

impl<'a> Fields<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            failed: false,
        }
    }

    /// Whether every byte has been read.
    pub(super) fn at_end(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn fail(&mut self, offset: usize, reason: &'static str) -> ProtoError {
        self.failed = true;
        ProtoError { offset, reason }
    }

    fn next_field(&mut self) -> Result<Field<'a>, ProtoError> {
        let start = self.at;
        let key = self.varint()?;
        let number = key >> 3;
        let wire = (key & 7) as u8;
        if number == 0 {
            return Err(self.fail(start, "field number 0"));
        }
        let mut payload: &'a [u8] = &[];
        match wire {
            WIRE_VARINT => {
                self.varint()?;
            }
            WIRE_FIXED64 => self.skip(8)?,
            WIRE_FIXED32 => self.skip(4)?,
            WIRE_LEN => {
                let at = self.at;
                let len = usize::try_from(self.varint()?)
                    .map_err(|_| self.fail(at, "length does not fit memory"))?;
                let body = self.at;
                self.skip(len)?;
                payload = self.bytes.get(body..self.at).unwrap_or_default();
            }
            _ => return Err(self.fail(start, "unsupported wire type (group or invalid)")),
        }
        Ok(Field {
            number,
            wire,
            start,
            end: self.at,
            payload,
        })
    }

    /// Advances over `n` bytes, which must all be there.
    fn skip(&mut self, n: usize) -> Result<(), ProtoError> {
        let remaining = self.bytes.len().saturating_sub(self.at);
        if n > remaining {
            return Err(self.fail(self.at, "length runs past the end of the message"));
        }
        self.at += n;
        Ok(())
    }

    pub(super) fn varint(&mut self) -> Result<u64, ProtoError> {
        let start = self.at;
        let mut value = 0u64;
        // A u64 takes at most ten 7-bit groups; the tenth may only carry the top bit.
        for shift in (0..70).step_by(7) {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err(self.fail(start, "varint runs past the end of the message"));
            };
            self.at += 1;
            if shift == 63 && byte > 1 {
                return Err(self.fail(start, "varint overflows 64 bits"));
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.fail(start, "varint longer than ten bytes"))
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<Field<'a>, ProtoError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.at >= self.bytes.len() {
            return None;
        }
        Some(self.next_field())
    }
}

pub(super) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Field encoders for the edits' tests.
#[cfg(test)]
pub(super) mod encode {
    use super::{put_len_field, put_varint};

    /// A length-delimited field.
    pub fn len_field(number: u64, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        put_len_field(&mut out, number, payload);
        out
    }

    /// A varint field.
    pub fn varint_field(number: u64, value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, number << 3);
        put_varint(&mut out, value);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut bytes = Vec::new();
            put_varint(&mut bytes, value);
            assert_eq!(Fields::new(&bytes).varint().unwrap(), value);
        }
    }
}
