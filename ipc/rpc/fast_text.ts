/**
 * Faster Text accessors for capnp-es's generated code.
 *
 * capnp-es reads and writes a Text field through a `Text` list object, which its `List` class
 * wraps in a JavaScript `Proxy`; on an RPC call that costs more than the rest of the decoding.
 * {@linkcode installFastText} swaps `utils.getText` / `utils.setText` (which the generated
 * getters and setters call) for versions that touch the bytes directly in the common case (a
 * near pointer; a null pointer when writing) and defer to the originals otherwise. Results are
 * the same; `fast_text_test.ts` checks it.
 *
 * @module
 */
import { ListElementSize, type Struct, utils } from "capnp-es";

const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();

type GetText = (index: number, s: Struct, defaultValue?: string) => string;
type SetText = (index: number, value: string, s: Struct) => void;

interface Internals {
  _capnp: { traversalLimit: number };
}

let installed = false;

/** Installs the fast accessors (idempotent). */
export function installFastText(): void {
  if (installed) return;
  installed = true;
  const slowGet = utils.getText as GetText;
  const slowSet = utils.setText as SetText;
  const mutable = utils as unknown as { getText: GetText; setText: SetText };

  mutable.getText = (index, s, defaultValue) => {
    if (defaultValue !== undefined) return slowGet(index, s, defaultValue);
    const p = utils.getPointer(index, s);
    const segment = p.segment;
    const lo = segment.getUint32(p.byteOffset);
    const hi = segment.getUint32(p.byteOffset + 4);
    if (lo === 0 && hi === 0) return "";
    // Far pointers and anything unusual take the original path (which also reports errors).
    if ((lo & 3) !== 1 || (hi & 7) !== ListElementSize.BYTE) return slowGet(index, s);
    const count = hi >>> 3;
    const start = p.byteOffset + 8 + ((lo | 0) >> 2) * 8;
    if (count === 0 || start < 0 || start + count > segment.byteLength) return slowGet(index, s);
    const message = segment.message as unknown as Internals;
    message._capnp.traversalLimit -= count;
    if (message._capnp.traversalLimit <= 0) return slowGet(index, s);
    return DECODER.decode(new Uint8Array(segment.buffer, start, count - 1));
  };

  mutable.setText = (index, value, s) => {
    const p = utils.getPointer(index, s);
    if (!utils.isNull(p)) {
      slowSet(index, value, s);
      return;
    }
    const bytes = ENCODER.encode(value);
    const length = bytes.length + 1; // with the NUL
    const content = s.segment.allocate((length + 7) & ~7);
    new Uint8Array(content.segment.buffer, content.byteOffset, bytes.length).set(bytes);
    const res = utils.initPointer(content.segment, content.byteOffset, p);
    utils.setListPointer(res.offsetWords, ListElementSize.BYTE, length, res.pointer);
  };
}
