// Miniscript type system (P2WSH context): the correctness and malleability properties of each
// fragment, computed from its children (the rules of BIP379 as implemented by freicoind).

/** Miniscript fragments (`miniscript::Fragment`). */
export type Fragment =
  | "JUST_0"
  | "JUST_1"
  | "PK_K"
  | "PK_H"
  | "OLDER"
  | "AFTER"
  | "SHA256"
  | "HASH256"
  | "RIPEMD160"
  | "HASH160"
  | "WRAP_A"
  | "WRAP_S"
  | "WRAP_C"
  | "WRAP_D"
  | "WRAP_V"
  | "WRAP_J"
  | "WRAP_N"
  | "AND_V"
  | "AND_B"
  | "OR_B"
  | "OR_C"
  | "OR_D"
  | "OR_I"
  | "ANDOR"
  | "THRESH"
  | "MULTI";

const FLAG_BITS: Record<string, number> = {
  B: 1 << 0, // base
  V: 1 << 1, // verify
  K: 1 << 2, // key
  W: 1 << 3, // wrapped
  z: 1 << 4, // zero-arg
  o: 1 << 5, // one-arg
  n: 1 << 6, // nonzero arg
  d: 1 << 7, // dissatisfiable
  u: 1 << 8, // unit
  e: 1 << 9, // expression
  f: 1 << 10, // forced
  s: 1 << 11, // safe
  m: 1 << 12, // nonmalleable
  x: 1 << 13, // expensive verify
  g: 1 << 14, // relative time lock
  h: 1 << 15, // relative height lock
  i: 1 << 16, // absolute time lock
  j: 1 << 17, // absolute height lock
  k: 1 << 18, // no mix of height and time locks
};

/** A set of type properties as a bit mask. */
export type MsType = number;

/** The type with the properties named by the letters of `letters`. */
export function mst(letters: string): MsType {
  let t = 0;
  for (const c of letters) t |= FLAG_BITS[c];
  return t;
}

/** `a << b`: `a` has every property of `b`. */
export function hasAll(a: MsType, b: MsType): boolean {
  return (b & ~a) === 0;
}

function when(t: MsType, condition: boolean): MsType {
  return condition ? t : 0;
}

const SEQUENCE_LOCKTIME_TYPE_FLAG = 1 << 22;
const LOCKTIME_THRESHOLD = 500000000;

/** Whether combining x then y mixes height and time locks of one kind. */
function mixesLocks(x: MsType, y: MsType): boolean {
  return (hasAll(x, mst("g")) && hasAll(y, mst("h"))) ||
    (hasAll(x, mst("h")) && hasAll(y, mst("g"))) ||
    (hasAll(x, mst("i")) && hasAll(y, mst("j"))) ||
    (hasAll(x, mst("j")) && hasAll(y, mst("i")));
}

/** Drops everything when no base type (B, V, K, W) is left (`SanitizeType`). */
function sanitize(t: MsType): MsType {
  return (t & mst("BVKW")) === 0 ? 0 : t;
}

function thresholdType(k: number, subTypes: readonly MsType[]): MsType {
  let allE = true;
  let allM = true;
  let args = 0;
  let numS = 0;
  let accTl = mst("k");
  for (const [i, t] of subTypes.entries()) {
    if (!hasAll(t, mst(i ? "Wdu" : "Bdu"))) return 0;
    if (!hasAll(t, mst("e"))) allE = false;
    if (!hasAll(t, mst("m"))) allM = false;
    if (hasAll(t, mst("s"))) numS++;
    args += hasAll(t, mst("z")) ? 0 : hasAll(t, mst("o")) ? 1 : 2;
    accTl = ((accTl | t) & mst("ghij")) |
      when(mst("k"), hasAll(accTl & t, mst("k")) && (k <= 1 || !mixesLocks(accTl, t)));
  }
  const n = subTypes.length;
  return mst("Bdu") |
    when(mst("z"), args === 0) |
    when(mst("o"), args === 1) |
    when(mst("e"), allE && numS === n) |
    when(mst("m"), allE && allM && numS >= n - k) |
    when(mst("s"), numS >= n - k + 1) |
    accTl;
}

