// Test-only helper: loads a vector file from ../shared/vectors beside the project root.
// deno-lint-ignore no-explicit-any
export function loadVectors(name: string): any {
  const url = new URL(`../../../shared/vectors/${name}`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url));
}
