"""The attention mask folded into the attention scores' MatMul of an exported BERT-like graph.

The exported graph adds the padding mask to every layer's scaled scores, `Softmax(alpha * Q K^T +
mask)`: a pass over heads x tokens x tokens values per layer, 4.6% of the per-row int8 graph's
single-threaded time on the bench's chunks. Here each query row gets one more column, 1, and
each key one more row, 0 for a word piece and `penalty / alpha` for padding, so the same MatMul
adds the mask: a word piece's scores gain `1 * 0` (the same floats: vectors identical to the
unfolded graph's, 0.0 apart on the bench's chunks), padding's fall to about -10,000, which
Softmax turns into exactly 0, as the exported mask's -3.4e38 did. Two Concats of tokens x (head
size + 1) values per layer instead: 0.97x the CPU of the bench's calls (docs/evaluation.md,
issue 17 round 5). A Softmax not fed by that pattern is left as it is. The mask replaced is
taken to be the key padding mask of `attention_mask`, as in the BERT-like encoders that
`vectorstore.export` exports (no causal or other mask).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from onnx import GraphProto, NodeProto

PENALTY = -1e4  # a padded key's score: exp(-1e4) is 0.0 in float32, as exp(-3.4e38) was
_P = "foldmask_"


def fold_attention_mask(graph: GraphProto, mask_input: str = "attention_mask") -> int:
    """Fold the padding mask of each `Softmax(Mul(MatMul(q, k), alpha) + mask)` into the MatMul;
    returns how many were folded. `mask_input` is the graph input of 1 (word piece) and 0 (padding)."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    if not any(i.name == mask_input for i in graph.input):
        return 0
    producer = {name: node for node in graph.node for name in node.output}
    constants = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            constants[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    added: list[NodeProto] = []
    folded = 0
    for softmax in [n for n in graph.node if n.op_type == "Softmax"]:
        found = _scores(softmax, producer, constants)
        if found is None:
            continue
        matmul, scale, alpha = found
        if not added:  # the ones column and the mask rows, shaped from the first layer's queries
            added += _mask_rows(matmul.input[0])
            graph.initializer.extend(
                [
                    numpy_helper.from_array(np.array(1.0, np.float32), _P + "one"),
                    numpy_helper.from_array(np.array(PENALTY / alpha, np.float32), _P + "penalty"),
                    numpy_helper.from_array(np.array([1], np.int64), _P + "1"),
                    numpy_helper.from_array(np.array([0], np.int64), _P + "0"),
                    numpy_helper.from_array(np.array([2], np.int64), _P + "2"),
                    numpy_helper.from_array(np.array([3], np.int64), _P + "3"),
                    numpy_helper.from_array(np.array([1, 2], np.int64), _P + "axes"),
                ]
            )
            added.insert(0, helper.make_node("Cast", [mask_input], [_P + "mask"], to=TensorProto.FLOAT))
        p = _P + str(folded)
        added += [
            helper.make_node("Concat", [matmul.input[0], _P + "ones"], [p + "_queries"], axis=-1),
            helper.make_node("Concat", [matmul.input[1], _P + "rows"], [p + "_keys"], axis=2),
        ]
        matmul.input[0], matmul.input[1] = p + "_queries", p + "_keys"
        softmax.input[0] = scale.output[0]  # the mask's Add is left without users
        folded += 1
    graph.node.extend(added)
    _drop_unused(graph)
    _sort(graph)
    return folded


def _scores(
    softmax: NodeProto, producer: dict[str, NodeProto], constants: dict[str, np.ndarray]
) -> tuple[NodeProto, NodeProto, float] | None:
    """(MatMul, Mul, alpha) of `Softmax(Mul(MatMul(q, k), alpha) + mask)`, or None if not that."""
    add = producer.get(softmax.input[0])
    if add is None or add.op_type != "Add":
        return None
    scale = producer.get(add.input[0])
    if scale is None or scale.op_type != "Mul" or scale.input[1] not in constants:
        return None
    matmul = producer.get(scale.input[0])
    alpha = constants[scale.input[1]]
    if matmul is None or matmul.op_type != "MatMul" or alpha.size != 1 or float(alpha) <= 0:
        return None
    return matmul, scale, float(alpha)


def _mask_rows(queries: str) -> list[NodeProto]:
    """Nodes making `foldmask_ones` (batch, heads, tokens, 1) and `foldmask_rows` (batch, heads,
    1, tokens: 0 for a word piece, `foldmask_penalty` for padding) from the queries' shape."""
    from onnx import helper

    return [
        helper.make_node("Shape", [queries], [_P + "shape"]),  # batch, heads, tokens, head size
        helper.make_node("Slice", [_P + "shape", _P + "0", _P + "3"], [_P + "bht"]),
        helper.make_node("Concat", [_P + "bht", _P + "1"], [_P + "ones_shape"], axis=0),
        helper.make_node("Expand", [_P + "one", _P + "ones_shape"], [_P + "ones"]),
        helper.make_node("Slice", [_P + "shape", _P + "0", _P + "2"], [_P + "bh"]),
        helper.make_node("Slice", [_P + "shape", _P + "2", _P + "3"], [_P + "t"]),
        helper.make_node("Concat", [_P + "bh", _P + "1", _P + "t"], [_P + "rows_shape"], axis=0),
        helper.make_node("Sub", [_P + "one", _P + "mask"], [_P + "padding"]),
        helper.make_node("Mul", [_P + "padding", _P + "penalty"], [_P + "penalties"]),
        helper.make_node("Unsqueeze", [_P + "penalties", _P + "axes"], [_P + "penalties_4d"]),
        helper.make_node("Expand", [_P + "penalties_4d", _P + "rows_shape"], [_P + "rows"]),
    ]


def _drop_unused(graph: GraphProto) -> None:
    """Remove nodes (and initializers) whose outputs nothing uses, until none is left."""
    outputs = {o.name for o in graph.output}
    while True:
        used = {name for node in graph.node for name in node.input} | outputs
        kept = [n for n in graph.node if any(o in used for o in n.output)]
        if len(kept) == len(graph.node):
            break
        del graph.node[:]
        graph.node.extend(kept)
    used = {name for node in graph.node for name in node.input}
    initializers = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(initializers)


def _sort(graph: GraphProto) -> None:
    """Order the nodes so each comes after the producers of its inputs (ONNX requires it)."""
    ready = {i.name for i in graph.input} | {t.name for t in graph.initializer} | {""}
    pending, ordered = list(graph.node), []
    while pending:
        waiting = []
        for node in pending:
            if all(i in ready for i in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                waiting.append(node)
        if len(waiting) == len(pending):
            raise ValueError("unexpected graph: a cycle")
        pending = waiting
    del graph.node[:]
    graph.node.extend(ordered)
