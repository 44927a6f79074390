// String-slicing helpers mirroring the reference's span parsing (`Const`, `Func`, `Expr`, `Split`).

/** A cursor over part of a descriptor string. */
export class Span {
  constructor(public text: string) {}

  get size(): number {
    return this.text.length;
  }

  /** Consumes `prefix` if the text starts with it. */
  consume(prefix: string): boolean {
    if (!this.text.startsWith(prefix)) return false;
    this.text = this.text.slice(prefix.length);
    return true;
  }

  /**
   * If the text is exactly `name(...)`, replaces it with the inside of the parentheses.
   * (Only the first `(` and the last `)` are checked, as in the reference.)
   */
  func(name: string): boolean {
    const t = this.text;
    if (t.length < name.length + 2 || t[name.length] !== "(" || t[t.length - 1] !== ")") {
      return false;
    }
    if (!t.startsWith(name)) return false;
    this.text = t.slice(name.length + 1, t.length - 1);
    return true;
  }

  /**
   * Takes the next expression: everything up to a `,`, `)` or `}` that is not nested inside
   * brackets. The rest stays in the span.
   */
  expr(): Span {
    let level = 0;
    let i = 0;
    const t = this.text;
    for (; i < t.length; i++) {
      const c = t[i];
      if (c === "(" || c === "{") {
        level++;
      } else if (level > 0 && (c === ")" || c === "}")) {
        level--;
      } else if (level === 0 && (c === ")" || c === "}" || c === ",")) {
        break;
      }
    }
    const head = t.slice(0, i);
    this.text = t.slice(i);
    return new Span(head);
  }
}

/** Parses a decimal uint32 the way `ParseUInt32` does (optional `+`, digits only). */
export function parseUInt32(str: string): number | null {
  const digits = str.startsWith("+") ? str.slice(1) : str;
  if (!/^[0-9]+$/.test(digits)) return null;
  const value = Number(digits);
  // Long digit strings lose precision but are far beyond the range anyway.
  return value <= 0xffffffff ? value : null;
}

/** True for a non-empty, even-length string of hex digits (`IsHex`). */
export function isHexString(str: string): boolean {
  return str.length > 0 && str.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(str);
}
