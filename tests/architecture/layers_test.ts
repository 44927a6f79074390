/**
 * The folders are dependency layers (docs/architecture.md); this test fails the build when an
 * import crosses a layer the wrong way or when the kernel reaches for I/O.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Which of our top-level folders each folder may import (itself always allowed). */
const ALLOWED: Record<string, string[]> = {
  "kernel": [],
  "rpc": [],
  // schemas/ holds our interfaces and their bindings to the generic runtime in ipc/, which
  // knows nothing of Freicoin and never imports schemas/.
  "cli": ["rpc"],
  "ipc": ["cli"],
  "schemas": ["ipc"],
  // common/ is code node and wallet both need that is not consensus (PSTs, transaction JSON).
  "common": ["kernel", "rpc"],
  "roles/node": ["kernel", "rpc", "cli", "ipc", "schemas", "common"],
  "roles/wallet": ["kernel", "rpc", "cli", "ipc", "schemas", "common"],
  "roles/gui": ["kernel", "rpc", "cli", "ipc", "schemas", "common"],
  "roles/child": ["kernel", "rpc", "cli", "ipc", "schemas", "common"],
};

function layerOf(file: string): string | undefined {
  const relative = path.relative(ROOT, file).split(path.sep).join("/");
  if (relative.startsWith("roles/")) return relative.split("/").slice(0, 2).join("/");
  const top = relative.split("/")[0];
  return top in ALLOWED ? top : undefined;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(full);
    else if (isSource(entry.name)) yield full;
  }
}

/** Production sources: not tests, not test support files (`_test_*.ts`). */
function isSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith("_test.ts") && !name.startsWith("_test");
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g;

function importsOf(file: string): string[] {
  const text = Deno.readTextFileSync(file);
  return [...text.matchAll(IMPORT)].map((match) => match[1]);
}

Deno.test("no folder imports a layer above it, and roles never import each other", () => {
  const violations: string[] = [];
  for (const layer of Object.keys(ALLOWED)) {
    const dir = path.join(ROOT, layer);
    try {
      Deno.statSync(dir);
    } catch {
      continue;
    }
    for (const file of sourceFiles(dir)) {
      if (file.includes(`${path.sep}gen${path.sep}`)) continue;
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = layerOf(path.resolve(path.dirname(file), specifier));
        if (target === undefined || target === layer) continue;
        if (!ALLOWED[layer].includes(target)) {
          violations.push(`${path.relative(ROOT, file)} imports ${specifier} (${target})`);
        }
      }
    }
  }
  assert.deepEqual(violations, []);
});

Deno.test("kernel code stays pure: no Deno APIs, clock, randomness or console", () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, "kernel"))) {
    // The native secp256k1 backend is the one sanctioned exception: it is loaded by the roles.
    if (file.endsWith("native_backend.ts")) continue;
    const text = Deno.readTextFileSync(file).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    for (const pattern of [/\bDeno\./, /Date\.now\(/, /Math\.random\(/, /\bconsole\./]) {
      if (pattern.test(text)) offenders.push(`${path.relative(ROOT, file)}: ${pattern.source}`);
    }
    for (const specifier of importsOf(file)) {
      if (!specifier.startsWith(".") && specifier !== "node:crypto") {
        offenders.push(`${path.relative(ROOT, file)} imports ${specifier}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
