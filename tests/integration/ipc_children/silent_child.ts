/**
 * A child that never connects back to its parent (for the spawn timeout test); it exits on
 * its own after a while in case nobody kills it.
 *
 * @module
 */
setTimeout(() => {}, 20_000);
