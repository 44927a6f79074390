// The RIPEMD-160 compression function (Dobbertin, Bosselaers, Preneel 1996)
// for kernel/hash's pure backend. The message words live in a module-level
// scratch array, filled and consumed within one call.

/** Message word index per step, left line then right line (5 rounds of 16). */
const WORD_LEFT = Uint8Array.of(
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  ...[7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8],
  ...[3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12],
  ...[1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2],
  ...[4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13],
);
const WORD_RIGHT = Uint8Array.of(
  ...[5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12],
  ...[6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2],
  ...[15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13],
  ...[8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14],
  ...[12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11],
);
/** Left-rotation amount per step. */
const SHIFT_LEFT = Uint8Array.of(
  ...[11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8],
  ...[7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12],
  ...[11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5],
  ...[11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12],
  ...[9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6],
);
const SHIFT_RIGHT = Uint8Array.of(
  ...[8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6],
  ...[9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11],
  ...[9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5],
  ...[15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8],
  ...[8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11],
);
const X = new Int32Array(16);

// The 80 steps run as five loops of 16, one per round, so each loop has its
// boolean functions and constants inline (the right line uses them in reverse).
/**
 * Updates the 5-word `state` in place with the 64-byte block at
 * `block[at..at+64)`. No padding, no length; the caller checks bounds.
 */
export function compressRipemd160Block(state: Int32Array, block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    X[i] = block[at] | (block[at + 1] << 8) | (block[at + 2] << 16) | (block[at + 3] << 24);
  }
  let al = state[0], bl = state[1], cl = state[2], dl = state[3], el = state[4];
  let ar = al, br = bl, cr = cl, dr = dl, er = el;
  for (let j = 0; j < 16; j++) {
    let t = (al + (bl ^ cl ^ dl) + X[WORD_LEFT[j]]) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + (br ^ (cr | ~dr)) + X[WORD_RIGHT[j]] + 0x50a28be6) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 16; j < 32; j++) {
    let t = (al + ((bl & cl) | (~bl & dl)) + X[WORD_LEFT[j]] + 0x5a827999) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + ((br & dr) | (cr & ~dr)) + X[WORD_RIGHT[j]] + 0x5c4dd124) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 32; j < 48; j++) {
    let t = (al + ((bl | ~cl) ^ dl) + X[WORD_LEFT[j]] + 0x6ed9eba1) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + ((br | ~cr) ^ dr) + X[WORD_RIGHT[j]] + 0x6d703ef3) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 48; j < 64; j++) {
    let t = (al + ((bl & dl) | (cl & ~dl)) + X[WORD_LEFT[j]] + (0x8f1bbcdc | 0)) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + ((br & cr) | (~br & dr)) + X[WORD_RIGHT[j]] + 0x7a6d76e9) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 64; j < 80; j++) {
    let t = (al + (bl ^ (cl | ~dl)) + X[WORD_LEFT[j]] + (0xa953fd4e | 0)) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + (br ^ cr ^ dr) + X[WORD_RIGHT[j]]) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  const t = (state[1] + cl + dr) | 0;
  state[1] = (state[2] + dl + er) | 0;
  state[2] = (state[3] + el + ar) | 0;
  state[3] = (state[4] + al + br) | 0;
  state[4] = (state[0] + bl + cr) | 0;
  state[0] = t;
}
