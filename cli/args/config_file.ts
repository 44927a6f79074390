/**
 * Parsing of `freicoin.conf` text: `name=value` lines, `[section]` headers, `#` comments.
 *
 * @module
 */

/** Where a `[section]` (or a `section.name=` key) appeared, for the unrecognised-section warning. */
export interface SectionInfo {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

/** The options of one config file, in order, with section-qualified names like `regtest.port`. */
export interface ParsedConfig {
  readonly options: ReadonlyArray<readonly [name: string, value: string]>;
  readonly sections: readonly SectionInfo[];
}

/** A config file that cannot be read; the message is freicoind's. */
export class ConfigParseError extends Error {
  override name = "ConfigParseError";
}

const BLANKS = /^[ \t\r\n]+|[ \t\r\n]+$/g;

function trimBlanks(text: string): string {
  return text.replace(BLANKS, "");
}

/**
 * Parses config file text as freicoind does.
 *
 * @throws {ConfigParseError} with freicoind's message, e.g.
 *   `parse error on line 1: nono, if you intended to specify a negated option, use nono=1 instead`
 * @example
 * ```ts
 * import { parseConfigText } from "./config_file.ts";
 * const config = parseConfigText("regtest=1\n[regtest]\nport=1234\n", "freicoin.conf");
 * config.options; // [["regtest", "1"], ["regtest.port", "1234"]]
 * ```
 */
export function parseConfigText(text: string, filePath: string): ParsedConfig {
  const options: Array<readonly [string, string]> = [];
  const sections: SectionInfo[] = [];
  let prefix = "";
  const lines = text.split("\n");
  // A trailing newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    let line = lines[index];
    const hash = line.indexOf("#");
    const usedHash = hash !== -1;
    if (usedHash) line = line.slice(0, hash);
    line = trimBlanks(line);
    if (line === "") continue;
    if (line.startsWith("[") && line.endsWith("]")) {
      const section = line.slice(1, -1);
      sections.push({ name: section, file: filePath, line: lineNumber });
      prefix = section + ".";
    } else if (line.startsWith("-")) {
      throw new ConfigParseError(
        `parse error on line ${lineNumber}: ${line}, options in configuration file must be specified without leading -`,
      );
    } else if (line.includes("=")) {
      const equals = line.indexOf("=");
      const name = prefix + trimBlanks(line.slice(0, equals));
      const value = trimBlanks(line.slice(equals + 1));
      if (usedHash && name.includes("rpcpassword")) {
        throw new ConfigParseError(
          `parse error on line ${lineNumber}, using # in rpcpassword can be ambiguous and should be avoided`,
        );
      }
      options.push([name, value]);
      const dot = name.lastIndexOf(".");
      if (dot !== -1 && prefix.length <= dot) {
        sections.push({ name: name.slice(0, dot), file: filePath, line: lineNumber });
      }
    } else {
      let message = `parse error on line ${lineNumber}: ${line}`;
      if (line.startsWith("no")) {
        message += `, if you intended to specify a negated option, use ${line}=1 instead`;
      }
      throw new ConfigParseError(message);
    }
  }
  return { options, sections };
}
