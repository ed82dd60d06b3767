package net.rampart.learn.flap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link FlapModel} as an ONNX model, for serving it outside Rampart (onnxruntime and
 * anything else that runs the {@code ai.onnx.ml} operators).
 *
 * <p>The graph is one {@code TreeEnsembleClassifier} node (opset {@code ai.onnx.ml} 3, IR version 8).
 * Input {@code "input"}: float [N, features], in {@link FlapModel#featureNames()} order, NaN for
 * missing. Outputs {@code "probabilities"}: float [N, 2], column 1 the chance of a flap;
 * {@code "label"}: int64 [N], the operator's own decision at probability 0.5, not the model's
 * threshold (that one is in the model's metadata, key {@code threshold}). Each XGBoost split becomes a {@code BRANCH_LT} node (x &lt; condition is the true
 * branch, the left child), a missing value follows XGBoost's default direction, and the base score
 * enters as the logit it is in margin space, with a logistic post-transform.
 *
 * <p>The protobuf is written by hand: the handful of field kinds ONNX needs do not justify a
 * protobuf runtime.
 */
public final class OnnxExport {

    // onnx.proto field numbers and enum values.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_DOC_STRING = 6;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_S = 4;
    private static final int ATTRIBUTE_FLOATS = 7;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_STRINGS = 9;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int TYPE_STRING = 3;
    private static final int TYPE_FLOATS = 6;
    private static final int TYPE_INTS = 7;
    private static final int TYPE_STRINGS = 8;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;
    private static final int ELEM_FLOAT = 1;
    private static final int ELEM_INT64 = 7;

    private static final long IR_VERSION = 8;
    private static final long ONNX_OPSET = 13;
    private static final long ONNX_ML_OPSET = 3;

    private OnnxExport() {
    }

    /** The ONNX model's bytes. */
    public static byte[] toOnnx(FlapModel model) {
        TreeEnsemble trees = model.trees();
        int nodes = trees.nodeCount();
        int leaves = 0;
        for (int node = 0; node < nodes; node++) {
            if (trees.isLeaf(node)) {
                leaves++;
            }
        }
        long[] treeIds = new long[nodes];
        long[] nodeIds = new long[nodes];
        long[] featureIds = new long[nodes];
        String[] modes = new String[nodes];
        float[] values = new float[nodes];
        long[] trueIds = new long[nodes];
        long[] falseIds = new long[nodes];
        long[] missingTracksTrue = new long[nodes];
        long[] leafTreeIds = new long[leaves];
        long[] leafNodeIds = new long[leaves];
        float[] leafWeights = new float[leaves];
        int leaf = 0;
        for (int t = 0; t < trees.treeCount(); t++) {
            int root = trees.roots[t];
            for (int node = root; node < trees.treeEnd(t); node++) {
                treeIds[node] = t;
                nodeIds[node] = node - root;  // ONNX numbers nodes within their tree
                if (trees.isLeaf(node)) {
                    modes[node] = "LEAF";
                    leafTreeIds[leaf] = t;
                    leafNodeIds[leaf] = node - root;
                    leafWeights[leaf] = trees.condition[node];
                    leaf++;
                } else {
                    modes[node] = "BRANCH_LT";
                    featureIds[node] = trees.splitFeature[node];
                    values[node] = trees.condition[node];
                    trueIds[node] = trees.left[node] - root;
                    falseIds[node] = trees.right[node] - root;
                    missingTracksTrue[node] = trees.defaultLeft[node] ? 1 : 0;
                }
            }
        }

        Message classifier = new Message()
                .string(NODE_INPUT, "input")
                .string(NODE_OUTPUT, "label")
                .string(NODE_OUTPUT, "probabilities")
                .string(NODE_NAME, "flap_trees")
                .string(NODE_OP_TYPE, "TreeEnsembleClassifier")
                .string(NODE_DOMAIN, "ai.onnx.ml")
                .message(NODE_ATTRIBUTE, ints("nodes_treeids", treeIds))
                .message(NODE_ATTRIBUTE, ints("nodes_nodeids", nodeIds))
                .message(NODE_ATTRIBUTE, ints("nodes_featureids", featureIds))
                .message(NODE_ATTRIBUTE, strings("nodes_modes", modes))
                .message(NODE_ATTRIBUTE, floats("nodes_values", values))
                .message(NODE_ATTRIBUTE, ints("nodes_truenodeids", trueIds))
                .message(NODE_ATTRIBUTE, ints("nodes_falsenodeids", falseIds))
                .message(NODE_ATTRIBUTE, ints("nodes_missing_value_tracks_true", missingTracksTrue))
                .message(NODE_ATTRIBUTE, ints("class_treeids", leafTreeIds))
                .message(NODE_ATTRIBUTE, ints("class_nodeids", leafNodeIds))
                .message(NODE_ATTRIBUTE, ints("class_ids", new long[leaves]))
                .message(NODE_ATTRIBUTE, floats("class_weights", leafWeights))
                .message(NODE_ATTRIBUTE, ints("classlabels_int64s", new long[] {0, 1}))
                .message(NODE_ATTRIBUTE, floats("base_values", new float[] {(float) trees.baseMargin}))
                .message(NODE_ATTRIBUTE, string("post_transform", "LOGISTIC"));

        Message graph = new Message()
                .message(GRAPH_NODE, classifier)
                .string(GRAPH_NAME, "flap_model")
                .message(GRAPH_INPUT, tensor("input", ELEM_FLOAT, model.featureCount()))
                .message(GRAPH_OUTPUT, tensor("label", ELEM_INT64))
                .message(GRAPH_OUTPUT, tensor("probabilities", ELEM_FLOAT, 2));

        return new Message()
                .int64(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "rampart")
                .string(MODEL_DOC_STRING, "Chance that a route flaps within " + model.horizon()
                        + "; input columns: " + String.join(", ", model.featureNames()))
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, new Message().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, ONNX_OPSET))
                .message(MODEL_OPSET_IMPORT,
                        new Message().string(OPSET_DOMAIN, "ai.onnx.ml").int64(OPSET_VERSION, ONNX_ML_OPSET))
                .message(MODEL_METADATA_PROPS, entry("features", String.join(",", model.featureNames())))
                .message(MODEL_METADATA_PROPS, entry("threshold", Double.toString(model.threshold())))
                .message(MODEL_METADATA_PROPS, entry("horizon_seconds", Long.toString(model.horizon().toSeconds())))
                .bytes();
    }

    /** A tensor of floats or int64s: the first dimension is the batch ("N"), then {@code dims}. */
    private static Message tensor(String name, int elemType, long... dims) {
        Message shape = new Message().message(SHAPE_DIM, new Message().string(DIM_PARAM, "N"));
        for (long dim : dims) {
            shape.message(SHAPE_DIM, new Message().int64(DIM_VALUE, dim));
        }
        Message tensorType = new Message().int64(TENSOR_ELEM_TYPE, elemType).message(TENSOR_SHAPE, shape);
        return new Message().string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new Message().message(TYPE_TENSOR, tensorType));
    }

    private static Message ints(String name, long[] values) {
        return new Message().string(ATTRIBUTE_NAME, name).int64(ATTRIBUTE_TYPE, TYPE_INTS)
                .packedInt64(ATTRIBUTE_INTS, values);
    }

    private static Message floats(String name, float[] values) {
        return new Message().string(ATTRIBUTE_NAME, name).int64(ATTRIBUTE_TYPE, TYPE_FLOATS)
                .packedFloat(ATTRIBUTE_FLOATS, values);
    }

    private static Message string(String name, String value) {
        return new Message().string(ATTRIBUTE_NAME, name).int64(ATTRIBUTE_TYPE, TYPE_STRING)
                .string(ATTRIBUTE_S, value);
    }

    private static Message strings(String name, String[] values) {
        Message attribute = new Message().string(ATTRIBUTE_NAME, name).int64(ATTRIBUTE_TYPE, TYPE_STRINGS);
        for (String value : values) {
            attribute.string(ATTRIBUTE_STRINGS, value);
        }
        return attribute;
    }

    private static Message entry(String key, String value) {
        return new Message().string(ENTRY_KEY, key).string(ENTRY_VALUE, value);
    }

    /**
     * One protobuf message being written: each field is a tag (field number and wire type) and
     * its value; nested messages and strings are length-delimited.
     */
    private static final class Message {
        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message int64(int field, long value) {
            tag(field, VARINT);
            varint(value);
            return this;
        }

        Message string(int field, String value) {
            return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return lengthDelimited(field, value.bytes());
        }

        Message packedInt64(int field, long[] values) {
            Message packed = new Message();
            for (long value : values) {
                packed.varint(value);
            }
            return lengthDelimited(field, packed.bytes());
        }

        Message packedFloat(int field, float[] values) {
            tag(field, LENGTH_DELIMITED);
            varint(4L * values.length);
            for (float value : values) {
                int bits = Float.floatToRawIntBits(value);  // little-endian fixed32
                out.write(bits);
                out.write(bits >>> 8);
                out.write(bits >>> 16);
                out.write(bits >>> 24);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Message lengthDelimited(int field, byte[] value) {
            tag(field, LENGTH_DELIMITED);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        private void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        /** Base-128, least significant group first; a negative value takes all ten bytes, as protobuf's int64 does. */
        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