/** The type of a fragment given its children's types (`ComputeType`). */
export function computeType(
  fragment: Fragment,
  k: number,
  subTypes: readonly MsType[],
): MsType {
  const [x = 0, y = 0, z = 0] = subTypes;
  const T = mst;
  const noMix = (a: MsType, b: MsType) => !mixesLocks(a, b);
  let t: MsType;
  switch (fragment) {
    case "PK_K":
      t = T("Konudemsxk");
      break;
    case "PK_H":
      t = T("Knudemsxk");
      break;
    case "OLDER":
      t = when(T("g"), (k & SEQUENCE_LOCKTIME_TYPE_FLAG) !== 0) |
        when(T("h"), (k & SEQUENCE_LOCKTIME_TYPE_FLAG) === 0) | T("Vzfmk");
      break;
    case "AFTER":
      t = when(T("i"), k >= LOCKTIME_THRESHOLD) | when(T("j"), k < LOCKTIME_THRESHOLD) |
        T("Vzfmk");
      break;
    case "SHA256":
    case "RIPEMD160":
    case "HASH256":
    case "HASH160":
      t = T("Bonudmk");
      break;
    case "JUST_1":
      t = T("Bzufmxk");
      break;
    case "JUST_0":
      t = T("Bzudemsxk");
      break;
    case "WRAP_A":
      t = when(T("W"), hasAll(x, T("B"))) | (x & T("ghijk")) | (x & T("udfems")) | T("x");
      break;
    case "WRAP_S":
      t = when(T("W"), hasAll(x, T("Bo"))) | (x & T("ghijk")) | (x & T("udfemsx"));
      break;
    case "WRAP_C":
      t = when(T("B"), hasAll(x, T("K"))) | (x & T("ghijk")) | (x & T("ondfem")) | T("us");
      break;
    case "WRAP_D":
      t = when(T("B"), hasAll(x, T("Vz"))) | when(T("o"), hasAll(x, T("z"))) |
        when(T("e"), hasAll(x, T("f"))) | (x & T("ghijk")) | (x & T("ms")) | T("ndx");
      break;
    case "WRAP_V":
      t = when(T("V"), hasAll(x, T("B"))) | (x & T("ghijk")) | (x & T("zonms")) | T("fx");
      break;
    case "WRAP_J":
      t = when(T("B"), hasAll(x, T("Bn"))) | when(T("e"), hasAll(x, T("f"))) |
        (x & T("ghijk")) | (x & T("oums")) | T("ndx");
      break;
    case "WRAP_N":
      t = (x & T("ghijk")) | (x & T("Bzondfems")) | T("ux");
      break;
    case "AND_V":
      t = when(y & T("KVB"), hasAll(x, T("V"))) | (x & T("n")) |
        when(y & T("n"), hasAll(x, T("z"))) |
        when((x | y) & T("o"), hasAll(x | y, T("z"))) | (x & y & T("dmz")) |
        ((x | y) & T("s")) | when(T("f"), hasAll(y, T("f")) || hasAll(x, T("s"))) |
        (y & T("ux")) | ((x | y) & T("ghij")) |
        when(T("k"), hasAll(x & y, T("k")) && noMix(x, y));
      break;
    case "AND_B":
      t = when(x & T("B"), hasAll(y, T("W"))) |
        when((x | y) & T("o"), hasAll(x | y, T("z"))) | (x & T("n")) |
        when(y & T("n"), hasAll(x, T("z"))) | when(x & y & T("e"), hasAll(x & y, T("s"))) |
        (x & y & T("dzm")) |
        when(
          T("f"),
          hasAll(x & y, T("f")) || hasAll(x, T("sf")) || hasAll(y, T("sf")),
        ) |
        ((x | y) & T("s")) | T("ux") | ((x | y) & T("ghij")) |
        when(T("k"), hasAll(x & y, T("k")) && noMix(x, y));
      break;
    case "OR_B":
      t = when(T("B"), hasAll(x, T("Bd")) && hasAll(y, T("Wd"))) |
        when((x | y) & T("o"), hasAll(x | y, T("z"))) |
        when(x & y & T("m"), hasAll(x | y, T("s")) && hasAll(x & y, T("e"))) |
        (x & y & T("zse")) | T("dux") | ((x | y) & T("ghij")) | (x & y & T("k"));
      break;
    case "OR_D":
      t = when(y & T("B"), hasAll(x, T("Bdu"))) | when(x & T("o"), hasAll(y, T("z"))) |
        when(x & y & T("m"), hasAll(x, T("e")) && hasAll(x | y, T("s"))) |
        (x & y & T("zs")) | (y & T("ufde")) | T("x") | ((x | y) & T("ghij")) |
        (x & y & T("k"));
      break;
    case "OR_C":
      t = when(y & T("V"), hasAll(x, T("Bdu"))) | when(x & T("o"), hasAll(y, T("z"))) |
        when(x & y & T("m"), hasAll(x, T("e")) && hasAll(x | y, T("s"))) |
        (x & y & T("zs")) | T("fx") | ((x | y) & T("ghij")) | (x & y & T("k"));
      break;
    case "OR_I":
      t = (x & y & T("VBKufs")) | when(T("o"), hasAll(x & y, T("z"))) |
        when((x | y) & T("e"), hasAll(x | y, T("f"))) |
        when(x & y & T("m"), hasAll(x | y, T("s"))) | ((x | y) & T("d")) | T("x") |
        ((x | y) & T("ghij")) | (x & y & T("k"));
      break;
    case "ANDOR":
      t = when(y & z & T("BKV"), hasAll(x, T("Bdu"))) | (x & y & z & T("z")) |
        when((x | (y & z)) & T("o"), hasAll(x | (y & z), T("z"))) | (y & z & T("u")) |
        when(z & T("f"), hasAll(x, T("s")) || hasAll(y, T("f"))) | (z & T("d")) |
        when(z & T("e"), hasAll(x, T("s")) || hasAll(y, T("f"))) |
        when(x & y & z & T("m"), hasAll(x, T("e")) && hasAll(x | y | z, T("s"))) |
        (z & (x | y) & T("s")) | T("x") | ((x | y | z) & T("ghij")) |
        when(T("k"), hasAll(x & y & z, T("k")) && noMix(x, y));
      break;
    case "MULTI":
      t = T("Bnudemsk");
      break;
    case "THRESH":
      t = thresholdType(k, subTypes);
      break;
  }
  return sanitize(t);
}
