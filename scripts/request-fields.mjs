// @ts-check
// The request's fields as a table, read from the bundled spec's CreateVideoTaskRequest (and its
// extra_body): each field's path in the body, its command-line flag, how a flag's text becomes
// the value, and a line of help. `make generate` writes it to generated/request-fields.js for
// the CLI; the docs' code samples and the tests read it from here.

/**
 * @typedef {"text" | "number" | "integer" | "choice" | "image" | "list"} FieldKind
 * @typedef {object} RequestField
 * @property {string[]} path where the value goes: ["prompt"], ["extra_body", "cfg_scale"]
 * @property {string} flag the option's name without dashes: "cfg-scale" (x-cli-flag overrides)
 * @property {FieldKind} kind text as is; number and integer parsed when numeric; choice one of
 *   `choices`; image a URL, data: URI or local file; list repeatable, each value becomes `{[itemKey]: value}`
 * @property {string[]} [choices]
 * @property {string} [range] "3 to 15"
 * @property {string} [itemKey]
 * @property {string} [cliDefault] the CLI's value when the flag is not given (x-cli-default)
 * @property {string} help the field's description, first sentence
 */

/** @typedef {Record<string, any>} Schema */

/** @param {Schema} spec the bundled spec @returns {RequestField[]} */
export function requestFields(spec) {
  /** @param {Schema | undefined} node @returns {Schema} */
  const resolve = (node) => (node?.$ref ? resolve(spec.components.schemas[node.$ref.split("/").pop()]) : (node ?? {}));
  /** All the constraints of a property: its own, its $ref's, and its allOf items'. @param {Schema} node @returns {Schema} */
  const merged = (node) => {
    const own = resolve(node);
    return Object.assign(
      {},
      ...(own.allOf ?? []).map(merged),
      own,
      node.description ? { description: node.description } : {},
    );
  };
  /** @param {string[]} path @param {Schema} node @returns {RequestField} */
  const field = (path, node) => {
    const schema = merged(node);
    const name = /** @type {string} */ (path.at(-1));
    const integerBranch = (schema.oneOf ?? schema.anyOf ?? [])
      .map(resolve)
      .find((/** @type {Schema} */ branch) => branch.type === "integer");
    const bounded = integerBranch ?? schema;
    const range =
      bounded.minimum !== undefined && bounded.maximum !== undefined
        ? `${bounded.minimum} to ${bounded.maximum}`
        : undefined;
    /** @type {FieldKind} */
    let kind = "text";
    /** @type {string | undefined} */
    let itemKey;
    if (schema.enum) kind = "choice";
    else if (integerBranch || schema.type === "integer") kind = "integer";
    else if (schema.type === "number") kind = "number";
    else if (schema["x-local-file"]) kind = "image";
    else if (schema.type === "array") {
      kind = "list";
      itemKey = resolve(schema.items).required?.[0];
      if (!itemKey) throw new Error(`request-fields: the items of ${path.join(".")} need one required property`);
    }
    const help =
      String(schema.description ?? "")
        .replace(/\s+/g, " ")
        .trim()
        .split(/(?<=\.)\s/)[0] ?? "";
    return {
      path,
      flag: schema["x-cli-flag"] ?? name.replaceAll("_", "-"),
      kind,
      ...(schema.enum ? { choices: schema.enum.map(String) } : {}),
      ...(range && kind !== "choice" ? { range } : {}),
      ...(itemKey ? { itemKey } : {}),
      ...(schema["x-cli-default"] ? { cliDefault: schema["x-cli-default"] } : {}),
      help,
    };
  };
  const request = resolve(spec.components.schemas.CreateVideoTaskRequest);
  return Object.entries(request.properties).flatMap(([name, node]) => {
    const schema = resolve(node);
    if (schema.type === "object" && schema.additionalProperties === true) {
      return Object.entries(schema.properties).map(([inner, innerNode]) => field([name, inner], innerNode));
    }
    return [field([name], node)];
  });
}
