/**
 * Options freicoind accepts without listing them, and the options this implementation adds.
 *
 * @module
 */
import type { OptionSpec } from "./option_spec.ts";

function hidden(name: string): OptionSpec {
  return { name, category: "HIDDEN", help: "" };
}

/** Accepted by freicoind 27.1 but never shown in `-help` (its `AddHiddenArgs` list). */
export const FREICOIND_HIDDEN_OPTIONS: readonly OptionSpec[] = [
  "-h",
  "-help",
  "-dbcrashratio",
  "-forcecompactdb",
  "-choosedatadir",
  "-lang",
  "-min",
  "-resetguisettings",
  "-splash",
  "-uiplatform",
  "-upnp",
  "-natpmp",
].map(hidden);

/**
 * Options of the multiprocess design, which freicoind 27.1 does not have. They are listed by
 * `-help-debug` only, so that `-help` stays byte-for-byte freicoind's.
 */
export const MULTIPROCESS_OPTIONS: readonly OptionSpec[] = [
  {
    name: "-ipcbind",
    param: "=<address>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Listen for Cap'n Proto IPC connections from wallet, gui and cli processes at " +
      "<address>: unix (default path <datadir>/<net>/node.sock), unix:<path> or " +
      "tcp:<host>:<port> (authenticated with a secret from <datadir>/<net>/.ipccookie). Can be " +
      "specified multiple times.",
  },
  {
    name: "-ipcconnect",
    param: "=<address>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Connect to a running node over IPC instead of spawning one or being spawned: " +
      "unix, unix:<path>, tcp:<host>:<port> or auto (connect if a node listens at the default " +
      "unix address, otherwise spawn one).",
  },
  {
    name: "-guiport",
    param: "=<port>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "freicoin-gui: serve the local web interface on 127.0.0.1:<port> (default: a free " +
      "port, printed at start-up).",
  },
];
