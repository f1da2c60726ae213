package io.chgate.gateway.proxy;

import io.chgate.gateway.auth.GatewayUser;
import io.chgate.gateway.error.ClickHouseError;

/**
 * Whether an authenticated request may take an upstream connection now, wait for one, or not run: the place for
 * per-user concurrency limits and queues. Asked once per request, after its head is checked and before any upstream
 * connection is taken; the query may be read and decided meanwhile (it is held, not forwarded). Every request
 * {@link #admit} returned for, admitted or waiting, is handed back through {@link #leave} exactly once, when it ends;
 * one it threw for is not.
 */
interface Admission {

    /** Admits every request at once. */
    Admission ADMIT_ALL = new Admission() {
        @Override
        public boolean admit(GatewayUser user, RequestFacts facts, Waiter waiter) {
            return true;
        }

        @Override
        public void leave(Waiter waiter) {
        }
    };

    /**
     * True to admit the request now; false when it waits, and {@code waiter} is then told later, on the request's
     * own event loop, that it was admitted or refused.
     *
     * @param user the gateway user, or null when the gateway has no users
     * @throws ClickHouseError to refuse it at once
     */
    boolean admit(GatewayUser user, RequestFacts facts, Waiter waiter);

    /** The request ended (answered, failed, or its client left): its place, or its turn in a queue, is given up. */
    void leave(Waiter waiter);

    /** How long the user's statements may run upstream ({@code max_execution_time}); null for as long as they like. */
    default ExecutionDeadline.Limit executionLimit(GatewayUser user) {
        return null;
    }

    /** A request waiting for its turn. */
    interface Waiter {
        void admitted();

        /** It waited too long, or may not run after all; it is answered with {@code error}. */
        void refused(ClickHouseError error);
    }
}
