// One reusable buffer for building hash preimages (sighash, BIP143 parts),
// so a signature check allocates no intermediate serialization. A caller
// fills it and hashes it before anything else can ask for it: every user is
// synchronous and never holds it across a call that takes it again.

/** A byte buffer with a DataView over the same memory. */
export interface Scratch {
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

/** Requests above this get a fresh buffer, so one huge script does not pin memory. */
const RETAIN_LIMIT = 1 << 16;

let shared: Scratch = makeScratch(1024);

function makeScratch(size: number): Scratch {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
}

/** A scratch buffer of at least `size` bytes (contents undefined). */
export function takeScratch(size: number): Scratch {
  if (size <= shared.bytes.length) return shared;
  if (size > RETAIN_LIMIT) return makeScratch(size);
  shared = makeScratch(Math.min(RETAIN_LIMIT, 2 ** Math.ceil(Math.log2(size))));
  return shared;
}
