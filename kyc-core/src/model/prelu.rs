//! PRelu rewritten as ReLU and two per-channel scalings, which compute the same thing in ops ONNX
//! Runtime runs inside its blocked (NCHWc) convolution layout:
//!
//! `prelu(x) = a·x + (1 − a)·relu(x)` for every slope `a`, of either sign.
//!
//! ONNX Runtime's CPU PRelu is a generic broadcasting kernel outside that layout: each one costs a
//! reorder out of the blocked layout and back, and its time depends on the signs of the data. In
//! SFace (27 PRelus, one after each convolution) it took a third of the run on a real face: 25.7 ms
//! per face as published, 13.7 ms rewritten (onnxruntime's Python package, one thread of this
//! project's 2-core AMD EPYC; kyc's criterion embed went from 25.5 to 14.0 ms). The
//! scalings are `BatchNormalization` nodes (mean 0, variance 1, epsilon 0, bias 0), which ONNX
//! Runtime turns into blocked per-channel convolutions and adds in place.
//!
//! TFLite converters spell PRelu out as `relu(x) + c·(x − |x|)` (five nodes, the coefficient
//! reshaped at run time); MobileFaceNet's graph has 33 of them, rewritten the same way.

use std::collections::{HashMap, HashSet};

use super::onnx_fields::{
    ATTRIBUTE_FLOAT, ATTRIBUTE_NAME, ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT, FLOAT,
    GRAPH_INITIALIZER, GRAPH_NODE, GRAPH_OUTPUT, INT64, NODE_ATTRIBUTE, NODE_DOMAIN, NODE_INPUT,
    NODE_NAME, NODE_OP_TYPE, NODE_OUTPUT, TENSOR_DATA_TYPE, TENSOR_DIMS, TENSOR_FLOAT_DATA,
    TENSOR_INT64_DATA, TENSOR_NAME, TENSOR_RAW_DATA, VALUE_INFO_NAME,
};
use super::proto::{
    Fields, ProtoError, Rewrite, WIRE_FIXED32, WIRE_LEN, WIRE_VARINT, last_name, named_fields,
    packed_varints, put_len_field, put_varint, rebuild, varint_value,
};

/// Prefix of every name the rewrite adds; a graph that already uses it is refused.
const PREFIX: &str = "kyc_prelu/";

/// One PRelu to rewrite, in either form.
struct Site<'a> {
    /// Where the replacement goes: the PRelu node, or the sum that ends the spelled-out form.
    anchor: usize,
    /// Nodes the replacement stands for (the anchor among them).
    removed: Vec<usize>,
    /// The PRelu's input.
    x: &'a [u8],
    /// `relu(x)` when the graph already computes it (the spelled-out form keeps its ReLU node).
    relu: Option<&'a [u8]>,
    /// The PRelu's output.
    output: &'a [u8],
    /// The slope per channel.
    slope: Vec<f32>,
    /// Initializers only the removed nodes read.
    constants: Vec<&'a [u8]>,
}

