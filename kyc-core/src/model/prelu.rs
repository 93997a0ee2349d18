//! PRelu rewritten as ReLU and two per-channel scalings, which compute the same thing in ops ONNX
//! Runtime runs inside its blocked (NCHWc) convolution layout:
//!
//! `prelu(x) = a·x + (1 − a)·relu(x)` for every slope `a`, of either sign.
//!
//! ONNX Runtime's CPU PRelu is a generic broadcasting kernel outside that layout: each one costs a
//! reorder out of the blocked layout and back, and its time depends on the signs of the data. In
//! SFace (27 PRelus, one after each convolution) it took a third of the run on a real face: 25.7 ms
//! per face as published, 13.7 ms rewritten, on one thread of this project's 2-core AMD EPYC. The
//! scalings are `BatchNormalization` nodes (mean 0, variance 1, epsilon 0, bias 0), which ONNX
//! Runtime turns into blocked per-channel convolutions and adds in place.

use std::collections::{HashMap, HashSet};

use super::proto::{
    Fields, ProtoError, Rewrite, WIRE_FIXED32, WIRE_LEN, WIRE_VARINT, last_name, packed_varints,
    put_len_field, put_varint, rebuild, varint_value,
};

/// `GraphProto.node`.
const GRAPH_NODE: u64 = 1;
/// `GraphProto.initializer`.
const GRAPH_INITIALIZER: u64 = 5;
/// `NodeProto.input`.
const NODE_INPUT: u64 = 1;
/// `NodeProto.output`.
const NODE_OUTPUT: u64 = 2;
/// `NodeProto.name`.
const NODE_NAME: u64 = 3;
/// `NodeProto.op_type`.
const NODE_OP_TYPE: u64 = 4;
/// `NodeProto.attribute`.
const NODE_ATTRIBUTE: u64 = 5;
/// `NodeProto.domain`.
const NODE_DOMAIN: u64 = 7;
/// `AttributeProto.name`.
const ATTRIBUTE_NAME: u64 = 1;
/// `AttributeProto.f`.
const ATTRIBUTE_FLOAT: u64 = 2;
/// `AttributeProto.type`.
const ATTRIBUTE_TYPE: u64 = 20;
/// `AttributeProto.AttributeType.FLOAT`.
const ATTRIBUTE_TYPE_FLOAT: u64 = 1;
/// `TensorProto.dims`.
const TENSOR_DIMS: u64 = 1;
/// `TensorProto.data_type`.
const TENSOR_DATA_TYPE: u64 = 2;
/// `TensorProto.float_data`.
const TENSOR_FLOAT_DATA: u64 = 4;
/// `TensorProto.name`.
const TENSOR_NAME: u64 = 8;
/// `TensorProto.raw_data`.
const TENSOR_RAW_DATA: u64 = 9;
/// `TensorProto.DataType.FLOAT`.
const FLOAT: u64 = 1;

/// Prefix of every name the rewrite adds; a graph that already uses it is left alone.
const PREFIX: &str = "kyc_prelu/";

