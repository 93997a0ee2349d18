"""Convert the FaceAntiSpoofing TFLite model to ONNX, operator by operator.

Neither `tflite2onnx` (no LEAKY_RELU) nor `tf2onnx` (leaf scores come out near zero) converts this
model correctly, so this script maps the fifteen TFLite operators the model uses onto ONNX itself.
Tensors keep TFLite's NHWC meaning; convolutions and pools read an NCHW copy, and element-wise
operators stay in NCHW while all their inputs are, so only a handful of transposes remain.

Run it in a throwaway virtual environment with `tflite==2.18.0`, `onnx==1.23.2` and `numpy`:

    python scripts/convert/tflite_to_onnx.py FaceAntiSpoofing.tflite FaceAntiSpoofing.onnx

Check the result against the TFLite interpreter (`scripts/reference/antispoofing_golden.py`)
before use: this script does not prove itself right.
"""

import sys

import numpy as np
import onnx
import tflite
from onnx import TensorProto, helper, numpy_helper

OPERATOR_NAMES = {
    value: name for name, value in tflite.BuiltinOperator.__dict__.items() if not name.startswith("_")
}
TFLITE_DTYPES = {
    tflite.TensorType.FLOAT32: np.float32,
    tflite.TensorType.FLOAT16: np.float16,
    tflite.TensorType.INT32: np.int32,
    tflite.TensorType.INT64: np.int64,
}
TO_NCHW = [0, 3, 1, 2]
TO_NHWC = [0, 2, 3, 1]


def options(op, kind):
    table = op.BuiltinOptions()
    parsed = kind()
    parsed.Init(table.Bytes, table.Pos)
    return parsed