/// The graph with every PRelu whose slope is a per-channel constant of a 4-D tensor (`[C, 1, 1]`
/// or `[1, C, 1, 1]`) rewritten, whether it is a `PRelu` node or spelled out as TFLite converters
/// write it, `relu(x) + c·(x − |x|)` (a slope of `2c`). Other PRelus are left as they are. A graph
/// with none to rewrite is an error: the edit was asked of a model it does not fit.
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
    let constants = read_constants(graph)?;
    let outputs = graph_outputs(graph)?;
    let sites = find_sites(&nodes, &constants, &outputs);
    if sites.is_empty() {
        return Err(ProtoError {
            offset: 0,
            reason: "no PRelu with a per-channel constant slope",
        });
    }
    let mut removed = HashSet::new();
    let mut anchors = HashMap::new();
    for (id, site) in sites.iter().enumerate() {
        removed.extend(site.removed.iter().copied());
        anchors.insert(site.anchor, id);
    }
    // A constant is dropped once nothing reads it any more, so ONNX Runtime does not warn of an
    // unused weight.
    let mut still_read: HashSet<&[u8]> = HashSet::new();
    for (i, node) in nodes.iter().enumerate() {
        if !removed.contains(&i) {
            still_read.extend(node.inputs.iter().copied());
        }
    }
    let unread: HashSet<&[u8]> = sites
        .iter()
        .flat_map(|s| s.constants.iter().copied())
        .filter(|name| !still_read.contains(name))
        .collect();

    let mut index = 0usize;
    let mut out = rebuild(graph, |field| match field.number {
        GRAPH_NODE => {
            let i = index;
            index += 1;
            Ok(match anchors.get(&i) {
                Some(&id) => Rewrite::Many(replacement(&sites[id], id)),
                None if removed.contains(&i) => Rewrite::Drop,
                None => Rewrite::Keep,
            })
        }
        GRAPH_INITIALIZER => {
            let name = last_name(field.payload, TENSOR_NAME)?.unwrap_or_default();
            Ok(if unread.contains(name) {
                Rewrite::Drop
            } else {
                Rewrite::Keep
            })
        }
        _ => Ok(Rewrite::Keep),
    })?;
    let mut channel_counts: Vec<usize> = sites.iter().map(|s| s.slope.len()).collect();
    channel_counts.sort_unstable();
    channel_counts.dedup();
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
    for (id, site) in sites.iter().enumerate() {
        let positive: Vec<f32> = site.slope.iter().map(|a| 1.0 - a).collect();
        put_len_field(
            &mut out,
            GRAPH_INITIALIZER,
            &float_tensor(&format!("{PREFIX}{id}/linear_scale"), &site.slope),
        );
        put_len_field(
            &mut out,
            GRAPH_INITIALIZER,
            &float_tensor(&format!("{PREFIX}{id}/positive_scale"), &positive),
        );
    }
    Ok(out)
}

/// Every PRelu the rewrite can prove per-channel, in graph order.
fn find_sites<'a>(
    nodes: &[Node<'a>],
    constants: &HashMap<&'a [u8], Constant>,
    graph_outputs: &[&'a [u8]],
) -> Vec<Site<'a>> {
    let mut producer = HashMap::new();
    // A graph output counts as a reader: the value must survive the rewrite.
    let mut readers: HashMap<&[u8], usize> = HashMap::new();
    for &output in graph_outputs {
        *readers.entry(output).or_default() += 1;
    }
    for (i, node) in nodes.iter().enumerate() {
        for &output in &node.outputs {
            producer.insert(output, i);
        }
        for &input in &node.inputs {
            *readers.entry(input).or_default() += 1;
        }
    }
    let made_by = |name: &[u8], op: &str, inputs: usize| {
        producer
            .get(name)
            .copied()
            .filter(|&i| nodes[i].is(op, inputs))
    };
    // An intermediate value the rewrite removes must have no reader outside the pattern.
    let private = |name: &[u8]| readers.get(name).copied() == Some(1);
    let mut sites = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        if node.is("PRelu", 2) {
            if let Some(slope) = constants
                .get(node.inputs[1])
                .and_then(Constant::per_channel)
            {
                sites.push(Site {
                    anchor: i,
                    removed: vec![i],
                    x: node.inputs[0],
                    relu: None,
                    output: node.outputs[0],
                    slope,
                    constants: vec![node.inputs[1]],
                });
            }
            continue;
        }
        if !node.is("Add", 2) {
            continue;
        }
        // relu(x) + c·(x − |x|), each operand of the sum and of the product in either order.
        let site = [(0, 1), (1, 0)].into_iter().find_map(|(r, m)| {
            let relu = made_by(node.inputs[r], "Relu", 1)?;
            let x = nodes[relu].inputs[0];
            let mul = made_by(node.inputs[m], "Mul", 2).filter(|_| private(node.inputs[m]))?;
            [(0, 1), (1, 0)].into_iter().find_map(|(d, c)| {
                let (diff, coefficient) = (nodes[mul].inputs[d], nodes[mul].inputs[c]);
                let sub = made_by(diff, "Sub", 2).filter(|_| private(diff))?;
                let abs_out = nodes[sub].inputs[1];
                let abs = made_by(abs_out, "Abs", 1).filter(|_| private(abs_out))?;
                if nodes[sub].inputs[0] != x || nodes[abs].inputs[0] != x {
                    return None;
                }
                let mut removed = vec![abs, sub, mul, i];
                let mut used = Vec::new();
                let halves = match constants.get(coefficient) {
                    Some(constant) => {
                        used.push(coefficient);
                        constant.per_channel()?
                    }
                    None => {
                        let reshape =
                            made_by(coefficient, "Reshape", 2).filter(|_| private(coefficient))?;
                        let (values, shape) = (nodes[reshape].inputs[0], nodes[reshape].inputs[1]);
                        let values_reshaped =
                            constants.get(values)?.reshaped(constants.get(shape)?)?;
                        removed.push(reshape);
                        used.extend([values, shape]);
                        values_reshaped
                    }
                };
                Some(Site {
                    anchor: i,
                    removed,
                    x,
                    relu: Some(node.inputs[r]),
                    output: node.outputs[0],
                    slope: halves.iter().map(|c| 2.0 * c).collect(),
                    constants: used,
                })
            })
        });
        sites.extend(site);
    }
    sites
}

