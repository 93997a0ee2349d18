//! Removing weights from an ONNX graph's input list. Older exporters (SFace among them) list every
//! initializer also as a graph input; ONNX Runtime then treats those weights as values a caller may
//! override, so it cannot fold them into constants (batch-norm into convolution and the like), and
//! the model runs slower. Dropping those entries from `GraphProto.input` makes them plain constants
//! without changing what the model computes for its real inputs.

use std::borrow::Cow;
use std::collections::HashSet;

use super::onnx_fields::{GRAPH_INITIALIZER, GRAPH_INPUT, TENSOR_NAME, VALUE_INFO_NAME};
use super::proto::{ProtoError, Rewrite, last_name, named_fields, rebuild, single_graph, splice};

/// `model` with every graph input that names an initializer removed; borrowed unchanged when
/// there is none to remove (or the graph is split over several `graph` fields, which protobuf
/// merges and this walker does not attempt).
pub fn strip_initializer_inputs(model: &[u8]) -> Result<Cow<'_, [u8]>, ProtoError> {
    let Some(graph) = single_graph(model)? else {
        return Ok(Cow::Borrowed(model));
    };
    let Some(new_graph) = strip_graph(graph.payload)? else {
        return Ok(Cow::Borrowed(model));
    };
    Ok(Cow::Owned(splice(model, &graph, &new_graph)?))
}

/// The graph without its overridable-initializer inputs, or `None` when it has none.
fn strip_graph(graph: &[u8]) -> Result<Option<Vec<u8>>, ProtoError> {
    let initializers: HashSet<&[u8]> = named_fields(graph, GRAPH_INITIALIZER, TENSOR_NAME)?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    if initializers.is_empty() {
        return Ok(None);
    }
    let mut removed = 0usize;
    let out = rebuild(graph, |field| {
        let overridable = field.number == GRAPH_INPUT
            && last_name(field.payload, VALUE_INFO_NAME)?.is_some_and(|n| initializers.contains(n));
        removed += usize::from(overridable);
        Ok(if overridable {
            Rewrite::Drop
        } else {
            Rewrite::Keep
        })
    })?;
    Ok((removed > 0).then_some(out))
}

/// How many inputs the model's graph lists (overridable initializers included).
#[cfg(test)]
pub(super) fn graph_inputs(model: &[u8]) -> Result<usize, ProtoError> {
    use super::proto::{Fields, WIRE_LEN};

    let mut count = 0;
    for field in Fields::new(model) {
        let field = field?;
        if field.number == super::proto::MODEL_GRAPH && field.wire == WIRE_LEN {
            for inner in Fields::new(field.payload) {
                count += usize::from(inner?.number == GRAPH_INPUT);
            }
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::super::proto::encode::{len_field, varint_field};
    use super::super::proto::{MODEL_GRAPH, WIRE_FIXED32, WIRE_FIXED64};
    use super::*;

    fn value_info(name: &str) -> Vec<u8> {
        // name, then a type (field 2) with some nested bytes the walker must copy untouched.
        [
            len_field(1, name.as_bytes()),
            len_field(2, &[0x0a, 0x02, 0x08, 0x01]),
        ]
        .concat()
    }

    fn tensor(name: &str) -> Vec<u8> {
        // dims (1), data_type (2), name (8), raw_data (9): a 4-byte float and a fixed32 field.
        [
            varint_field(1, 1),
            varint_field(2, 1),
            len_field(8, name.as_bytes()),
            len_field(9, &1.5f32.to_le_bytes()),
            vec![(15 << 3) | WIRE_FIXED32, 1, 2, 3, 4],
        ]
        .concat()
    }

    fn model(graph: &[u8]) -> Vec<u8> {
        [
            varint_field(1, 8),
            len_field(2, b"test"),
            len_field(MODEL_GRAPH, graph),
            len_field(8, &varint_field(2, 17)),
            vec![(9 << 3) | WIRE_FIXED64, 0, 0, 0, 0, 0, 0, 0, 0],
        ]
        .concat()
    }

    fn graph(inputs: &[&str], initializers: &[&str]) -> Vec<u8> {
        let mut g = len_field(1, b"node bytes");
        for name in initializers {
            g.extend(len_field(GRAPH_INITIALIZER, &tensor(name)));
        }
        g.extend(len_field(2, b"graph name"));
        for name in inputs {
            g.extend(len_field(GRAPH_INPUT, &value_info(name)));
        }
        g.extend(len_field(12, &value_info("out")));
        g
    }

    #[test]
    fn drops_exactly_the_inputs_that_are_initializers() {
        let before = model(&graph(&["data", "w", "b"], &["w", "b", "unused"]));
        let after = strip_initializer_inputs(&before).unwrap();
        assert!(matches!(after, Cow::Owned(_)));
        let want = model(&graph(&["data"], &["w", "b", "unused"]));
        assert_eq!(after.as_ref(), want.as_slice());
        assert_eq!(
            (graph_inputs(&before), graph_inputs(&after)),
            (Ok(3), Ok(1))
        );
    }

    #[test]
    fn leaves_clean_models_alone() {
        for bytes in [
            model(&graph(&["data"], &["w"])),
            model(&graph(&["data"], &[])),
            varint_field(1, 8),
            Vec::new(),
            // Two graph fields: protobuf would merge them; the walker does not rewrite.
            [
                len_field(MODEL_GRAPH, &graph(&["w"], &["w"])),
                len_field(MODEL_GRAPH, &graph(&[], &[])),
            ]
            .concat(),
        ] {
            let out = strip_initializer_inputs(&bytes).unwrap();
            assert!(matches!(out, Cow::Borrowed(_)));
            assert_eq!(out.as_ref(), bytes.as_slice());
        }
    }

    #[test]
    fn long_graphs_get_a_longer_length_prefix() {
        // A graph of more than 2^14 bytes needs a three-byte length; the walker re-encodes it.
        let names: Vec<String> = (0..2000).map(|i| format!("weight_{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut inputs = vec!["data"];
        inputs.extend(&refs);
        let before = model(&graph(&inputs, &refs));
        let after = strip_initializer_inputs(&before).unwrap();
        assert_eq!(after.as_ref(), model(&graph(&["data"], &refs)).as_slice());
    }

    #[test]
    fn malformed_bytes_are_typed_errors_at_every_cut() {
        let bytes = model(&graph(&["data", "w"], &["w"]));
        for cut in 1..bytes.len() {
            // A cut may land on a field boundary (still a valid, shorter message): no panic
            // either way, and an error whenever the cut splits a field.
            let _ = strip_initializer_inputs(&bytes[..cut]);
        }
        let cases: [(&[u8], &str); 5] = [
            (
                &[0x3a, 0x05, 0x00],
                "length runs past the end of the message",
            ),
            (&[0x3a], "varint runs past the end of the message"),
            (&[0x3b, 0x00], "unsupported wire type (group or invalid)"),
            (&[0x00, 0x00], "field number 0"),
            (
                &[
                    0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
                ],
                "varint overflows 64 bits",
            ),
        ];
        for (bytes, reason) in cases {
            assert_eq!(
                strip_initializer_inputs(bytes).unwrap_err().reason,
                reason,
                "{bytes:?}"
            );
        }
        // A graph whose inner initializer is cut short.
        let mut bad_graph = len_field(GRAPH_INITIALIZER, &tensor("w"));
        let n = bad_graph.len();
        bad_graph[1] = (n + 5) as u8;
        assert!(strip_initializer_inputs(&len_field(MODEL_GRAPH, &bad_graph)).is_err());
    }
}
