//! Load-time edits that let a graph exported for one fixed shape run at others. YuNet was exported
//! for a 640x640 input yet is fully convolutional (its reshapes say -1, its upsampling a scale), so
//! with its height and width freed a 4:3 photo is detected at 640x480 instead of being padded to a
//! square. The MobileFaceNet converter fixed a batch of two, so with the batch freed (and the one
//! reshape that spelled it out) a single face runs alone at half the cost. The file on disk, and
//! the hash it is checked against, stay the published ones.

use super::onnx_fields::{
    DIM_PARAM, GRAPH_INITIALIZER, GRAPH_INPUT, GRAPH_OUTPUT, GRAPH_VALUE_INFO, INT64, SHAPE_DIM,
    TENSOR_DATA_TYPE, TENSOR_DIMS, TENSOR_INT64_DATA, TENSOR_NAME, TENSOR_RAW_DATA,
    TENSOR_TYPE_SHAPE, TYPE_TENSOR, VALUE_INFO_NAME, VALUE_INFO_TYPE,
};
use super::prelu::prelu_as_batch_norm;
use super::proto::{
    Fields, ProtoError, Rewrite, WIRE_LEN, WIRE_VARINT, last_name, packed_varints, put_len_field,
    rebuild, single_graph, splice, varint_value,
};

/// One edit of a model's graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphEdit {
    /// Makes dimensions `dims` (by index) of graph input `input` symbolic. The graph outputs' shapes
    /// and the graph's `value_info` were inferred for the fixed input, so they are dropped and
    /// ONNX Runtime infers them again.
    FreeInputDims {
        /// The graph input.
        input: &'static str,
        /// Indices of the dimensions to free.
        dims: &'static [usize],
    },
    /// Gives an INT64 initializer (a reshape target) new values, as many as it had.
    Int64Values {
        /// The initializer.
        name: &'static str,
        /// Its new values.
        values: &'static [i64],
    },
    /// Rewrites every PRelu whose slope is a per-channel constant (a `PRelu` node, or the form
    /// TFLite converters spell out) as ReLU plus two per-channel scalings (see `model::prelu`):
    /// the same values, computed in ONNX Runtime's blocked layout.
    PReluAsBatchNorm,
}

/// `model` with `edits` applied, in order. An edit that finds nothing to change (no such input or
/// initializer, a dimension out of range, a length that differs) is an error: the model is not the
/// one the edit was written for.
pub fn apply(model: &[u8], edits: &[GraphEdit]) -> Result<Vec<u8>, ProtoError> {
    let mut model = model.to_vec();
    for edit in edits {
        let graph = single_graph(&model)?.ok_or(ProtoError {
            offset: 0,
            reason: "the model has no single graph to edit",
        })?;
        let new_graph = match *edit {
            GraphEdit::FreeInputDims { input, dims } => {
                free_input_dims(graph.payload, input, dims)?
            }
            GraphEdit::Int64Values { name, values } => int64_values(graph.payload, name, values)?,
            GraphEdit::PReluAsBatchNorm => prelu_as_batch_norm(graph.payload)?,
        };
        model = splice(&model, &graph, &new_graph)?;
    }
    Ok(model)
}

fn free_input_dims(graph: &[u8], input: &str, dims: &[usize]) -> Result<Vec<u8>, ProtoError> {
    let mut found = false;
    let out = rebuild(graph, |field| match field.number {
        GRAPH_INPUT if named(field.payload, VALUE_INFO_NAME, input)? => {
            found = true;
            Ok(Rewrite::Replace(map_shape(field.payload, |shape| {
                free_dims(shape, dims)
            })?))
        }
        GRAPH_OUTPUT => Ok(Rewrite::Replace(map_shape(field.payload, |_| {
            Ok(Rewrite::Drop)
        })?)),
        GRAPH_VALUE_INFO => Ok(Rewrite::Drop),
        _ => Ok(Rewrite::Keep),
    })?;
    if !found {
        return Err(ProtoError {
            offset: 0,
            reason: "no graph input of that name",
        });
    }
    Ok(out)
}