class Converter:
    def __init__(self, model_bytes):
        self.model = tflite.Model.GetRootAsModel(model_bytes, 0)
        self.graph = self.model.Subgraphs(0)
        self.nodes = []
        self.initializers = {}
        self.constants = {}
        # tensor index -> name of its NHWC (TFLite) form and of its NCHW form, when made
        self.nhwc = {}
        self.nchw = {}
        self.counter = 0

    # --- tensors -------------------------------------------------------------------------------
    def tensor(self, index):
        return self.graph.Tensors(index)

    def shape(self, index):
        t = self.tensor(index)
        return [int(d) for d in t.ShapeAsNumpy()] if t.ShapeLength() else []

    def buffer_value(self, index):
        t = self.tensor(index)
        data = self.model.Buffers(t.Buffer()).DataAsNumpy()
        if isinstance(data, int) or data.size == 0:
            return None
        return np.frombuffer(data.tobytes(), TFLITE_DTYPES[t.Type()]).reshape(self.shape(index))

    def fresh(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def add_constant(self, value, stem="const"):
        name = self.fresh(stem)
        self.initializers[name] = numpy_helper.from_array(np.ascontiguousarray(value), name)
        return name

    def as_nhwc(self, index):
        if index in self.constants:
            return self.add_constant(self.constants[index])
        if index not in self.nhwc:
            name = self.fresh("nhwc")
            self.nodes.append(helper.make_node("Transpose", [self.nchw[index]], [name], perm=TO_NHWC))
            self.nhwc[index] = name
        return self.nhwc[index]

    def as_nchw(self, index):
        if index not in self.nchw:
            name = self.fresh("nchw")
            self.nodes.append(helper.make_node("Transpose", [self.as_nhwc(index)], [name], perm=TO_NCHW))
            self.nchw[index] = name
        return self.nchw[index]

    def output_name(self, index):
        return self.tensor(index).Name().decode()

    def activation(self, out_name, fused):
        """Appends the fused activation after a node whose raw result is `out_name`; returns the final name."""
        if fused == tflite.ActivationFunctionType.NONE:
            return out_name
        raise NotImplementedError(f"fused activation {fused}")

    # --- operators -----------------------------------------------------------------------------
    def same_pads(self, in_hw, kernel, stride):
        pads_begin, pads_end = [], []
        for size, k, s in zip(in_hw, kernel, stride):
            out = -(-size // s)
            total = max((out - 1) * s + k - size, 0)
            pads_begin.append(total // 2)
            pads_end.append(total - total // 2)
        return pads_begin + pads_end

    def spatial(self, op, onnx_type, kernel, stride, padding, extra_inputs=(), **attrs):
        source = op.Inputs(0)
        in_hw = self.shape(source)[1:3]
        pads = self.same_pads(in_hw, kernel, stride) if padding == tflite.Padding.SAME else [0, 0, 0, 0]
        out = self.fresh(onnx_type.lower())
        self.nodes.append(
            helper.make_node(
                onnx_type,
                [self.as_nchw(source), *extra_inputs],
                [out],
                strides=list(stride),
                pads=pads,
                **attrs,
            )
        )
        return out

    def convert_op(self, op):
        code = self.model.OperatorCodes(op.OpcodeIndex())
        name = OPERATOR_NAMES[max(code.BuiltinCode(), code.DeprecatedBuiltinCode())]
        inputs = [op.Inputs(i) for i in range(op.InputsLength())]
        output = op.Outputs(0)

        if name == "DEQUANTIZE":
            value = self.buffer_value(inputs[0])
            if value is None:
                raise NotImplementedError("DEQUANTIZE of a computed tensor")
            self.constants[output] = value.astype(np.float32)
            return

        if name == "CONV_2D":
            o = options(op, tflite.Conv2DOptions)
            assert o.DilationHFactor() == 1 and o.DilationWFactor() == 1
            weights = self.constants[inputs[1]]  # O, KH, KW, I
            kernel = weights.shape[1:3]
            w = self.add_constant(weights.transpose(0, 3, 1, 2), "w")
            b = self.add_constant(self.constants[inputs[2]], "b")
            out = self.spatial(op, "Conv", kernel, (o.StrideH(), o.StrideW()), o.Padding(), (w, b),
                               kernel_shape=list(kernel))
            self.nchw[output] = self.activation(out, o.FusedActivationFunction())
            return

        if name in ("MAX_POOL_2D", "AVERAGE_POOL_2D"):
            o = options(op, tflite.Pool2DOptions)
            kernel = (o.FilterHeight(), o.FilterWidth())
            onnx_type = "MaxPool" if name == "MAX_POOL_2D" else "AveragePool"
            # TFLite's average ignores padded cells, as ONNX's count_include_pad=0 (its default) does.
            out = self.spatial(op, onnx_type, kernel, (o.StrideH(), o.StrideW()), o.Padding(),
                               kernel_shape=list(kernel))
            self.nchw[output] = self.activation(out, o.FusedActivationFunction())
            return

        if name == "LEAKY_RELU":
            alpha = options(op, tflite.LeakyReluOptions).Alpha()
            self.elementwise("LeakyRelu", inputs, output, alpha=alpha)
            return

        if name in ("ADD", "SUB", "MUL"):
            kind = {"ADD": tflite.AddOptions, "SUB": tflite.SubOptions, "MUL": tflite.MulOptions}[name]
            fused = options(op, kind).FusedActivationFunction()
            assert fused == tflite.ActivationFunctionType.NONE
            self.elementwise(name.capitalize(), inputs, output)
            return

        if name in ("GREATER_EQUAL", "LESS"):
            self.elementwise({"GREATER_EQUAL": "GreaterOrEqual", "LESS": "Less"}[name], inputs, output)
            return

        if name == "CAST":
            to = {tflite.TensorType.FLOAT32: TensorProto.FLOAT}[self.tensor(output).Type()]
            self.elementwise("Cast", inputs, output, to=to)
            return

        if name == "RESHAPE":
            target = np.array(self.shape(output), np.int64)
            self.plain("Reshape", [self.as_nhwc(inputs[0]), self.add_constant(target, "shape")], output)
            return

        if name == "STRIDED_SLICE":
            o = options(op, tflite.StridedSliceOptions)
            begin, end, strides = (self.buffer_value(i) for i in inputs[1:4])
            rank = len(self.shape(inputs[0]))
            full = (1 << rank) - 1
            # This model only slices everything (both masks set on every axis, unit strides).
            assert o.BeginMask() == full and o.EndMask() == full and np.all(strides == 1)
            assert o.ShrinkAxisMask() == 0 and o.EllipsisMask() == 0 and o.NewAxisMask() == 0
            self.plain("Identity", [self.as_nhwc(inputs[0])], output)
            return

        if name == "CONCATENATION":
            o = options(op, tflite.ConcatenationOptions)
            assert o.FusedActivationFunction() == tflite.ActivationFunctionType.NONE
            axis = o.Axis() % len(self.shape(output))
            self.plain("Concat", [self.as_nhwc(i) for i in inputs], output, axis=axis)
            return

        if name == "FULLY_CONNECTED":
            o = options(op, tflite.FullyConnectedOptions)
            assert not o.KeepNumDims()
            weights = self.constants[inputs[1]]  # out, in
            flat = self.fresh("flat")
            self.nodes.append(
                helper.make_node(
                    "Reshape",
                    [self.as_nhwc(inputs[0]), self.add_constant(np.array([-1, weights.shape[1]], np.int64))],
                    [flat],
                )
            )
            gemm_inputs = [flat, self.add_constant(weights, "w")]
            if len(inputs) > 2 and inputs[2] >= 0:
                gemm_inputs.append(self.add_constant(self.constants[inputs[2]], "b"))
            out = self.fresh("gemm")
            self.nodes.append(helper.make_node("Gemm", gemm_inputs, [out], transB=1))
            self.nhwc[output] = self.activation(out, o.FusedActivationFunction())
            return

        raise NotImplementedError(name)

    def plain(self, onnx_type, input_names, output, **attrs):
        out = self.fresh(onnx_type.lower())
        self.nodes.append(helper.make_node(onnx_type, input_names, [out], **attrs))
        self.nhwc[output] = out

    def elementwise(self, onnx_type, inputs, output, **attrs):
        """Stays NCHW when every input is a 4-D tensor already in NCHW form."""
        four_d = all(len(self.shape(i)) == 4 and i in self.nchw for i in inputs)
        out = self.fresh(onnx_type.lower())
        if four_d:
            self.nodes.append(helper.make_node(onnx_type, [self.nchw[i] for i in inputs], [out], **attrs))
            self.nchw[output] = out
        else:
            self.nodes.append(helper.make_node(onnx_type, [self.as_nhwc(i) for i in inputs], [out], **attrs))
            self.nhwc[output] = out

    # --- the graph -----------------------------------------------------------------------------
    def convert(self):
        graph_inputs = []
        for i in range(self.graph.InputsLength()):
            index = self.graph.Inputs(i)
            name = self.output_name(index)
            self.nhwc[index] = name
            graph_inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, self.shape(index)))
        for k in range(self.graph.OperatorsLength()):
            self.convert_op(self.graph.Operators(k))
        graph_outputs = []
        for i in range(self.graph.OutputsLength()):
            index = self.graph.Outputs(i)
            name = self.output_name(index)
            self.nodes.append(helper.make_node("Identity", [self.as_nhwc(index)], [name]))
            graph_outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, self.shape(index)))
        graph = helper.make_graph(
            self.nodes, "FaceAntiSpoofing", graph_inputs, graph_outputs, list(self.initializers.values())
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                                  producer_name="kyc scripts/convert/tflite_to_onnx.py")
        model.ir_version = 7
        onnx.checker.check_model(model)
        return model


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        model = Converter(f.read()).convert()
    onnx.save(model, target)


if __name__ == "__main__":
    main()
