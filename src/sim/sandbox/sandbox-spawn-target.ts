/** How a command is run: inside the sandbox's namespaces, or as a plain host process. */
export type SandboxSpawnTarget =
  | { isolation: "bwrap"; namespacePid: number }
  | { isolation: "none" };