/// The graph with every PRelu whose slope is a per-channel constant of a 4-D tensor (`[C, 1, 1]`
/// or `[1, C, 1, 1]`) rewritten; other PRelus are left as they are. A graph with no such PRelu is
/// an error: the edit was asked of a model it does not fit.
pub(super) fn prelu_as_batch_norm(graph: &[u8]) -> Result<Vec<u8>, ProtoError> {
    let nodes = read_nodes(graph)?;
    if nodes
        .iter()
        .flat_map(|n| n.inputs.iter().chain(&n.outputs))
        .any(|name| name.starts_with(PREFIX.as_bytes()))
    {
        return Err(ProtoError {
            offset: 0,
            reason: "the graph already uses the rewrite's names",
        });
    }
    let slope_names: HashSet<&[u8]> = nodes
        .iter()
        .filter(|n| n.is_prelu())
        .map(|n| n.inputs[1])
        .collect();
    let slopes = read_slopes(graph, &slope_names)?;
    let rewritable = |n: &Node<'_>| n.is_prelu() && slopes.contains_key(n.inputs[1]);

    // A slope initializer is dropped once nothing reads it any more, so ONNX Runtime does not warn
    // of an unused weight.
    let mut other_readers: HashSet<&[u8]> = HashSet::new();
    for node in nodes.iter().filter(|n| !rewritable(n)) {
        other_readers.extend(node.inputs.iter().copied());
    }

    let mut index = 0usize;
    let mut rewritten = 0usize;
    let mut channel_counts = Vec::new();
    let mut scales = Vec::new();
    let mut out = rebuild(graph, |field| match field.number {
        GRAPH_NODE => {
            let node = nodes.get(index);
            index += 1;
            let Some(node) = node.filter(|n| rewritable(n)) else {
                return Ok(Rewrite::Keep);
            };
            let slope = &slopes[node.inputs[1]];
            let id = rewritten;
            rewritten += 1;
            if !channel_counts.contains(&slope.len()) {
                channel_counts.push(slope.len());
            }
            scales.push((id, slope.clone()));
            Ok(Rewrite::Many(replacement(node, id, slope.len())))
        }
        GRAPH_INITIALIZER => {
            let name = last_name(field.payload, TENSOR_NAME)?.unwrap_or_default();
            Ok(
                if slopes.contains_key(name) && !other_readers.contains(name) {
                    Rewrite::Drop
                } else {
                    Rewrite::Keep
                },
            )
        }
        _ => Ok(Rewrite::Keep),
    })?;
    if rewritten == 0 {
        return Err(ProtoError {
            offset: 0,
            reason: "no PRelu with a per-channel constant slope",
        });
    }
    for channels in channel_counts {
        put_len_field(
            &mut out,
            GRAPH_INITIALIZER,
            &float_tensor(&zeros_name(channels), &vec![0.0; channels]),
        );
        put_len_field(
            &mut out,
            GRAPH_INITIALIZER,
            &float_tensor(&ones_name(channels), &vec![1.0; channels]),
        );
    }
    for (id, slope) in scales {
        let positive: Vec<f32> = slope.iter().map(|a| 1.0 - a).collect();
        put_len_field(
            &mut out,
            GRAPH_INITIALIZER,
            &float_tensor(&format!("{PREFIX}{id}/linear_scale"), &slope),
        );
        put_len_field(
            &mut out,
            GRAPH_INITIALIZER,
            &float_tensor(&format!("{PREFIX}{id}/positive_scale"), &positive),
        );
    }
    Ok(out)
}

/// The four nodes that stand for PRelu node `node` (number `id` of the rewrite): `relu(x)`,
/// `a·x`, `(1 − a)·relu(x)` and their sum under the PRelu's own output name.
fn replacement(node: &Node<'_>, id: usize, channels: usize) -> Vec<Vec<u8>> {
    let x = node.inputs[0];
    let name = |part: &str| format!("{PREFIX}{id}/{part}");
    let (relu, linear, positive) = (name("relu"), name("linear"), name("positive"));
    let scale = |which: &str, input: &[u8], output: &str| {
        let mut n = node_head(
            "BatchNormalization",
            &name(which),
            &[
                input,
                name(&format!("{which}_scale")).as_bytes(),
                zeros_name(channels).as_bytes(),
                zeros_name(channels).as_bytes(),
                ones_name(channels).as_bytes(),
            ],
            output.as_bytes(),
        );
        let mut epsilon = Vec::new();
        put_len_field(&mut epsilon, ATTRIBUTE_NAME, b"epsilon");
        put_varint(
            &mut epsilon,
            (ATTRIBUTE_FLOAT << 3) | u64::from(WIRE_FIXED32),
        );
        epsilon.extend_from_slice(&0f32.to_le_bytes());
        put_varint(&mut epsilon, ATTRIBUTE_TYPE << 3);
        put_varint(&mut epsilon, ATTRIBUTE_TYPE_FLOAT);
        put_len_field(&mut n, NODE_ATTRIBUTE, &epsilon);
        n
    };
    vec![
        node_head("Relu", &relu, &[x], relu.as_bytes()),
        scale("linear", x, &linear),
        scale("positive", relu.as_bytes(), &positive),
        node_head(
            "Add",
            &name("add"),
            &[linear.as_bytes(), positive.as_bytes()],
            node.outputs[0],
        ),
    ]
}

