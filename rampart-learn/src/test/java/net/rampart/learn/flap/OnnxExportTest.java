package net.rampart.learn.flap;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exported ONNX model, run in onnxruntime, predicts what the model's own tree walk does. */
class OnnxExportTest {

    @Test
    void onnxRuntimeAgreesWithTheTreeWalk() throws Exception {
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        LabelledRows rows = SyntheticFlapRows.generate(8_000, 3, start.toEpochMilli(), Duration.ofDays(5));
        FlapModel model = new FlapModelTrainer(FlapModelParameters.DEFAULTS.withRounds(40))
                .train(rows, start.plus(Duration.ofDays(4)), SyntheticFlapRows.FIGURE_OF_MERIT);
        double[] walked = model.probabilities(rows);

        byte[] onnx = OnnxExport.toOnnx(model);

        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(onnx, options);
                 OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(rows.featureArray()),
                         new long[] {rows.rowCount(), rows.featureCount()});
                 OrtSession.Result result = session.run(Map.of("input", input))) {
                assertThat(session.getMetadata().getCustomMetadata())
                        .containsEntry("threshold", Double.toString(model.threshold()))
                        .containsEntry("features", String.join(",", SyntheticFlapRows.FEATURES));
                float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
                long[] labels = (long[]) result.get("label").orElseThrow().getValue();
                double maxDifference = 0;
                int flaps = 0;
                for (int row = 0; row < rows.rowCount(); row++) {
                    maxDifference = Math.max(maxDifference, Math.abs(probabilities[row][1] - walked[row]));
                    assertThat(probabilities[row][0] + probabilities[row][1]).isBetween(0.9999f, 1.0001f);
                    if (Math.abs(walked[row] - 0.5) > 1e-4) {
                        assertThat(labels[row]).isEqualTo(walked[row] > 0.5 ? 1L : 0L);
                    }
                    flaps += (int) labels[row];
                }
                assertThat(maxDifference).isLessThan(1e-5);
                assertThat(flaps).isPositive().isLessThan(rows.rowCount());
            }
        }
    }
}
