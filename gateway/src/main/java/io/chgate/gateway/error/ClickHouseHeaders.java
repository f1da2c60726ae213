package io.chgate.gateway.error;

import io.netty.util.AsciiString;

/** Header names of ClickHouse's HTTP interface that the gateway reads or writes. */
public final class ClickHouseHeaders {
    public static final AsciiString EXCEPTION_CODE = AsciiString.cached("X-ClickHouse-Exception-Code");
    public static final AsciiString USER = AsciiString.cached("X-ClickHouse-User");
    public static final AsciiString KEY = AsciiString.cached("X-ClickHouse-Key");

    private ClickHouseHeaders() {
    }
}