fn int64_values(graph: &[u8], name: &str, values: &[i64]) -> Result<Vec<u8>, ProtoError> {
    let mut found = false;
    let out = rebuild(graph, |field| {
        if field.number != GRAPH_INITIALIZER || !named(field.payload, TENSOR_NAME, name)? {
            return Ok(Rewrite::Keep);
        }
        found = true;
        let (mut elements, mut data_type) = (1u64, None);
        for f in Fields::new(field.payload) {
            let f = f?;
            match (f.number, f.wire) {
                (TENSOR_DIMS, WIRE_VARINT) => {
                    elements = elements.saturating_mul(varint_value(field.payload, &f)?);
                }
                (TENSOR_DIMS, WIRE_LEN) => {
                    for dim in packed_varints(f.payload)? {
                        elements = elements.saturating_mul(dim);
                    }
                }
                (TENSOR_DATA_TYPE, WIRE_VARINT) => {
                    data_type = Some(varint_value(field.payload, &f)?);
                }
                _ => {}
            }
        }
        if data_type != Some(INT64) || elements != values.len() as u64 {
            return Err(ProtoError {
                offset: field.start,
                reason: "the initializer is not INT64 of that length",
            });
        }
        let mut tensor = rebuild(field.payload, |f| {
            Ok(
                if f.number == TENSOR_RAW_DATA || f.number == TENSOR_INT64_DATA {
                    Rewrite::Drop
                } else {
                    Rewrite::Keep
                },
            )
        })?;
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        put_len_field(&mut tensor, TENSOR_RAW_DATA, &bytes);
        Ok(Rewrite::Replace(tensor))
    })?;
    if !found {
        return Err(ProtoError {
            offset: 0,
            reason: "no initializer of that name",
        });
    }
    Ok(out)
}

/// Whether string field `number` of `message` is `name`.
fn named(message: &[u8], number: u64, name: &str) -> Result<bool, ProtoError> {
    Ok(last_name(message, number)? == Some(name.as_bytes()))
}

/// A value info with its tensor shape rewritten by `f(shape)`.
fn map_shape(
    value_info: &[u8],
    mut f: impl FnMut(&[u8]) -> Result<Rewrite, ProtoError>,
) -> Result<Vec<u8>, ProtoError> {
    rebuild(value_info, |field| {
        if field.number != VALUE_INFO_TYPE {
            return Ok(Rewrite::Keep);
        }
        Ok(Rewrite::Replace(rebuild(field.payload, |ty| {
            if ty.number != TYPE_TENSOR {
                return Ok(Rewrite::Keep);
            }
            Ok(Rewrite::Replace(rebuild(ty.payload, |tensor| {
                if tensor.number == TENSOR_TYPE_SHAPE {
                    f(tensor.payload)
                } else {
                    Ok(Rewrite::Keep)
                }
            })?))
        })?))
    })
}

/// A shape with dimensions `free` made symbolic (`d0`, `d1`, ... by index).
fn free_dims(shape: &[u8], free: &[usize]) -> Result<Rewrite, ProtoError> {
    let mut index = 0usize;
    let out = rebuild(shape, |field| {
        if field.number != SHAPE_DIM {
            return Ok(Rewrite::Keep);
        }
        let i = index;
        index += 1;
        if !free.contains(&i) {
            return Ok(Rewrite::Keep);
        }
        let mut dim = Vec::new();
        put_len_field(&mut dim, DIM_PARAM, format!("d{i}").as_bytes());
        Ok(Rewrite::Replace(dim))
    })?;
    if free.iter().any(|&i| i >= index) {
        return Err(ProtoError {
            offset: 0,
            reason: "the input has fewer dimensions than the edit frees",
        });
    }
    Ok(Rewrite::Replace(out))
}

#[cfg(test)]
mod tests {
    use super::super::proto::encode::{len_field, varint_field};
    use super::super::proto::{MODEL_GRAPH, put_varint};
    use super::*;

    /// A float tensor value info with fixed dimensions.
    fn value_info(name: &str, dims: &[u64]) -> Vec<u8> {
        let shape: Vec<u8> = dims
            .iter()
            .flat_map(|&d| len_field(SHAPE_DIM, &varint_field(1, d)))
            .collect();
        let tensor = [varint_field(1, 1), len_field(TENSOR_TYPE_SHAPE, &shape)].concat();
        [
            len_field(VALUE_INFO_NAME, name.as_bytes()),
            len_field(VALUE_INFO_TYPE, &len_field(TYPE_TENSOR, &tensor)),
        ]
        .concat()
    }

    fn int64_tensor(name: &str, values: &[i64], raw_data: bool) -> Vec<u8> {
        let mut t = varint_field(TENSOR_DIMS, values.len() as u64);
        t.extend(varint_field(TENSOR_DATA_TYPE, INT64));
        if raw_data {
            let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            t.extend(len_field(TENSOR_RAW_DATA, &bytes));
        } else {
            let mut packed = Vec::new();
            for &v in values {
                put_varint(&mut packed, v as u64);
            }
            t.extend(len_field(TENSOR_INT64_DATA, &packed));
        }
        t.extend(len_field(TENSOR_NAME, name.as_bytes()));
        t
    }

    fn model(graph: &[u8]) -> Vec<u8> {
        [varint_field(1, 7), len_field(MODEL_GRAPH, graph)].concat()
    }

