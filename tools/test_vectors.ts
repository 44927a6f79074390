/**
 * `deno task test:vectors`: runs the consensus vector suites in tests/vectors/ and ends with a
 * line `vectors: N passed, M failed`, N and M counting individual vectors (test steps).
 *
 * @module
 */
import { writeStderr, writeStdout } from "../cli/console.ts";

const child = new Deno.Command(Deno.execPath(), {
  args: ["test", "--allow-all", "--parallel", "tests/vectors/"],
  env: { NO_COLOR: "1" },
  stdout: "piped",
  stderr: "piped",
}).spawn();
const [stdout, stderr, status] = await Promise.all([
  new Response(child.stdout).text(),
  new Response(child.stderr).text(),
  child.status,
]);
writeStdout(stdout);
writeStderr(stderr);
let passed = 0;
let failed = 0;
for (const line of stdout.split("\n")) {
  // A vector step is named with its index: "#12 [...] ... ok (1ms)" or "... FAILED (1ms)".
  if (!/#\d+/.test(line)) continue;
  if (/\.\.\. ok \(/.test(line)) passed++;
  else if (/\.\.\. FAILED/.test(line)) failed++;
}
if (!status.success && failed === 0) failed = 1;
writeStdout(`vectors: ${passed} passed, ${failed} failed\n`);
Deno.exit(status.success ? 0 : 1);
