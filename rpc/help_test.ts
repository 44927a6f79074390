import assert from "node:assert/strict";
import { vectorPath } from "./_test_support.ts";
import { methodHelp, methodSummary } from "./help.ts";
import type { RpcArg, RpcMethod } from "./method.ts";

function method(name: string, args: RpcArg[]): RpcMethod<never> {
  return {
    name,
    category: "rawtransactions",
    description: "Test.",
    args,
    results: [{ type: "str_hex", description: "hex" }],
    examples: "",
    handler: () => null,
  };
}

const num = (names: string, extra: Partial<RpcArg> = {}): RpcArg => ({
  names,
  type: "num",
  description: "",
  ...extra,
});

const CASES: RpcMethod<never>[] = [
  method("createrawtransaction", [
    {
      names: "inputs",
      type: "arr",
      description: "The inputs",
      inner: [{
        names: "",
        type: "obj",
        description: "",
        inner: [
          { names: "txid", type: "str_hex", description: "The transaction id" },
          num("vout"),
          num("sequence", { defaultHint: "depends on the value of the 'replaceable' argument" }),
        ],
      }],
    },
    {
      names: "outputs",
      type: "arr",
      description: "The outputs",
      inner: [
        {
          names: "",
          type: "obj_user_keys",
          optional: true,
          description: "",
          inner: [{ names: "address", type: "amount", description: "" }],
        },
        {
          names: "",
          type: "obj",
          optional: true,
          description: "",
          inner: [{ names: "data", type: "str_hex", description: "" }],
        },
        {
          names: "",
          type: "obj",
          optional: true,
          description: "",
          inner: [{ names: "destroy", type: "amount", description: "" }],
        },
      ],
    },
    num("locktime", { default: 0 }),
    num("lockheight", { defaultHint: "0" }),
    { names: "replaceable", type: "bool", default: false, description: "" },
  ]),
  method("getblocktemplate", [{
    names: "template_request",
    type: "obj",
    description: "Format of the template",
    inner: [
      { names: "mode", type: "str", optional: true, description: "" },
      {
        names: "capabilities",
        type: "arr",
        optional: true,
        description: "",
        inner: [{ names: "str", type: "str", optional: true, description: "" }],
      },
      {
        names: "rules",
        type: "arr",
        description: "",
        inner: [
          { names: "segwit", type: "str", description: "" },
          { names: "str", type: "str", optional: true, description: "" },
        ],
      },
      { names: "longpollid", type: "str", optional: true, description: "" },
      { names: "data", type: "str_hex", optional: true, description: "" },
    ],
  }]),
  method("createmerkleproof", [
    {
      names: "data",
      type: "arr",
      description: "",
      inner: [{ names: "", type: "str_hex", description: "" }],
    },
    { names: "pos", type: "arr", description: "", inner: [num("")] },
    { names: "prehashed", type: "bool", default: false, description: "" },
  ]),
  method("descriptorprocesspst", [
    { names: "pst", type: "str", description: "" },
    {
      names: "descriptors",
      type: "arr",
      description: "",
      inner: [
        { names: "", type: "str", description: "" },
        {
          names: "",
          type: "obj",
          description: "",
          inner: [
            { names: "desc", type: "str", description: "" },
            { names: "range", type: "range", default: 1000, description: "" },
          ],
        },
      ],
    },
    { names: "sighashtype", type: "str", default: "DEFAULT", description: "" },
    { names: "bip32derivs", type: "bool", default: true, description: "" },
    { names: "finalize", type: "bool", default: true, description: "" },
  ]),
  method("sendmany", [
    { names: "dummy", type: "str", optional: true, onelineDescription: '""', description: "" },
    {
      names: "amounts",
      type: "obj_user_keys",
      description: "",
      inner: [{ names: "address", type: "amount", description: "" }],
    },
    num("minconf", { optional: true }),
    { names: "comment", type: "str", optional: true, description: "" },
    {
      names: "subtractfeefrom",
      type: "arr",
      optional: true,
      description: "",
      inner: [{ names: "address", type: "str", optional: true, description: "" }],
    },
    { names: "replaceable", type: "bool", optional: true, description: "" },
    num("conf_target", { optional: true }),
    { names: "estimate_mode", type: "str", optional: true, description: "" },
    { names: "fee_rate", type: "amount", optional: true, description: "" },
    { names: "verbose", type: "bool", default: false, description: "" },
  ]),
];

Deno.test("summary lines of complex signatures match the reference listing", async (t) => {
  const reference = (await Deno.readTextFile(vectorPath("rpc-help.txt"))).split("\n");
  for (const m of CASES) {
    await t.step(m.name, () => {
      const summary = methodSummary(m);
      assert.ok(reference.includes(summary), `not in rpc-help.txt: ${summary}`);
    });
  }
});

Deno.test("argument sections pad and re-indent continuation lines; options get a Named Arguments section", () => {
  const help = methodHelp(method("t", [
    num("height", { description: "line one\n   line two" }),
    {
      names: "opts",
      type: "obj_named_params",
      optional: true,
      description: "",
      inner: [{ names: "flag", type: "bool", default: true, description: "A flag" }],
    },
  ]));
  assert.equal(
    help,
    't height ( {"flag":bool,...} )\n\nTest.\n\nArguments:\n' +
      "1. height    (numeric, required) line one\n" +
      "             line two\n" +
      "2. opts      (json object, optional) Options object that can be used to pass named arguments, listed below.\n\n" +
      "Named Arguments:\nflag    (boolean, optional, default=true) A flag\n\n" +
      'Result:\n"hex"    (string) hex\n',
  );
});
