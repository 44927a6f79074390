/**
 * `deno task schemas`: regenerates the TypeScript for our Cap'n Proto schemas with `capnp
 * compile` (Debian package `capnproto`) and capnp-es's code generator.
 *
 * Outputs: `schemas/gen/*.ts` from `schemas/*.capnp`, and `tests/interop/gen/*.ts` from the
 * test-only `tests/interop/*.capnp`. `generateSchemas()` returns the files without writing, so a
 * test can check the committed output is current.
 *
 * @module
 */
import { compileAll } from "capnp-es/compiler";
// capnp-es's compiler needs TypeScript as a peer dependency; importing it here provides it.
// deno-lint-ignore no-import-prefix
import "npm:typescript@5.9.3";

/** One group of schemas compiled together into one output folder. */
interface SchemaGroup {
  /** Folder of the `.capnp` files, relative to the project root. */
  source: string;
  /** Output folder, relative to the project root. */
  output: string;
}

const GROUPS: readonly SchemaGroup[] = [
  { source: "schemas", output: "schemas/gen" },
  { source: "tests/interop", output: "tests/interop/gen" },
];

const ROOT = new URL("..", import.meta.url).pathname;

/** Whether the `capnp` compiler is installed. */
export async function capnpAvailable(): Promise<boolean> {
  try {
    const out = await new Deno.Command("capnp", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** Generates every group's files: a map from project-relative path to content. */
export async function generateSchemas(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const group of GROUPS) {
    const dir = `${ROOT}${group.source}`;
    const sources = [...Deno.readDirSync(dir)]
      .filter((e) => e.isFile && e.name.endsWith(".capnp"))
      .map((e) => e.name)
      .sort();
    const request = await new Deno.Command("capnp", {
      args: ["compile", "-o-", `--src-prefix=${dir}`, ...sources.map((s) => `${dir}/${s}`)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!request.success) {
      throw new Error(`capnp compile failed: ${new TextDecoder().decode(request.stderr)}`);
    }
    // The generator logs to the console; keep our output to the file list.
    const { files: generated } = await compileAll(request.stdout as unknown as never, { ts: true });
    for (const [name, content] of generated) {
      files.set(`${group.output}/${name.replace(/^\/+/, "")}`, postProcess(content));
    }
  }
  return files;
}

/** Deno resolves imports by their real extension; the generator writes `.js`. */
function postProcess(content: string): string {
  const fixed = content.replace(/from "(\.\/[^"]+)\.js"/g, 'from "$1.ts"')
    // The generator indents with 4 spaces and halves them on write; do the same.
    .replace(/^\s+/gm, (m) => " ".repeat(m.length / 2));
  return `// deno-lint-ignore-file\n// deno-fmt-ignore-file\n// @ts-nocheck: generated code; the project turns on noImplicitOverride\n${fixed}`;
}

/** Writes the generated files; returns their paths. */
export async function writeSchemas(): Promise<string[]> {
  const files = await generateSchemas();
  for (const [path, content] of files) {
    const full = `${ROOT}${path}`;
    Deno.mkdirSync(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(full, content);
  }
  return [...files.keys()];
}

if (import.meta.main) {
  if (!(await capnpAvailable())) {
    // deno-lint-ignore no-console
    console.error("capnp is not installed (Debian package capnproto)");
    Deno.exit(1);
  }
  for (const path of await writeSchemas()) {
    // deno-lint-ignore no-console
    console.log(`wrote ${path}`);
  }
}
