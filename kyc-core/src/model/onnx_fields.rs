//! The field numbers of `onnx.proto` that the load-time edits read or write, and the two tensor
//! element types they handle.

/// `GraphProto.initializer`.
pub(super) const GRAPH_INITIALIZER: u64 = 5;
/// `GraphProto.input`.
pub(super) const GRAPH_INPUT: u64 = 11;
/// `GraphProto.output`.
pub(super) const GRAPH_OUTPUT: u64 = 12;
/// `GraphProto.value_info`: shapes inferred by the exporter for the fixed input.
pub(super) const GRAPH_VALUE_INFO: u64 = 13;
/// `ValueInfoProto.name`.
pub(super) const VALUE_INFO_NAME: u64 = 1;
/// `ValueInfoProto.type`.
pub(super) const VALUE_INFO_TYPE: u64 = 2;
/// `TypeProto.tensor_type`.
pub(super) const TYPE_TENSOR: u64 = 1;
/// `TypeProto.Tensor.shape`.
pub(super) const TENSOR_TYPE_SHAPE: u64 = 2;
/// `TensorShapeProto.dim`.
pub(super) const SHAPE_DIM: u64 = 1;
/// `TensorShapeProto.Dimension.dim_param`.
pub(super) const DIM_PARAM: u64 = 2;
/// `TensorProto.dims`.
pub(super) const TENSOR_DIMS: u64 = 1;
/// `TensorProto.data_type`.
pub(super) const TENSOR_DATA_TYPE: u64 = 2;
/// `TensorProto.int64_data`.
pub(super) const TENSOR_INT64_DATA: u64 = 7;
/// `TensorProto.name`.
pub(super) const TENSOR_NAME: u64 = 8;
/// `TensorProto.raw_data`.
pub(super) const TENSOR_RAW_DATA: u64 = 9;
/// `TensorProto.DataType.INT64`.
pub(super) const INT64: u64 = 7;
/// `GraphProto.node`.
pub(super) const GRAPH_NODE: u64 = 1;
/// `NodeProto.input`.
pub(super) const NODE_INPUT: u64 = 1;
/// `NodeProto.output`.
pub(super) const NODE_OUTPUT: u64 = 2;
/// `NodeProto.name`.
pub(super) const NODE_NAME: u64 = 3;
/// `NodeProto.op_type`.
pub(super) const NODE_OP_TYPE: u64 = 4;
/// `NodeProto.attribute`.
pub(super) const NODE_ATTRIBUTE: u64 = 5;
/// `NodeProto.domain`.
pub(super) const NODE_DOMAIN: u64 = 7;
/// `AttributeProto.name`.
pub(super) const ATTRIBUTE_NAME: u64 = 1;
/// `AttributeProto.f`.
pub(super) const ATTRIBUTE_FLOAT: u64 = 2;
/// `AttributeProto.type`.
pub(super) const ATTRIBUTE_TYPE: u64 = 20;
/// `AttributeProto.AttributeType.FLOAT`.
pub(super) const ATTRIBUTE_TYPE_FLOAT: u64 = 1;
/// `TensorProto.float_data`.
pub(super) const TENSOR_FLOAT_DATA: u64 = 4;
/// `TensorProto.DataType.FLOAT`.
pub(super) const FLOAT: u64 = 1;
