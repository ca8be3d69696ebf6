"""int8 versions of the exported fp32 graph: per-row (the default) and ORT's dynamic one (older indexes).

ONNX Runtime's dynamic quantization picks one activation range per call for the whole input
tensor, so a text's vector depends on what it was batched with (and on their padding): such a
graph can only run one text per call. The per-row graph rewrites each `DynamicQuantizeLinear`
into a quantization with one scale per word piece (symmetric, `max |x| / 127`, zero point 128,
QuantizeLinear per axis over the rows)
and each integer MatMul into `MatMulIntegerToFloat` with the weight scales, followed by a
multiplication by the row scales. A word piece's activations are then quantized from its own
values only: vectors are the same whatever the batch, and closer to fp32 (cosine 0.996 at
worst on the bench sample, against 0.990 for one range per text). No calibration data, so
nothing to ship beyond the file itself, whose sha256 the export manifest holds.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from vectorstore.attention import fold_attention_mask

if TYPE_CHECKING:
    from collections.abc import Sequence

    from onnx import NodeProto, TensorProto

_ONE = "rowq_one"
_ZERO_POINT = "rowq_zero_point"
_INV127 = "rowq_inverse_127"
_EPSILON = "rowq_epsilon"
_AXES = "rowq_axes"
_FLAT = "rowq_flat"
_BY = "rowq_rows_by_"  # + width: the 2-D view of an activation
_ROW_ZERO_POINTS = "rowq_row_zero_points"


def quantize_dynamic_int8(source: Path, out: Path) -> None:
    """ONNX Runtime's dynamic int8 quantization of the MatMul weights, per channel."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # its pre-processing hint
    quantize_dynamic(
        str(source), str(out), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"]
    )


def quantize_per_row_int8(dynamic: Path, out: Path, fold_mask: bool = True) -> None:
    """Rewrite the dynamic int8 graph at `dynamic` so activations are quantized per word piece,
    and (unless not `fold_mask`: the graph of recipe 4) the attention mask folded into the
    scores' MatMul (`vectorstore.attention`)."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(dynamic))
    graph = model.graph
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    graph.initializer.extend(
        [
            numpy_helper.from_array(np.array(1.0, np.float32), _ONE),
            numpy_helper.from_array(np.array(128, np.uint8), _ZERO_POINT),
            numpy_helper.from_array(np.array(1 / 127, np.float32), _INV127),
            numpy_helper.from_array(np.array(1e-8, np.float32), _EPSILON),
            numpy_helper.from_array(np.array([-1], np.int64), _AXES),
            numpy_helper.from_array(np.array([-1], np.int64), _FLAT),
        ]
    )
    users: dict[str, list[NodeProto]] = {}
    producer: dict[str, NodeProto] = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)
        for name in node.output:
            producer[name] = node
    row_scales: dict[str, str] = {}  # quantized tensor -> its row scales
    replaced: set[int] = set()
    nodes: list[NodeProto] = []
    widths: set[int] = set()
    for node in graph.node:
        if node.op_type == "DynamicQuantizeLinear":
            # every activation has one row per word piece: the zero points are made once, by the first
            width = _width(users[node.output[0]], graph.initializer)
            nodes += _per_row_quantize(node, opset, width, not row_scales)
            row_scales[node.output[0]] = node.output[1]
            if width not in widths:
                widths.add(width)
                graph.initializer.append(
                    numpy_helper.from_array(np.array([-1, width], np.int64), _BY + str(width))
                )
        elif node.op_type == "MatMulInteger":
            # MatMulInteger -> Cast -> Mul(., a_scale * w_scale): one fused op, then the row scales
            cast = _only(users[node.output[0]], "Cast")
            scale = _only(users[cast.output[0]], "Mul")
            scales = producer[next(i for i in scale.input if i != cast.output[0])]
            activations, weights, _, weight_zero_point = node.input
            weight_scale = next(i for i in scales.input if i != row_scales[activations])
            replaced |= {id(cast), id(scale), id(scales)}
            nodes += [
                helper.make_node(
                    "MatMulIntegerToFloat",
                    [activations, weights, _ONE, weight_scale, _ZERO_POINT, weight_zero_point],
                    [node.name + "_float"],
                    domain="com.microsoft",
                ),
                helper.make_node("Mul", [node.name + "_float", row_scales[activations]], [scale.output[0]]),
            ]
        else:
            nodes.append(node)
    kept = [n for n in nodes if id(n) not in replaced]
    del graph.node[:]
    graph.node.extend(kept)
    if fold_mask:
        fold_attention_mask(graph)
    onnx.checker.check_model(model)
    onnx.save(model, str(out))


def _per_row_quantize(node: NodeProto, opset: int, width: int, first: bool) -> list[NodeProto]:
    """x -> (round(x / s) + 128 as uint8, s, 128) with s = max |x| / 127 over each row.

    The division is QuantizeLinear's own, one scale per row of a 2-D view of x (rows x `width`,
    no copy): a pass over the activations fewer than dividing first (3% of a single-threaded
    pass, the same vectors; docs/evaluation.md). The `first` quantization also makes the row
    zero points every later one shares.
    """
    from onnx import helper

    x = node.input[0]
    quantized, scale, zero_point = node.output
    p = node.name
    reduce = (
        helper.make_node("ReduceMax", [p + "_abs", _AXES], [p + "_max"], keepdims=1)
        if opset >= 18
        else helper.make_node("ReduceMax", [p + "_abs"], [p + "_max"], keepdims=1, axes=[-1])
    )
    zero_points = [
        helper.make_node("Shape", [p + "_row_scales"], [p + "_rows"]),
        helper.make_node("Expand", [_ZERO_POINT, p + "_rows"], [_ROW_ZERO_POINTS]),
    ]
    return [
        helper.make_node("Abs", [x], [p + "_abs"]),
        reduce,
        helper.make_node("Max", [p + "_max", _EPSILON], [p + "_nonzero"]),
        helper.make_node("Mul", [p + "_nonzero", _INV127], [scale]),
        helper.make_node("Reshape", [scale, _FLAT], [p + "_row_scales"]),
        *(zero_points if first else []),
        helper.make_node("Reshape", [x, _BY + str(width)], [p + "_rows_2d"]),
        helper.make_node(
            "QuantizeLinear",
            [p + "_rows_2d", p + "_row_scales", _ROW_ZERO_POINTS],
            [p + "_quantized_2d"],
            axis=0,
        ),
        helper.make_node("Shape", [x], [p + "_shape"]),
        helper.make_node("Reshape", [p + "_quantized_2d", p + "_shape"], [quantized]),
        helper.make_node("Identity", [_ZERO_POINT], [zero_point]),
    ]


def _width(users: list[NodeProto], initializers: Sequence[TensorProto]) -> int:
    """The width of quantized activations: the rows of the weights of the integer MatMuls they feed."""
    if not users or any(u.op_type != "MatMulInteger" for u in users):
        raise ValueError("unexpected graph: quantized activations that feed no integer MatMul")
    weights = next((t for t in initializers if t.name == users[0].input[1]), None)
    if weights is None or len(weights.dims) != 2:
        raise ValueError("unexpected graph: an integer MatMul without 2-D weights")
    return int(weights.dims[0])


def _only(nodes: list[NodeProto], op_type: str) -> NodeProto:
    """The one node of `nodes`, which must be an `op_type` (the dynamic graph's pattern)."""
    if len(nodes) != 1 or nodes[0].op_type != op_type:
        raise ValueError(f"unexpected graph: expected one {op_type} after an integer MatMul")
    return nodes[0]
