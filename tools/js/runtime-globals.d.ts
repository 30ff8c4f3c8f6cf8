// What the runtime's UMD wrapper reads besides the DOM: Node's `module` (when required there).
declare var module: {exports: unknown} | undefined;