/// A node of the default domain without attributes.
fn node_head(op_type: &str, name: &str, inputs: &[&[u8]], output: &[u8]) -> Vec<u8> {
    let mut n = Vec::new();
    for input in inputs {
        put_len_field(&mut n, NODE_INPUT, input);
    }
    put_len_field(&mut n, NODE_OUTPUT, output);
    put_len_field(&mut n, NODE_NAME, name.as_bytes());
    put_len_field(&mut n, NODE_OP_TYPE, op_type.as_bytes());
    n
}

fn zeros_name(channels: usize) -> String {
    format!("{PREFIX}zeros_{channels}")
}

fn ones_name(channels: usize) -> String {
    format!("{PREFIX}ones_{channels}")
}

/// A 1-D FLOAT initializer.
fn float_tensor(name: &str, values: &[f32]) -> Vec<u8> {
    let mut t = Vec::new();
    put_varint(&mut t, TENSOR_DIMS << 3);
    put_varint(&mut t, values.len() as u64);
    put_varint(&mut t, TENSOR_DATA_TYPE << 3);
    put_varint(&mut t, FLOAT);
    put_len_field(&mut t, TENSOR_NAME, name.as_bytes());
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    put_len_field(&mut t, TENSOR_RAW_DATA, &bytes);
    t
}

/// What the rewrite reads of a node.
struct Node<'a> {
    op_type: &'a [u8],
    domain: &'a [u8],
    inputs: Vec<&'a [u8]>,
    outputs: Vec<&'a [u8]>,
}

impl Node<'_> {
    fn is_prelu(&self) -> bool {
        self.op_type == b"PRelu"
            && (self.domain.is_empty() || self.domain == b"ai.onnx")
            && self.inputs.len() == 2
            && self.outputs.len() == 1
    }
}

/// The graph's nodes, in order.
fn read_nodes(graph: &[u8]) -> Result<Vec<Node<'_>>, ProtoError> {
    let mut nodes = Vec::new();
    for field in Fields::new(graph) {
        let field = field?;
        if field.number != GRAPH_NODE || field.wire != WIRE_LEN {
            continue;
        }
        let mut node = Node {
            op_type: &[],
            domain: &[],
            inputs: Vec::new(),
            outputs: Vec::new(),
        };
        for f in Fields::new(field.payload) {
            let f = f?;
            if f.wire != WIRE_LEN {
                continue;
            }
            match f.number {
                NODE_INPUT => node.inputs.push(f.payload),
                NODE_OUTPUT => node.outputs.push(f.payload),
                NODE_OP_TYPE => node.op_type = f.payload,
                NODE_DOMAIN => node.domain = f.payload,
                _ => {}
            }
        }
        nodes.push(node);
    }
    Ok(nodes)
}

/// The values of the named FLOAT initializers whose shape is `[C, 1, 1]` or `[1, C, 1, 1]` and
/// whose data is all there; others are left out.
fn read_slopes<'a>(
    graph: &'a [u8],
    names: &HashSet<&[u8]>,
) -> Result<HashMap<&'a [u8], Vec<f32>>, ProtoError> {
    let mut slopes = HashMap::new();
    for field in Fields::new(graph) {
        let field = field?;
        if field.number != GRAPH_INITIALIZER || field.wire != WIRE_LEN {
            continue;
        }
        let Some(name) = last_name(field.payload, TENSOR_NAME)? else {
            continue;
        };
        if !names.contains(name) {
            continue;
        }
        if let Some(values) = per_channel_floats(field.payload)? {
            slopes.insert(name, values);
        }
    }
    Ok(slopes)
}

