// The running project's test files, each imported when called: vitest.config.ts makes this module for each project.
declare module 'virtual:project-test-files' {
  const testFiles: Record<string, () => Promise<unknown>>
  export default testFiles
}
