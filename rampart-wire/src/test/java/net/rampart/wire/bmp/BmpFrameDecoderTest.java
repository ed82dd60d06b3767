package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.rampart.wire.DecodeException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BmpFrameDecoderTest {

    private static final byte[] INITIATION = BmpBytes.body().tlv(InformationTlv.SYS_NAME, "r1").message(BmpMessage.INITIATION);
    private static final byte[] TERMINATION = BmpBytes.body().u16(1).u16(2).u16(0).message(BmpMessage.TERMINATION);

    @Property(tries = 200)
    void anySplitOfTheStreamYieldsTheSameMessages(@ForAll @IntRange(min = 1, max = 40) int chunk) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            stream.writeBytes(i % 2 == 0 ? INITIATION : TERMINATION);
        }
        byte[] all = stream.toByteArray();
        BmpFrameDecoder framer = new BmpFrameDecoder();
        List<byte[]> messages = new ArrayList<>();
        for (int off = 0; off < all.length; off += chunk) {
            framer.append(all, off, Math.min(chunk, all.length - off));
            for (byte[] m = framer.next(); m != null; m = framer.next()) {
                messages.add(m);
            }
        }
        assertThat(messages).hasSize(50);
        assertThat(messages.get(0)).isEqualTo(INITIATION);
        assertThat(messages.get(49)).isEqualTo(TERMINATION);
        assertThat(framer.bufferedBytes()).isZero();
    }

    @Property(tries = 100)
    void messagesFoundInPlaceAreTheBytesOfEachMessage(@ForAll @IntRange(min = 1, max = 40) int chunk) {
        byte[] all = new byte[5 * (INITIATION.length + TERMINATION.length)];
        for (int i = 0, at = 0; i < 5; i++, at += INITIATION.length + TERMINATION.length) {
            System.arraycopy(INITIATION, 0, all, at, INITIATION.length);
            System.arraycopy(TERMINATION, 0, all, at + INITIATION.length, TERMINATION.length);
        }
        BmpFrameDecoder framer = new BmpFrameDecoder();
        List<byte[]> messages = new ArrayList<>();
        for (int off = 0; off < all.length; off += chunk) {
            framer.append(all, off, Math.min(chunk, all.length - off));
            for (int n = framer.nextInPlace(); n != 0; n = framer.nextInPlace()) {
                messages.add(java.util.Arrays.copyOfRange(framer.array(), framer.messageOffset(), framer.messageOffset() + n));
            }
        }
        assertThat(messages).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(messages.get(i)).isEqualTo(i % 2 == 0 ? INITIATION : TERMINATION);
        }
    }

    @Test
    void incompleteMessageWaitsForMoreBytes() {
        BmpFrameDecoder framer = new BmpFrameDecoder();
        framer.append(INITIATION, 0, 5);
        assertThat(framer.next()).isNull();
        framer.append(INITIATION, 5, INITIATION.length - 6);
        assertThat(framer.next()).isNull();
        framer.append(INITIATION, INITIATION.length - 1, 1);
        assertThat(framer.next()).isEqualTo(INITIATION);
        assertThat(framer.next()).isNull();
    }

    @Test
    void largeMessagesArrivingInSmallChunksBetweenSmallOnesAreReassembled() {
        byte[] large = BmpBytes.body().bytes(new byte[200_000]).message(200);
        large[1000] = 42;
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(INITIATION);
        stream.writeBytes(large);
        stream.writeBytes(TERMINATION);
        stream.writeBytes(large);
        byte[] all = stream.toByteArray();
        BmpFrameDecoder framer = new BmpFrameDecoder();
        List<byte[]> messages = new ArrayList<>();
        for (int off = 0; off < all.length; off += 1460) {
            framer.append(all, off, Math.min(1460, all.length - off));
            for (byte[] m = framer.next(); m != null; m = framer.next()) {
                messages.add(m);
            }
        }
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1)).isEqualTo(large);
        assertThat(messages.get(3)).isEqualTo(large);
        assertThat(framer.bufferedBytes()).isZero();
    }

    @Test
    void zeroLengthAppendChangesNothing() {
        BmpFrameDecoder framer = new BmpFrameDecoder();
        framer.append(new byte[0]);
        assertThat(framer.next()).isNull();
        assertThat(framer.bufferedBytes()).isZero();
    }

    @Test
    void wrongVersionLosesFramingForGood() {
        BmpFrameDecoder framer = new BmpFrameDecoder();
        byte[] v2 = INITIATION.clone();
        v2[0] = 2;
        framer.append(v2);
        assertThatThrownBy(framer::next).isInstanceOf(DecodeException.class).hasMessageContaining("version 2");
        framer.append(INITIATION);
        assertThat(framer.isFramingLost()).isTrue();
        assertThatThrownBy(framer::next).isInstanceOf(DecodeException.class);
    }

    @Test
    void lengthBelowTheHeaderLosesFraming() {
        BmpFrameDecoder framer = new BmpFrameDecoder();
        framer.append(new byte[] {3, 0, 0, 0, 5, 4});
        assertThatThrownBy(framer::next).isInstanceOf(DecodeException.class).hasMessageContaining("length 5");
    }

    @Test
    void lengthAboveTheMaximumLosesFramingWithoutAllocatingIt() {
        BmpFrameDecoder framer = new BmpFrameDecoder(1024);
        framer.append(new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0});
        assertThatThrownBy(framer::next).isInstanceOf(DecodeException.class).hasMessageContaining("4294967295");
    }

    @Test
    void messageOfExactlyTheMaximumLengthIsAccepted() {
        int max = 300;
        byte[] body = new byte[max - 6];
        byte[] message = BmpBytes.body().bytes(body).message(200);
        BmpFrameDecoder framer = new BmpFrameDecoder(max);
        framer.append(message);
        assertThat(framer.next()).isEqualTo(message);
        byte[] tooLong = BmpBytes.body().bytes(new byte[max - 5]).message(200);
        framer.append(tooLong);
        assertThatThrownBy(framer::next).isInstanceOf(DecodeException.class);
    }
}
