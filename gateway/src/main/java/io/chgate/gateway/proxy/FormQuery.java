package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of a {@code multipart/form-data} request (external tables). ClickHouse runs the URL's {@code query}
 * followed by every non-file form field named {@code query}, in order. The form is held up to the query limit and
 * its query fields read; what follows streams past a {@link MultipartScanner} that refuses any {@code query} field
 * arriving later, before its bytes are forwarded, so no text can join the query unseen.
 */
final class FormQuery implements MultipartScanner.Listener, AutoCloseable {

    enum Status { NEED_MORE, COMPLETE }

    private final MultipartScanner scanner;
    private final SettingsStage settings;
    private final byte[] urlQuery;
    private final int maxQueryBytes;
    private final CompositeByteBuf held;
    private final List<long[]> queryContents = new ArrayList<>();
    private long openQueryContent = -1;
    private boolean sawFile;
    private boolean complete;
    private boolean lateQueryField;
    private boolean released;

    FormQuery(ByteBufAllocator alloc, String boundary, String urlQuery, int maxQueryBytes, SettingsStage settings) {
        this.settings = settings;
        this.scanner = new MultipartScanner(boundary, this);
        this.urlQuery = urlQuery == null ? new byte[0] : urlQuery.getBytes(StandardCharsets.UTF_8);
        this.maxQueryBytes = maxQueryBytes;
        this.held = alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    @Override
    public void onPart(long partStart, String name, boolean file, long contentStart) {
        if (!file) {
            settings.checkFormField(name);   // fields that are not files become settings in ClickHouse
        }
        if (file) {
            sawFile = true;
        } else if ("query".equals(name)) {
            if (complete) {
                lateQueryField = true;
            } else {
                openQueryContent = contentStart;
            }
        }
    }

    @Override
    public void onPartEnd(long contentEnd) {
        if (openQueryContent >= 0) {
            queryContents.add(new long[] {openQueryContent, contentEnd});
            openQueryContent = -1;
        }
    }

    @Override
    public void onEnd() {
    }

    /**
     * Takes ownership of {@code chunk} while the query is being read. A form that ends within the query limit is
     * read whole, its query fields wherever they are; a larger one is read up to the limit, once a file has begun
     * (external tables are data, not SQL), and from then on a {@code query} field is refused.
     */
    Status append(ByteBuf chunk, boolean last) {
        held.addComponent(true, chunk);
        scan(chunk);
        if (scanner.ended() || last) {
            if (openQueryContent >= 0) {
                throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS,
                        "chgate: the multipart form ends inside its query field");
            }
            complete = true;
            return Status.COMPLETE;
        }
        if (held.readableBytes() > maxQueryBytes) {
            if (openQueryContent >= 0 || !sawFile) {
                throw new ClickHouseError(ErrorCode.QUERY_IS_TOO_LARGE, "chgate: the form's query fields are larger"
                        + " than limits.max_query_size (" + maxQueryBytes + " bytes); send less SQL");
            }
            complete = true;
            return Status.COMPLETE;
        }
        return Status.NEED_MORE;
    }

    /** Follows a later part of the body (not held) before it is forwarded. */
    void watch(ByteBuf chunk) {
        scan(chunk);
    }

    private void scan(ByteBuf chunk) {
        try {
            scanner.scan(chunk);
        } catch (MultipartScanner.MalformedFormException e) {
            throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS, "chgate: malformed multipart form: " + e.getMessage());
        }
        if (lateQueryField) {
            throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS, "chgate: in a multipart form larger than"
                    + " limits.max_query_size (" + maxQueryBytes + " bytes), query fields must come before the first"
                    + " file; send them first, or put the query in the URL");
        }
    }

    /** The text ClickHouse will run: the URL's query, then each query field. */
    String sql() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes(urlQuery);
        for (long[] content : queryContents) {
            int from = (int) content[0];
            byte[] bytes = new byte[(int) (content[1] - content[0])];
            held.getBytes(held.readerIndex() + from, bytes);
            text.writeBytes(bytes);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    boolean hasQueryFields() {
        return !queryContents.isEmpty();
    }

    /** Bytes the rewritten body is shorter by: the query fields' contents, emptied. */
    long queryFieldBytes() {
        return queryContents.stream().mapToLong(c -> c[1] - c[0]).sum();
    }

    /** The held bytes as received. The caller owns the buffer. */
    ByteBuf takeRaw() {
        return held.retainedSlice();
    }

    /**
     * The held bytes with every query field emptied (the rewritten query goes into the URL, which ClickHouse reads
     * first). The caller owns the buffers.
     */
    List<ByteBuf> takeWithoutQueryFields() {
        List<ByteBuf> pieces = new ArrayList<>();
        int at = 0;
        for (long[] content : queryContents) {
            pieces.add(held.retainedSlice(held.readerIndex() + at, (int) content[0] - at));
            at = (int) content[1];
        }
        pieces.add(held.retainedSlice(held.readerIndex() + at, held.readableBytes() - at));
        return pieces;
    }

    /** Releases the held bytes; {@link #watch} still works after. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            held.release();
        }
    }
}
