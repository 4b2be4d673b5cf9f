// Regenerates src/sim/github/openapi-examples/api.github.com.json. No logic here.
//   npm install --prefix /tmp/openapi @octokit/openapi   (outside the repo: ~400 MB)
//   npx tsx src/sim/github/scripts/run-extract-openapi.ts [/tmp/openapi]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractOpenApi } from "./extract-openapi.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const prefix = process.argv[2] ?? "/tmp/openapi";
const result = await extractOpenApi({
  specPath: path.join(prefix, "node_modules/@octokit/openapi/generated/api.github.com.json"),
  webhookExamplesPath: path.join(
    here,
    "../../../../node_modules/@octokit/webhooks-examples/api.github.com/index.json",
  ),
  outFile: path.join(here, "../openapi-examples/api.github.com.json"),
});
console.log(`wrote ${result.bytes} bytes`);
