package io.chgate.gateway.proxy;

import io.chgate.gateway.error.ClickHouseError;
import io.chgate.gateway.error.ErrorCode;
import io.chgate.gateway.intercept.InterceptedQuery;
import io.chgate.sql.InsertData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * Finds a request's query, and reads it when it is in the body: from the body's start ({@link BodyQueryBuffer},
 * plain, encoded or in native blocks) or from a multipart form's query fields ({@link FormQuery}). What it read is
 * held until the verdict says how it goes on; a form is watched to its end, so no query field joins it unseen.
 */
final class QueryCapture implements AutoCloseable {

    /** Where the query is. */
    enum Where {
        /** Nowhere: a health check, or a request with neither a query parameter nor a body. */
        NONE,
        /** All in the {@code query} URL parameter; a body, if any, is data. */
        URL,
        /** In the URL and the query fields of a multipart form. */
        FORM,
        /** In the URL parameter (if any) followed by the start of the body. */
        BODY
    }

    private BodyQueryBuffer body;
    private final FormQuery form;
    private String sql;

    private QueryCapture(BodyQueryBuffer body, FormQuery form) {
        this.body = body;
        this.form = form;
    }

    /**
     * Where the request's query is.
     *
     * @throws ClickHouseError for a multipart form chgate cannot read the query fields of
     */
    static Where locate(RequestFacts facts) {
        if (!facts.inspected || (facts.urlQuery == null && !facts.hasBody)) {
            return Where.NONE;
        }
        if (facts.multipart && facts.hasBody) {
            if (facts.boundary == null) {
                throw new ClickHouseError(ErrorCode.BAD_ARGUMENTS,
                        "chgate: a multipart/form-data request must name its boundary");
            }
            if (facts.contentEncoding != null || facts.nativeCompressedBody) {
                throw new ClickHouseError(ErrorCode.UNKNOWN_COMPRESSION_METHOD,
                        "chgate cannot read the query fields of a compressed multipart form; send it uncompressed");
            }
            return Where.FORM;
        }
        // ClickHouse reads the URL's query, a newline and the body as one text: the body is data only when that
        // text's data begins within the URL's part.
        if (facts.urlQuery != null && (!facts.hasBody || InsertData.dataStart(facts.urlQuery + "\n") >= 0)) {
            return Where.URL;
        }
        return Where.BODY;
    }

    /**
     * Whether an INSERT ... VALUES in the URL has its data in the body: data ClickHouse would evaluate expressions
     * in (scalar subqueries included), so it must go with expression interpretation off.
     */
    static boolean valuesDataFollowsUrl(RequestFacts facts) {
        return facts.hasBody && InsertData.isValuesData(facts.urlQuery + "\n");
    }

    /** For {@link Where#FORM}. */
    static QueryCapture form(ByteBufAllocator alloc, RequestFacts facts, int maxQueryBytes, SettingsStage settings) {
        return new QueryCapture(null, new FormQuery(alloc, facts.boundary, facts.urlQuery, maxQueryBytes, settings));
    }

    /**
     * For {@link Where#BODY}.
     *
     * @throws ClickHouseError for a body chgate cannot decode
     */
    static QueryCapture body(ByteBufAllocator alloc, RequestFacts facts, int maxQueryBytes) {
        return new QueryCapture(new BodyQueryBuffer(alloc, facts.urlQuery == null ? "" : facts.urlQuery + "\n",
                facts.contentEncoding, facts.nativeCompressedBody, maxQueryBytes), null);
    }

    /**
     * Takes ownership of a body piece; true once the query is known.
     *
     * @throws ClickHouseError when the query is too large or cannot be read
     */
    boolean append(ByteBuf chunk, boolean last) {
        if (form != null) {
            return form.append(chunk, last) == FormQuery.Status.COMPLETE;
        }
        return body.append(chunk, last) == BodyQueryBuffer.Status.COMPLETE;
    }

    /** The SQL ClickHouse will run, once {@link #append} said it is known. */
    String sql() {
        if (sql == null) {
            sql = form != null ? form.sql() : body.sql();
        }
        return sql;
    }

    InterceptedQuery.Location location() {
        return form != null && !form.hasQueryFields() ? InterceptedQuery.Location.URL : InterceptedQuery.Location.BODY;
    }

    /** Whether the query is an INSERT ... VALUES whose data follows in the body (see {@link #valuesDataFollowsUrl}). */
    boolean valuesData() {
        return body != null && InsertData.isValuesData(sql());
    }

    /**
     * Follows a body piece that goes on after the query was read (ownership stays with the caller).
     *
     * @throws ClickHouseError when a multipart form has a query field past its held start
     */
    void watch(ByteBuf chunk) {
        if (form != null) {
            form.watch(chunk);
        }
    }

    /** The body start held; null for a form. */
    BodyQueryBuffer body() {
        return body;
    }

    /** The form held; null for a body. */
    FormQuery form() {
        return form;
    }

    /** Decodes a later body piece, for a rewritten encoded body sent on decoded. */
    void decodeMore(ByteBuf chunk, Consumer<ByteBuf> sink) {
        body.decodeMore(chunk, sink);
    }

    /**
     * The verdict is applied: the held bytes are released, except the body decoder when the rest of the body is
     * sent on decoded. A form is still watched.
     */
    void afterVerdict(boolean decodeRest) {
        if (form != null) {
            form.close();
        }
        if (body != null && !decodeRest) {
            body.close();
            body = null;
        }
    }

    /** Releases everything held; may be called again. A form is still watched. */
    @Override
    public void close() {
        if (body != null) {
            body.close();
            body = null;
        }
        if (form != null) {
            form.close();
        }
    }
}