    fn graph(input: &[u64], shape_value: &[u8]) -> Vec<u8> {
        [
            len_field(1, b"node bytes"),
            len_field(GRAPH_INITIALIZER, shape_value),
            len_field(GRAPH_INPUT, &value_info("input", input)),
            len_field(GRAPH_OUTPUT, &value_info("out", &[1, 6400, 1])),
            len_field(GRAPH_VALUE_INFO, &value_info("inner", &[1, 16, 320, 320])),
        ]
        .concat()
    }

    #[test]
    fn frees_the_named_dimensions_and_drops_the_inferred_shapes() {
        let shape = int64_tensor("shape", &[2, 192], true);
        let before = model(&graph(&[1, 3, 640, 640], &shape));
        let edit = GraphEdit::FreeInputDims {
            input: "input",
            dims: &[2, 3],
        };
        let after = apply(&before, &[edit]).unwrap();
        // The input's last two dimensions become names, the output keeps its element type but
        // loses its shape, the value info is gone; nodes and initializers are copied unchanged.
        let free =
            |i: usize| len_field(SHAPE_DIM, &len_field(DIM_PARAM, format!("d{i}").as_bytes()));
        let fixed = |d: u64| len_field(SHAPE_DIM, &varint_field(1, d));
        let input_shape = [fixed(1), fixed(3), free(2), free(3)].concat();
        let input = [
            len_field(VALUE_INFO_NAME, b"input"),
            len_field(
                VALUE_INFO_TYPE,
                &len_field(
                    TYPE_TENSOR,
                    &[
                        varint_field(1, 1),
                        len_field(TENSOR_TYPE_SHAPE, &input_shape),
                    ]
                    .concat(),
                ),
            ),
        ]
        .concat();
        let output = [
            len_field(VALUE_INFO_NAME, b"out"),
            len_field(
                VALUE_INFO_TYPE,
                &len_field(TYPE_TENSOR, &varint_field(1, 1)),
            ),
        ]
        .concat();
        let want = model(
            &[
                len_field(1, b"node bytes"),
                len_field(GRAPH_INITIALIZER, &shape),
                len_field(GRAPH_INPUT, &input),
                len_field(GRAPH_OUTPUT, &output),
            ]
            .concat(),
        );
        assert_eq!(after, want);
    }

    #[test]
    fn rewrites_an_int64_initializer_stored_either_way() {
        for raw_data in [true, false] {
            let before = model(&graph(
                &[2, 3, 112, 112],
                &int64_tensor("shape", &[2, 192], raw_data),
            ));
            let edit = GraphEdit::Int64Values {
                name: "shape",
                values: &[-1, 192],
            };
            let after = apply(&before, &[edit]).unwrap();
            let mut tensor = varint_field(TENSOR_DIMS, 2);
            tensor.extend(varint_field(TENSOR_DATA_TYPE, INT64));
            tensor.extend(len_field(TENSOR_NAME, b"shape"));
            let bytes: Vec<u8> = [-1i64, 192].iter().flat_map(|v| v.to_le_bytes()).collect();
            tensor.extend(len_field(TENSOR_RAW_DATA, &bytes));
            let want = [
                len_field(1, b"node bytes"),
                len_field(GRAPH_INITIALIZER, &tensor),
                len_field(GRAPH_INPUT, &value_info("input", &[2, 3, 112, 112])),
                len_field(GRAPH_OUTPUT, &value_info("out", &[1, 6400, 1])),
                len_field(GRAPH_VALUE_INFO, &value_info("inner", &[1, 16, 320, 320])),
            ]
            .concat();
            assert_eq!(after, model(&want), "raw_data {raw_data}");
        }
    }

    #[test]
    fn an_edit_that_does_not_fit_the_model_is_an_error() {
        let before = model(&graph(
            &[1, 3, 640, 640],
            &int64_tensor("shape", &[2, 192], true),
        ));
        let cases = [
            (
                GraphEdit::FreeInputDims {
                    input: "data",
                    dims: &[0],
                },
                "no graph input of that name",
            ),
            (
                GraphEdit::FreeInputDims {
                    input: "input",
                    dims: &[4],
                },
                "the input has fewer dimensions than the edit frees",
            ),
            (
                GraphEdit::Int64Values {
                    name: "other",
                    values: &[-1, 192],
                },
                "no initializer of that name",
            ),
            (
                GraphEdit::Int64Values {
                    name: "shape",
                    values: &[-1, 2, 96],
                },
                "the initializer is not INT64 of that length",
            ),
        ];
        for (edit, reason) in cases {
            assert_eq!(
                apply(&before, &[edit]).unwrap_err().reason,
                reason,
                "{edit:?}"
            );
        }
        let no_graph = varint_field(1, 7);
        let edit = GraphEdit::FreeInputDims {
            input: "input",
            dims: &[0],
        };
        assert!(apply(&no_graph, &[edit]).is_err());
        // Cut anywhere: an error or a shorter valid message, never a panic.
        for cut in 1..before.len() {
            let _ = apply(&before[..cut], &[edit]);
        }
    }
}