/// A tensor's values when it is FLOAT, shaped `[C, 1, 1]` or `[1, C, 1, 1]`, and holds `C`
/// values inline.
fn per_channel_floats(tensor: &[u8]) -> Result<Option<Vec<f32>>, ProtoError> {
    let (mut dims, mut data_type) = (Vec::new(), None);
    let (mut raw, mut packed, mut loose) = (None, Vec::new(), Vec::new());
    for f in Fields::new(tensor) {
        let f = f?;
        match (f.number, f.wire) {
            (TENSOR_DIMS, WIRE_VARINT) => dims.push(varint_value(tensor, &f)?),
            (TENSOR_DIMS, WIRE_LEN) => dims.extend(packed_varints(f.payload)?),
            (TENSOR_DATA_TYPE, WIRE_VARINT) => data_type = Some(varint_value(tensor, &f)?),
            (TENSOR_RAW_DATA, WIRE_LEN) => raw = Some(f.payload),
            (TENSOR_FLOAT_DATA, WIRE_LEN) => packed.extend_from_slice(f.payload),
            (TENSOR_FLOAT_DATA, WIRE_FIXED32) => {
                loose.extend_from_slice(tensor.get(f.end - 4..f.end).unwrap_or_default());
            }
            _ => {}
        }
    }
    let channels = match dims.as_slice() {
        [c, 1, 1] | [1, c, 1, 1] => *c,
        _ => return Ok(None),
    };
    let bytes = match raw {
        Some(raw) => raw,
        None if !packed.is_empty() => &packed[..],
        None => &loose[..],
    };
    if data_type != Some(FLOAT) || bytes.len() as u64 != channels.saturating_mul(4) {
        return Ok(None);
    }
    Ok(Some(
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::proto::encode::{len_field, varint_field};
    use super::*;

    fn node(op_type: &str, inputs: &[&str], output: &str) -> Vec<u8> {
        let mut n = Vec::new();
        for input in inputs {
            n.extend(len_field(NODE_INPUT, input.as_bytes()));
        }
        n.extend(len_field(NODE_OUTPUT, output.as_bytes()));
        n.extend(len_field(NODE_OP_TYPE, op_type.as_bytes()));
        n
    }

    /// A FLOAT initializer, its values inline as raw bytes or as packed `float_data`.
    fn floats(name: &str, dims: &[u64], values: &[f32], raw_data: bool) -> Vec<u8> {
        let mut t = Vec::new();
        for &d in dims {
            t.extend(varint_field(TENSOR_DIMS, d));
        }
        t.extend(varint_field(TENSOR_DATA_TYPE, FLOAT));
        t.extend(len_field(TENSOR_NAME, name.as_bytes()));
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let number = if raw_data {
            TENSOR_RAW_DATA
        } else {
            TENSOR_FLOAT_DATA
        };
        t.extend(len_field(number, &bytes));
        t
    }

    fn graph(parts: &[(u64, Vec<u8>)]) -> Vec<u8> {
        parts.iter().flat_map(|(n, p)| len_field(*n, p)).collect()
    }

    fn ops(graph: &[u8]) -> Vec<String> {
        read_nodes(graph)
            .unwrap()
            .iter()
            .map(|n| String::from_utf8_lossy(n.op_type).into_owned())
            .collect()
    }

    fn initializers(graph: &[u8]) -> Vec<(String, Option<Vec<f32>>)> {
        let mut out = Vec::new();
        for field in Fields::new(graph) {
            let field = field.unwrap();
            if field.number == GRAPH_INITIALIZER {
                let name = last_name(field.payload, TENSOR_NAME).unwrap().unwrap();
                out.push((
                    String::from_utf8_lossy(name).into_owned(),
                    one_d_floats(field.payload),
                ));
            }
        }
        out
    }

    /// The values of a 1-D raw FLOAT tensor.
    fn one_d_floats(tensor: &[u8]) -> Option<Vec<f32>> {
        let raw = Fields::new(tensor)
            .map(Result::unwrap)
            .find(|f| f.number == TENSOR_RAW_DATA)?;
        Some(
            raw.payload
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        )
    }

    #[test]
    fn a_per_channel_prelu_becomes_relu_two_scalings_and_a_sum() {
        for raw_data in [true, false] {
            let before = graph(&[
                (GRAPH_NODE, node("Conv", &["x", "w"], "y")),
                (GRAPH_NODE, node("PRelu", &["y", "slope"], "z")),
                (GRAPH_NODE, node("Conv", &["z", "w"], "out")),
                (
                    GRAPH_INITIALIZER,
                    floats("w", &[2, 2, 1, 1], &[1.0; 4], true),
                ),
                (
                    GRAPH_INITIALIZER,
                    floats("slope", &[2, 1, 1], &[0.25, -0.5], raw_data),
                ),
            ]);
            let after = prelu_as_batch_norm(&before).unwrap();
            assert_eq!(
                ops(&after),
                [
                    "Conv",
                    "Relu",
                    "BatchNormalization",
                    "BatchNormalization",
                    "Add",
                    "Conv"
                ]
            );
            let nodes = read_nodes(&after).unwrap();
            // The sum takes the PRelu's output name, so the next node reads it unchanged.
            assert_eq!(nodes[4].outputs, [b"z".as_slice()]);
            assert_eq!(nodes[1].inputs, [b"y".as_slice()]);
            assert_eq!(nodes[2].inputs[0], b"y");
            assert_eq!(nodes[3].inputs[0], nodes[1].outputs[0]);
            // The slope is gone (nothing reads it), the scalings are a and 1 - a.
            let inits = initializers(&after);
            let names: Vec<&str> = inits.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                names,
                [
                    "w",
                    "kyc_prelu/zeros_2",
                    "kyc_prelu/ones_2",
                    "kyc_prelu/0/linear_scale",
                    "kyc_prelu/0/positive_scale"
                ]
            );
            assert_eq!(inits[3].1.as_deref(), Some(&[0.25f32, -0.5][..]));
            assert_eq!(inits[4].1.as_deref(), Some(&[0.75f32, 1.5][..]));
            assert_eq!(inits[1].1.as_deref(), Some(&[0.0f32; 2][..]));
            assert_eq!(inits[2].1.as_deref(), Some(&[1.0f32; 2][..]));
        }
    }

    #[test]
    fn prelus_it_cannot_prove_per_channel_are_left_alone() {
        let before = graph(&[
            (GRAPH_NODE, node("PRelu", &["a", "dense"], "b")),
            (GRAPH_NODE, node("PRelu", &["b", "computed"], "c")),
            (GRAPH_NODE, node("PRelu", &["c", "slope"], "d")),
            (GRAPH_NODE, node("Mul", &["d", "slope"], "e")),
            // A slope of shape [C] broadcasts over the last axis of an image, not its channels.
            (GRAPH_INITIALIZER, floats("dense", &[3], &[0.1; 3], true)),
            (
                GRAPH_INITIALIZER,
                floats("slope", &[1, 3, 1, 1], &[0.2; 3], true),
            ),
        ]);
        let after = prelu_as_batch_norm(&before).unwrap();
        assert_eq!(
            ops(&after),
            [
                "PRelu",
                "PRelu",
                "Relu",
                "BatchNormalization",
                "BatchNormalization",
                "Add",
                "Mul"
            ]
        );
        // Another node still reads the rewritten slope, so it stays.
        let names: Vec<String> = initializers(&after).into_iter().map(|(n, _)| n).collect();
        assert!(names.contains(&"slope".to_owned()) && names.contains(&"dense".to_owned()));
    }

    #[test]
    fn a_graph_without_a_rewritable_prelu_is_an_error_and_cut_bytes_never_panic() {
        let plain = graph(&[(GRAPH_NODE, node("Relu", &["x"], "y"))]);
        assert_eq!(
            prelu_as_batch_norm(&plain).unwrap_err().reason,
            "no PRelu with a per-channel constant slope"
        );
        let short = graph(&[
            (GRAPH_NODE, node("PRelu", &["x", "slope"], "y")),
            (
                GRAPH_INITIALIZER,
                floats("slope", &[4, 1, 1], &[0.2; 3], true),
            ),
        ]);
        assert!(
            prelu_as_batch_norm(&short).is_err(),
            "data shorter than its shape"
        );
        let taken = graph(&[
            (
                GRAPH_NODE,
                node("PRelu", &["x", "slope"], "kyc_prelu/0/add"),
            ),
            (GRAPH_INITIALIZER, floats("slope", &[1, 1, 1], &[0.2], true)),
        ]);
        assert_eq!(
            prelu_as_batch_norm(&taken).unwrap_err().reason,
            "the graph already uses the rewrite's names"
        );
        let good = graph(&[
            (GRAPH_NODE, node("PRelu", &["x", "slope"], "y")),
            (
                GRAPH_INITIALIZER,
                floats("slope", &[2, 1, 1], &[0.2, 0.3], false),
            ),
        ]);
        for cut in 1..good.len() {
            let _ = prelu_as_batch_norm(&good[..cut]);
        }
    }
}