/// The nodes that stand for PRelu site `site` (number `id` of the rewrite): `relu(x)` unless the
/// graph has it, `a·x`, `(1 − a)·relu(x)` and their sum under the PRelu's own output name.
fn replacement(site: &Site<'_>, id: usize) -> Vec<Vec<u8>> {
    let channels = site.slope.len();
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
    let mut out = Vec::with_capacity(4);
    let relu = match site.relu {
        Some(existing) => existing,
        None => {
            out.push(node_head("Relu", &relu, &[site.x], relu.as_bytes()));
            relu.as_bytes()
        }
    };
    out.push(scale("linear", site.x, &linear));
    out.push(scale("positive", relu, &positive));
    out.push(node_head(
        "Add",
        &name("add"),
        &[linear.as_bytes(), positive.as_bytes()],
        site.output,
    ));
    out
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
    /// Whether it is `op_type` of the default domain with `inputs` inputs and one output.
    fn is(&self, op_type: &str, inputs: usize) -> bool {
        self.op_type == op_type.as_bytes()
            && (self.domain.is_empty() || self.domain == b"ai.onnx")
            && self.inputs.len() == inputs
            && self.outputs.len() == 1
    }
}

/// The names of the graph's outputs.
fn graph_outputs(graph: &[u8]) -> Result<Vec<&[u8]>, ProtoError> {
    Ok(named_fields(graph, GRAPH_OUTPUT, VALUE_INFO_NAME)?
        .into_iter()
        .map(|(name, _)| name)
        .collect())
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

/// An initializer small enough to be a slope or a shape, with its data inline.
struct Constant {
    dims: Vec<u64>,
    data_type: Option<u64>,
    bytes: Vec<u8>,
}

/// Largest initializer read as a possible slope or shape; weights are larger and never needed.
const MAX_CONSTANT_BYTES: usize = 1 << 16;

impl Constant {
    /// Its values when it is FLOAT, shaped `[C, 1, 1]` or `[1, C, 1, 1]`, with `C` values.
    fn per_channel(&self) -> Option<Vec<f32>> {
        match self.dims.as_slice() {
            [c, 1, 1] | [1, c, 1, 1] => self.floats(*c),
            _ => None,
        }
    }

    /// Its values when it is FLOAT and `shape` (an INT64 constant, a reshape target) makes it
    /// `[C, 1, 1]` or `[1, C, 1, 1]`.
    fn reshaped(&self, shape: &Constant) -> Option<Vec<f32>> {
        if shape.data_type != Some(INT64) {
            return None;
        }
        let target: Vec<i64> = shape
            .bytes
            .chunks_exact(8)
            .map(|b| i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect();
        match target.as_slice() {
            [c, 1, 1] | [1, c, 1, 1] => self.floats(u64::try_from(*c).ok()?),
            _ => None,
        }
    }

    fn floats(&self, count: u64) -> Option<Vec<f32>> {
        if self.data_type != Some(FLOAT) || self.bytes.len() as u64 != count.saturating_mul(4) {
            return None;
        }
        let values: u64 = self.dims.iter().product();
        (values == count).then(|| {
            self.bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        })
    }
}

/// The graph's small initializers by name.
fn read_constants(graph: &[u8]) -> Result<HashMap<&[u8], Constant>, ProtoError> {
    named_fields(graph, GRAPH_INITIALIZER, TENSOR_NAME)?
        .into_iter()
        .filter(|(_, field)| field.payload.len() <= MAX_CONSTANT_BYTES)
        .map(|(name, field)| Ok((name, read_constant(field.payload)?)))
        .collect()
}

/// A tensor's shape, type and inline data (`raw_data`, or packed or loose `float_data` and
/// `int64_data`, as little-endian bytes).
fn read_constant(tensor: &[u8]) -> Result<Constant, ProtoError> {
    let mut constant = Constant {
        dims: Vec::new(),
        data_type: None,
        bytes: Vec::new(),
    };
    let (mut raw, mut listed) = (None, Vec::new());
    for f in Fields::new(tensor) {
        let f = f?;
        match (f.number, f.wire) {
            (TENSOR_DIMS, WIRE_VARINT) => constant.dims.push(varint_value(tensor, &f)?),
            (TENSOR_DIMS, WIRE_LEN) => constant.dims.extend(packed_varints(f.payload)?),
            (TENSOR_DATA_TYPE, WIRE_VARINT) => {
                constant.data_type = Some(varint_value(tensor, &f)?);
            }
            (TENSOR_RAW_DATA, WIRE_LEN) => raw = Some(f.payload),
            (TENSOR_FLOAT_DATA, WIRE_LEN) => listed.extend_from_slice(f.payload),
            (TENSOR_FLOAT_DATA, WIRE_FIXED32) => {
                listed.extend_from_slice(tensor.get(f.end - 4..f.end).unwrap_or_default());
            }
            (TENSOR_INT64_DATA, WIRE_LEN) => {
                for v in packed_varints(f.payload)? {
                    listed.extend_from_slice(&v.to_le_bytes());
                }
            }
            (TENSOR_INT64_DATA, WIRE_VARINT) => {
                listed.extend_from_slice(&varint_value(tensor, &f)?.to_le_bytes());
            }
            _ => {}
        }
    }
    constant.bytes = raw.map_or(listed, <[u8]>::to_vec);
    Ok(constant)
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

    /// The ops of `Conv, PRelu, Conv` once the PRelu is rewritten.
    const REWRITTEN_BETWEEN_CONVS: [&str; 6] = [
        "Conv",
        "Relu",
        "BatchNormalization",
        "BatchNormalization",
        "Add",
        "Conv",
    ];

    /// The initializers after one two-channel rewrite of a graph whose only other weight is `w`:
    /// the slope's constants gone, zeros and ones added, and the scalings `a` and `1 − a`.
    fn assert_one_rewrite(after: &[u8], slope: [f32; 2]) {
        let inits = initializers(after);
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
        assert_eq!(inits[1].1.as_deref(), Some(&[0.0f32; 2][..]));
        assert_eq!(inits[2].1.as_deref(), Some(&[1.0f32; 2][..]));
        assert_eq!(inits[3].1.as_deref(), Some(&slope[..]));
        assert_eq!(
            inits[4].1.as_deref(),
            Some(&[1.0 - slope[0], 1.0 - slope[1]][..])
        );
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
            assert_eq!(ops(&after), REWRITTEN_BETWEEN_CONVS);
            let nodes = read_nodes(&after).unwrap();
            // The sum takes the PRelu's output name, so the next node reads it unchanged.
            assert_eq!(nodes[4].outputs, [b"z".as_slice()]);
            assert_eq!(nodes[1].inputs, [b"y".as_slice()]);
            assert_eq!(nodes[2].inputs[0], b"y");
            assert_eq!(nodes[3].inputs[0], nodes[1].outputs[0]);
            // The slope is gone (nothing reads it), the scalings are a and 1 - a.
            assert_one_rewrite(&after, [0.25, -0.5]);
        }
    }

    fn int64s(name: &str, values: &[i64]) -> Vec<u8> {
        let mut t = varint_field(TENSOR_DIMS, values.len() as u64);
        t.extend(varint_field(TENSOR_DATA_TYPE, INT64));
        t.extend(len_field(TENSOR_NAME, name.as_bytes()));
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        t.extend(len_field(TENSOR_RAW_DATA, &bytes));
        t
    }

    #[test]
    fn a_prelu_spelled_out_by_a_tflite_converter_is_rewritten_too() {
        // relu(y) + reshape(c)·(y − |y|), as MobileFaceNet's converter wrote it; slope 2c.
        let before = graph(&[
            (GRAPH_NODE, node("Conv", &["x", "w"], "y")),
            (GRAPH_NODE, node("Relu", &["y"], "r")),
            (GRAPH_NODE, node("Abs", &["y"], "abs")),
            (GRAPH_NODE, node("Sub", &["y", "abs"], "diff")),
            (GRAPH_NODE, node("Reshape", &["c", "shape"], "c4")),
            (GRAPH_NODE, node("Mul", &["c4", "diff"], "m")),
            (GRAPH_NODE, node("Add", &["r", "m"], "z")),
            (GRAPH_NODE, node("Conv", &["z", "w"], "out")),
            (
                GRAPH_INITIALIZER,
                floats("w", &[2, 2, 1, 1], &[1.0; 4], true),
            ),
            (GRAPH_INITIALIZER, floats("c", &[2], &[0.125, -0.25], false)),
            (GRAPH_INITIALIZER, int64s("shape", &[1, 2, 1, 1])),
        ]);
        let after = prelu_as_batch_norm(&before).unwrap();
        assert_eq!(ops(&after), REWRITTEN_BETWEEN_CONVS);
        let nodes = read_nodes(&after).unwrap();
        // The graph's own ReLU feeds the second scaling; the sum keeps the output name.
        assert_eq!(nodes[2].inputs[0], b"y");
        assert_eq!(nodes[3].inputs[0], b"r");
        assert_eq!(nodes[4].outputs, [b"z".as_slice()]);
        // The coefficient and its shape are gone, the scalings are 2c and 1 - 2c.
        assert_one_rewrite(&after, [0.25, -0.5]);

        // When something else reads a piece of the pattern, the pattern stays as it is.
        let shared = [
            before.clone(),
            len_field(GRAPH_NODE, &node("Mul", &["abs", "abs"], "other")),
        ]
        .concat();
        assert!(prelu_as_batch_norm(&shared).is_err());
        // Nor when a piece of it is one of the graph's outputs.
        let exposed = [
            before.clone(),
            len_field(GRAPH_OUTPUT, &len_field(VALUE_INFO_NAME, b"diff")),
        ]
        .concat();
        assert!(prelu_as_batch_norm(&exposed).is_err());
        // A difference taken of another tensor is not a PRelu of y.
        let other = graph(&[
            (GRAPH_NODE, node("Relu", &["y"], "r")),
            (GRAPH_NODE, node("Abs", &["y"], "abs")),
            (GRAPH_NODE, node("Sub", &["q", "abs"], "diff")),
            (GRAPH_NODE, node("Mul", &["diff", "c4"], "m")),
            (GRAPH_NODE, node("Add", &["m", "r"], "z")),
            (
                GRAPH_INITIALIZER,
                floats("c4", &[1, 2, 1, 1], &[0.1, 0.2], true),
            ),
        ]);
        assert!(prelu_as_batch_norm(&other).is_err());
        // The same with y in its place, the operands swapped and the coefficient already shaped.
        let swapped = graph(&[
            (GRAPH_NODE, node("Relu", &["y"], "r")),
            (GRAPH_NODE, node("Abs", &["y"], "abs")),
            (GRAPH_NODE, node("Sub", &["y", "abs"], "diff")),
            (GRAPH_NODE, node("Mul", &["diff", "c4"], "m")),
            (GRAPH_NODE, node("Add", &["m", "r"], "z")),
            (
                GRAPH_INITIALIZER,
                floats("c4", &[1, 2, 1, 1], &[0.1, 0.2], true),
            ),
        ]);
        let after = prelu_as_batch_norm(&swapped).unwrap();
        assert_eq!(
            ops(&after),
            ["Relu", "BatchNormalization", "BatchNormalization", "Add"]
        );
        assert_eq!(
            initializers(&after)[2].1.as_deref(),
            Some(&[0.2f32, 0.4][..])
        );
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
