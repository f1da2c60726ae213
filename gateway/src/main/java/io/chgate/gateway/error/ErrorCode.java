package io.chgate.gateway.error;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The ClickHouse error codes the gateway itself raises, with the numbers of ClickHouse's {@code ErrorCodes.cpp} and
 * the HTTP status ClickHouse's {@code exceptionCodeToHTTPStatus} maps them to.
 */
public enum ErrorCode {
    UNSUPPORTED_METHOD(1, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    BAD_ARGUMENTS(36, HttpResponseStatus.BAD_REQUEST),
    CHECKSUM_DOESNT_MATCH(40, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    NOT_IMPLEMENTED(48, HttpResponseStatus.NOT_IMPLEMENTED),
    SYNTAX_ERROR(62, HttpResponseStatus.BAD_REQUEST),
    CANNOT_PARSE_NUMBER(72, HttpResponseStatus.BAD_REQUEST),
    UNKNOWN_COMPRESSION_METHOD(89, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    UNKNOWN_SETTING(115, HttpResponseStatus.NOT_FOUND),
    TIMEOUT_EXCEEDED(159, HttpResponseStatus.REQUEST_TIMEOUT),
    READONLY(164, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    IP_ADDRESS_NOT_ALLOWED(195, HttpResponseStatus.FORBIDDEN),
    QUOTA_EXCEEDED(201, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    TOO_MANY_SIMULTANEOUS_QUERIES(202, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    SOCKET_TIMEOUT(209, HttpResponseStatus.SERVICE_UNAVAILABLE),
    NETWORK_ERROR(210, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    EMPTY_QUERY(211, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    QUERY_IS_TOO_LARGE(229, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE),
    TOO_DEEP_RECURSION(306, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    CANNOT_DECOMPRESS(271, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    SESSION_NOT_FOUND(372, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    SESSION_IS_LOCKED(373, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    INVALID_SESSION_TIMEOUT(374, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    SETTING_CONSTRAINT_VIOLATION(452, HttpResponseStatus.INTERNAL_SERVER_ERROR),
    ACCESS_DENIED(497, HttpResponseStatus.FORBIDDEN),
    AUTHENTICATION_FAILED(516, HttpResponseStatus.FORBIDDEN);

    private final int number;
    private final HttpResponseStatus httpStatus;

    ErrorCode(int number, HttpResponseStatus httpStatus) {
        this.number = number;
        this.httpStatus = httpStatus;
    }

    public int number() {
        return number;
    }

    public HttpResponseStatus httpStatus() {
        return httpStatus;
    }

    public static ErrorCode ofNumber(int number) {
        for (ErrorCode code : values()) {
            if (code.number == number) {
                return code;
            }
        }
        throw new IllegalArgumentException("not an error code the gateway raises: " + number);
    }
}
