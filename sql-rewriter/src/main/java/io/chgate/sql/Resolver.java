package io.chgate.sql;

/** Decides, for each reference the rewriter finds, what the statement should say instead. */
@FunctionalInterface
public interface Resolver {

    Resolution resolve(Reference reference);

    /** Leaves every reference as written. */
    Resolver KEEP_ALL = reference -> Resolution.KEEP;
}
