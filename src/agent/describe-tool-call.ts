import path from "node:path";
import { codeSpan } from "../report/code-span.js";

const maxCodeLength = 80;

/**
 * One of OpenCode's tool calls in plain words for the live status comment, e.g.
 * "Editing `src/app.ts`" or "Running `npm test`". Markdown: paths, commands and
 * patterns are code spans, so GitHub never reads `node_modules/@types` as a mention
 * or `__init__.py` as bold. Paths are shown relative to `directory` (the repository)
 * when they are inside it. Knows OpenCode 1.18.33's tools; any other (an MCP tool)
 * is "Using `name`".
 */
export function describeToolCall(
  tool: string,
  input: Readonly<Record<string, unknown>>,
  directory: string,
): string {
  const file = (key: string) => code(shownPath(input[key], directory) ?? "a file");
  const text = (key: string) => (typeof input[key] === "string" ? input[key] : "");
  switch (tool) {
    case "read":
      return `Reading ${file("filePath")}`;
    case "write":
      return `Writing ${file("filePath")}`;
    case "edit":
    case "multiedit":
      return `Editing ${file("filePath")}`;
    case "apply_patch":
    case "patch":
      return "Applying a patch";
    case "bash":
      return `Running ${code(text("command"))}`;
    case "glob":
      return `Finding files matching ${code(text("pattern"))}`;
    case "grep":
      return `Searching the code for ${code(text("pattern"))}`;
    case "list":
      return `Listing ${code(shownPath(input.path, directory) ?? ".")}`;
    case "webfetch":
      return `Fetching ${code(text("url"))}`;
    case "websearch":
      return `Searching the web for ${code(text("query"))}`;
    case "codesearch":
      return `Searching code examples for ${code(text("query"))}`;
    case "task":
      return `Delegating to a sub-agent: ${code(text("description"))}`;
    case "todowrite":
      return "Updating the todo list";
    case "todoread":
      return "Reading the todo list";
    case "skill":
      return `Loading the ${code(text("name"))} skill`;
    default:
      return `Using ${code(tool)}`;
  }
}

function shownPath(value: unknown, directory: string): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  if (!path.posix.isAbsolute(value)) return value;
  const relative = path.posix.relative(directory, value);
  if (relative === "") return ".";
  return relative.startsWith("..") ? value : relative;
}

/** An inline code span that survives backticks inside it, cut to one short line. */
function code(value: string): string {
  return codeSpan(value, maxCodeLength);
}
